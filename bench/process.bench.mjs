// Per-job overhead of the process layer: 200 runs of `true` through runProgram (program lookup, job files,
// own process group, limiter, exit/leftover checks) against 200 raw child_process spawns of `true` (default
// pipes, awaiting 'close'), one job at a time, measured in the same run.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProgram } from '../dist/process/index.js';

const N = 200;

function rawTrue() {
  return new Promise((resolve, reject) => {
    const c = spawn('true');
    c.on('error', reject);
    c.on('close', resolve);
  });
}

export default async function bench() {
  const root = mkdtempSync(join(tmpdir(), 'ccp4i2-bench-process-'));
  try {
    const dirs = Array.from({ length: N }, (_, i) => {
      const d = join(root, `job_${i + 1}`);
      mkdirSync(d);
      return d;
    });
    // Warm up both paths (module loading, first spawn).
    await rawTrue();
    await runProgram({ program: 'true', cwd: dirs[0] });
    // Interleaved (raw, layer, raw, layer...) so that load from other processes weighs on both alike.
    let raw = 0;
    let layer = 0;
    for (let i = 0; i < N; i++) {
      let t0 = performance.now();
      await rawTrue();
      raw += performance.now() - t0;
      t0 = performance.now();
      const r = await runProgram({ program: 'true', cwd: dirs[i] });
      layer += performance.now() - t0;
      if (r.outcome !== 'succeeded') throw new Error(`run ${i}: ${r.outcome}`);
    }
    const perRaw = raw / N;
    const perLayer = layer / N;
    console.log(`raw spawn of true:        ${perRaw.toFixed(3)} ms/job (${N} jobs, interleaved)`);
    console.log(`runProgram of true:       ${perLayer.toFixed(3)} ms/job`);
    console.log(
      `ratio layer/raw:          ${(perLayer / perRaw).toFixed(2)}  (overhead ${(perLayer - perRaw).toFixed(3)} ms/job)`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

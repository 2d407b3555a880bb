// Plugin runtime overhead, each figure beside raw child_process spawns measured in the same run:
// (a) 200 CPluginScript jobs running `true` (job directory, input_params.xml, params.xml, log files,
//     finished signal) vs 200 raw spawns of `true`, interleaved one by one;
// (b) a 10-step pipeline of `true` sub-jobs (await style) vs 10 raw spawns, 10 rounds.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CPluginScript, TaskRegistry } from '../dist/plugins/index.js';

function rawTrue() {
  return new Promise((resolve, reject) => {
    const c = spawn('true');
    c.on('error', reject);
    c.on('close', resolve);
  });
}

class TrueTask extends CPluginScript {
  static TASKNAME = 'true_task';
  static TASKCOMMAND = 'true';
}

class TenSteps extends CPluginScript {
  static TASKNAME = 'ten_steps';
  async process() {
    for (let i = 0; i < 10; i++) {
      const s = await this.runChild(this.makePluginObject('true_task'));
      if (s !== CPluginScript.SUCCEEDED) return CPluginScript.FAILED;
    }
    return CPluginScript.SUCCEEDED;
  }
}

export default async function bench() {
  const root = mkdtempSync(join(tmpdir(), 'ccp4i2-bench-plugins-'));
  const registry = new TaskRegistry();
  registry.register({ taskName: 'true_task', pluginClass: TrueTask });
  try {
    await rawTrue();
    await new TrueTask({ workDirectory: join(root, 'warm'), defFile: null }).process();
    const N = 200;
    let raw = 0;
    let plug = 0;
    for (let i = 0; i < N; i++) {
      let t0 = performance.now();
      await rawTrue();
      raw += performance.now() - t0;
      t0 = performance.now();
      const s = await new TrueTask({ workDirectory: join(root, `job_${i}`), defFile: null }).process();
      plug += performance.now() - t0;
      if (s !== 0) throw new Error(`job ${i} ended ${s}`);
    }
    console.log(`(a) raw spawn of true:      ${(raw / N).toFixed(3)} ms/job (${N} jobs, interleaved)`);
    console.log(`    CPluginScript of true:  ${(plug / N).toFixed(3)} ms/job`);
    console.log(
      `    ratio plugin/raw:       ${(plug / raw).toFixed(2)}  (overhead ${((plug - raw) / N).toFixed(3)} ms/job)`,
    );

    const R = 10;
    let raw10 = 0;
    let pipe10 = 0;
    for (let r = 0; r < R; r++) {
      let t0 = performance.now();
      for (let i = 0; i < 10; i++) await rawTrue();
      raw10 += performance.now() - t0;
      t0 = performance.now();
      const s = await new TenSteps({
        workDirectory: join(root, `pipe_${r}`),
        defFile: null,
        registry,
      }).process();
      pipe10 += performance.now() - t0;
      if (s !== 0) throw new Error(`pipeline ${r} ended ${s}`);
    }
    console.log(`(b) 10 raw spawns of true:  ${(raw10 / R).toFixed(2)} ms (${R} rounds, interleaved)`);
    console.log(`    10-step pipeline:       ${(pipe10 / R).toFixed(2)} ms`);
    console.log(`    ratio pipeline/raw:     ${(pipe10 / raw10).toFixed(2)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

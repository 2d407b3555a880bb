// i2run start-up and end-to-end cost, each beside a baseline measured in the same run:
// (c) `i2run --help` cold start (a fresh node process: registry, built-in tasks, help text) vs `node -e 0`,
//     plus `i2run TASK --help` and `i2run mtzdump --dry-run`; interleaved, medians of N runs;
// (d) `i2run demo_copycell` (gemmi route) wall time vs its program's own run time (`gemmi mtz FILE`,
//     the only external program of that route) plus a bare node start-up.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const i2run = join(root, 'dist/bin/i2run.cjs');
const MTZ = join(root, 'test/fixtures/data/gamma/merged_intensities_native.mtz');
const PDB = join(root, 'test/fixtures/data/gamma/gamma_model.pdb');

function time(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

export default async function bench() {
  const N = 15;
  const cases = {
    'node -e 0': [process.execPath, ['-e', '0']],
    'i2run --help': [process.execPath, [i2run, '--help']],
    'i2run mtzdump --help': [process.execPath, [i2run, 'mtzdump', '--help']],
    'i2run mtzdump --dry-run': [process.execPath, [i2run, 'mtzdump', '--HKLIN', MTZ, '--dry-run']],
  };
  const t = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const [cmd, args] of Object.values(cases)) time(cmd, args); // warm the file cache
  for (let i = 0; i < N; i++)
    for (const [k, [cmd, args]] of Object.entries(cases)) t[k].push(time(cmd, args));
  const base = median(t['node -e 0']);
  console.log(`(c) node -e 0 (baseline):       ${base.toFixed(1)} ms (median of ${N})`);
  for (const k of Object.keys(cases).slice(1)) {
    const m = median(t[k]);
    console.log(
      `    ${k.padEnd(26)} ${m.toFixed(1)} ms  ratio ${(m / base).toFixed(2)}  (+${(m - base).toFixed(1)} ms)`,
    );
  }

  const gemmi = spawnSync('gemmi', ['--version'], { stdio: 'ignore' });
  if (gemmi.error) {
    console.log('(d) skipped: gemmi not on PATH');
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'ccp4i2-bench-i2run-'));
  try {
    const M = 7;
    const wall = [];
    const prog = [];
    const node = [];
    for (let i = 0; i < M; i++) {
      prog.push(time('gemmi', ['mtz', MTZ]));
      node.push(time(process.execPath, ['-e', '0']));
      wall.push(
        time(
          process.execPath,
          [i2run, 'demo_copycell', '--HKLIN', MTZ, '--XYZIN', PDB, '--XYZOUT', `out${i}.pdb`],
          // The projects database i2run records in: a scratch one, not the user's.
          { cwd: work, env: { ...process.env, CCP4I2_DB: join(work, 'db.sqlite') } },
        ),
      );
    }
    const w = median(wall);
    const p = median(prog);
    const n = median(node);
    console.log(
      `(d) gemmi mtz FILE (the route's program): ${p.toFixed(1)} ms; node -e 0: ${n.toFixed(1)} ms (medians of ${M})`,
    );
    console.log(`    i2run demo_copycell wall time:        ${w.toFixed(1)} ms`);
    console.log(
      `    ratio wall/(program + node start):    ${(w / (p + n)).toFixed(2)}  (i2run's own cost ${(w - p - n).toFixed(1)} ms)`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

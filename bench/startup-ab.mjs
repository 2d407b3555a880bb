// A/B start-up comparison of builds (not part of `npm run bench`): every command run with each dist
// (A, B, ...) beside a bare `node -e 0` and `gemmi mtz FILE`, interleaved round by round (the order of
// the builds alternating), medians. Used for the before/after tables in docs/benchmarks.md.
// Usage: ROUNDS=15 node bench/startup-ab.mjs DIST_A DIST_B [...]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const paths = process.argv.slice(2);
const rounds = Number(process.env.ROUNDS ?? 15);
if (paths.length === 0) {
  console.error('usage: ROUNDS=15 node bench/startup-ab.mjs DIST_A DIST_B [...]');
  process.exit(2);
}
const MTZ = join(root, 'test/fixtures/data/gamma/merged_intensities_native.mtz');
const PDB = join(root, 'test/fixtures/data/gamma/gamma_model.pdb');
const work = mkdtempSync(join(tmpdir(), 'ccp4i2-bench-ab-'));
const env = { ...process.env, CCP4: '', PATH: '/usr/local/bin:/usr/bin:/bin' };

const commands = (dist) => ({
  'i2run --help': [join(dist, 'cli/i2run.js'), '--help'],
  'i2run mtzdump --help': [join(dist, 'cli/i2run.js'), 'mtzdump', '--help'],
  'i2run mtzdump --dry-run': [join(dist, 'cli/i2run.js'), 'mtzdump', '--HKLIN', MTZ, '--dry-run'],
  'ccp4i2 mtz info': [join(dist, 'cli/ccp4i2.js'), 'mtz', 'info', MTZ],
  'i2run demo_copycell': [
    join(dist, 'cli/i2run.js'),
    'demo_copycell',
    '--HKLIN',
    MTZ,
    '--XYZIN',
    PDB,
    '--XYZOUT',
    'out.pdb',
  ],
});

function time(cmd, args) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: work, env });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

const dists = Object.fromEntries(paths.map((p, i) => [String.fromCharCode(65 + i), resolve(p)]));
const labels = Object.keys(dists);
const t = { 'node -e 0': [], 'gemmi mtz FILE': [] };
try {
  for (let r = -1; r < rounds; r++) {
    const row = {
      'node -e 0': time(process.execPath, ['-e', '0']),
      'gemmi mtz FILE': time('gemmi', ['mtz', MTZ]),
    };
    const order = r % 2 ? labels : [...labels].reverse();
    for (const name of Object.keys(commands('')))
      for (const d of order) row[`${d} ${name}`] = time(process.execPath, commands(dists[d])[name]);
    if (r < 0) continue; // warm-up round
    for (const [k, v] of Object.entries(row)) (t[k] ??= []).push(v);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const node = median(t['node -e 0']);
const gemmi = median(t['gemmi mtz FILE']);
console.log(
  `load average ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
console.log(`node -e 0 ${node.toFixed(1)} ms, gemmi mtz FILE ${gemmi.toFixed(1)} ms (medians of ${rounds})`);
for (const [k, d] of Object.entries(dists)) console.log(`${k} = ${d}`);
for (const name of Object.keys(commands(''))) {
  const floor = name.includes('copycell') ? node + gemmi : node;
  const cells = labels.map((d) => {
    const m = median(t[`${d} ${name}`]);
    return `${d} ${m.toFixed(1)} ms (+${(m - floor).toFixed(1)})`;
  });
  console.log(`${name.padEnd(24)} ${cells.join('  ')}`);
}

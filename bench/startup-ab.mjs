// A/B start-up comparison of builds (not part of `npm run bench`): every command run with each dist
// (A, B, ...) beside a bare `node -e 0` and `gemmi mtz FILE`, interleaved round by round (the order of
// the builds alternating), medians. Used for the before/after tables in docs/benchmarks.md. Where
// /usr/bin/time exists, each process's CPU time (user + system) is given too: on a loaded machine it
// varies far less than wall time.
// Usage: ROUNDS=15 node bench/startup-ab.mjs DIST_A DIST_B [...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
// No CCP4 (the gemmi route); the projects database of builds that keep one in a scratch file.
const env = {
  ...process.env,
  CCP4: '',
  PATH: '/usr/local/bin:/usr/bin:/bin',
  CCP4I2_DB: join(work, 'db.sqlite'),
};

// A build's bins: dist/bin/*.cjs where it has them (package.json's "bin" since they exist), else dist/cli.
const bin = (dist, name) =>
  existsSync(join(dist, `bin/${name}.cjs`)) ? join(dist, `bin/${name}.cjs`) : join(dist, `cli/${name}.js`);
const commands = (dist) => ({
  'i2run --help': [bin(dist, 'i2run'), '--help'],
  'i2run mtzdump --help': [bin(dist, 'i2run'), 'mtzdump', '--help'],
  'i2run mtzdump --dry-run': [bin(dist, 'i2run'), 'mtzdump', '--HKLIN', MTZ, '--dry-run'],
  'ccp4i2 mtz info': [bin(dist, 'ccp4i2'), 'mtz', 'info', MTZ],
  'i2run demo_copycell': [
    bin(dist, 'i2run'),
    'demo_copycell',
    '--HKLIN',
    MTZ,
    '--XYZIN',
    PDB,
    '--XYZOUT',
    'out.pdb',
  ],
});

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const cpu = {};

/** Wall time of one run (ms); its CPU time goes to cpu[key]. */
function time(key, cmd, args) {
  const out = join(work, 'time.txt');
  const [c, a] = TIME ? [TIME, ['-f', '%U %S', '-o', out, cmd, ...args]] : [cmd, args];
  const t0 = performance.now();
  const r = spawnSync(c, a, { stdio: ['ignore', 'pipe', 'pipe'], cwd: work, env });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  if (TIME) {
    const [u, s] = readFileSync(out, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
    (cpu[key] ??= []).push((u + s) * 1000);
  }
  return ms;
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

const dists = Object.fromEntries(paths.map((p, i) => [String.fromCharCode(65 + i), resolve(p)]));
const labels = Object.keys(dists);
const t = { 'node -e 0': [], 'gemmi mtz FILE': [] };
try {
  for (let r = -1; r < rounds; r++) {
    const row = {
      'node -e 0': time('node -e 0', process.execPath, ['-e', '0']),
      'gemmi mtz FILE': time('gemmi mtz FILE', 'gemmi', ['mtz', MTZ]),
    };
    const order = r % 2 ? labels : [...labels].reverse();
    for (const name of Object.keys(commands('')))
      for (const d of order)
        row[`${d} ${name}`] = time(`${d} ${name}`, process.execPath, commands(dists[d])[name]);
    if (r < 0) {
      for (const k of Object.keys(cpu)) cpu[k] = []; // warm-up round
      continue;
    }
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
// /usr/bin/time prints CPU to 10 ms: the mean of the rounds resolves what the median of such steps cannot.
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const cpuOf = (k) => (TIME ? ` [cpu ${mean(cpu[k]).toFixed(1)}]` : '');
console.log(
  `node -e 0 ${node.toFixed(1)} ms${cpuOf('node -e 0')}, gemmi mtz FILE ${gemmi.toFixed(1)} ms${cpuOf('gemmi mtz FILE')} (medians of ${rounds}; wall, [cpu = user + system, mean])`,
);
for (const [k, d] of Object.entries(dists)) console.log(`${k} = ${d}`);
for (const name of Object.keys(commands(''))) {
  const floor = name.includes('copycell') ? node + gemmi : node;
  const cells = labels.map((d) => {
    const m = median(t[`${d} ${name}`]);
    return `${d} ${m.toFixed(1)} ms (+${(m - floor).toFixed(1)})${cpuOf(`${d} ${name}`)}`;
  });
  console.log(`${name.padEnd(24)} ${cells.join('  ')}`);
}

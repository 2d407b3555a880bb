// MTZ reading speed, whole process: `ccp4i2 mtz info --stats FILE` (read every value, per-column count,
// min, max, mean) against `gemmi mtz -s FILE` (the same statistics in C++) on the same files in the same
// run: every MTZ in test/fixtures/data and a synthetic file of at least 200 MB that this bench writes
// with our own writer into a temporary directory. Prints each time and the ratio ours/gemmi (target ≤ 1.5).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMtz, writeMtz } from '../dist/formats/mtz/index.js';
import { parseTriplet } from '../dist/formats/symmetry/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const CLI = join(root, 'dist/bin/ccp4i2.cjs');

/** A merged-looking P 21 21 21 file: H K L, then FP SIGFP I SIGI FREE PHI FOM (10 columns), ~5 % missing. */
export function writeSynthetic(path, nref) {
  const cols = {
    H: new Float32Array(nref),
    K: new Float32Array(nref),
    L: new Float32Array(nref),
    FP: new Float32Array(nref),
    SIGFP: new Float32Array(nref),
    I: new Float32Array(nref),
    SIGI: new Float32Array(nref),
    FreeR_flag: new Float32Array(nref),
    PHI: new Float32Array(nref),
    FOM: new Float32Array(nref),
  };
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const side = Math.ceil(Math.cbrt(nref));
  for (let i = 0; i < nref; i++) {
    cols.H[i] = Math.floor(i / (side * side));
    cols.K[i] = Math.floor(i / side) % side;
    cols.L[i] = i % side;
    const f = 1000 * rnd();
    const missing = rnd() < 0.05;
    cols.FP[i] = missing ? Number.NaN : f;
    cols.SIGFP[i] = missing ? Number.NaN : 0.05 * f + 1;
    cols.I[i] = f * f;
    cols.SIGI[i] = 0.1 * f * f + 1;
    cols.FreeR_flag[i] = Math.floor(20 * rnd());
    cols.PHI[i] = 360 * rnd() - 180;
    cols.FOM[i] = rnd();
  }
  const types = {
    H: 'H',
    K: 'H',
    L: 'H',
    FP: 'F',
    SIGFP: 'Q',
    I: 'J',
    SIGI: 'Q',
    FreeR_flag: 'I',
    PHI: 'P',
    FOM: 'W',
  };
  const cell = [300, 310, 320, 90, 90, 90];
  const mtz = createMtz({
    title: 'synthetic benchmark file',
    cell,
    spaceGroup: {
      name: 'P 21 21 21',
      number: 19,
      symops: ['X,Y,Z', '-X+1/2,-Y,Z+1/2', 'X+1/2,-Y+1/2,-Z', '-X,Y+1/2,-Z+1/2'].map(parseTriplet),
      nprim: 4,
      lattice: 'P',
      pointGroup: 'PG222',
    },
    datasets: [
      { id: 0, project: 'HKL_base', crystal: 'HKL_base', dataset: 'HKL_base', cell, wavelength: 0 },
      { id: 1, project: 'bench', crystal: 'xtal', dataset: 'native', cell, wavelength: 0.9795 },
    ],
    columns: Object.entries(cols).map(([label, data]) => ({
      label,
      type: types[label],
      datasetId: types[label] === 'H' ? 0 : 1,
      data,
    })),
  });
  writeMtz(mtz, path);
}

/** One wall-clock run (ms) of argv to completion, output discarded. */
function once(argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const dt = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  return dt;
}

/** Median times of several commands, run interleaved round by round so machine load weighs on all alike. */
function interleaved(argvs, runs) {
  const ts = argvs.map(() => []);
  for (let i = 0; i < runs; i++) {
    argvs.forEach((argv, j) => {
      ts[j].push(once(argv));
    });
  }
  return ts.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]);
}

export default async function main() {
  if (spawnSync('gemmi', ['--version']).error) {
    console.log('gemmi not found: skipping the MTZ benchmark (apt-get install gemmi)');
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'mtz-bench-'));
  try {
    const big = join(tmp, 'synthetic_212MB.mtz');
    const t0 = performance.now();
    writeSynthetic(big, 5_300_000);
    const mb = statSync(big).size / 1e6;
    console.log(
      `wrote ${basename(big)}: ${mb.toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const dataDir = join(root, 'test/fixtures/data');
    const files = readdirSync(dataDir)
      .flatMap((d) => readdirSync(join(dataDir, d)).map((f) => join(dataDir, d, f)))
      .filter((f) => f.endsWith('.mtz'))
      .sort();
    console.log('file                              MB   ccp4i2 ms   gemmi ms   ratio   node -e 0 ms');
    let sumOurs = 0;
    let sumGemmi = 0;
    let sumBare = 0;
    const row = (f, runs) => {
      const [ours, theirs, bare] = interleaved(
        [
          [process.execPath, CLI, 'mtz', 'info', '--stats', f],
          ['gemmi', 'mtz', '-s', f],
          [process.execPath, '-e', '0'],
        ],
        runs,
      );
      console.log(
        `${basename(f).padEnd(32)} ${(statSync(f).size / 1e6).toFixed(1).padStart(5)} ${ours.toFixed(0).padStart(10)} ` +
          `${theirs.toFixed(0).padStart(10)} ${(ours / theirs).toFixed(2).padStart(7)} ${bare.toFixed(0).padStart(14)}`,
      );
      return [ours, theirs, bare];
    };
    for (const f of files) {
      const [a, b, c] = row(f, 5);
      sumOurs += a;
      sumGemmi += b;
      sumBare += c;
    }
    console.log(
      `all ${files.length} small files: ratio ${(sumOurs / sumGemmi).toFixed(2)}; ` +
        `ours minus bare node start-up: ${((sumOurs - sumBare) / files.length).toFixed(0)} ms per file, ` +
        `gemmi ${(sumGemmi / files.length).toFixed(0)} ms`,
    );
    const [a, b] = row(big, 3);
    console.log(`synthetic ${mb.toFixed(0)} MB file: ccp4i2/gemmi = ${(a / b).toFixed(2)} (target <= 1.5)`);
    // text output: every value printed with %g
    const mid = join(tmp, 'synthetic_20MB.mtz');
    writeSynthetic(mid, 500_000);
    const [d, g] = interleaved(
      [
        [process.execPath, CLI, 'mtz', 'dump', mid],
        ['gemmi', 'mtz', '--tsv', mid],
      ],
      3,
    );
    console.log(
      `mtz dump vs gemmi mtz --tsv, 20 MB (5 million values): ${d.toFixed(0)} ms vs ${g.toFixed(0)} ms, ratio ${(d / g).toFixed(2)}`,
    );
    // memory: peak RSS of mtz dump (streamed) on the 20 MB and the 212 MB file, beside a bare node
    const hook = join(tmp, 'peak.mjs');
    writeFileSync(
      hook,
      "import { writeSync } from 'node:fs';\n" +
        "process.on('exit', () => writeSync(2, 'maxRSS=' + process.resourceUsage().maxRSS + '\\n'));\n",
    );
    const peak = (args) => {
      const r = spawnSync(process.execPath, ['--import', hook, ...args], {
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
      return Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1]) / 1024;
    };
    const bare = peak(['-e', '0']);
    const dumpMid = peak([CLI, 'mtz', 'dump', mid, '--columns', 'FP']);
    const dumpBig = peak([CLI, 'mtz', 'dump', big, '--columns', 'FP']);
    console.log(
      `mtz dump --columns FP peak RSS: ${dumpMid.toFixed(0)} MB (20 MB file), ${dumpBig.toFixed(0)} MB ` +
        `(${mb.toFixed(0)} MB file), ratio ${(dumpBig / dumpMid).toFixed(2)}; bare node ${bare.toFixed(0)} MB`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

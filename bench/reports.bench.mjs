// Loggraph parsing, each figure beside a baseline from the same run:
// (a) the real 500 KB aimless log: our parser (parseLoggraphFile, in-process, warm) against smartie, CCP4's
//     own parser (/usr/bin/python3, bench/smartie/; skipped with a message when absent), both timed inside
//     their process (parse plus every cell read), in interleaved rounds, medians; target ≥ 20×;
// (b) a 100 MB log (the aimless log repeated) streamed in a fresh node process, only the open table kept:
//     its peak RSS against the same process parsing the aimless log once (memory bounded by the largest
//     table, not by the log), and its time against reading the file's lines with no parsing.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLoggraphFile } from '../dist/formats/loggraph/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const AIMLESS = join(root, 'test/fixtures/logs/nt5073v16_xBAZ2BAx8281_aimless.log');
const PYTHON = '/usr/bin/python3';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

function ours(runs) {
  const ms = [];
  let log;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    log = parseLoggraphFile(AIMLESS);
    ms.push(performance.now() - t0);
  }
  return { ms, tables: log.tables.length, rows: log.tables.reduce((s, t) => s + t.rows.length, 0) };
}

// The child of (b): streams FILE keeping only the open table, or (MODE lines) only splits it into lines.
const CHILD = `
import { openSync, readSync, closeSync } from 'node:fs';
const [mode, file, dist] = process.argv.slice(1);
const t0 = performance.now();
let tables = 0, rows = 0, largest = 0, lines = 0, retained = 0;
if (mode === 'parse') {
  const { parseLoggraphFile } = await import(dist);
  const log = parseLoggraphFile(file, { collect: false, handlers: {
    table: () => { tables++; },
    row: () => { rows++; },
    tableEnd: (t) => {
      largest = Math.max(largest, t.rows.length);
      // What stays reachable after each 50th table: the open state, not what came before.
      if (tables % 50 === 1) { globalThis.gc(); retained = Math.max(retained, process.memoryUsage().heapUsed); }
    },
  } });
  lines = log.lines;
} else {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  let rest = '';
  for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) {
    const parts = (rest + buf.toString('utf8', 0, n)).split('\\n');
    rest = parts.pop();
    lines += parts.length;
  }
  closeSync(fd);
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, tables, rows, largest, lines, retained, maxRssKiB: process.resourceUsage().maxRSS }));
`;

function child(mode, file) {
  const r = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--input-type=module',
      '-e',
      CHILD,
      mode,
      file,
      join(root, 'dist/formats/loggraph/index.js'),
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`child ${mode} ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

export default async function bench() {
  // (a) interleaved rounds, so that a change in the machine's load weighs on both alike
  const R = 9;
  const py = spawnSync(PYTHON, ['--version'], { stdio: 'ignore' });
  ours(3); // warm up the JIT
  const mine = [];
  const theirs = [];
  let o;
  for (let k = 0; k < R; k++) {
    o = ours(5);
    mine.push(median(o.ms));
    if (py.error) continue;
    const r = spawnSync(PYTHON, [join(here, 'smartie/time_smartie.py'), AIMLESS, '1'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`smartie: ${r.stderr}`);
    const s = JSON.parse(r.stdout);
    if (s.tables !== o.tables || s.rows !== o.rows)
      throw new Error(`smartie read ${s.tables} tables, ${s.rows} rows; ours ${o.tables}, ${o.rows}`);
    theirs.push(s.ms[0]);
  }
  const m = median(mine);
  console.log(
    `(a) ours: ${m.toFixed(1)} ms per parse of the aimless log (${o.tables} tables, ${o.rows} rows; median of ${R} rounds)`,
  );
  if (py.error) console.log(`    smartie skipped: ${PYTHON} not found`);
  else {
    const sm = median(theirs);
    console.log(
      `    smartie (baseline): ${sm.toFixed(1)} ms (median of ${R}, interleaved)  ratio ${(sm / m).toFixed(1)}× faster`,
    );
  }

  // (b)
  const dir = mkdtempSync(join(tmpdir(), 'ccp4i2-bench-loggraph-'));
  try {
    const big = join(dir, 'big.log');
    const text = readFileSync(AIMLESS);
    const fd = openSync(big, 'w');
    let copies = 0;
    for (; copies * text.length < 100e6; copies++) writeSync(fd, text);
    closeSync(fd);
    const mb = statSync(big).size / 1e6;
    const one = child('parse', AIMLESS);
    const lines = child('lines', big);
    const b = child('parse', big);
    if (b.tables !== 10 * copies) throw new Error(`read ${b.tables} tables of ${10 * copies}`);
    console.log(
      `(b) ${mb.toFixed(0)} MB log (${copies} copies, ${b.tables} tables, ${b.rows} rows, largest ${b.largest} rows) streamed:`,
    );
    console.log(
      `    heap retained after a table (max over the log, after gc) ${(b.retained / 2 ** 20).toFixed(1)} MiB vs ${(one.retained / 2 ** 20).toFixed(1)} MiB for the 0.5 MB log once (baseline)  ratio ${(b.retained / one.retained).toFixed(2)}`,
    );
    console.log(
      `    peak RSS ${(b.maxRssKiB / 1024).toFixed(0)} MiB vs ${(one.maxRssKiB / 1024).toFixed(0)} MiB for the 0.5 MB log once (baseline)  ratio ${(b.maxRssKiB / one.maxRssKiB).toFixed(2)}`,
    );
    console.log(
      `    time ${(b.ms / 1000).toFixed(2)} s (${(mb / (b.ms / 1000)).toFixed(0)} MB/s) vs ${(lines.ms / 1000).toFixed(2)} s splitting it into lines (baseline)  ratio ${(b.ms / lines.ms).toFixed(2)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

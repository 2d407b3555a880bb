// Loading every CCP4i2 def fixture (122 files, includes resolved): the target is all of them in
// under 250 ms after warm-up. Baseline in the same run: parsing the same files' XML only, so the ratio
// shows what building the CData tree costs on top of reading the XML.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDefFile } from '../dist/data/index.js';
import { parseXml } from '../dist/xml/index.js';

const TOP = join(dirname(fileURLToPath(import.meta.url)), '../test/fixtures/ccp4i2');

function* defFiles(dir) {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) yield* defFiles(p);
    else if (n.endsWith('.def.xml') && !n.startsWith('xia2_ssx_reduce')) yield p;
  }
}

function best(runs, f) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

export default async function () {
  const files = [...defFiles(TOP)];
  let nodes = 0;
  const loadAll = () => {
    nodes = 0;
    for (const f of files) for (const _ of loadDefFile(f, { root: TOP }).container.walk()) nodes++;
  };
  const parseAll = () => {
    for (const f of files) parseXml(readFileSync(f, 'utf8'), { file: f });
  };
  const cold = best(1, loadAll);
  for (let i = 0; i < 3; i++) loadAll(); // warm-up
  const load = best(10, loadAll);
  const parse = best(10, parseAll);
  // Slowest single files (ms per file, warm).
  const per = files
    .map((f) => [f.slice(TOP.length + 1), best(3, () => loadDefFile(f, { root: TOP }))])
    .sort((a, b) => b[1] - a[1]);
  console.log(`def files: ${files.length} (${nodes} data objects built per pass, walked once)`);
  console.log(`first load (cold): ${cold.toFixed(1)} ms`);
  console.log(
    `all def files, warm (best of 10): ${load.toFixed(1)} ms = ${(load / files.length).toFixed(2)} ms/file (target < 250 ms)`,
  );
  console.log(
    `baseline XML parse only: ${parse.toFixed(1)} ms; ratio load/parse = ${(load / parse).toFixed(2)}`,
  );
  console.log('slowest files (ms):');
  for (const [f, ms] of per.slice(0, 5)) console.log(`  ${ms.toFixed(2)}  ${f}`);
}

// Loading every CCP4i2 def fixture (122 files, includes resolved): the target is all of them in
// under 250 ms after warm-up. Baseline in the same run: parsing the same files' XML only, so the ratio
// shows what building the CData tree costs on top of reading the XML.
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDefFile } from '../dist/data/index.js';
import { parseXml, readXmlFile } from '../dist/xml/index.js';

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

  await largeDefs();
  refusal();
}

/** A generated def file of `n` CInt contents, each with a default and a minimum (6 elements each). */
function bigDef(dir, n) {
  const parts = [
    '<?xml version="1.0"?>\n<ccp4:ccp4i2 xmlns:ccp4="http://www.ccp4.ac.uk/ccp4ns"><ccp4i2_header><function>DEF</function>',
    '<pluginName>big</pluginName></ccp4i2_header><ccp4i2_body id="big"><container id="controlParameters">\n',
  ];
  for (let i = 0; i < n; i++)
    parts.push(
      `<content id="P${i}"><className>CInt</className><qualifiers><default>${i}</default><min>0</min></qualifiers></content>\n`,
    );
  parts.push('</container></ccp4i2_body></ccp4:ccp4i2>\n');
  const path = join(dir, `big${n}.def.xml`);
  writeFileSync(path, parts.join(''));
  return path;
}

// Def loading must be linear in the number of contents (it was quadratic: 20 000 contents took 26 s).
// Baseline: parsing the same file's XML only; the 40k/20k ratio shows linearity (2.0 is linear).
async function largeDefs() {
  const dir = mkdtempSync(join(tmpdir(), 'ccp4i2-bench-defs-'));
  try {
    const times = {};
    for (const n of [20_000, 40_000]) {
      const f = bigDef(dir, n);
      loadDefFile(f); // warm-up
      const load = best(3, () => loadDefFile(f));
      const parse = best(3, () => readXmlFile(f));
      times[n] = load;
      console.log(
        `${n} contents (${(statSync(f).size / 1e6).toFixed(1)} MB): loadDefFile ${load.toFixed(0)} ms; XML parse only ${parse.toFixed(0)} ms; ratio ${(load / parse).toFixed(2)}`,
      );
    }
    console.log(`40k / 20k load time = ${(times[40_000] / times[20_000]).toFixed(2)} (2.0 is linear)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A 60 MB params file of 15 million empty elements is refused at the element cap; baseline: reading the
// same file's bytes once.
function refusal() {
  const dir = mkdtempSync(join(tmpdir(), 'ccp4i2-bench-xml-'));
  try {
    const f = join(dir, 'empty15m.params.xml');
    const fd = openSync(f, 'w');
    writeSync(fd, '<?xml version="1.0"?>\n<ccp4i2><ccp4i2_body>');
    const block = '<a/>'.repeat(250_000);
    for (let i = 0; i < 60; i++) writeSync(fd, block);
    writeSync(fd, '</ccp4i2_body></ccp4i2>\n');
    closeSync(fd);
    let code;
    const refuse = best(3, () => {
      try {
        readXmlFile(f);
      } catch (e) {
        code = `${e.className} ${e.code}`;
      }
    });
    const read = best(3, () => readFileSync(f));
    console.log(
      `15M empty elements (${(statSync(f).size / 1e6).toFixed(0)} MB): refused (${code}) in ${refuse.toFixed(0)} ms; reading its bytes ${read.toFixed(0)} ms; ratio ${(refuse / read).toFixed(2)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

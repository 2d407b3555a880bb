// FAKE: stands in for CCP4's pdbset, which is not installable here. It takes the real program's command
// line (`pdbset XYZIN in.pdb XYZOUT out.pdb`) and keywords on stdin (CELL a b c alpha beta gamma,
// SPACEGROUP name, END), and writes XYZOUT with ccp4i2-ts's own coordinate-cell writer from the built
// dist/ (run `npm run build` first): CRYST1 or _cell.* set, SCALEn / fract_transf recomputed, all
// else unchanged. Without CELL or SPACEGROUP it copies XYZIN. Other pdbset keywords are refused.
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { banner, fail, keywordRecords, logicalNames, readStdin } from './ccp4-program.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const names = logicalNames(process.argv.slice(2));
const xyzin = names.get('XYZIN');
const xyzout = names.get('XYZOUT');
process.stdout.write(banner('PDBSET'));
if (!xyzin || !xyzout) fail('XYZIN and XYZOUT are both needed on the command line');

let cell;
let spaceGroup;
for (const r of keywordRecords(readStdin())) {
  process.stdout.write(` Data line--- ${r.line}\n`);
  if (r.key === 'CELL') {
    const v = r.words.slice(1).map(Number);
    if (v.length !== 6 || v.some((x) => !Number.isFinite(x))) fail(`CELL needs six numbers: ${r.line}`);
    cell = { a: v[0], b: v[1], c: v[2], alpha: v[3], beta: v[4], gamma: v[5] };
  } else if (r.key === 'SPAC') {
    spaceGroup = r.words.slice(1).join(' ');
  } else if (r.key !== 'END') fail(`Keyword error: unrecognised keyword ${r.words[0]}`);
}
if (!existsSync(xyzin)) fail(`Error in opening input file ${xyzin}: no such file`);

if (cell) {
  const dist = join(here, '../../dist/formats/coords/index.js');
  if (!existsSync(dist)) fail(`FAKE pdbset needs the built ${dist}: run npm run build`, 3);
  const { readCoordCell, writeCoordCell } = await import(pathToFileURL(dist).href);
  try {
    const r = await writeCoordCell(xyzin, xyzout, { cell, ...(spaceGroup ? { spaceGroup } : {}) });
    const info = await readCoordCell(xyzout);
    const c = info.cell;
    process.stdout.write(`\n Cell set to ${c.a} ${c.b} ${c.c} ${c.alpha} ${c.beta} ${c.gamma}`);
    process.stdout.write(
      ` (${info.format}${r.fractionalisationRewritten ? ', scale matrix recomputed' : ''})\n`,
    );
  } catch (e) {
    fail(typeof e?.describe === 'function' ? e.describe() : String(e));
  }
} else if (spaceGroup) {
  fail('FAKE pdbset: SPACEGROUP without CELL is not supported by the stand-in', 3);
} else {
  copyFileSync(xyzin, xyzout);
}
process.stdout.write('\n PDBSET:   Normal termination\n');

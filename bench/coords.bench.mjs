// Coordinate-cell writer: writeCoordCell (pdbset's CELL) on large synthetic PDB and mmCIF files, against
// a plain read + write of the same bytes (the I/O floor) in the same run; and readCoordCell on the mmCIF
// against `gemmi grep _cell.length_a` (gemmi's CIF tokenizer over the same file), when gemmi is on PATH.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCoordCell, writeCoordCell } from '../dist/formats/coords/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const FIX = join(here, '../test/fixtures');
const TARGET = 100 * 1024 * 1024;
const CELL = { a: 34.089, b: 54.816, c: 68.011, alpha: 90, beta: 90, gamma: 90 };

/** The real file with its atom records repeated until it holds about TARGET bytes. */
function inflate(text, isAtom) {
  const lines = text.split('\n');
  const first = lines.findIndex(isAtom);
  let last = first;
  while (last + 1 < lines.length && isAtom(lines[last + 1])) last++;
  const block = `${lines.slice(first, last + 1).join('\n')}\n`;
  const copies = Math.max(1, Math.floor(TARGET / block.length));
  return `${lines.slice(0, first).join('\n')}\n${block.repeat(copies)}${lines.slice(last + 1).join('\n')}`;
}

async function time(f, reps = 3) {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await f();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

export default async function () {
  const dir = mkdtempSync(join(tmpdir(), 'coords-bench-'));
  try {
    const pdb = join(dir, 'big.pdb');
    writeFileSync(
      pdb,
      inflate(readFileSync(join(FIX, 'data/gamma/gamma_model.pdb'), 'latin1'), (l) =>
        /^(ATOM|HETATM|ANISOU)/.test(l),
      ),
      'latin1',
    );
    const cif = join(dir, 'big.cif');
    writeFileSync(
      cif,
      inflate(readFileSync(join(FIX, 'coords/4hg7_small.cif'), 'latin1'), (l) => /^\d+ [A-Z] /.test(l)),
      'latin1',
    );
    for (const [name, file] of [
      ['PDB', pdb],
      ['mmCIF', cif],
    ]) {
      const mb = readFileSync(file).length / 1e6;
      const ours = await time(() => writeCoordCell(file, `${file}.out`, { cell: CELL }));
      const floor = await time(async () => writeFile(`${file}.copy`, await readFile(file)));
      console.log(
        `writeCoordCell ${name} ${mb.toFixed(0)} MB: ${ours.toFixed(0)} ms; read+write copy ${floor.toFixed(0)} ms; ratio ${(ours / floor).toFixed(2)}`,
      );
    }
    const mb = readFileSync(cif).length / 1e6;
    const ours = await time(() => readCoordCell(cif));
    const g = spawnSync('gemmi', ['--version'], { stdio: 'ignore' });
    if (g.error)
      console.log(
        `readCoordCell mmCIF ${mb.toFixed(0)} MB: ${ours.toFixed(0)} ms (gemmi not on PATH: no baseline)`,
      );
    else {
      const gemmi = await time(async () => spawnSync('gemmi', ['grep', '_cell.length_a', cif]));
      console.log(
        `readCoordCell mmCIF ${mb.toFixed(0)} MB: ${ours.toFixed(0)} ms; gemmi grep _cell.length_a ${gemmi.toFixed(0)} ms; ratio ${(ours / gemmi).toFixed(2)}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

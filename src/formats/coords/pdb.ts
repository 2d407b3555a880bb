import {
  fixed,
  fractionalisationMatrix,
  type Mat33,
  printedCell,
  rjust,
  type Transform,
  type UnitCell,
  validateCell,
} from './cell.js';
import { dominantEol, type Edit } from './edits.js';
import { CoordErrorCode, coordError } from './errors.js';
import { parseDecimal, parseOptionalInt } from './numbers.js';
import type { CellEditPlan, CellUpdate, CoordCellInfo } from './types.js';

/** One record of interest: its text without terminator, its offsets and 1-based line number. */
interface Record {
  name: string;
  text: string;
  start: number;
  end: number;
  line: number;
}

/** Offsets of the lines that start with `name` (a native byte search, no decoding), up to `max`. */
function lineStarts(b: Buffer, name: string, max = Number.POSITIVE_INFINITY): number[] {
  const out: number[] = [];
  for (let i = b.indexOf(name, 0, 'latin1'); i >= 0 && out.length < max; i = b.indexOf(name, i + 1, 'latin1'))
    if (i === 0 || b[i - 1] === 10) out.push(i);
  return out;
}

/** CRYST1 and SCALEn records, in file order, with line numbers. */
function findRecords(b: Buffer): Record[] {
  const out: Record[] = [];
  // Two byte searches cover the four names. ('CRYST', not 'CRYST1': the search skips by the needle's
  // last byte, and '1' is everywhere in atom records, which makes 'CRYST1' ten times slower.)
  for (const prefix of ['CRYST', 'SCALE'])
    for (const start of lineStarts(b, prefix)) {
      const name = b.toString('latin1', start, start + 6);
      if (name !== 'CRYST1' && name !== 'SCALE1' && name !== 'SCALE2' && name !== 'SCALE3') continue;
      const nl = b.indexOf(10, start);
      let end = nl < 0 ? b.length : nl;
      if (end > start && b[end - 1] === 13) end--;
      out.push({ name, text: b.toString('latin1', start, end), start, end, line: 0 });
    }
  out.sort((x, y) => x.start - y.start);
  // One pass over the line breaks for all records.
  let line = 1;
  let i = b.indexOf(10);
  for (const r of out) {
    while (i >= 0 && i < r.start) {
      line++;
      i = b.indexOf(10, i + 1);
    }
    r.line = line;
  }
  return out;
}

/** PDB fixed columns, 1-based inclusive, as in the PDB format guide. */
function cols(s: string, from: number, to: number): string {
  return s.slice(from - 1, to);
}

function parseCryst1(r: Record, file?: string): Omit<CoordCellInfo, 'format' | 'fractionalisation'> {
  const where = { file, line: r.line, objectPath: 'CRYST1' };
  const field = (name: string, from: number, to: number) =>
    parseDecimal(cols(r.text, from, to), `CRYST1 ${name} (columns ${from}-${to})`, where);
  const cell: UnitCell = {
    a: field('a', 7, 15),
    b: field('b', 16, 24),
    c: field('c', 25, 33),
    alpha: field('alpha', 34, 40),
    beta: field('beta', 41, 47),
    gamma: field('gamma', 48, 54),
  };
  validateCell(cell, where);
  const sg = cols(r.text, 56, 66).trim();
  const z = parseOptionalInt(cols(r.text, 67, 70), 'CRYST1 Z (columns 67-70)', where);
  return { cell, line: r.line, ...(sg ? { spaceGroup: sg } : {}), ...(z !== undefined ? { z } : {}) };
}

function parseScale(records: Record[], file?: string): Transform | undefined {
  const rows: Record[] = [];
  for (const n of [1, 2, 3]) {
    const r = records.find((x) => x.name === `SCALE${n}`);
    if (!r) return undefined;
    rows.push(r);
  }
  const matrix = rows.map((r) =>
    [11, 21, 31].map((c) =>
      parseDecimal(cols(r.text, c, c + 9), `${r.name} columns ${c}-${c + 9}`, {
        file,
        line: r.line,
        objectPath: r.name,
      }),
    ),
  ) as Mat33;
  const vector = rows.map((r) =>
    parseDecimal(cols(r.text, 46, 55), `${r.name} columns 46-55`, { file, line: r.line, objectPath: r.name }),
  ) as [number, number, number];
  return { matrix, vector };
}

/** Reads the cell, space group and Z of the first CRYST1, and SCALE1-3 when all three are present. */
export function parsePdbCell(bytes: Buffer, file?: string): CoordCellInfo {
  const records = findRecords(bytes);
  const cryst1 = records.find((r) => r.name === 'CRYST1');
  if (!cryst1) throw coordError(CoordErrorCode.NO_CELL, 'no CRYST1 record: the file has no cell', { file });
  const scale = parseScale(records, file);
  return { format: 'pdb', ...parseCryst1(cryst1, file), ...(scale ? { fractionalisation: scale } : {}) };
}

/** Columns 7-54 of CRYST1: a, b, c as %9.3f and the angles as %7.2f. */
function cellColumns(cell: UnitCell, file?: string): string {
  for (const k of ['a', 'b', 'c'] as const)
    if (fixed(cell[k], 3).length > 9)
      throw coordError(CoordErrorCode.BAD_CELL, `cell ${k} = ${cell[k]} does not fit CRYST1's 9 columns`, {
        file,
      });
  return (
    rjust(fixed(cell.a, 3), 9) +
    rjust(fixed(cell.b, 3), 9) +
    rjust(fixed(cell.c, 3), 9) +
    rjust(fixed(cell.alpha, 2), 7) +
    rjust(fixed(cell.beta, 2), 7) +
    rjust(fixed(cell.gamma, 2), 7)
  );
}

function checkSpaceGroup(sg: string, file?: string): void {
  if (sg.trim() === '' || sg.length > 11 || /[^\x20-\x7e]/.test(sg))
    throw coordError(
      CoordErrorCode.BAD_SPACE_GROUP,
      `space group '${sg}' cannot be written in CRYST1 columns 56-66 (1 to 11 printable characters)`,
      { file },
    );
}

/** The new CRYST1 line: only columns 7-54 (and 56-66 for a new space group) change; the rest is kept. */
function rewriteCryst1(old: string, update: CellUpdate, file?: string): string {
  let line = old.slice(0, 6) + cellColumns(update.cell, file) + old.slice(54);
  if (update.spaceGroup !== undefined) {
    const padded = line.padEnd(70, ' ');
    line = padded.slice(0, 55) + update.spaceGroup.padEnd(11, ' ') + padded.slice(66);
    // Keep a short line short (no Z, nothing after it), as the original was.
    if (old.length < 70) line = line.trimEnd();
  }
  return line;
}

/** SCALEn as the PDB writes it: three %10.6f in columns 11-40, %10.5f in 46-55; columns past 55 kept. */
function rewriteScale(old: string, row: readonly number[], u: number): string {
  const body =
    old.slice(0, 6) +
    '    ' +
    rjust(fixed(row[0], 6), 10) +
    rjust(fixed(row[1], 6), 10) +
    rjust(fixed(row[2], 6), 10) +
    '     ' +
    rjust(fixed(u, 5), 10);
  return body + old.slice(55);
}

/** Records before which a missing CRYST1 goes (the PDB order: CRYST1, ORIGXn, SCALEn, MTRIXn, MODEL, ATOM...). */
const AFTER_CRYST1 = ['ORIGX', 'SCALE', 'MTRIX', 'MODEL ', 'ATOM  ', 'HETATM', 'ANISOU', 'TER', 'END'];

function insertionPoint(b: Buffer): number {
  let best = -1;
  for (const name of AFTER_CRYST1) {
    const at = lineStarts(b, name, 1)[0];
    if (at !== undefined && (best < 0 || at < best)) best = at;
  }
  return Math.max(best, 0);
}

/**
 * Writes a new cell as CCP4's pdbset does with CELL: every CRYST1 gets the new cell (space group and Z
 * kept unless a new space group is given), SCALE1-3 are recomputed from the new cell in the standard
 * PDB orthogonalisation when the file has them, and every other byte is unchanged. A file without
 * CRYST1 gets one, before its first coordinate record.
 */
export function planPdbCell(bytes: Buffer, update: CellUpdate, file?: string): CellEditPlan {
  validateCell(update.cell, { file, objectPath: 'new cell' });
  validateCell(printedCell(update.cell), { file, objectPath: 'new cell as printed' });
  if (update.spaceGroup !== undefined) checkSpaceGroup(update.spaceGroup, file);
  const records = findRecords(bytes);
  const edits: Edit[] = [];
  let cellInserted = false;
  if (!records.some((r) => r.name === 'CRYST1')) {
    const sg = update.spaceGroup ?? 'P 1';
    const line = `CRYST1${cellColumns(update.cell, file)} ${sg}`;
    const at = insertionPoint(bytes);
    edits.push({ start: at, end: at, text: line + dominantEol(bytes) });
    cellInserted = true;
  }
  const frac = fractionalisationMatrix(printedCell(update.cell));
  let fractionalisationRewritten = false;
  for (const r of records) {
    if (r.name === 'CRYST1') {
      edits.push({ start: r.start, end: r.end, text: rewriteCryst1(r.text, update, file) });
    } else {
      const n = Number(r.name[5]) - 1;
      edits.push({ start: r.start, end: r.end, text: rewriteScale(r.text, frac[n], 0) });
      fractionalisationRewritten = true;
    }
  }
  return { edits, format: 'pdb', cellInserted, fractionalisationRewritten };
}

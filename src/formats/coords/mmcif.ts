import type { ErrorLocation } from '../../errors/ccp4-error.js';
import {
  fixed,
  fractionalisationMatrix,
  type Mat33,
  printedCell,
  type Transform,
  type UnitCell,
  validateCell,
} from './cell.js';
import { type CifBlock, type CifItem, parseCifBlock } from './cif-syntax.js';
import { dominantEol, type Edit, lineBounds } from './edits.js';
import { CoordErrorCode, coordError } from './errors.js';
import { parseCifNumber } from './numbers.js';
import type { CellEditPlan, CellUpdate, CoordCellInfo } from './types.js';

const CELL_TAGS: [keyof UnitCell, string][] = [
  ['a', '_cell.length_a'],
  ['b', '_cell.length_b'],
  ['c', '_cell.length_c'],
  ['alpha', '_cell.angle_alpha'],
  ['beta', '_cell.angle_beta'],
  ['gamma', '_cell.angle_gamma'],
];
/** Space group name and number items, old (`_symmetry`) and new (`_space_group`) dictionaries. */
const SG_NAME_TAGS = [
  '_symmetry.space_group_name_h-m',
  '_space_group.name_h-m_alt',
  '_space_group.name_h-m_full',
];
const SG_HALL_TAGS = ['_symmetry.space_group_name_hall', '_space_group.name_hall'];
const SG_NUMBER_TAGS = ['_symmetry.int_tables_number', '_space_group.it_number'];

const matrixTag = (i: number, j: number) => `_atom_sites.fract_transf_matrix[${i}][${j}]`;
const vectorTag = (i: number) => `_atom_sites.fract_transf_vector[${i}]`;

function where(item: CifItem, file?: string): ErrorLocation {
  return { file, line: item.value.line, objectPath: item.tag };
}

function numberOf(item: CifItem, file?: string): number {
  if (item.value.missing)
    throw coordError(
      CoordErrorCode.NO_CELL,
      `${item.tag} is '${item.value.value}' (not given)`,
      where(item, file),
    );
  return parseCifNumber(item.value.value, item.tag, where(item, file));
}

function firstPresent(block: CifBlock, tags: string[]): CifItem | undefined {
  for (const t of tags) {
    const item = block.items.get(t);
    if (item && !item.value.missing) return item;
  }
  return undefined;
}

function readFractionalisation(block: CifBlock, file?: string): Transform | undefined {
  const m: number[][] = [];
  const v: number[] = [];
  for (let i = 1; i <= 3; i++) {
    const row: number[] = [];
    for (let j = 1; j <= 3; j++) {
      const item = block.items.get(matrixTag(i, j));
      if (!item || item.value.missing) return undefined;
      row.push(numberOf(item, file));
    }
    m.push(row);
    const item = block.items.get(vectorTag(i));
    v.push(item && !item.value.missing ? numberOf(item, file) : 0);
  }
  return { matrix: m as Mat33, vector: v as [number, number, number] };
}

/** Reads `_cell.*`, the space group (`_symmetry.*` or `_space_group.*`), Z and `_atom_sites.fract_transf_*`. */
export function parseCifCell(bytes: Buffer, file?: string): CoordCellInfo {
  const block = parseCifBlock(bytes, file);
  const first = block.items.get('_cell.length_a');
  if (!first) throw coordError(CoordErrorCode.NO_CELL, 'no _cell.length_a: the file has no cell', { file });
  const cell = {} as UnitCell;
  for (const [key, tag] of CELL_TAGS) {
    const item = block.items.get(tag);
    if (!item) throw coordError(CoordErrorCode.NO_CELL, `no ${tag} item`, { file, line: first.tagLine });
    cell[key] = numberOf(item, file);
  }
  validateCell(cell, { file, line: first.value.line, objectPath: '_cell' });
  const info: CoordCellInfo = { format: 'mmcif', cell, line: first.tagLine };
  const name = firstPresent(block, SG_NAME_TAGS);
  if (name?.value.value.trim()) info.spaceGroup = name.value.value.trim();
  const num = firstPresent(block, SG_NUMBER_TAGS);
  if (num) info.spaceGroupNumber = numberOf(num, file);
  const z = block.items.get('_cell.z_pdb');
  if (z && !z.value.missing) info.z = numberOf(z, file);
  const frac = readFractionalisation(block, file);
  if (frac) info.fractionalisation = frac;
  return info;
}

/** A CIF value for a space group name: quoted with whichever quote it does not contain. */
function quoteName(sg: string, file?: string): string {
  const bad = () =>
    coordError(CoordErrorCode.BAD_SPACE_GROUP, `space group '${sg}' cannot be written as a CIF value`, {
      file,
    });
  if (sg.trim() === '' || /[^\x20-\x7e]/.test(sg)) throw bad();
  if (!sg.includes("'")) return `'${sg}'`;
  if (!sg.includes('"')) return `"${sg}"`;
  throw bad();
}

/** Same name once blanks are normalised and case ignored: such a "new" space group changes nothing. */
function sameName(x: string, y: string): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toUpperCase();
  return norm(x) === norm(y);
}

/**
 * Writes a new cell into an mmCIF file as pdbset does into a PDB file: the `_cell.length_*` and
 * `_cell.angle_*` values (in place, as %.3f and %.2f like CRYST1), `_atom_sites.fract_transf_matrix`
 * (%.6f) and `_atom_sites.fract_transf_vector` (%.5f) recomputed when present, and, for a new space
 * group, its name items (a Hall symbol or number that would contradict it becomes `?` unless the number
 * is given). Every other byte is unchanged; missing items are added after the `_cell` category.
 */
export function planCifCell(bytes: Buffer, update: CellUpdate, file?: string): CellEditPlan {
  validateCell(update.cell, { file, objectPath: 'new cell' });
  validateCell(printedCell(update.cell), { file, objectPath: 'new cell as printed' });
  const block = parseCifBlock(bytes, file);
  const eol = dominantEol(bytes);
  const edits: Edit[] = [];
  const added: string[] = [];
  const cellValue = (k: keyof UnitCell) => fixed(update.cell[k], k.length === 1 ? 3 : 2);

  const present = CELL_TAGS.filter(([, t]) => block.items.has(t));
  const cellInserted = present.length === 0;
  if (!cellInserted && present.length < CELL_TAGS.length) {
    const missing = CELL_TAGS.filter(([, t]) => !block.items.has(t)).map(([, t]) => t);
    throw coordError(CoordErrorCode.NO_CELL, `incomplete _cell category: no ${missing.join(', ')}`, { file });
  }
  for (const [k, tag] of CELL_TAGS) {
    const item = block.items.get(tag);
    if (item) edits.push({ start: item.value.start, end: item.value.end, text: cellValue(k) });
    else added.push(`${tag} ${cellValue(k)}`);
  }

  const frac = fractionalisationMatrix(printedCell(update.cell));
  let fractionalisationRewritten = false;
  for (let i = 1; i <= 3; i++) {
    for (let j = 1; j <= 3; j++) {
      const item = block.items.get(matrixTag(i, j));
      if (item) {
        edits.push({ start: item.value.start, end: item.value.end, text: fixed(frac[i - 1][j - 1], 6) });
        fractionalisationRewritten = true;
      }
    }
    const v = block.items.get(vectorTag(i));
    if (v) edits.push({ start: v.value.start, end: v.value.end, text: fixed(0, 5) });
  }

  if (update.spaceGroup !== undefined) {
    const quoted = quoteName(update.spaceGroup, file);
    const names = SG_NAME_TAGS.map((t) => block.items.get(t)).filter((x): x is CifItem => !!x);
    const unchanged = names.some((n) => !n.value.missing && sameName(n.value.value, update.spaceGroup!));
    if (!unchanged) {
      for (const n of names) edits.push({ start: n.value.start, end: n.value.end, text: quoted });
      for (const t of SG_HALL_TAGS) {
        const h = block.items.get(t);
        if (h) edits.push({ start: h.value.start, end: h.value.end, text: '?' });
      }
      const number = update.spaceGroupNumber !== undefined ? String(update.spaceGroupNumber) : '?';
      const numbers = SG_NUMBER_TAGS.map((t) => block.items.get(t)).filter((x): x is CifItem => !!x);
      for (const n of numbers) edits.push({ start: n.value.start, end: n.value.end, text: number });
      if (names.length === 0) {
        added.push(`_symmetry.space_group_name_H-M ${quoted}`);
        if (numbers.length === 0 && update.spaceGroupNumber !== undefined)
          added.push(`_symmetry.Int_Tables_number ${update.spaceGroupNumber}`);
      }
    }
  }

  if (added.length > 0) {
    // After the line that ends the _cell category, or after the data_ line when there is none.
    const anchor = block.categoryEnd.get('_cell')?.offset ?? block.headerEnd;
    const { next } = lineBounds(bytes, anchor);
    const atEnd = next === bytes.length && bytes[bytes.length - 1] !== 10;
    const lines = added.join(eol) + eol;
    edits.push({ start: next, end: next, text: atEnd ? eol + lines : lines });
  }
  return { edits, format: 'mmcif', cellInserted, fractionalisationRewritten };
}

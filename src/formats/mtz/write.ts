import { type OutputOptions, writeFileAtomicSync } from '../../files/write.js';
import { isValidCell } from '../symmetry/cell.js';
import { formatTriplet } from '../symmetry/symop.js';
import { MTZ_ERRORS, mtzError } from './errors.js';
import { type Mtz, minMax } from './mtz.js';

export interface WriteMtzOptions extends OutputOptions {
  /** Write big-endian (machine stamp 0x11110000) instead of little-endian. */
  bigEndian?: boolean;
  /** Store the header offset in the 64-bit field even when it fits 32 bits (large-file layout). */
  largeOffset?: boolean;
}

export const COLUMN_TYPES = 'HJFDQGLKMEPWABYIRUVXZ';

function pad(s: string | number, n: number): string {
  return String(s).padStart(n);
}

function padEnd(s: string, n: number): string {
  return s.padEnd(n);
}

/** printf("%.9f") cut to 17 characters, as gemmi writes COLUMN min/max. */
function format17(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const s = Math.abs(v) < 1e7 ? v.toFixed(9).slice(0, 17) : '';
  if (s !== '' && Math.fround(Number(s)) === Math.fround(v)) return s;
  // %.9f would lose float32 digits (tiny or huge values): the shortest text that reads back exactly
  for (let p = 1; p <= 9; p++) {
    const t = Math.fround(v).toPrecision(p);
    if (Math.fround(Number(t)) === Math.fround(v) && t.length <= 17) return t;
  }
  return Math.fround(v).toExponential(8);
}

function fixed(v: number, d: number): string {
  return Number.isFinite(v) ? v.toFixed(d) : String(v).toLowerCase();
}

function validate(mtz: Mtz): void {
  const bad = (msg: string, path?: string) => mtzError(MTZ_ERRORS.INVALID_MTZ, msg, mtz.file, path);
  if (mtz.columns.length < 3 || mtz.columns.slice(0, 3).some((c) => c.type !== 'H'))
    throw bad('the first three columns must be H, K, L of type H');
  if (!isValidCell(mtz.cell)) throw bad(`invalid cell ${mtz.cell.join(' ')}`, 'cell');
  if (mtz.spaceGroup.symops.length === 0) throw bad('no symmetry operators', 'spaceGroup');
  const labels = new Set<string>();
  for (const c of mtz.columns) {
    if (!/^\S{1,30}$/.test(c.label))
      throw bad(`bad column label '${c.label}' (1-30 characters, no blanks)`, c.label);
    if (labels.has(c.label)) throw bad(`duplicate column label '${c.label}'`, c.label);
    labels.add(c.label);
    if (c.type.length !== 1 || !COLUMN_TYPES.includes(c.type))
      throw bad(`bad column type '${c.type}'`, c.label);
    if (!mtz.datasets.some((d) => d.id === c.datasetId))
      throw bad(`column ${c.label} refers to undeclared dataset ${c.datasetId}`, c.label);
    if (c.data.length !== mtz.nref)
      throw bad(`column ${c.label} has ${c.data.length} values, expected ${mtz.nref}`, c.label);
  }
  for (const b of mtz.batches)
    if (b.ints.length + b.floats.length > 1000)
      throw bad(`batch ${b.number} header is too long`, `batch ${b.number}`);
}

/** Encodes an MTZ in the layout gemmi and libccp4 write: data from byte 80, then 80-character records. */
export function encodeMtz(mtz: Mtz, opts: WriteMtzOptions = {}): Buffer {
  validate(mtz);
  const le = !opts.bigEndian;
  const ncol = mtz.columns.length;
  const nref = mtz.nref;
  const records: string[] = [];
  const rec = (s: string) => records.push(s.length >= 80 ? s.slice(0, 80) : s.padEnd(80));

  // min/max and 1/d² range come from the data, so the header always describes what is written
  const ranges = mtz.columns.map((c) => minMax(c.data));
  const [r0, r1] = mtz.inverseDSquaredRange();
  const sg = mtz.spaceGroup;
  rec('VERS MTZ:V1.1');
  rec(`TITLE ${mtz.title}`);
  rec(`NCOL ${pad(ncol, 8)} ${pad(nref, 12)} ${pad(mtz.batches.length, 8)}`);
  rec(`CELL  ${mtz.cell.map((x) => pad(x.toFixed(4), 9)).join(' ')}`);
  rec(`SORT  ${[0, 1, 2, 3, 4].map((i) => pad(mtz.sortOrder[i] ?? 0, 3)).join(' ')}`);
  const name = `'${sg.name}'`;
  rec(
    `SYMINF ${pad(sg.symops.length, 3)} ${pad(sg.nprim || sg.symops.length, 2)} ${sg.lattice || 'P'} ${pad(sg.number, 5)} ${pad(name, 22)} ${sg.pointGroup}`,
  );
  for (const op of sg.symops) rec(`SYMM ${formatTriplet(op)}`);
  rec(`RESO ${padEnd(r0.toFixed(12), 20)} ${padEnd(r1.toFixed(12), 20)}`);
  rec('VALM NAN');
  mtz.columns.forEach((c, i) => {
    const [min, max] = ranges[i];
    rec(
      `COLUMN ${padEnd(c.label, 30)} ${c.type} ${pad(format17(min), 17)} ${pad(format17(max), 17)} ${pad(c.datasetId, 4)}`,
    );
    if (c.source !== undefined && c.source !== '')
      rec(`COLSRC ${padEnd(c.label, 30)} ${padEnd(c.source, 36)}  ${pad(c.datasetId, 4)}`);
    if (c.group !== undefined)
      rec(
        `COLGRP ${padEnd(c.label, 30)} ${padEnd(c.group.name, 30)} ${padEnd(c.group.type, 4)} ${c.group.position.toString(16).toUpperCase()} ${pad(c.datasetId, 4)}`,
      );
  });
  rec(`NDIF ${pad(mtz.datasets.length, 8)}`);
  for (const ds of mtz.datasets) {
    rec(`PROJECT ${pad(ds.id, 7)} ${ds.project}`);
    rec(`CRYSTAL ${pad(ds.id, 7)} ${ds.crystal}`);
    rec(`DATASET ${pad(ds.id, 7)} ${ds.dataset}`);
    const cell = isValidCell(ds.cell) ? ds.cell : mtz.cell;
    rec(`DCELL ${pad(ds.id, 9)} ${cell.map((x) => pad(fixed(x, 4), 10)).join('')}`);
    rec(`DWAVEL ${pad(ds.id, 8)} ${pad(fixed(ds.wavelength, 5), 10)}`);
  }
  for (let i = 0; i < mtz.batches.length; i += 12)
    rec(
      `BATCH ${mtz.batches
        .slice(i, i + 12)
        .map((b) => pad(b.number, 6))
        .join('')}`,
    );
  rec('END');
  const head = Buffer.from(records.join(''), 'latin1');

  const tail: Buffer[] = [];
  const trec = (s: string) =>
    tail.push(Buffer.from(s.length >= 80 ? s.slice(0, 80) : s.padEnd(80), 'latin1'));
  if (mtz.history.length > 0) {
    trec(`MTZHIST ${pad(mtz.history.length, 3)}`);
    for (const h of mtz.history) trec(h);
  }
  if (mtz.batches.length > 0) {
    trec('MTZBATS');
    for (const b of mtz.batches) {
      const nw = b.ints.length + b.floats.length;
      trec(`BH ${pad(b.number, 8)} ${pad(nw, 7)} ${pad(b.ints.length, 7)} ${pad(b.floats.length, 7)}`);
      trec(`TITLE ${b.title.slice(0, 70)}`);
      const bin = Buffer.alloc(4 * nw);
      const view = new DataView(bin.buffer, bin.byteOffset, bin.length);
      for (let j = 0; j < b.ints.length; j++) view.setInt32(4 * j, b.ints[j], le);
      for (let j = 0; j < b.floats.length; j++) view.setFloat32(4 * (b.ints.length + j), b.floats[j], le);
      tail.push(bin);
      trec(`BHCH  ${[0, 1, 2].map((j) => pad((b.axes[j] ?? '').slice(0, 7), 7)).join(' ')}`);
    }
  }
  trec('MTZENDOFHEADERS');
  if (mtz.appendedText !== '') tail.push(Buffer.from(mtz.appendedText, 'latin1'));

  // first record and the data block
  const n = ncol * nref;
  const out = Buffer.alloc(80 + 4 * n + head.length + tail.reduce((s, b) => s + b.length, 0));
  out.write('MTZ ', 0, 'latin1');
  const headerWord = n + 21;
  const large = opts.largeOffset || headerWord > 0x7fffffff;
  if (le) {
    out.writeInt32LE(large ? -1 : headerWord, 4);
    if (large) out.writeBigInt64LE(BigInt(headerWord), 12);
  } else {
    out.writeInt32BE(large ? -1 : headerWord, 4);
    if (large) out.writeBigInt64BE(BigInt(headerWord), 12);
  }
  out.set(le ? [0x44, 0x41, 0, 0] : [0x11, 0x11, 0, 0], 8);
  // integer copies keep every bit of the floats (NaN signs and payloads)
  const data = new Uint32Array(out.buffer, out.byteOffset + 80, n);
  mtz.columns.forEach((c, j) => {
    const d = new Uint32Array(c.data.buffer, c.data.byteOffset, nref);
    for (let r = 0, i = j; r < nref; r++, i += ncol) data[i] = d[r];
  });
  const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  if (le !== HOST_LE) out.subarray(80, 80 + 4 * n).swap32();
  let pos = 80 + 4 * n;
  for (const b of [head, ...tail]) {
    out.set(b, pos);
    pos += b.length;
  }
  return out;
}

/** Writes an MTZ file that `gemmi mtz` and CCP4's library read back identically. */
export function writeMtz(mtz: Mtz, path: string, opts: WriteMtzOptions = {}): void {
  const bytes = encodeMtz(mtz, opts);
  try {
    // Whole or not at all, and only onto a regular file or nothing (never through a link or onto a device).
    writeFileAtomicSync(path, bytes, opts);
  } catch (e) {
    throw mtzError(
      MTZ_ERRORS.CANNOT_WRITE,
      `cannot write MTZ file: ${(e as Error).message.replace(/^cannot write: /, '')}`,
      path,
    );
  }
}

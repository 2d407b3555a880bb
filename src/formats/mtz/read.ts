import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { MTZ_ERRORS, mtzError } from './errors.js';
import { parseHeader, readPreamble } from './header.js';
import { Mtz, MtzColumn, type MtzHeader } from './mtz.js';

export interface ReadMtzOptions {
  /** Name used in error messages when reading from bytes. */
  file?: string;
  /** Assume the opposite byte order to the machine stamp's (like `gemmi mtz --toggle-endian`). */
  toggleEndian?: boolean;
}

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function load(src: string | Uint8Array, file: string | undefined): Uint8Array {
  if (typeof src !== 'string') return src;
  try {
    return readFileSync(src);
  } catch (e) {
    throw mtzError(MTZ_ERRORS.CANNOT_READ, `cannot read MTZ file: ${(e as Error).message}`, file ?? src);
  }
}

/**
 * Reads a whole MTZ file (path or bytes) in one read. Columns are de-interleaved into Float32Arrays in one
 * pass on first access to any column's `data`; until then the file's own buffer is used (stats, dump).
 */
export function readMtz(src: string | Uint8Array, opts: ReadMtzOptions = {}): Mtz {
  const file = opts.file ?? (typeof src === 'string' ? src : undefined);
  const bytes = load(src, file);
  const pre = readPreamble(bytes, bytes.length, file, opts.toggleEndian);
  const { header, counts } = parseHeader(bytes, pre.headerByte, pre, file);
  const n = counts.ncol * counts.nref;
  if (pre.headerWord !== n + 21)
    throw mtzError(
      MTZ_ERRORS.DATA_SIZE_MISMATCH,
      `NCOL says ${counts.ncol} columns x ${counts.nref} reflections = ${4 * n} bytes of data, ` +
        `but the header starts at byte ${pre.headerByte}`,
      file,
      'NCOL',
    );
  const rowMajor = reflectionData(bytes, n, pre.littleEndian);
  let mtz: Mtz | undefined;
  const loadColumns = () => mtz?.loadColumns();
  const columns = header.columns.map((c) => new MtzColumn(c, undefined, loadColumns));
  mtz = new Mtz({ ...header, columns }, rowMajor);
  return mtz;
}

/** The data block as float32 in host order: a view on the file's bytes when possible, else one copy. */
function reflectionData(bytes: Uint8Array, n: number, littleEndian: boolean): Float32Array {
  const offset = bytes.byteOffset + 80;
  if (littleEndian === HOST_LE && offset % 4 === 0) return new Float32Array(bytes.buffer, offset, n);
  const copy = Buffer.from(bytes.subarray(80, 80 + 4 * n));
  if (littleEndian !== HOST_LE) copy.swap32();
  return new Float32Array(copy.buffer, copy.byteOffset, n);
}

/**
 * Reads only the header (first 80 bytes, then from the header offset to the end): cheap even for huge
 * files, enough for labels, types and content flags. Column min/max are the header's.
 */
export function readMtzHeader(src: string | Uint8Array, opts: ReadMtzOptions = {}): MtzHeader {
  const file = opts.file ?? (typeof src === 'string' ? src : undefined);
  if (typeof src !== 'string') {
    const pre = readPreamble(src, src.length, file, opts.toggleEndian);
    return checkSize(parseHeader(src, pre.headerByte, pre, file), pre.headerWord, file);
  }
  let fd: number;
  try {
    fd = openSync(src, 'r');
  } catch (e) {
    throw mtzError(MTZ_ERRORS.CANNOT_READ, `cannot read MTZ file: ${(e as Error).message}`, file);
  }
  try {
    const size = fstatSync(fd).size;
    const first = Buffer.alloc(Math.min(80, size));
    readSync(fd, first, 0, first.length, 0);
    const pre = readPreamble(first, size, file, opts.toggleEndian);
    const tail = Buffer.alloc(size - pre.headerByte);
    let got = 0;
    while (got < tail.length) {
      const r = readSync(fd, tail, got, tail.length - got, pre.headerByte + got);
      if (r === 0) break;
      got += r;
    }
    return checkSize(parseHeader(tail.subarray(0, got), 0, pre, file), pre.headerWord, file);
  } finally {
    closeSync(fd);
  }
}

function checkSize(
  parsed: ReturnType<typeof parseHeader>,
  headerWord: number,
  file: string | undefined,
): MtzHeader {
  const { counts } = parsed;
  if (headerWord !== counts.ncol * counts.nref + 21)
    throw mtzError(
      MTZ_ERRORS.DATA_SIZE_MISMATCH,
      `NCOL says ${counts.ncol} columns x ${counts.nref} reflections, which disagrees with the header offset`,
      file,
      'NCOL',
    );
  return parsed.header;
}

import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { MTZ_ERRORS, mtzError } from './errors.js';
import { parseHeader, readPreamble } from './header.js';
import { Mtz, MtzColumn, type MtzHeader } from './mtz.js';

export interface ReadMtzOptions {
  /** Name used in error messages when reading from bytes. */
  file?: string;
  /** Assume the opposite byte order to the machine stamp's (like `gemmi mtz --toggle-endian`). */
  toggleEndian?: boolean;
  /**
   * Paths only: read the header, then stream the data in 8 MB blocks straight into the column arrays
   * (memory about the size of the data once, and files beyond Node's 2 GB single-read limit). The default
   * for files over 256 MB.
   */
  streamed?: boolean;
}

const STREAM_ABOVE = 256 * 1024 * 1024;

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function load(src: string | Uint8Array, file: string | undefined): Uint8Array {
  if (typeof src !== 'string') return src;
  return fsCall(file ?? src, () => readFileSync(src));
}

/** Runs file-system calls, turning their errors (ENOENT, EISDIR, EACCES, ...) into MtzReader 101. */
export function fsCall<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code === undefined) throw e;
    throw mtzError(MTZ_ERRORS.CANNOT_READ, `cannot read MTZ file: ${(e as Error).message}`, file);
  }
}

/**
 * Opens a regular file for reading: directories, FIFOs and devices are refused up front (a FIFO would
 * block a synchronous read forever). Returns the descriptor and the size.
 */
export function openRegular(path: string, file: string): { fd: number; size: number } {
  // stat before open: opening a FIFO for reading blocks until a writer appears
  if (!fsCall(file, () => statSync(path)).isFile())
    throw mtzError(MTZ_ERRORS.CANNOT_READ, 'cannot read MTZ file: not a regular file', file);
  const fd = fsCall(file, () => openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
  try {
    const st = fsCall(file, () => fstatSync(fd));
    if (!st.isFile())
      throw mtzError(MTZ_ERRORS.CANNOT_READ, 'cannot read MTZ file: not a regular file', file);
    return { fd, size: st.size };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/**
 * Reads a whole MTZ file (path or bytes) in one read. Columns are de-interleaved into Float32Arrays in one
 * pass on first access to any column's `data`; until then the file's own buffer is used (stats, dump).
 * Files over 256 MB are streamed into the columns instead (see `ReadMtzOptions.streamed`).
 */
export function readMtz(src: string | Uint8Array, opts: ReadMtzOptions = {}): Mtz {
  const file = opts.file ?? (typeof src === 'string' ? src : undefined);
  if (typeof src === 'string') {
    // check the kind of file first: readFileSync on a FIFO would block
    const { fd, size } = openRegular(src, file ?? src);
    closeSync(fd);
    if (opts.streamed ?? size > STREAM_ABOVE) return readStreamed(src, opts);
  }
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
  const { fd, size } = openRegular(src, file ?? src);
  try {
    const first = Buffer.alloc(Math.min(80, size));
    fsCall(file ?? src, () => readSync(fd, first, 0, first.length, 0));
    const pre = readPreamble(first, size, file, opts.toggleEndian);
    const tail = Buffer.alloc(size - pre.headerByte);
    let got = 0;
    while (got < tail.length) {
      const r = fsCall(file ?? src, () => readSync(fd, tail, got, tail.length - got, pre.headerByte + got));
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

/**
 * The reflection data of a file, row-major, in blocks of about `blockBytes` (byte order already fixed,
 * VALM not applied). One buffer is reused: use each block before asking for the next. Memory stays flat
 * for files of any size (mtz dump, mtz info --stats and the streamed reader use it).
 */
export function* rowBlocks(
  path: string,
  header: MtzHeader,
  file = path,
  blockBytes = 8 << 20,
): Generator<{ rows: Float32Array; first: number; count: number }> {
  const ncol = header.columns.length;
  const nref = header.nref;
  if (ncol === 0 || nref === 0) return;
  const rowsPerBlock = Math.max(1, Math.floor(blockBytes / (4 * ncol)));
  const buf = Buffer.alloc(4 * ncol * Math.min(rowsPerBlock, nref));
  const { fd } = openRegular(path, file);
  try {
    for (let r0 = 0; r0 < nref; r0 += rowsPerBlock) {
      const count = Math.min(rowsPerBlock, nref - r0);
      const bytes = 4 * ncol * count;
      let got = 0;
      while (got < bytes) {
        const n = fsCall(file, () => readSync(fd, buf, got, bytes - got, 80 + 4 * ncol * r0 + got));
        if (n === 0)
          throw mtzError(MTZ_ERRORS.TRUNCATED, 'file ends inside the reflection data', file, 'data');
        got += n;
      }
      if (header.littleEndian !== HOST_LE) buf.subarray(0, bytes).swap32();
      yield { rows: new Float32Array(buf.buffer, buf.byteOffset, ncol * count), first: r0, count };
    }
  } finally {
    closeSync(fd);
  }
}

/** Header first, then the data block by block into one Float32Array per column (eager, one pass). */
function readStreamed(path: string, opts: ReadMtzOptions): Mtz {
  const file = opts.file ?? path;
  const header = readMtzHeader(path, { ...opts, file });
  const ncol = header.columns.length;
  const nref = header.nref;
  const arrays = header.columns.map(() => new Float32Array(nref));
  const bits = arrays.map((a) => new Uint32Array(a.buffer));
  for (const { rows, first, count } of rowBlocks(path, header, file)) {
    const block = new Uint32Array(rows.buffer, rows.byteOffset, rows.length);
    for (let r = 0, i = 0; r < count; r++) for (let c = 0; c < ncol; c++, i++) bits[c][first + r] = block[i];
  }
  if (!Number.isNaN(header.valm)) {
    const valm = Math.fround(header.valm);
    header.columns.forEach((col, c) => {
      if (col.type === 'H') return;
      const a = arrays[c];
      for (let r = 0; r < nref; r++) if (a[r] === valm) a[r] = Number.NaN;
    });
  }
  const columns = header.columns.map((c, i) => new MtzColumn(c, arrays[i]));
  return new Mtz({ ...header, columns });
}

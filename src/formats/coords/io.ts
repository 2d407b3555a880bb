import { isCcp4Error } from '../../errors/ccp4-error.js';
import { FILE_CLASS } from '../../files/errors.js';
import { readRegularFile } from '../../files/read.js';
import { type OutputOptions, writeStreamAtomic } from '../../files/write.js';
import { applyEdits, editedPieces } from './edits.js';
import { CoordErrorCode, coordError } from './errors.js';
import { parseCifCell, planCifCell } from './mmcif.js';
import { parsePdbCell, planPdbCell } from './pdb.js';
import type {
  CellEditPlan,
  CellEditResult,
  CellEditSummary,
  CellUpdate,
  CoordCellInfo,
  CoordFormat,
} from './types.js';

/** Coordinate files are read whole; beyond this they are refused rather than exhausting memory. */
export const MAX_COORD_FILE_BYTES = 1024 * 1024 * 1024;

/**
 * PDB or mmCIF, from the content (extensions lie): an mmCIF file starts, after blank and comment
 * lines, with `data_`. Binary and gzip files are refused.
 */
export function detectCoordFormat(source: string | Buffer, file?: string): CoordFormat {
  const head = typeof source === 'string' ? source.slice(0, 65536) : source.toString('latin1', 0, 65536);
  if (head.length === 0) throw coordError(CoordErrorCode.FORMAT, 'empty file', { file });
  if (head.charCodeAt(0) === 0x1f && head.charCodeAt(1) === 0x8b)
    throw coordError(CoordErrorCode.FORMAT, 'gzip-compressed: decompress it first', { file });
  if (head.includes('\0'))
    throw coordError(CoordErrorCode.FORMAT, 'binary file: not PDB or mmCIF text', { file });
  const m = /^(?:[ \t\r]*(?:#[^\n]*)?\n)*[ \t]*(\S{0,5})/.exec(head);
  return m && m[1].toLowerCase() === 'data_' ? 'mmcif' : 'pdb';
}

type Options = { file?: string; format?: CoordFormat };

/** The file's bytes: text is handled as latin1, one char per byte, so offsets agree and bytes round-trip. */
function bytesOf(source: string | Buffer): Buffer {
  return typeof source === 'string' ? Buffer.from(source, 'latin1') : source;
}

/** Cell, space group and fractionalisation of a PDB or mmCIF text (or its bytes). */
export function parseCoordCell(source: string | Buffer, options: Options = {}): CoordCellInfo {
  const format = options.format ?? detectCoordFormat(source, options.file);
  const bytes = bytesOf(source);
  return format === 'pdb' ? parsePdbCell(bytes, options.file) : parseCifCell(bytes, options.file);
}

/** The replacements that write a new cell into a PDB or mmCIF file's bytes. */
export function planCoordCell(
  source: string | Buffer,
  update: CellUpdate,
  options: Options = {},
): CellEditPlan {
  const format = options.format ?? detectCoordFormat(source, options.file);
  const bytes = bytesOf(source);
  return format === 'pdb'
    ? planPdbCell(bytes, update, options.file)
    : planCifCell(bytes, update, options.file);
}

/** The text with a new cell written in (see planPdbCell / planCifCell). */
export function replaceCoordCell(text: string, update: CellUpdate, options: Options = {}): CellEditResult {
  const { edits, ...summary } = planCoordCell(text, update, options);
  return { text: applyEdits(text, edits), ...summary };
}

function ioError(e: unknown, file: string, verb: string) {
  // The shared file checks' errors keep their message under this layer's own code.
  if (isCcp4Error(e) && e.className === FILE_CLASS)
    return coordError(CoordErrorCode.IO, e.message, { file: e.file ?? file });
  if (isCcp4Error(e)) return e;
  return coordError(CoordErrorCode.IO, `cannot ${verb}: ${(e as NodeJS.ErrnoException).code ?? e}`, { file });
}

/** The file's bytes, refusing what is not a regular file (FileAccess 1) or is too large. */
async function readSource(path: string): Promise<Buffer> {
  try {
    return await readRegularFile(path, MAX_COORD_FILE_BYTES);
  } catch (e) {
    throw ioError(e, path, 'read');
  }
}

/** Cell, space group, Z and fractionalisation of a PDB or mmCIF file. */
export async function readCoordCell(path: string): Promise<CoordCellInfo> {
  return parseCoordCell(await readSource(path), { file: path });
}

/**
 * Writes `path` with a new cell to `out` (which may be `path` itself), as CCP4's pdbset does with its
 * CELL keyword. The output appears whole or not at all: it is written to a temporary file beside `out`
 * and renamed onto a regular file or nothing (a device, FIFO, directory or, without
 * `followSymlinks`, a symbolic link at `out` is refused: FileAccess 1 / 4).
 */
export async function writeCoordCell(
  path: string,
  out: string,
  update: CellUpdate,
  opts: OutputOptions = {},
): Promise<CellEditSummary> {
  const bytes = await readSource(path);
  const { edits, ...summary } = planCoordCell(bytes, update, { file: path });
  try {
    // A stream handles partial writes; the pieces share the input's memory.
    await writeStreamAtomic(out, editedPieces(bytes, edits), opts);
  } catch (e) {
    throw ioError(e, out, 'write');
  }
  return summary;
}

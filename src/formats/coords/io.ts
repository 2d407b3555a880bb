import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CoordErrorCode, coordError } from './errors.js';
import { parseCifCell, replaceCifCell } from './mmcif.js';
import { parsePdbCell, replacePdbCell } from './pdb.js';
import type { CellEditResult, CellUpdate, CoordCellInfo, CoordFormat } from './types.js';

/** Coordinate files are read whole; beyond this they are refused rather than exhausting memory. */
export const MAX_COORD_FILE_BYTES = 1024 * 1024 * 1024;

/**
 * PDB or mmCIF, from the content (extensions lie): an mmCIF file starts, after blank and comment
 * lines, with `data_`. Binary and gzip files are refused.
 */
export function detectCoordFormat(text: string, file?: string): CoordFormat {
  if (text.length === 0) throw coordError(CoordErrorCode.FORMAT, 'empty file', { file });
  if (text.charCodeAt(0) === 0x1f && text.charCodeAt(1) === 0x8b)
    throw coordError(CoordErrorCode.FORMAT, 'gzip-compressed: decompress it first', { file });
  if (text.slice(0, 65536).includes('\0'))
    throw coordError(CoordErrorCode.FORMAT, 'binary file: not PDB or mmCIF text', { file });
  const m = /^(?:[ \t\r]*(?:#[^\n]*)?\n)*[ \t]*(\S{0,5})/.exec(text);
  return m && m[1].toLowerCase() === 'data_' ? 'mmcif' : 'pdb';
}

/** Cell, space group and fractionalisation of a PDB or mmCIF text. */
export function parseCoordCell(
  text: string,
  options: { file?: string; format?: CoordFormat } = {},
): CoordCellInfo {
  const format = options.format ?? detectCoordFormat(text, options.file);
  return format === 'pdb' ? parsePdbCell(text, options.file) : parseCifCell(text, options.file);
}

/** The text with a new cell written in (see replacePdbCell / replaceCifCell). */
export function replaceCoordCell(
  text: string,
  update: CellUpdate,
  options: { file?: string; format?: CoordFormat } = {},
): CellEditResult {
  const format = options.format ?? detectCoordFormat(text, options.file);
  return format === 'pdb'
    ? replacePdbCell(text, update, options.file)
    : replaceCifCell(text, update, options.file);
}

/** Reads a file as latin1 (one char per byte, so unchanged bytes round-trip exactly). */
async function readText(path: string): Promise<string> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw coordError(CoordErrorCode.IO, 'not a regular file', { file: path });
    size = st.size;
  } catch (e) {
    if (e instanceof Error && e.name === 'Ccp4Error') throw e;
    throw coordError(CoordErrorCode.IO, `cannot read: ${(e as NodeJS.ErrnoException).code ?? e}`, {
      file: path,
    });
  }
  if (size > MAX_COORD_FILE_BYTES)
    throw coordError(
      CoordErrorCode.IO,
      `file of ${size} bytes is larger than the ${MAX_COORD_FILE_BYTES} allowed`,
      {
        file: path,
      },
    );
  try {
    return (await readFile(path)).toString('latin1');
  } catch (e) {
    throw coordError(CoordErrorCode.IO, `cannot read: ${(e as NodeJS.ErrnoException).code ?? e}`, {
      file: path,
    });
  }
}

/** Cell, space group, Z and fractionalisation of a PDB or mmCIF file. */
export async function readCoordCell(path: string): Promise<CoordCellInfo> {
  return parseCoordCell(await readText(path), { file: path });
}

/**
 * Writes `path` with a new cell to `out` (which may be `path` itself), as CCP4's pdbset does with its
 * CELL keyword. The output appears whole or not at all: it is written to a temporary file beside `out`
 * and renamed.
 */
export async function writeCoordCell(path: string, out: string, update: CellUpdate): Promise<CellEditResult> {
  const result = replaceCoordCell(await readText(path), update, { file: path });
  const tmp = join(dirname(out), `.${basename(out)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, Buffer.from(result.text, 'latin1'), { flag: 'wx' });
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    throw coordError(CoordErrorCode.IO, `cannot write: ${(e as NodeJS.ErrnoException).code ?? e}`, {
      file: out,
    });
  }
  return result;
}

import { isCcp4Error } from '../../errors/ccp4-error.js';
import { type Cell, isValidCell } from '../symmetry/cell.js';
import { parseTriplet, type SymOp } from '../symmetry/symop.js';
import { MTZ_ERRORS, mtzError } from './errors.js';
import type { MtzHeader } from './mtz.js';
import { args, keyword, parseInteger, parseNumber, RecordCursor } from './records.js';
import type { MtzBatch, MtzColumnInfo, MtzDataset } from './types.js';

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Fixed layout of the first 80 bytes and where the header lives. */
export interface MtzPreamble {
  littleEndian: boolean;
  /** Byte offset of the first header record. */
  headerByte: number;
  /** Header position in 4-byte words, 1-based, as stored (from the 64-bit field when the 32-bit one is -1). */
  headerWord: number;
}

/** Reads magic, machine stamp and header offset (32-bit, or 64-bit when the 32-bit word is -1). */
export function readPreamble(
  bytes: Uint8Array,
  fileSize: number,
  file?: string,
  toggleEndian = false,
): MtzPreamble {
  if (bytes.length < 4 || fileSize < 4)
    throw mtzError(MTZ_ERRORS.TRUNCATED, 'file is empty or too short to be MTZ', file);
  if (bytes[0] !== 0x4d || bytes[1] !== 0x54 || bytes[2] !== 0x5a || bytes[3] !== 0x20)
    throw mtzError(MTZ_ERRORS.NOT_MTZ, "not an MTZ file (it does not start with 'MTZ ')", file);
  if (bytes.length < 80 || fileSize < 80)
    throw mtzError(
      MTZ_ERRORS.TRUNCATED,
      `file is truncated (${fileSize} bytes, the first record alone is 80)`,
      file,
    );
  // Machine stamp, byte 9 high nibble: 4 = IEEE little-endian, 1 = IEEE big-endian (anything else: LE, like gemmi).
  let littleEndian = (bytes[9] & 0xf0) !== 0x10;
  if (toggleEndian) littleEndian = !littleEndian;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 80);
  let headerWord = view.getInt32(4, littleEndian);
  if (headerWord === -1) {
    const big = view.getBigInt64(12, littleEndian);
    if (big <= 0n || big > BigInt(Number.MAX_SAFE_INTEGER))
      throw mtzError(
        MTZ_ERRORS.BAD_HEADER_OFFSET,
        `64-bit header offset ${big} is invalid`,
        file,
        'header offset',
      );
    headerWord = Number(big);
  }
  const headerByte = 4 * (headerWord - 1);
  if (headerWord < 21 || headerByte + 80 > fileSize)
    throw mtzError(
      MTZ_ERRORS.BAD_HEADER_OFFSET,
      `header offset (word ${headerWord}, byte ${headerByte}) lies outside the file of ${fileSize} bytes` +
        (headerByte + 80 > fileSize && headerWord >= 21 ? ' (file truncated?)' : ''),
      file,
      'header offset',
    );
  return { littleEndian, headerByte, headerWord };
}

interface Counts {
  ncol: number;
  nref: number;
  nbatch: number;
}

const a6 = (rec: string) => args(rec).trim();

/**
 * Parses the header records from byte `start` of `bytes` (the whole file, or the file from its header on)
 * up to MTZENDOFHEADERS, then what follows as appended text. Counts from the header are checked against
 * the bytes available before anything is allocated from them.
 */
export function parseHeader(
  bytes: Uint8Array,
  start: number,
  pre: MtzPreamble,
  file?: string,
): { header: MtzHeader; counts: Counts } {
  const cur = new RecordCursor(bytes, start, file);
  const where = (rec: string) => `header record ${cur.index} (${keyword(rec).trim()})`;
  const fail = (rec: string, why: string) => mtzError(MTZ_ERRORS.BAD_RECORD, why, file, where(rec));
  const num = (rec: string, tok: string | undefined, what: string) => {
    const n = parseNumber(tok);
    if (n === undefined) throw fail(rec, `${what}: '${tok ?? ''}' is not a number`);
    return n;
  };
  const int = (rec: string, tok: string | undefined, what: string) => {
    const n = parseInteger(tok);
    if (n === undefined) throw fail(rec, `${what}: '${tok ?? ''}' is not an integer`);
    return n;
  };
  const cellOf = (rec: string, toks: string[], what: string): Cell => {
    if (toks.length < 6)
      throw mtzError(MTZ_ERRORS.BAD_CELL, `${what} needs six numbers: '${a6(rec)}'`, file, what);
    const c = toks.slice(0, 6).map((t) => parseNumber(t) ?? Number.NaN);
    return c as unknown as Cell;
  };

  let version = '';
  let title = '';
  let counts: Counts | undefined;
  let cell: Cell | undefined;
  let cellRecord = '';
  let sortOrder = [0, 0, 0, 0, 0];
  let sg = { name: '', number: 0, nprim: 0, lattice: 'P', pointGroup: '' };
  const symops: SymOp[] = [];
  let reso: [number, number] | undefined;
  let valm = Number.NaN;
  const columns: MtzColumnInfo[] = [];
  const datasets: MtzDataset[] = [];
  const unknownRecords: string[] = [];
  let hasBatchRecord = false;
  let ended = false;
  const maxRecords = Math.floor(cur.remaining / 80);

  for (let rec = cur.next(); rec !== undefined; rec = cur.next()) {
    const kw = keyword(rec);
    if (kw.startsWith('END') && (kw === 'END' || kw === 'END ')) {
      ended = true;
      break;
    }
    const a = args(rec).trimEnd();
    const toks = a.split(/\s+/).filter((t) => t !== '');
    switch (kw) {
      case 'VERS':
        version = a;
        break;
      case 'TITL':
        title = a;
        break;
      case 'NCOL': {
        const ncol = int(rec, toks[0], 'NCOL column count');
        const nref = int(rec, toks[1], 'NCOL reflection count');
        const nbatch = toks[2] === undefined ? 0 : int(rec, toks[2], 'NCOL batch count');
        if (ncol < 0 || nref < 0 || nbatch < 0) throw fail(rec, 'NCOL has a negative count');
        if (ncol > maxRecords)
          throw fail(rec, `NCOL says ${ncol} columns but the header cannot hold that many`);
        // every batch needs at least three records and a binary block after END
        if (nbatch * 240 > cur.remaining)
          throw mtzError(
            MTZ_ERRORS.BAD_BATCHES,
            `NCOL says ${nbatch} batches, more than the ${cur.remaining} bytes left can hold`,
            file,
            where(rec),
          );
        counts = { ncol, nref, nbatch };
        break;
      }
      case 'CELL':
        cell = cellOf(rec, toks, 'CELL');
        cellRecord = a;
        break;
      case 'SORT':
        sortOrder = [0, 1, 2, 3, 4].map((i) => (toks[i] === undefined ? 0 : int(rec, toks[i], 'SORT')));
        break;
      case 'SYMI': {
        const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*(?:'([^']*)'|(\S+))?\s*(.*)$/.exec(a);
        if (!m) throw fail(rec, `cannot parse SYMINF '${a}'`);
        sg = {
          nprim: int(rec, m[2], 'SYMINF primitive operator count'),
          lattice: m[3],
          number: int(rec, m[4], 'SYMINF space-group number'),
          name: (m[5] ?? m[6] ?? '').trim(),
          pointGroup: m[7].trim(),
        };
        break;
      }
      case 'SYMM':
        try {
          symops.push(parseTriplet(a));
        } catch (e) {
          if (isCcp4Error(e)) throw fail(rec, e.message);
          throw e;
        }
        break;
      case 'RESO':
        reso = [num(rec, toks[0], 'RESO minimum'), num(rec, toks[1], 'RESO maximum')];
        break;
      case 'VALM':
        valm =
          toks[0] === undefined || toks[0].toUpperCase() === 'NAN' ? Number.NaN : num(rec, toks[0], 'VALM');
        break;
      case 'COLU': {
        if (toks.length < 2) throw fail(rec, 'COLUMN needs a label and a type');
        columns.push({
          label: toks[0],
          type: toks[1],
          // stored as float32, as libccp4 and gemmi hold them
          min:
            toks[2] === undefined ? Number.NaN : Math.fround(num(rec, toks[2], `COLUMN ${toks[0]} minimum`)),
          max:
            toks[3] === undefined ? Number.NaN : Math.fround(num(rec, toks[3], `COLUMN ${toks[0]} maximum`)),
          datasetId: toks[4] === undefined ? 0 : int(rec, toks[4], `COLUMN ${toks[0]} dataset id`),
        });
        break;
      }
      case 'COLS': {
        const col = columns[columns.length - 1];
        if (col === undefined) throw fail(rec, 'COLSRC before any COLUMN');
        col.source = toks[1] ?? '';
        break;
      }
      case 'COLG': {
        const col = columns[columns.length - 1];
        if (col === undefined) throw fail(rec, 'COLGRP before any COLUMN');
        const pos = Number.parseInt(toks[3] ?? '0', 16);
        col.group = { name: toks[1] ?? '', type: toks[2] ?? '', position: Number.isFinite(pos) ? pos : 0 };
        break;
      }
      case 'NDIF':
        break;
      case 'PROJ': {
        const m = /^(\S+)\s*(.*)$/.exec(a);
        datasets.push({
          id: int(rec, m?.[1], 'PROJECT dataset id'),
          project: (m?.[2] ?? '').trim(),
          crystal: '',
          dataset: '',
          cell: [0, 0, 0, 0, 0, 0],
          wavelength: 0,
        });
        break;
      }
      case 'CRYS':
      case 'DATA':
      case 'DCEL':
      case 'DWAV': {
        const m = /^(\S+)\s*(.*)$/.exec(a);
        const id = int(rec, m?.[1], `${kw} dataset id`);
        const ds = datasets[datasets.length - 1];
        if (ds === undefined || ds.id !== id)
          throw mtzError(
            MTZ_ERRORS.BAD_DATASET,
            `${kw} record for dataset ${id} does not follow its PROJECT record`,
            file,
            where(rec),
          );
        const rest = (m?.[2] ?? '').trim();
        if (kw === 'CRYS') ds.crystal = rest;
        else if (kw === 'DATA') ds.dataset = rest;
        else if (kw === 'DCEL') ds.cell = cellOf(rec, rest.split(/\s+/), 'DCELL');
        else ds.wavelength = num(rec, rest.split(/\s+/)[0], 'DWAVEL');
        break;
      }
      case 'BATC':
        hasBatchRecord = true;
        break;
      default:
        unknownRecords.push(rec.trimEnd());
    }
  }
  if (!ended) throw mtzError(MTZ_ERRORS.NO_END, 'header has no END record (file truncated?)', file, 'header');
  if (counts === undefined) throw mtzError(MTZ_ERRORS.BAD_RECORD, 'header has no NCOL record', file, 'NCOL');
  if (columns.length !== counts.ncol)
    throw mtzError(
      MTZ_ERRORS.COLUMN_COUNT_MISMATCH,
      `NCOL says ${counts.ncol} columns but the header has ${columns.length} COLUMN records`,
      file,
      'NCOL',
    );
  if (hasBatchRecord !== counts.nbatch > 0)
    throw mtzError(
      MTZ_ERRORS.BAD_BATCHES,
      `BATCH records disagree with NCOL's batch count ${counts.nbatch}`,
      file,
      'BATCH',
    );

  // after END: history, batch headers, MTZENDOFHEADERS, appended text
  const history: string[] = [];
  const batches: MtzBatch[] = [];
  let endOfHeaders = false;
  for (let rec = cur.next(); rec !== undefined; rec = cur.next()) {
    const kw = keyword(rec);
    if (kw === 'MTZE') {
      endOfHeaders = true;
      break;
    }
    if (kw === 'MTZH') {
      const n = parseInteger(args(rec).trim().split(/\s+/)[0]);
      if (n === undefined || n < 0)
        throw mtzError(MTZ_ERRORS.BAD_HISTORY, `bad MTZHIST count in '${rec.trimEnd()}'`, file, 'MTZHIST');
      if (n * 80 > cur.remaining)
        throw mtzError(MTZ_ERRORS.TRUNCATED, `file ends inside the ${n} history lines`, file, 'MTZHIST');
      for (let i = 0; i < n; i++) history.push((cur.next() ?? '').trim());
    } else if (kw === 'MTZB') {
      for (let i = 0; i < counts.nbatch; i++) batches.push(readBatch(cur, pre.littleEndian, i, file));
    }
  }
  if (!endOfHeaders)
    throw mtzError(
      MTZ_ERRORS.TRUNCATED,
      'no MTZENDOFHEADERS record (file truncated?)',
      file,
      'MTZENDOFHEADERS',
    );
  if (batches.length !== counts.nbatch)
    throw mtzError(
      MTZ_ERRORS.BAD_BATCHES,
      `NCOL says ${counts.nbatch} batches but ${batches.length} batch headers follow`,
      file,
      'MTZBATS',
    );
  const appendedText = cur.rest();

  if (datasets.length === 0)
    datasets.push({
      id: 0,
      project: 'HKL_base',
      crystal: 'HKL_base',
      dataset: 'HKL_base',
      cell: [0, 0, 0, 0, 0, 0],
      wavelength: 0,
    });
  if (cell === undefined) cell = datasets.find((d) => isValidCell(d.cell))?.cell;
  if (cell === undefined || !isValidCell(cell))
    throw mtzError(
      MTZ_ERRORS.BAD_CELL,
      cell === undefined ? 'no CELL record' : `invalid cell '${cellRecord}'`,
      file,
      'CELL',
    );
  for (const ds of datasets) if (ds.cell.every((x) => x === 0)) ds.cell = cell;
  for (const col of columns)
    if (!datasets.some((d) => d.id === col.datasetId))
      throw mtzError(
        MTZ_ERRORS.BAD_DATASET,
        `column ${col.label} refers to undeclared dataset ${col.datasetId}`,
        file,
        `COLUMN ${col.label}`,
      );
  if (symops.length === 0)
    throw mtzError(MTZ_ERRORS.NO_SYMMETRY, 'no SYMM records: the space group is unknown', file, 'SYMM');
  if (counts.nref === 0)
    throw mtzError(MTZ_ERRORS.NO_REFLECTIONS, 'the file holds no reflections', file, 'NCOL');
  if (counts.ncol < 3 || columns[0].type !== 'H' || columns[1].type !== 'H' || columns[2].type !== 'H')
    throw mtzError(
      MTZ_ERRORS.BAD_RECORD,
      'the first three columns must be H, K, L of type H',
      file,
      'COLUMN',
    );

  const header: MtzHeader = {
    file,
    version,
    title,
    cell,
    spaceGroup: { ...sg, symops },
    nref: counts.nref,
    columns,
    datasets,
    batches,
    history,
    sortOrder,
    valm,
    reso,
    appendedText,
    littleEndian: pre.littleEndian,
    unknownRecords,
  };
  return { header, counts };
}

function readBatch(cur: RecordCursor, le: boolean, i: number, file?: string): MtzBatch {
  const what = `batch header ${i + 1}`;
  const bh = cur.next();
  if (bh === undefined || !bh.toUpperCase().startsWith('BH '))
    throw mtzError(MTZ_ERRORS.BAD_BATCHES, `missing BH record for ${what}`, file, what);
  const t = args(bh).trim().split(/\s+/).map(parseInteger);
  const [number, nwords, nint, nreal] = t;
  if (
    number === undefined ||
    nwords === undefined ||
    nint === undefined ||
    nreal === undefined ||
    nint < 0 ||
    nreal < 0 ||
    nwords !== nint + nreal ||
    nwords > 1000
  )
    throw mtzError(MTZ_ERRORS.BAD_BATCHES, `bad BH record '${bh.trimEnd()}'`, file, what);
  const titleRec = cur.next();
  if (titleRec === undefined) throw mtzError(MTZ_ERRORS.TRUNCATED, `file ends inside ${what}`, file, what);
  const block = cur.take(4 * nwords, what);
  // one copy of the block in host byte order, viewed as integers then reals
  const copy = new ArrayBuffer(4 * nwords);
  new Uint8Array(copy).set(block);
  if (le !== HOST_LE) Buffer.from(copy).swap32();
  const ints = new Int32Array(copy, 0, nint);
  const floats = new Float32Array(copy, 4 * nint, nreal);
  const bhch = cur.next();
  if (bhch === undefined || keyword(bhch) !== 'BHCH')
    throw mtzError(MTZ_ERRORS.BAD_BATCHES, `missing BHCH record for ${what}`, file, what);
  return {
    number,
    title: titleRec.slice(6).trimEnd(),
    ints,
    floats,
    axes: bhch
      .slice(5)
      .trim()
      .split(/\s+/)
      .filter((s) => s !== ''),
  };
}

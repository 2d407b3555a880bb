import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FIXTURES } from '../../helpers/cli.js';

export function fixtureBytes(rel: string): Buffer {
  return readFileSync(resolve(FIXTURES, 'data', rel));
}

/** Byte offset of the header (first record after the reflection data). */
export function headerStart(b: Buffer): number {
  return 4 * (b.readInt32LE(4) - 1);
}

/** Offsets of the 80-byte header records whose keyword starts with `kw`, up to MTZENDOFHEADERS. */
export function recordOffsets(b: Buffer, kw: string): number[] {
  const out: number[] = [];
  for (let p = headerStart(b); p + 80 <= b.length; p += 80) {
    const s = b.toString('latin1', p, p + 80);
    if (s.startsWith('MTZENDOFHEADERS')) break;
    if (s.startsWith(kw)) out.push(p);
    if (s.startsWith('MTZBATS')) break; // binary batch blocks are not 80-aligned
  }
  return out;
}

/** A copy of `b` with the first record starting with `kw` replaced by `text` (padded to 80). */
export function replaceRecord(b: Buffer, kw: string, text: string, which = 0): Buffer {
  const copy = Buffer.from(b);
  const off = recordOffsets(copy, kw)[which];
  if (off === undefined) throw new Error(`no ${kw} record`);
  copy.write(text.padEnd(80).slice(0, 80), off, 'latin1');
  return copy;
}

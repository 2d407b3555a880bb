import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { Ccp4Error } from '../../../src/errors/ccp4-error.js';
import { parseGemmiMtzHeader } from '../../../src/plugins/tasks/gemmi-cell/parse.js';
import { parseMtzdumpLog } from '../../../src/plugins/tasks/mtzdump/log-parser.js';
import { FIXTURES, LISTINGS } from './facts.js';

const listings = readdirSync(LISTINGS).map((f) => readFileSync(join(LISTINGS, f), 'latin1'));
const gemmi = readFileSync(join(FIXTURES, 'tasks/gemmi-mtz-merged_intensities_native.txt'), 'latin1');

/** Mutations of real program output: byte changes, deleted or duplicated lines, truncation. */
const mutation = fc.record({
  source: fc.nat(listings.length),
  bytes: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), {
    maxLength: 6,
  }),
  dropLine: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
  dupLine: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
  cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
});

type Mutation = {
  bytes: [number, number][];
  dropLine: number | null;
  dupLine: number | null;
  cut: number | null;
};

function mutate(text: string, m: Mutation): string {
  for (const [where, byte] of m.bytes) {
    const at = Math.floor(where * text.length);
    text = text.slice(0, at) + String.fromCharCode(byte) + text.slice(at + 1);
  }
  const lines = text.split('\n');
  if (m.dropLine !== null) lines.splice(Math.floor(m.dropLine * lines.length), 1);
  if (m.dupLine !== null) {
    const k = Math.floor(m.dupLine * lines.length);
    lines.splice(k, 0, lines[k] ?? '');
  }
  text = lines.join('\n');
  return m.cut !== null ? text.slice(0, Math.floor(m.cut * text.length)) : text;
}

function onlyCcp4Errors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof Ccp4Error) || e.code !== 101) throw e;
  }
}

describe('mutated program output never escapes as anything but error 101', () => {
  it('mtzdump listings', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        const text = mutate(m.source < listings.length ? listings[m.source] : listings[0], m);
        onlyCcp4Errors(() => parseMtzdumpLog(text, { file: 'log.txt' }));
      }),
      { numRuns: 3000 },
    );
  });

  it('gemmi mtz output', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        onlyCcp4Errors(() => parseGemmiMtzHeader(mutate(gemmi, m), { file: 'out.txt' }));
      }),
      { numRuns: 3000 },
    );
  });
});

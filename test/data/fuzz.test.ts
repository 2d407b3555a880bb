import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDefFile, loadDefString, loadParamsString } from '../../src/data/index.js';
import { Ccp4Error } from '../../src/errors/ccp4-error.js';

const TOP = resolve(__dirname, '../fixtures/ccp4i2');
const DEF = join(TOP, 'wrappers/pointless/script/pointless.def.xml');
const PARAMS = join(TOP, 'wrappers/ccp4mg_general/test_data/test1.params.xml');

/** Mutations of real text: cut a range, insert XML-significant junk, duplicate a slice. */
const mutation = (len: number) =>
  fc.oneof(
    fc.tuple(fc.constant('cut' as const), fc.nat(len), fc.nat(200)),
    fc.tuple(
      fc.constant('insert' as const),
      fc.nat(len),
      fc.constantFrom(
        '<',
        '>',
        '&',
        '"',
        '</a>',
        '<b>',
        '&amp;',
        'True',
        '-1',
        'abc',
        '<content id="X"><className>CInt</className></content>',
        '<!DOCTYPE x>',
        '\u0000',
      ),
    ),
    fc.tuple(fc.constant('dup' as const), fc.nat(len), fc.nat(300)),
  );

function apply(
  text: string,
  muts: ReturnType<typeof mutation> extends fc.Arbitrary<infer T> ? T[] : never,
): string {
  let t = text;
  for (const m of muts) {
    const at = Math.min(m[1], t.length);
    if (m[0] === 'cut') t = t.slice(0, at) + t.slice(at + (m[2] as number));
    else if (m[0] === 'insert') t = t.slice(0, at) + (m[2] as string) + t.slice(at);
    else t = t.slice(0, at) + t.slice(at, at + (m[2] as number)) + t.slice(at);
  }
  return t;
}

function onlyCcp4Errors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof Ccp4Error)) throw e;
    expect(e.file).toBeTruthy();
  }
}

describe('mutated real files never escape as anything but a Ccp4Error', () => {
  it('def files', () => {
    const text = readFileSync(DEF, 'utf8');
    fc.assert(
      fc.property(fc.array(mutation(text.length), { minLength: 1, maxLength: 4 }), (muts) => {
        onlyCcp4Errors(() => {
          const r = loadDefString(apply(text, muts), DEF, { root: TOP });
          r.container.validity();
        });
      }),
      { numRuns: 300 },
    );
  });

  it('params files', () => {
    const text = readFileSync(PARAMS, 'utf8');
    const def = join(TOP, 'wrappers/coot_rebuild/script/coot_rebuild.def.xml');
    fc.assert(
      fc.property(fc.array(mutation(text.length), { minLength: 1, maxLength: 4 }), (muts) => {
        const { container } = loadDefFile(def, { root: TOP });
        onlyCcp4Errors(() => {
          loadParamsString(container, apply(text, muts), PARAMS);
          container.validity();
        });
      }),
      { numRuns: 300 },
    );
  });
});

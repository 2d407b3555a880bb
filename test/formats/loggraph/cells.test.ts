import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitCells } from '../../../src/formats/loggraph/parser.js';

const regex = (s: string) => {
  const t = s.trim();
  return t === '' ? [] : t.split(/\s+/);
};

describe('splitCells (the data-line tokenizer)', () => {
  it('splits as trim().split(/\\s+/) does, Unicode whitespace included', () => {
    const chars = fc.constantFrom(
      ' ',
      '\t',
      '\r',
      '\f',
      '\v',
      '\u00a0',
      '\u2003',
      '\u3000',
      '\ufeff',
      'a',
      '-',
      '1',
      '.',
      '*',
      'é',
      '$',
    );
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 40 }), (cs) => {
        const s = cs.join('');
        expect(splitCells(s)).toEqual(regex(s));
      }),
      { numRuns: 2000 },
    );
    expect(splitCells('  1  0.028\t- NaN  ')).toEqual(['1', '0.028', '-', 'NaN']);
    expect(splitCells('   ')).toEqual([]);
  });
});

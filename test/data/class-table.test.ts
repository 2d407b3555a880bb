import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  classChain,
  classContents,
  classQualifiers,
  classSubItem,
  isKnownClass,
  knownClassNames,
  makeCData,
} from '../../src/data/index.js';
import { errorCodesOf } from '../../src/report/index.js';

// CCP4i2's own class scan, read only here to check that our table says the same things.
interface Scanned {
  immediate_parent: string;
  mro: string[];
  CONTENTS: Record<string, { class: string; qualifiers?: Record<string, unknown> }>;
  QUALIFIERS: Record<string, unknown>;
  ERROR_CODES: Record<string, { description: string; severity?: number }>;
  SUBITEM?: { class: string };
}
const scan = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/ccp4i2/cdata.json'), 'utf8'))
  .classes as Record<string, Scanned>;
const short = (s: string) => /(\w+)'>$/.exec(s)?.[1] ?? s;
const NAMES = Object.keys(scan).sort();

describe('class table agrees with CCP4i2 class scan (cdata.json)', () => {
  it('knows all 212 classes', () => {
    expect(NAMES.length).toBe(212);
    for (const n of NAMES) expect(isKnownClass(n), n).toBe(true);
    expect(knownClassNames().length).toBe(213); // + the CData root
  });

  it.each(NAMES)('%s: base chain, members, qualifier defaults, error codes, sub-item', (name) => {
    const s = scan[name]!;
    // Base chain: ours is CCP4i2's MRO restricted to data classes.
    const mro = s.mro.filter((m) => m === 'CData' || isKnownClass(m));
    expect(classChain(name)).toEqual(mro);
    // Members and their classes, and every member qualifier.
    const members = classContents(name);
    expect(members.map(([n, c]) => [n, c]).sort()).toEqual(
      Object.entries(s.CONTENTS)
        .map(([n, c]) => [n, short(c.class)])
        .sort(),
    );
    for (const [n, , q] of members) {
      for (const [k, v] of Object.entries(s.CONTENTS[n]!.qualifiers ?? {})) {
        if (v !== 'NotImplemented') expect(q?.[k], `${name}.${n} ${k}`).toEqual(v);
      }
    }
    // Class qualifier defaults that CCP4i2 gives a value.
    const q = classQualifiers(name);
    for (const [k, v] of Object.entries(s.QUALIFIERS)) {
      if (v === 'NotImplemented' || (Array.isArray(v) && v.includes('NotImplemented'))) continue;
      const want = Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? short(x) : x)) : v;
      expect(q[k], `${name} qualifier ${k}`).toEqual(want);
    }
    // Every code, with its severity (inherited codes resolve through the chain).
    const ours = errorCodesOf(name);
    for (const [code, e] of Object.entries(s.ERROR_CODES)) {
      expect(ours[Number(code)], `${name} code ${code}`).toBeDefined();
      expect(ours[Number(code)]!.severity ?? 4, `${name} code ${code} severity`).toBe(e.severity ?? 4);
    }
    if (s.SUBITEM) expect(classSubItem(name).className).toBe(short(s.SUBITEM.class));
    // And every class can be built.
    const obj = makeCData(name, 'x');
    expect(obj.className).toBe(name);
    expect(
      obj
        .contents()
        .map((c) => c.name)
        .slice(0, members.length),
    ).toEqual(members.map(([n]) => n));
    obj.destroy();
  });
});

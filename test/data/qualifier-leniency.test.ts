import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CList, loadDefFile, loadParamsString } from '../../src/data/index.js';
import { Severity } from '../../src/errors/severity.js';

const LENIENT = resolve(__dirname, '../fixtures/lenient');
const TOP = resolve(__dirname, '../fixtures/ccp4i2');

function entry(report: ReturnType<typeof loadDefFile>['report'], code: number, path: string, text: string) {
  return report.entries.find((e) => e.code === code && e.objectPath === path && e.details?.includes(text));
}

describe('qualifiers that do not fit their class load as CCP4i2 loads them', () => {
  const file = join(LENIENT, 'crank2-patterns.def.xml');

  it('a CBoolean with <min>0.0</min>: kept as written, a warning with file, line and path, ignored', () => {
    const { container, report } = loadDefFile(file);
    expect(report.errors(Severity.ERROR)).toEqual([]);
    const flag = container.find('USER_FLAG')!;
    // `min` is a CCP4i2 qualifier, read as the class's type: '0.0' is not a boolean.
    const w = entry(report, 18, 'container.inputData.USER_FLAG', "'0.0' is not a boolean")!;
    expect(w).toBeDefined();
    expect(w.severity).toBe(Severity.WARNING);
    expect(w.file).toBe(file);
    expect(w.line).toBe(13);
    expect(flag.ownQualifiers().min).toBe('0.0');
    expect(flag.qualifier('min')).toBeUndefined();
    expect(flag.ignoredQualifiers()).toEqual(['min']);
    expect(flag.get()).toBe(false); // the default still applies
    expect(flag.validity().entries).toEqual([]);
  });

  it('a value that does not fit a defined qualifier (CInt min "abc") is CData 18, a warning, and ignored', () => {
    const { container, report } = loadDefFile(file);
    const cycles = container.find('CYCLES')!;
    const w = entry(report, 18, 'container.controlParameters.CYCLES', "'abc' is not an integer")!;
    expect(w.severity).toBe(Severity.WARNING);
    expect(w.line).toBe(58);
    expect(cycles.ownQualifiers().min).toBe('abc');
    expect(cycles.qualifier('min')).toBeNull(); // the class default: no minimum
    expect(cycles.qualifier('max')).toBe(20);
    cycles.set(-5);
    expect(cycles.validity().entries).toEqual([]); // no minimum checked
    cycles.set(25);
    expect(cycles.validity().entries.map((e) => e.code)).toEqual([102]); // max still checked
  });

  it('an undefined qualifier (<width>) is CData 7, kept as written', () => {
    const { container, report } = loadDefFile(file);
    const w = entry(report, 7, 'container.inputData.RESIDUES', 'width')!;
    expect(w.severity).toBe(Severity.WARNING);
    expect(container.find('RESIDUES')!.ownQualifiers().width).toBe('5');
  });

  it('list items ignore a sub-item qualifier that does not fit, and keep the others', () => {
    const { container, report } = loadDefFile(file);
    expect(entry(report, 18, 'container.controlParameters.LABELS', "'low'")).toBeDefined();
    const list = container.find('LABELS') as CList;
    expect(list.subItem.qualifiers.min).toBe('low');
    const item = list.append(-10);
    expect(item.qualifier('min')).toBeNull();
    expect(item.qualifier('max')).toBe(3);
    expect(list.validity().entries).toEqual([]);
    list.append(4);
    expect(list.validity().entries.map((e) => [e.code, e.objectPath])).toEqual([
      [102, 'container.controlParameters.LABELS[1]'],
    ]);
  });

  it('the shelx patterns load with warnings only, values and defaults intact', () => {
    const { container, report } = loadDefFile(join(LENIENT, 'shelx-patterns.def.xml'));
    expect(report.errors(Severity.ERROR)).toEqual([]);
    expect(report.entries.map((e) => [e.code, e.objectPath.split('.').pop(), e.line])).toEqual([
      [18, 'SHELXE_AUTOTRACE', 12],
      [18, 'SHELXE_AUTOTRACE', 13],
      [7, 'SHELXD_NTRY', 22],
      [18, 'SHELXC_SHEL', 28],
    ]);
    expect(container.find('SHELXE_AUTOTRACE')!.get()).toBe(true);
    expect(container.find('SHELXD_NTRY')!.get()).toBe(1000);
    expect(container.find('SHELXC_SHEL')!.get()).toBe(999);
    expect(container.find('SHELXC_SHEL')!.validity().entries).toEqual([]);
  });
});

describe('names from files that are also properties of JavaScript objects', () => {
  it('qualifiers and contents named constructor, toString, hasOwnProperty, __proto__ load as plain names', () => {
    const { container, report, header } = loadDefFile(join(LENIENT, 'special-names.def.xml'));
    expect(report.errors(Severity.ERROR)).toEqual([]);
    expect(Object.getPrototypeOf(header)).toBe(Object.prototype);
    expect(Object.hasOwn(header, '__proto__')).toBe(true);
    const n = container.find('N')!;
    const own = n.ownQualifiers();
    for (const q of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'])
      expect(Object.hasOwn(own, q), q).toBe(true);
    expect(own.toString).toBe('text');
    expect(n.qualifier('toString')).toBeUndefined();
    expect(n.qualifier('constructor')).toBeUndefined();
    expect(n.get()).toBe(6);
    expect(n.validity().entries).toEqual([]);
    expect(report.entries.filter((e) => e.code === 7).length).toBe(7);
    // Contents with such names are members like any other.
    expect(container.find('constructor')!.get()).toBe('c');
    expect(container.find('__proto__')!.get()).toBe('p');
    const plain = container.get() as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(plain.inputData)).toBe(Object.prototype);
    expect(Object.hasOwn(plain.inputData!, '__proto__')).toBe(true);
    expect(plain.inputData!.constructor).toBe('c');
    // A class qualifier lookup by such a name finds nothing inherited.
    expect(container.find('toString')!.qualifier('hasOwnProperty')).toBeUndefined();
  });

  it('params elements with such names are unknown elements, not crashes', () => {
    const { container } = loadDefFile(join(LENIENT, 'special-names.def.xml'));
    const r = loadParamsString(
      container,
      '<ccp4i2><ccp4i2_body><inputData><N>3</N><hasOwnProperty>1</hasOwnProperty><__proto__>q</__proto__></inputData></ccp4i2_body></ccp4i2>',
      'x.params.xml',
    );
    expect(r.report.errors(Severity.ERROR)).toEqual([]);
    expect(container.find('N')!.get()).toBe(3);
    expect(container.find('__proto__')!.get()).toBe('q');
  });
});

function* defFiles(dir: string): Generator<string> {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) yield* defFiles(p);
    else if (n.endsWith('.def.xml')) yield p;
  }
}

describe('the whole corpus of real CCP4i2 definitions', () => {
  it('loads every file CCP4i2 itself loads with no error; only the malformed one is refused', () => {
    const counts = { files: 0, loaded: 0, refused: [] as string[], warnings: 0, errors: 0 };
    const byCode = new Map<string, number>();
    for (const f of [...defFiles(TOP), ...defFiles(LENIENT)]) {
      counts.files++;
      try {
        const { report } = loadDefFile(f, { root: TOP });
        counts.loaded++;
        counts.errors += report.errors(Severity.ERROR).length;
        for (const e of report.entries) {
          if (e.severity === Severity.WARNING) counts.warnings++;
          byCode.set(`${e.className} ${e.code}`, (byCode.get(`${e.className} ${e.code}`) ?? 0) + 1);
        }
      } catch {
        counts.refused.push(f.slice(TOP.length + 1));
      }
    }
    // Not well-formed for CCP4i2 too (expat refuses a non-ASCII byte in a file declared ASCII).
    expect(counts.refused).toEqual(['wrappers/xia2_ssx_reduce/script/xia2_ssx_reduce.def.xml']);
    expect(counts.errors).toBe(0);
    expect(counts.files).toBe(126);
    expect(counts.loaded).toBe(125);
    console.log('def corpus:', counts.loaded, 'of', counts.files, 'loaded;', Object.fromEntries(byCode));
  });
});

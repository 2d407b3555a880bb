import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CBoolean,
  type CContainer,
  type CData,
  CDataFile,
  CFloat,
  CInt,
  CList,
  CValue,
  loadDefFile,
  loadParamsFile,
  saveParamsFile,
  ValueState,
} from '../../src/data/index.js';
import { Severity } from '../../src/errors/severity.js';
import { child, childText, parseXml } from '../../src/xml/index.js';

const TOP = resolve(__dirname, '../fixtures/ccp4i2');

function* files(dir: string, suffix: string): Generator<string> {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) yield* files(p, suffix);
    else if (n.endsWith(suffix)) yield p;
  }
}

// Task name → def file, as CCP4i2 finds a task's definition.
const DEFS = new Map<string, string>();
for (const f of files(TOP, '.def.xml')) {
  if (f.includes('xia2_ssx_reduce')) continue;
  const { taskName } = loadDefFile(f, { root: TOP });
  if (!DEFS.has(taskName)) DEFS.set(taskName, f);
}
const PARAMS = [...files(TOP, '.params.xml')].map((f) => relative(TOP, f));

function taskOf(paramsFile: string): string {
  const header = child(parseXml(readFileSync(paramsFile, 'utf8')), 'ccp4i2_header')!;
  return childText(header, 'pluginName')!;
}

/** Every node's path, class, state and plain value: what "lossless" must preserve. */
function snapshot(c: CContainer): unknown[] {
  const out: unknown[] = [];
  for (const n of c.walk()) {
    const d = n as CData;
    if (d.childCount === 0) out.push([d.objectPath(), d.className, d.valueState, d.get()]);
  }
  return out;
}

function load(task: string, params: string) {
  const { container } = loadDefFile(DEFS.get(task)!, { root: TOP });
  container.fileContext = { ccp4i2Top: TOP };
  const r = loadParamsFile(container, params);
  return { container, report: r.report, header: r.header };
}

describe('params.xml fixtures', () => {
  it('has the 7 fixtures', () => expect(PARAMS.length).toBe(7));

  it.each(PARAMS)('%s loads into its task and round-trips losslessly', (rel) => {
    const file = join(TOP, rel);
    const task = taskOf(file);
    expect(DEFS.has(task), task).toBe(true);
    const a = load(task, file);
    expect(a.report.errors(Severity.ERROR)).toEqual([]);
    expect(a.container.valueState).toBeGreaterThan(0);

    const dir = mkdtempSync(join(tmpdir(), 'params-'));
    const out = join(dir, 'saved.params.xml');
    saveParamsFile(a.container, out, { pluginName: task, jobId: 42 });
    const b = load(task, out);
    expect(b.report.errors(Severity.ERROR)).toEqual([]);
    expect(b.header.pluginName).toBe(task);
    expect(b.header.jobId).toBe('42');
    expect(snapshot(b.container)).toEqual(snapshot(a.container));
    expect(b.container.get()).toEqual(a.container.get());
    // Unknown elements (from older versions of the task) are kept.
    const extras = (c: CContainer) =>
      [...c.walk()].flatMap((n) => ((n as { extraXml?: unknown[] }).extraXml ?? []).length);
    expect(extras(b.container)).toEqual(extras(a.container));
    // A second save is identical apart from the creation time.
    const out2 = join(dir, 'again.params.xml');
    saveParamsFile(b.container, out2, { pluginName: task, jobId: 42 });
    const strip = (p: string) => readFileSync(p, 'utf8').replace(/<creationTime>[^<]*</, '<creationTime><');
    expect(strip(out2)).toBe(strip(out));
  });

  it('reads the demo_copycell files with CCP4I2_TOP paths', () => {
    const { container } = load(
      'demo_copycell',
      join(TOP, 'wrappers2/demo_copycell/test_data/test_1.params.xml'),
    );
    const hkl = container.find('HKLIN') as CDataFile;
    expect(hkl).toBeInstanceOf(CDataFile);
    expect(hkl.objectPath()).toBe('container.inputData.HKLIN');
    expect(hkl.project).toBe('CCP4I2_TOP');
    expect(hkl.baseName).toBe('gere_nat.mtz');
    expect(hkl.getFullPath()).toBe(join(TOP, 'wrappers/mtzdump/test_data/gere_nat.mtz'));
    const out = container.find('outputData.XYZOUT') as CDataFile;
    expect(out.baseName).toBe('1df7_mangled.pdb');
    // An unknown project alias cannot be resolved without a resolver.
    expect(out.getFullPath()).toBeNull();
  });

  it('refuses a params file of another task', () => {
    const file = join(TOP, 'wrappers/ccp4mg_general/test_data/test1.params.xml');
    const { container } = loadDefFile(DEFS.get('ccp4mg_general')!, { root: TOP });
    const before = snapshot(container);
    const r = loadParamsFile(container, file);
    expect(r.report.entries[0]).toMatchObject({ className: 'CContainer', code: 111, file });
    expect(snapshot(container)).toEqual(before);
    // A file whose values fit the task but whose header names another: nothing at all is loaded.
    const own = join(TOP, 'wrappers2/demo_copycell/test_data/test_1.params.xml');
    const foreign = join(mkdtempSync(join(tmpdir(), 'other-')), 'foreign.params.xml');
    writeFileSync(
      foreign,
      readFileSync(own, 'utf8').replace(/<pluginName>[^<]*</, '<pluginName>coot_rebuild<'),
    );
    const copycell = loadDefFile(DEFS.get('demo_copycell')!, { root: TOP }).container;
    const clean = snapshot(copycell);
    expect(loadParamsFile(copycell, foreign).report.entries[0]).toMatchObject({ code: 111, file: foreign });
    expect(snapshot(copycell)).toEqual(clean);
    expect((copycell.find('HKLIN') as CDataFile).baseName).toBeNull();
    // The task's own file does load (so the header check is what stopped the other one).
    expect(loadParamsFile(copycell, own).report.errors(Severity.ERROR)).toEqual([]);
    expect((copycell.find('HKLIN') as CDataFile).baseName).toBe('gere_nat.mtz');
  });
});

describe('params.xml body variants and defaults', () => {
  const def = resolve(__dirname, '../fixtures/bad/target.def.xml');
  const variants: Record<string, string> = {
    ccp4i2_body:
      '<ccp4i2><ccp4i2_body><controlParameters><NCYCLES>7</NCYCLES></controlParameters></ccp4i2_body></ccp4i2>',
    body: '<ccp4i2><body><controlParameters><NCYCLES>7</NCYCLES></controlParameters></body></ccp4i2>',
    'namespaced root and *body*':
      '<ns0:ccp4i2 xmlns:ns0="u"><ns0:theBody><controlParameters><NCYCLES>7</NCYCLES></controlParameters></ns0:theBody></ns0:ccp4i2>',
    'legacy <container> wrapper':
      '<ccp4i2><ccp4i2_body><container><controlParameters><NCYCLES>7</NCYCLES></controlParameters></container></ccp4i2_body></ccp4i2>',
    'container root': '<container><controlParameters><NCYCLES>7</NCYCLES></controlParameters></container>',
  };
  it.each(Object.entries(variants))('%s', (_, text) => {
    const { container } = loadDefFile(def);
    const dir = mkdtempSync(join(tmpdir(), 'pv-'));
    const p = join(dir, 'v.params.xml');
    writeFileSync(p, text);
    const r = loadParamsFile(container, p);
    expect(r.report.entries).toEqual([]);
    expect(container.find('NCYCLES')!.get()).toBe(7);
  });

  it('defaults are written marked; values unset over a default stay unset after a reload', () => {
    const { container } = loadDefFile(def);
    const n = container.find('NCYCLES')!;
    const flag = container.find('FLAG')!;
    expect(n.valueState).toBe(ValueState.DEFAULT);
    flag.unSet();
    container.find('MODE')!.set('b');
    const dir = mkdtempSync(join(tmpdir(), 'pd-'));
    const p = join(dir, 'd.params.xml');
    saveParamsFile(container, p, { pluginName: 'target' });
    const text = readFileSync(p, 'utf8');
    expect(text).toContain('<NCYCLES valueState="default">10</NCYCLES>');
    expect(text).toContain('<FLAG/>');
    expect(text).toContain('<MODE>b</MODE>');
    const again = loadDefFile(def).container;
    loadParamsFile(again, p);
    expect(again.find('NCYCLES')!.valueState).toBe(ValueState.DEFAULT);
    expect(again.find('FLAG')!.valueState).toBe(ValueState.NOT_SET);
    expect(again.find('MODE')!.valueState).toBe(ValueState.EXPLICITLY_SET);
    // Without defaults only explicit values are written.
    saveParamsFile(container, p, { pluginName: 'target', includeDefaults: false });
    expect(readFileSync(p, 'utf8')).not.toContain('NCYCLES');
    // A value set equal to its default, and a float 0.0 / boolean False set on purpose, are explicit: written
    // and read back as set (the Python rewrite dropped them).
    n.set(10);
    container.find('RATIO')!.set('0.0');
    container.find('FLAG')!.set(false);
    saveParamsFile(container, p, { pluginName: 'target', includeDefaults: false });
    const explicit = readFileSync(p, 'utf8');
    expect(explicit).toContain('<NCYCLES>10</NCYCLES>');
    expect(explicit).toContain('<RATIO>0</RATIO>');
    expect(explicit).toContain('<FLAG>False</FLAG>');
    const reread = loadDefFile(def).container;
    loadParamsFile(reread, p);
    for (const name of ['NCYCLES', 'RATIO', 'FLAG'])
      expect(reread.find(name)!.valueState, name).toBe(ValueState.EXPLICITLY_SET);
    expect(reread.find('RATIO')!.get()).toBe(0);
  });

  it('list items are written tagged by class and read back', () => {
    const { container } = loadDefFile(def);
    const list = container.find('HKLIN_LIST') as CList;
    list.set(['/data/a.mtz', '/data/b.mtz']);
    const dir = mkdtempSync(join(tmpdir(), 'pl-'));
    const p = join(dir, 'l.params.xml');
    saveParamsFile(container, p, { pluginName: 'target' });
    expect(readFileSync(p, 'utf8')).toMatch(
      /<HKLIN_LIST>\s*<CMtzDataFile>\s*<baseName>a\.mtz<\/baseName>\s*<relPath>\/data<\/relPath>/,
    );
    const again = loadDefFile(def).container;
    expect(loadParamsFile(again, p).report.entries).toEqual([]);
    expect((again.find('HKLIN_LIST') as CList).items().map((i) => (i as CDataFile).getFullPath())).toEqual([
      '/data/a.mtz',
      '/data/b.mtz',
    ]);
  });
});

describe('params.xml round trip of every def fixture filled with random values', () => {
  const STRINGS = ['a b', ' lead', 'trail ', '  ', 'x<y&z>"q\'', 'é ü', '0', 'True'];
  function fill(o: CData, rnd: () => number): void {
    if (o instanceof CList) {
      const n = Math.floor(rnd() * 3);
      for (let i = 0; i < n; i++) fill(o.append(), rnd);
    } else if (o instanceof CDataFile) {
      if (rnd() < 0.7) {
        o.setFullPath(`/data/dir ${Math.floor(rnd() * 9)}/f.mtz`);
        o.content('annotation')?.set(STRINGS[Math.floor(rnd() * STRINGS.length)]);
      }
    } else if (o instanceof CValue) {
      if (rnd() < 0.3) return;
      const en = o.qualifier('enumerators');
      if (o instanceof CBoolean) o.set(rnd() < 0.5);
      else if (o instanceof CInt) o.set(Math.floor(rnd() * 200) - 50);
      else if (o instanceof CFloat) o.set(rnd() < 0.2 ? 0 : (rnd() - 0.3) * 1e3);
      else if (Array.isArray(en) && en.length > 0 && rnd() < 0.5)
        o.set(en[Math.floor(rnd() * en.length)] ?? 'x');
      else o.set(STRINGS[Math.floor(rnd() * STRINGS.length)]);
    } else for (const c of o.contents()) fill(c, rnd);
  }

  it('loses nothing: every leaf keeps its path, class, state and value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'params-rt-'));
    const out = join(dir, 'random.params.xml');
    const defs = [...files(TOP, '.def.xml')].filter((f) => !f.includes('xia2_ssx_reduce'));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 2 }), (seed) => {
        let s = seed;
        const rnd = () => {
          s = (s * 48271) % 2147483647;
          return s / 2147483647;
        };
        for (const def of defs) {
          const { container, taskName } = loadDefFile(def, { root: TOP });
          fill(container, rnd);
          saveParamsFile(container, out, { pluginName: taskName });
          const again = loadDefFile(def, { root: TOP }).container;
          expect(loadParamsFile(again, out).report.entries, def).toEqual([]);
          expect(snapshot(again), def).toEqual(snapshot(container));
        }
      }),
      { numRuns: 3 },
    );
  });
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CContainer,
  type CData,
  CList,
  CString,
  CValue,
  loadDefFile,
  type QualifierValue,
  ValueState,
} from '../../src/data/index.js';
import { Severity } from '../../src/errors/severity.js';
import { localName, parseXml, type XmlElement } from '../../src/xml/index.js';

const TOP = resolve(__dirname, '../fixtures/ccp4i2');
const MALFORMED = 'wrappers/xia2_ssx_reduce/script/xia2_ssx_reduce.def.xml';

function* defFiles(dir: string): Generator<string> {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) yield* defFiles(p);
    else if (n.endsWith('.def.xml')) yield p;
  }
}

const FILES = [...defFiles(TOP)].map((f) => relative(TOP, f)).filter((f) => f !== MALFORMED);

// ---- An independent walk of the XML: which contents exist, their class and raw qualifier elements. ----
interface Expected {
  className: string;
  quals: Map<string, XmlElement>;
  subItem?: { className?: string; quals: Map<string, XmlElement> };
}

const containerQuals = new Map<string, Map<string, XmlElement>>();
/** Every content and container path in order of first appearance (reset per file). */
let memberOrder: string[] = [];
let containerSet = new Set<string>();
const note = (p: string) => {
  if (!memberOrder.includes(p)) memberOrder.push(p);
};

function walkFile(file: string, prefix: string, out: Map<string, Expected>, containers: Set<string>): void {
  const root = parseXml(readFileSync(file, 'utf8'));
  const body = root.children.find((c) => localName(c) === 'ccp4i2_body')!;
  walkBody(body, prefix, out, containers, file);
}

function text(el: XmlElement, tag: string): string | undefined {
  return el.children.find((c) => localName(c) === tag)?.text.trim();
}

function walkBody(
  el: XmlElement,
  prefix: string,
  out: Map<string, Expected>,
  containers: Set<string>,
  file: string,
) {
  for (const c of el.children) {
    const tag = localName(c);
    if (tag === 'container') {
      const p = prefix ? `${prefix}.${c.attributes.id}` : c.attributes.id!;
      containers.add(p);
      note(p);
      walkBody(c, p, out, containers, file);
    } else if (tag === 'ccp4i2_body') walkBody(c, prefix, out, containers, file);
    else if (tag === 'qualifiers') {
      const m = containerQuals.get(prefix) ?? new Map<string, XmlElement>();
      for (const x of c.children) m.set(localName(x), x);
      containerQuals.set(prefix, m);
    } else if (tag === 'file') {
      const spec = c.children[0]!;
      const rel = text(spec, 'relPath')!;
      const base = text(spec, 'baseName')!;
      walkFile(
        text(spec, 'project') === 'CCP4I2_TOP' ? join(TOP, rel, base) : resolve(dirname(file), rel, base),
        prefix,
        out,
        containers,
      );
    } else if (tag === 'content') {
      const p = prefix ? `${prefix}.${c.attributes.id}` : c.attributes.id!;
      const cls = text(c, 'className');
      note(p);
      let e = out.get(p);
      if (!e || (cls && cls !== e.className)) {
        e = { className: cls ?? 'CString', quals: new Map() };
        out.set(p, e);
      }
      for (const q of c.children) {
        const qt = localName(q);
        if (qt === 'qualifiers') for (const x of q.children) e.quals.set(localName(x), x);
        else if (qt === 'subItem') {
          const quals = new Map<string, XmlElement>();
          for (const x of q.children) {
            if (localName(x) === 'qualifiers') for (const y of x.children) quals.set(localName(y), y);
            else if (localName(x) !== 'className') quals.set(localName(x), x);
          }
          e.subItem = { className: text(q, 'className'), quals };
        } else if (qt !== 'className') e.quals.set(qt, q);
      }
    }
  }
}

/** Whether a typed qualifier value says what the XML text says (independent of the loader's rules). */
function agrees(value: QualifierValue | undefined, el: XmlElement): boolean {
  if (el.children.length > 0) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const groups = new Map<string, XmlElement[]>();
    for (const c of el.children) groups.set(localName(c), [...(groups.get(localName(c)) ?? []), c]);
    for (const [k, els] of groups) {
      const v = (value as Record<string, QualifierValue>)[k];
      if (els.length === 1) {
        if (!agrees(v, els[0]!)) return false;
      } else if (!Array.isArray(v) || v.length !== els.length || !els.every((x, i) => agrees(v[i], x)))
        return false;
    }
    for (const [a, av] of Object.entries(el.attributes))
      if ((value as Record<string, QualifierValue>)[`@${a}`] !== av) return false;
    return true;
  }
  const t = el.text.trim();
  if (value === null) return t === '' || t === 'None';
  if (typeof value === 'boolean') return value === /^(true|1|yes)$/i.test(t);
  if (typeof value === 'number') return Number(t) === value;
  if (typeof value === 'string') return value === t || value === el.text;
  if (Array.isArray(value)) {
    if (t === '') return value.length === 0;
    const parts = t.split(',');
    return (
      parts.length === value.length &&
      parts.every((p, i) => agrees(value[i], { ...el, text: p, children: [] }))
    );
  }
  return Object.keys(value as object).length === 0 && t === '';
}

/**
 * The order a correct loader must give: each container's members (contents and nested containers) in the
 * order they first appear in the files (merges and includes included), walked depth-first.
 */
function inTreeOrder(members: string[]): string[] {
  const parentOf = (p: string) => (p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '');
  const out: string[] = [];
  const visit = (parent: string) => {
    for (const m of members) {
      if (parentOf(m) !== parent) continue;
      if (containerSet.has(m)) visit(m);
      else out.push(m);
    }
  };
  visit('');
  return out;
}

function loadedContents(c: CContainer, top: CContainer, out: Map<string, CData>, containers: string[]): void {
  for (const x of c.contents()) {
    if (x instanceof CContainer) {
      containers.push(x.pathFrom(top));
      loadedContents(x, top, out, containers);
    } else out.set(x.pathFrom(top), x);
  }
}

describe('every CCP4i2 def fixture loads and matches an independent walk of its XML', () => {
  it('has the 122 well-formed fixtures', () => {
    expect(FILES.length).toBe(122);
  });

  it.each(FILES)('%s', (rel) => {
    const { container, report, taskName } = loadDefFile(join(TOP, rel), { root: TOP });
    expect(report.errors(Severity.ERROR)).toEqual([]);
    expect(report.entries.filter((e) => e.code === 103)).toEqual([]);
    expect(taskName).toBeTruthy();

    const expected = new Map<string, Expected>();
    const expectedContainers = new Set<string>();
    containerQuals.clear();
    memberOrder = [];
    walkFile(join(TOP, rel), '', expected, expectedContainers);
    const got = new Map<string, CData>();
    const gotContainers: string[] = [];
    loadedContents(container, container, got, gotContainers);

    // Same contents, same order; each nested container attached exactly once.
    containerSet = expectedContainers;
    expect([...got.keys()]).toEqual(inTreeOrder(memberOrder));
    expect(gotContainers).toEqual([...expectedContainers]);
    // Container-level qualifiers are kept too.
    for (const [path, quals] of containerQuals) {
      const c = path === '' ? container : container.find(path.split('.').join('.'));
      expect(c, path).toBeInstanceOf(CContainer);
      for (const [q, el] of quals)
        expect(agrees(c!.ownQualifiers()[q], el), `${path} container qualifier ${q}`).toBe(true);
    }
    for (const [path, e] of expected) {
      const obj = got.get(path)!;
      expect(obj.className, path).toBe(e.className);
      const own = obj.ownQualifiers();
      for (const [q, el] of e.quals) {
        expect(Object.hasOwn(own, q), `${path} qualifier ${q}`).toBe(true);
        expect(
          agrees(own[q], el),
          `${path} qualifier ${q} = ${JSON.stringify(own[q])} vs '${el.text.trim()}'`,
        ).toBe(true);
      }
      expect(Object.keys(own).sort(), path).toEqual([...e.quals.keys()].sort());
      // The value: a default gives the value in the DEFAULT state (a default not of the class's type, such
      // as 'Auto' for a CInt, leaves it unset).
      if (obj instanceof CValue) {
        const d = e.quals.get('default');
        const t = d?.text.trim() ?? '';
        if (
          !d ||
          t === '' ||
          t === 'None' ||
          (typeof own.default === 'string' && !(obj instanceof CString))
        ) {
          expect(obj.valueState, `${path} unset`).toBe(ValueState.NOT_SET);
        } else {
          expect(obj.valueState, `${path} value state`).toBe(ValueState.DEFAULT);
          expect(agrees(obj.get(), d), `${path} value ${obj.get()} vs default '${t}'`).toBe(true);
        }
      }
      if (e.subItem) {
        expect(obj).toBeInstanceOf(CList);
        const s = (obj as CList).subItem;
        expect(s.className).toBe(e.subItem.className ?? 'CString');
        for (const [q, el] of e.subItem.quals)
          expect(agrees(s.qualifiers[q], el), `${path} subItem ${q}`).toBe(true);
      }
    }
  });
});

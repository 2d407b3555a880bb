import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type Ccp4Error, isCcp4Error } from '../errors/ccp4-error.js';
import { Severity } from '../errors/severity.js';
import { CErrorReport } from '../report/error-report.js';
import { child, childText, localName, type XmlElement } from '../xml/element.js';
import { parseXml, readXmlFile } from '../xml/parse.js';
import { prebuiltTree } from '../xml/prebuilt.js';
import type { CData } from './cdata.js';
import { isKnownClass, kindOf } from './classes/registry.js';
import type { Qualifiers, QualifierValue } from './classes/spec.js';
import { CDataStruct } from './composite.js';
import { CContainer } from './container.js';
import { CCP4I2_TOP } from './file.js';
import { CList } from './list.js';
import { makeCData } from './make.js';
import {
  elementToDict,
  isKnownQualifier,
  memberClassOf,
  parseQualifier,
  QualifierTypeError,
} from './qualifiers.js';
import { ccp4i2Body } from './xml-body.js';

/** The `<ccp4i2_header>` fields, as text (function, pluginName, pluginTitle, userId, creationTime...). */
export type XmlHeader = Record<string, string>;

export interface LoadDefOptions {
  /** CCP4I2_TOP for `<file>` includes (else env CCP4I2_TOP). */
  root?: string;
  /** Name of the task container (default 'container', as CCP4i2 names a plugin's container). */
  name?: string;
}

export interface DefLoadResult {
  container: CContainer;
  header: XmlHeader;
  /** Task name: body id, else header pluginName, else the file's stem. */
  taskName: string;
  /** Problems found; the container holds everything that could be read. */
  report: CErrorReport;
}

interface Ctx {
  report: CErrorReport;
  file: string;
  root?: string;
  /** Files being loaded (include cycle detection). */
  stack: string[];
}

/** Reads the `<ccp4i2_header>` of a CCP4i2 XML file. */
export function readHeader(root: XmlElement): XmlHeader {
  const h = child(root, 'ccp4i2_header') ?? child(root, 'header');
  // fromEntries defines own properties: a header element named __proto__ is just a name.
  return Object.fromEntries((h?.children ?? []).map((c) => [localName(c), c.text.trim()]));
}

/**
 * Loads a `.def.xml` task definition into a new task container. Unreadable or malformed files throw a
 * Ccp4Error; problems inside a readable file (unknown class, bad qualifier, missing include...) are
 * collected in the report and the rest of the file still loads.
 */
export function loadDefFile(path: string, opts: LoadDefOptions = {}): DefLoadResult {
  const file = resolve(path);
  return loadDefXml(prebuiltTree(file) ?? readXmlFile(file), file, opts);
}

/** Loads a definition from text; `file` names it in messages and anchors relative includes. */
export function loadDefString(text: string, file: string, opts: LoadDefOptions = {}): DefLoadResult {
  return loadDefXml(parseXml(text, { file }), resolve(file), opts);
}

/** Problems of one kind listed per file; more are counted (a file may repeat one mistake 10^5 times). */
export const MAX_REPORTED_PER_CODE = 100;

function loadDefXml(xml: XmlElement, file: string, opts: LoadDefOptions): DefLoadResult {
  const report = new CErrorReport({ maxPerCode: MAX_REPORTED_PER_CODE });
  const container = new CContainer('CContainer', opts.name ?? 'container');
  const root = opts.root ?? process.env.CCP4I2_TOP;
  const ctx: Ctx = { report, file, root, stack: [file] };
  const { header, body } = checkRoot(xml, file);
  if (header.function && header.function !== 'DEF') {
    report.append('CContainer', 107, {
      details: `function is '${header.function}', expected DEF`,
      file,
      severity: Severity.WARNING,
    });
  }
  loadInto(container, body, ctx);
  const taskName =
    body.attributes.id || header.pluginName || basename(file).replace(/\.def\.xml$|\.xml$/, '');
  container.taskName = taskName;
  container.activate();
  return { container, header, taskName, report };
}

function checkRoot(xml: XmlElement, file: string): { header: XmlHeader; body: XmlElement } {
  return { header: readHeader(xml), body: ccp4i2Body(xml, file) };
}

function problem(
  ctx: Ctx,
  className: string,
  code: number,
  el: XmlElement,
  objectPath: string,
  details: string,
  severity?: Severity,
): void {
  ctx.report.append(className, code, { details, objectPath, file: ctx.file, line: el.line, severity });
}

function loadInto(container: CContainer, el: XmlElement, ctx: Ctx): void {
  for (const c of el.children) {
    switch (localName(c)) {
      case 'container':
        loadContainer(container, c, ctx);
        break;
      case 'content':
        loadContent(container, c, ctx);
        break;
      case 'file':
        loadInclude(container, c, ctx);
        break;
      case 'ccp4i2_body':
        loadInto(container, c, ctx);
        break;
      case 'qualifiers':
        applyQualifiers(container, c, ctx);
        break;
      default:
        problem(
          ctx,
          'CData',
          16,
          c,
          container.objectPath(),
          `<${c.name}> is not expected in a definition body`,
          Severity.WARNING,
        );
    }
  }
}

function loadContainer(parent: CContainer, el: XmlElement, ctx: Ctx): void {
  const id = el.attributes.id;
  if (!id) {
    problem(ctx, 'CContainer', 102, el, parent.objectPath(), '<container> without id');
    return;
  }
  const existing = parent.content(id);
  let target: CContainer;
  if (existing instanceof CContainer)
    target = existing; // same id: merge
  else if (existing) {
    problem(
      ctx,
      'CContainer',
      115,
      el,
      existing.objectPath(),
      `container '${id}' clashes with a ${existing.className}`,
    );
    return;
  } else target = parent.addObject(new CContainer('CContainer', id));
  loadInto(target, el, ctx);
}

function loadContent(container: CContainer, el: XmlElement, ctx: Ctx): void {
  const id = el.attributes.id;
  if (!id) {
    problem(ctx, 'CContainer', 102, el, container.objectPath(), '<content> without id');
    return;
  }
  const className = childText(el, 'className');
  const existing = container.content(id);
  if (existing) {
    // CCP4i2 applies a repeated id over the first one; say so rather than silently letting the last win.
    problem(
      ctx,
      'CContainer',
      115,
      el,
      existing.objectPath(),
      `content '${id}' is defined again: ${className && className !== existing.className ? `its class ${className} replaces ${existing.className}` : 'its qualifiers override the earlier ones'}`,
      Severity.WARNING,
    );
  }
  let obj: CData;
  if (className && (!existing || existing.className !== className)) {
    if (!isKnownClass(className) || className === 'CData') {
      problem(ctx, 'CContainer', 103, el, `${container.objectPath()}.${id}`, `unknown class '${className}'`);
      return;
    }
    obj = makeCData(className, id);
    if (existing) container.replaceChild(existing, obj);
    else container.addChild(obj);
  } else if (existing) obj = existing;
  else {
    problem(
      ctx,
      'CContainer',
      102,
      el,
      `${container.objectPath()}.${id}`,
      'content without className: CString assumed',
      Severity.WARNING,
    );
    obj = container.addChild(makeCData('CString', id));
  }
  const q = child(el, 'qualifiers');
  if (q) applyQualifiers(obj, q, ctx);
  const sub = child(el, 'subItem');
  if (sub) applySubItem(obj, sub, ctx);
  // Qualifiers misplaced directly in <content> (a few CCP4i2 files) are applied, with a warning.
  const stray = el.children.filter((c) => !['className', 'qualifiers', 'subItem'].includes(localName(c)));
  if (stray.length > 0) {
    for (const c of stray) {
      problem(
        ctx,
        'CData',
        16,
        c,
        obj.objectPath(),
        `<${c.name}> belongs in <qualifiers>; applied as a qualifier`,
        Severity.WARNING,
      );
    }
    applyQualifiers(obj, { ...el, children: stray }, ctx);
  }
}

/** A qualifier problem: kept as written and ignored (warnings), never a load failure. */
export type QualifierProblem = (el: XmlElement, code: 7 | 18, message: string) => void;

/** What readQualifiers found: typed qualifiers, and those kept as written but to be ignored. */
export interface ReadQualifiers {
  qualifiers: Qualifiers;
  /** [member name or undefined for the object itself, qualifier name, value as written]. */
  ignored: Array<[string | undefined, string, QualifierValue]>;
}

/** The value of a qualifier element exactly as written: its text, or a dict when it holds elements. */
function asWritten(el: XmlElement): QualifierValue {
  return el.children.length > 0 ? elementToDict(el) : el.text;
}

/**
 * Reads qualifier elements typed for `className` (and for members, in member dicts). As CCP4i2 loads
 * such files, a qualifier the class does not define (CData 7) or whose text does not fit its type
 * (CData 18: a CBoolean with `<min>0.0</min>`) is a warning: kept as written, ignored for validation.
 */
export function readQualifiers(
  className: string,
  elements: XmlElement[],
  onProblem: QualifierProblem,
  memberClass?: (name: string) => string | undefined,
): ReadQualifiers {
  const kind = kindOf(className);
  const qualifiers: Qualifiers = Object.create(null);
  const ignored: ReadQualifiers['ignored'] = [];
  for (const q of elements) {
    const name = localName(q);
    const mc = memberClass?.(name);
    if (mc && q.children.length > 0) {
      const inner = readQualifiers(mc, q.children, onProblem, (n) => memberClassOf(mc, n));
      qualifiers[name] = inner.qualifiers;
      for (const [, n, v] of inner.ignored) ignored.push([name, n, v]);
      continue;
    }
    if (!mc && !isKnownQualifier(className, name)) {
      onProblem(q, 7, `qualifier ${name} is not defined for ${className}; kept as written, ignored`);
      ignored.push([undefined, name, asWritten(q)]);
      continue;
    }
    try {
      qualifiers[name] = parseQualifier(q, kind);
    } catch (e) {
      if (!(e instanceof QualifierTypeError)) throw e;
      onProblem(q, 18, `qualifier ${name}: ${e.message}; kept as written, ignored`);
      ignored.push([undefined, name, asWritten(q)]);
    }
  }
  return { qualifiers, ignored };
}

function applyQualifiers(obj: CData, el: XmlElement, ctx: Ctx): void {
  const path = obj.objectPath();
  const memberClass = (n: string) => (obj instanceof CDataStruct ? obj.content(n)?.className : undefined);
  const { qualifiers, ignored } = readQualifiers(
    obj.className,
    el.children,
    (x, code, m) => problem(ctx, 'CData', code, x, path, m, Severity.WARNING),
    memberClass,
  );
  for (const [k, v] of Object.entries(qualifiers)) setQualifierChecked(obj, k, v, el, ctx);
  for (const [member, k, v] of ignored) {
    const target = member === undefined ? obj : obj.content(member);
    target?.keepIgnoredQualifier(k, v);
  }
}

function setQualifierChecked(
  obj: CData,
  name: string,
  value: QualifierValue,
  el: XmlElement,
  ctx: Ctx,
): void {
  try {
    obj.setQualifier(name, value);
  } catch (e) {
    if (!isCcp4Error(e)) throw e;
    // CCP4i2 loads such a file too: the qualifier is kept, ignored, and reported.
    obj.keepIgnoredQualifier(name, value);
    problem(
      ctx,
      'CData',
      6,
      el,
      obj.objectPath(),
      `qualifier ${name}: ${e.message}; ignored`,
      Severity.WARNING,
    );
  }
}

function applySubItem(obj: CData, el: XmlElement, ctx: Ctx): void {
  if (!(obj instanceof CList)) {
    problem(
      ctx,
      'CData',
      16,
      el,
      obj.objectPath(),
      `<subItem> on a ${obj.className}, which is not a list`,
      Severity.WARNING,
    );
    return;
  }
  const className = childText(el, 'className') || obj.subItem.className;
  if (!isKnownClass(className) || className === 'CData') {
    problem(ctx, 'CList', 109, el, obj.objectPath(), `unknown subItem class '${className}'`);
    return;
  }
  const qEl = child(el, 'qualifiers');
  // Some CCP4i2 files put item qualifiers directly inside <subItem>; both forms are read.
  const direct = el.children.filter((c) => localName(c) !== 'className' && localName(c) !== 'qualifiers');
  const qualifierEls = [...(qEl?.children ?? []), ...direct];
  let members: CData | undefined;
  const memberClass = (n: string) => {
    members ??= makeCData(className, '[?]');
    return members instanceof CDataStruct ? members.content(n)?.className : undefined;
  };
  const { qualifiers, ignored } = readQualifiers(
    className,
    qualifierEls,
    (x, code, m) => problem(ctx, 'CData', code, x, obj.objectPath(), m, Severity.WARNING),
    memberClass,
  );
  members?.destroy();
  // Item qualifiers that do not fit are reported above, kept as written, and ignored by every item.
  const top = ignored.filter(([member]) => member === undefined);
  for (const [, k, v] of top) qualifiers[k] = v;
  obj.subItem = { className, qualifiers, ignored: top.map(([, k]) => k) };
}

function loadInclude(container: CContainer, el: XmlElement, ctx: Ctx): void {
  const spec = child(el, 'CI2XmlDataFile') ?? el;
  const project = childText(spec, 'project') ?? '';
  const relPath = childText(spec, 'relPath') ?? '';
  const base = childText(spec, 'baseName') ?? '';
  const path = container.objectPath();
  if (!base) {
    problem(ctx, 'CContainer', 106, el, path, 'include without baseName');
    return;
  }
  let dir: string;
  if (project === CCP4I2_TOP) {
    if (!ctx.root) {
      problem(
        ctx,
        'CContainer',
        106,
        el,
        path,
        `include ${relPath}/${base}: CCP4I2_TOP is not set (--root or env CCP4I2_TOP)`,
      );
      return;
    }
    dir = join(ctx.root, relPath);
  } else if (project === '') dir = resolve(dirname(ctx.file), relPath);
  else {
    problem(ctx, 'CContainer', 106, el, path, `include from project '${project}' cannot be resolved`);
    return;
  }
  const target = resolve(dir, base);
  if (ctx.stack.includes(target)) {
    problem(
      ctx,
      'CContainer',
      106,
      el,
      path,
      `include cycle: ${[...ctx.stack, target].map((f) => basename(f)).join(' → ')}`,
    );
    return;
  }
  if (!existsSync(target)) {
    problem(ctx, 'CContainer', 106, el, path, `included file ${target} does not exist`);
    return;
  }
  let xml: XmlElement;
  let body: XmlElement;
  try {
    xml = prebuiltTree(target) ?? readXmlFile(target);
    body = checkRoot(xml, target).body;
  } catch (e) {
    const err = e as Ccp4Error;
    problem(
      ctx,
      'CContainer',
      106,
      el,
      path,
      `included file ${isCcp4Error(err) ? err.describe() : String(e)}`,
    );
    return;
  }
  loadInto(container, body, { ...ctx, file: target, stack: [...ctx.stack, target] });
}

import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type Ccp4Error, isCcp4Error } from '../errors/ccp4-error.js';
import { Severity } from '../errors/severity.js';
import { CErrorReport } from '../report/error-report.js';
import { child, childText, localName, type XmlElement } from '../xml/element.js';
import { parseXml, readXmlFile } from '../xml/parse.js';
import type { CData } from './cdata.js';
import { isKnownClass, kindOf } from './classes/registry.js';
import type { Qualifiers, QualifierValue } from './classes/spec.js';
import { CDataStruct } from './composite.js';
import { CContainer } from './container.js';
import { CCP4I2_TOP } from './file.js';
import { CList } from './list.js';
import { makeCData } from './make.js';
import { parseQualifier, QualifierDefaultText, QualifierTypeError } from './qualifiers.js';
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
  const out: XmlHeader = {};
  if (h) for (const c of h.children) out[localName(c)] = c.text.trim();
  return out;
}

/**
 * Loads a `.def.xml` task definition into a new task container. Unreadable or malformed files throw a
 * Ccp4Error; problems inside a readable file (unknown class, bad qualifier, missing include...) are
 * collected in the report and the rest of the file still loads.
 */
export function loadDefFile(path: string, opts: LoadDefOptions = {}): DefLoadResult {
  const file = resolve(path);
  return loadDefXml(readXmlFile(file), file, opts);
}

/** Loads a definition from text; `file` names it in messages and anchors relative includes. */
export function loadDefString(text: string, file: string, opts: LoadDefOptions = {}): DefLoadResult {
  return loadDefXml(parseXml(text, { file }), resolve(file), opts);
}

function loadDefXml(xml: XmlElement, file: string, opts: LoadDefOptions): DefLoadResult {
  const report = new CErrorReport();
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

/** Reads qualifier elements typed for `className` (and for members, in member dicts). */
export function readQualifiers(
  className: string,
  elements: XmlElement[],
  onError: (el: XmlElement, message: string, severity?: Severity) => void,
  memberClass?: (name: string) => string | undefined,
): Qualifiers {
  const kind = kindOf(className);
  const out: Qualifiers = {};
  for (const q of elements) {
    const name = localName(q);
    try {
      const mc = q.children.length > 0 ? memberClass?.(name) : undefined;
      out[name] = mc ? readQualifiers(mc, q.children, onError) : parseQualifier(q, kind);
    } catch (e) {
      if (e instanceof QualifierDefaultText) {
        out[name] = e.text;
        onError(q, `qualifier ${name}: ${e.message}; kept as text, no default value`, Severity.WARNING);
      } else if (e instanceof QualifierTypeError) onError(q, `qualifier ${name}: ${e.message}`);
      else throw e;
    }
  }
  return out;
}

function applyQualifiers(obj: CData, el: XmlElement, ctx: Ctx): void {
  const path = obj.objectPath();
  const memberClass = (n: string) => (obj instanceof CDataStruct ? obj.content(n)?.className : undefined);
  const q = readQualifiers(
    obj.className,
    el.children,
    (x, m, sev) => problem(ctx, 'CData', 18, x, path, m, sev),
    memberClass,
  );
  for (const [k, v] of Object.entries(q)) setQualifierChecked(obj, k, v, el, ctx);
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
    problem(ctx, 'CData', 6, el, obj.objectPath(), `qualifier ${name}: ${e.message}`);
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
  const q = readQualifiers(
    className,
    qualifierEls,
    (x, m, sev) => problem(ctx, 'CData', 18, x, obj.objectPath(), m, sev),
    memberClass,
  );
  members?.destroy();
  obj.subItem = { className, qualifiers: q };
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
    xml = readXmlFile(target);
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

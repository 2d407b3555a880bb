import { Ccp4Error } from '../errors/ccp4-error.js';
import { HierarchicalObject } from '../object/hierarchical-object.js';
import { CErrorReport } from '../report/error-report.js';
import type { XmlElement } from '../xml/element.js';
import { classQualifiers } from './classes/registry.js';
import type { Qualifiers, QualifierValue } from './classes/spec.js';

/** Whether a value was never given, comes from a default, or was set by someone. */
export const ValueState = { NOT_SET: 0, DEFAULT: 1, EXPLICITLY_SET: 2 } as const;
export type ValueState = (typeof ValueState)[keyof typeof ValueState];

/** Plain-data form of a CData (`get()`): primitives, arrays for lists, objects for structures. */
export type PlainValue = null | number | string | boolean | PlainValue[] | { [key: string]: PlainValue };

export interface IsSetOptions {
  /** Count values in the DEFAULT state as set (default true). */
  allowDefault?: boolean;
}

/** Where files are: used by CDataFile.getFullPath / setFullPath; inherited from ancestors. */
export interface FileContext {
  /** Root for the CCP4I2_TOP project alias (else env CCP4I2_TOP). */
  ccp4i2Top?: string;
  /** Directory of the current project: relative relPaths resolve against it. */
  projectDirectory?: string;
  /** Identifier written as `project` for files inside projectDirectory. */
  projectId?: string;
  /** Maps a project id or name to its directory (a database lookup, say). */
  resolveProject?: (project: string) => string | undefined;
}

/** State passed through params loading: where problems are reported and which file is read. */
export interface ParamsLoadContext {
  report: CErrorReport;
  file?: string;
}

export interface ParamsSaveOptions {
  /** Write values in the DEFAULT state (marked valueState="default"). Default true. */
  includeDefaults?: boolean;
}

type Factory = (className: string, name?: string, qualifiers?: Qualifiers) => CData;
let factory: Factory | undefined;

/** Installed by registry.ts: composite classes create their members through it. */
export function setCDataFactory(f: Factory): void {
  factory = f;
}

export function createCData(className: string, name?: string, qualifiers?: Qualifiers): CData {
  if (!factory) throw new Error('CData factory not installed (import src/data/index.js)');
  return factory(className, name, qualifiers);
}

/**
 * Base of every CCP4i2 data object. Holds the CCP4i2 class name (the implementation class may be a
 * shared one: CObsDataFile is a CDataFile), the qualifiers given to this object (every one, unknown ones
 * too, typed), and defines value state, assignment, plain values, validity and the params XML form.
 */
export abstract class CData extends HierarchicalObject {
  readonly className: string;
  // Null prototype: qualifier names come from files ('constructor', '__proto__' are plain names here).
  private readonly own: Qualifiers = Object.create(null);
  /** Qualifiers kept as written but ignored (wrong type for the class, or not defined by it). */
  private ignored: Set<string> | undefined;
  /** Set by whoever owns a task container; children inherit it (nearest wins). */
  fileContext: FileContext | undefined;

  constructor(className: string, name?: string, qualifiers?: Qualifiers) {
    super(name ?? className);
    this.className = className;
    if (qualifiers) for (const [k, v] of Object.entries(qualifiers)) this.own[k] = v;
  }

  /** Effective qualifier: this object's own (unless ignored), else the class default. */
  qualifier(name: string): QualifierValue | undefined {
    if (Object.hasOwn(this.own, name) && !this.ignored?.has(name)) return this.own[name];
    const defaults = classQualifiers(this.className);
    return Object.hasOwn(defaults, name) ? defaults[name] : undefined;
  }

  /** All effective qualifiers (class defaults overlaid by this object's own, ignored ones left out). */
  qualifiers(): Qualifiers {
    const out: Qualifiers = Object.create(null);
    Object.assign(out, classQualifiers(this.className));
    for (const [k, v] of Object.entries(this.own)) if (!this.ignored?.has(k)) out[k] = v;
    return out;
  }

  /**
   * Keeps a qualifier exactly as a file wrote it but ignores it for validation and defaults (a
   * `<min>0.0</min>` on a CBoolean, a qualifier the class does not define): the effective value stays
   * the class default. A later setQualifier of the same name makes it count again.
   */
  keepIgnoredQualifier(name: string, written: QualifierValue): void {
    this.own[name] = written;
    this.ignored ??= new Set();
    this.ignored.add(name);
  }

  /** Names of the qualifiers kept as written but ignored. */
  ignoredQualifiers(): string[] {
    return [...(this.ignored ?? [])];
  }

  /** Only the qualifiers given to this object (by a def file or its class's member table). */
  ownQualifiers(): Readonly<Qualifiers> {
    return this.own;
  }

  setQualifier(name: string, value: QualifierValue): void {
    this.own[name] = value;
    this.ignored?.delete(name);
    this.qualifierChanged(name);
  }

  setQualifiers(q: Qualifiers): void {
    for (const [k, v] of Object.entries(q)) this.setQualifier(k, v);
  }

  /** Hook: react to a qualifier change (value types apply a new default). */
  protected qualifierChanged(_name: string): void {}

  /** False only when the qualifier allowUndefined is explicitly false. */
  allowUndefined(): boolean {
    return this.qualifier('allowUndefined') !== false;
  }

  /** CData leaves are not searched by plain-name find(); containers override this. */
  protected override searchDescendants(): boolean {
    return false;
  }

  override find(path: string): CData | undefined {
    return super.find(path) as CData | undefined;
  }

  /** Members in order, as CData. */
  contents(): CData[] {
    return this.children() as CData[];
  }

  /** Direct member by name. */
  content(name: string): CData | undefined {
    return this.child(name) as CData | undefined;
  }

  /** The file context in force here: own fields override those of ancestors. */
  effectiveFileContext(): FileContext {
    const chain: FileContext[] = [];
    for (let n: HierarchicalObject | null = this; n; n = n.parent) {
      const fc = (n as CData).fileContext;
      if (fc) chain.push(fc);
    }
    return Object.assign({}, ...chain.reverse());
  }

  abstract get valueState(): ValueState;
  abstract isSet(opts?: IsSetOptions): boolean;
  abstract unSet(): void;
  /** Assigns a plain value, a dict of member values, or another CData (copied in place). */
  abstract set(value: unknown): void;
  abstract get(): PlainValue;

  /** Problems with the current value, each reported once, with CCP4i2's class codes. */
  validity(): CErrorReport {
    const r = new CErrorReport();
    this.checkValidity(r);
    return r;
  }

  /** Appends this object's problems (and its members') to `report`. */
  abstract checkValidity(report: CErrorReport): void;

  /** The params.xml element for this object, or undefined when there is nothing to write. */
  abstract toParamsXml(opts: ParamsSaveOptions): XmlElement | undefined;

  /** Applies a params.xml element; problems go to ctx.report (never thrown). */
  abstract loadParamsXml(el: XmlElement, ctx: ParamsLoadContext): void;

  /** A coded error (this class's table, CData code 5 by default) located at this object. */
  error(code: number, message: string, details?: string): Ccp4Error {
    return new Ccp4Error({
      className: this.className,
      code,
      message,
      details,
      objectPath: this.objectPath(),
    });
  }

  protected wrongType(value: unknown, expected: string): Ccp4Error {
    const shown =
      typeof value === 'string'
        ? `'${value}'`
        : typeof value === 'object'
          ? value === null
            ? 'null'
            : 'an object'
          : String(value);
    return this.error(5, `${shown} is not ${expected}`);
  }

  protected report(r: CErrorReport, code: number, details?: string, severity?: 0 | 1 | 2 | 3 | 4 | 5): void {
    r.append(this.className, code, { objectPath: this.objectPath(), details, severity });
  }
}

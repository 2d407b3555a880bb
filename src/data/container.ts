import type { CErrorReport } from '../report/error-report.js';
import { element, localName, type XmlElement } from '../xml/element.js';
import {
  CData,
  createCData,
  type IsSetOptions,
  type ParamsLoadContext,
  type ParamsSaveOptions,
  type PlainValue,
  type ValueState,
} from './cdata.js';
import type { Qualifiers } from './classes/spec.js';
import { isPlainObject, membersValueState, reportDuplicate } from './composite.js';

/**
 * A named, ordered collection of data objects: a task's inputData, controlParameters, ... and the
 * task container holding them. Plain-name find() searches nested containers depth-first.
 */
export class CContainer extends CData {
  /** Unrecognised params.xml elements kept so that a save writes them back. */
  extraXml: XmlElement[] = [];
  /** Task name of a task container loaded from a def file (body id, else header pluginName). */
  taskName: string | undefined;

  constructor(className = 'CContainer', name?: string, qualifiers?: Qualifiers) {
    super(className, name, qualifiers);
  }

  protected override searchDescendants(): boolean {
    return true;
  }

  /** Creates a member of `className` named `name` and appends it. Throws if the name is taken. */
  addContent(className: string, name: string, qualifiers?: Qualifiers): CData {
    if (this.content(name)) throw this.error(115, `'${name}' is already in ${this.objectPath()}`);
    return this.addChild(createCData(className, name, qualifiers));
  }

  /** Appends an existing object (renamed when `name` is given). */
  addObject<T extends CData>(obj: T, name?: string): T {
    if (name !== undefined) obj.name = name;
    if (this.content(obj.name)) throw this.error(115, `'${obj.name}' is already in ${this.objectPath()}`);
    return this.addChild(obj);
  }

  deleteObject(name: string): void {
    const c = this.content(name);
    if (!c) throw this.error(117, `no member '${name}' in ${this.objectPath()}`);
    c.destroy();
  }

  /** Member names in order. */
  dataOrder(): string[] {
    return this.contents().map((c) => c.name);
  }

  get valueState(): ValueState {
    return membersValueState(this.contents());
  }

  isSet(opts: IsSetOptions = {}): boolean {
    return this.contents().some((c) => c.isSet(opts));
  }

  unSet(): void {
    for (const c of this.contents()) c.unSet();
  }

  /** Merges: a dict or another container sets the members it names and leaves the others alone. */
  set(value: unknown): void {
    if (value === null || value === undefined) {
      this.unSet();
      return;
    }
    if (value instanceof CContainer) {
      for (const src of value.contents()) {
        const dst = this.content(src.name);
        if (dst) dst.set(src);
      }
      return;
    }
    if (!isPlainObject(value)) throw this.wrongType(value, 'a dict of member values');
    for (const k of Object.keys(value)) {
      if (!this.content(k)) throw this.error(109, `no member '${k}' in ${this.objectPath()}`);
    }
    for (const [k, v] of Object.entries(value)) this.content(k)!.set(v);
  }

  get(): PlainValue {
    // fromEntries defines own properties: a member named __proto__ stays a member.
    return Object.fromEntries(this.contents().map((c) => [c.name, c.get()]));
  }

  checkValidity(r: CErrorReport): void {
    for (const c of this.contents()) c.checkValidity(r);
  }

  toParamsXml(opts: ParamsSaveOptions): XmlElement | undefined {
    const kids: XmlElement[] = [];
    for (const c of this.contents()) {
      const x = c.toParamsXml(opts);
      if (x) kids.push(x);
    }
    kids.push(...this.extraXml);
    return kids.length > 0 ? element(this.name, kids) : undefined;
  }

  loadParamsXml(el: XmlElement, ctx: ParamsLoadContext): void {
    const seen = new Set<string>();
    for (const x of el.children) {
      const tag = localName(x);
      const member = this.content(tag);
      if (member) {
        if (seen.has(tag)) reportDuplicate(member, x, ctx);
        seen.add(tag);
        member.loadParamsXml(x, ctx);
      } else {
        this.extraXml.push(x);
        ctx.report.append('CData', 16, {
          objectPath: this.objectPath(),
          details: `<${tag}> is not defined in ${this.name}; kept as is`,
          file: ctx.file,
          line: x.line,
        });
      }
    }
  }
}

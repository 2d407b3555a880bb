import { Severity } from '../errors/severity.js';
import type { CErrorReport } from '../report/error-report.js';
import { element, localName, type XmlElement } from '../xml/element.js';
import {
  CData,
  createCData,
  type IsSetOptions,
  type ParamsLoadContext,
  type ParamsSaveOptions,
  type PlainValue,
  ValueState,
} from './cdata.js';
import { classContents } from './classes/registry.js';
import type { Qualifiers } from './classes/spec.js';

/** A value that a dict, another CData or a plain object can be assigned from. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof CData);
}

/** A params.xml element given twice for one member: the later one is applied, with a warning. */
export function reportDuplicate(member: CData, el: XmlElement, ctx: ParamsLoadContext): void {
  ctx.report.append('CContainer', 115, {
    objectPath: member.objectPath(),
    details: `<${el.name}> appears more than once; the later value (line ${el.line}) replaces the earlier`,
    file: ctx.file,
    line: el.line,
    severity: Severity.WARNING,
  });
}

/**
 * A CData made of named members declared by its class (CCell: a, b, c, alpha, beta, gamma;
 * CRefinementPerformance; CDataFile's fields). The structure is set when any member is set.
 */
/** A structure's or container's state: the most set of its members' (EXPLICITLY_SET > DEFAULT > NOT_SET). */
export function membersValueState(members: readonly CData[]): ValueState {
  let s: ValueState = ValueState.NOT_SET;
  for (const c of members) {
    const cs = c.valueState;
    if (cs === ValueState.EXPLICITLY_SET) return cs;
    if (cs > s) s = cs;
  }
  return s;
}

export class CDataStruct extends CData {
  /** Unrecognised params.xml elements kept so that a save writes them back. */
  extraXml: XmlElement[] = [];

  constructor(className: string, name?: string, qualifiers?: Qualifiers) {
    super(className, name, qualifiers);
    for (const [member, cls, q] of classContents(className)) this.addChild(createCData(cls, member, q));
    if (qualifiers) for (const [k, v] of Object.entries(qualifiers)) this.qualifierChanged(k, v);
  }

  /**
   * A qualifier named after a member and holding a dict (`<subType><default>1</default>...`) sets that
   * member's qualifiers.
   */
  protected override qualifierChanged(name: string, value = this.ownQualifiers()[name]): void {
    const member = this.content(name);
    if (member && isPlainObject(value)) member.setQualifiers(value as Qualifiers);
    // A dict default (`<default><a>10</a>...</default>`) gives members their DEFAULT values.
    if (name === 'default' && isPlainObject(value)) {
      for (const [k, v] of Object.entries(value as Qualifiers)) {
        const m = this.content(k) as (CData & { setDefaultValue?: (x: unknown) => void }) | undefined;
        if (m?.setDefaultValue && (typeof v !== 'object' || v === null)) m.setDefaultValue(v);
      }
    }
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

  /** dict: members named are set and the others unset; CData: copied member by member. */
  set(value: unknown): void {
    if (value === null || value === undefined) {
      this.unSet();
      return;
    }
    if (value instanceof CData) {
      if (!(value instanceof CDataStruct)) throw this.wrongType(value, `a ${this.className}`);
      for (const c of this.contents()) {
        const src = value.content(c.name);
        if (src) c.set(src);
        else c.unSet();
      }
      return;
    }
    if (!isPlainObject(value)) throw this.wrongType(value, `a dict of ${this.className} members`);
    this.checkKeys(value);
    for (const c of this.contents()) {
      if (Object.hasOwn(value, c.name)) c.set(value[c.name]);
      else c.unSet();
    }
  }

  /** Sets only the members named in `dict`. */
  update(dict: Record<string, unknown>): void {
    this.checkKeys(dict);
    for (const [k, v] of Object.entries(dict)) this.content(k)!.set(v);
  }

  private checkKeys(dict: Record<string, unknown>): void {
    for (const k of Object.keys(dict)) {
      if (!this.content(k)) throw this.error(10, `${this.className} has no member '${k}'`);
    }
  }

  get(): PlainValue {
    // fromEntries defines own properties: a member named __proto__ stays a member.
    return Object.fromEntries(this.contents().map((c) => [c.name, c.get()]));
  }

  checkValidity(r: CErrorReport): void {
    if (!this.isSet()) {
      if (!this.allowUndefined()) this.report(r, 100);
      return;
    }
    for (const c of this.contents()) c.checkValidity(r);
  }

  /** Whether anything below was set by someone (not only defaults). */
  protected hasExplicitValue(): boolean {
    return this.valueState === ValueState.EXPLICITLY_SET;
  }

  toParamsXml(opts: ParamsSaveOptions): XmlElement | undefined {
    if (!this.hasExplicitValue() && this.extraXml.length === 0) return undefined;
    const kids: XmlElement[] = [];
    for (const c of this.contents()) {
      const x = c.toParamsXml(opts);
      if (x) kids.push(x);
    }
    kids.push(...this.extraXml);
    return element(this.name, kids);
  }

  loadParamsXml(el: XmlElement, ctx: ParamsLoadContext): void {
    if (el.children.length === 0 && el.text.trim() !== '') {
      // Text where members are expected (`<CELL>abc</CELL>`, a path written straight into a file element).
      ctx.report.append('CData', 12, {
        objectPath: this.objectPath(),
        details: `text '${el.text.trim().slice(0, 80)}' where ${this.className} expects its members (${this.contents()
          .map((c) => `<${c.name}>`)
          .join(', ')})`,
        file: ctx.file,
        line: el.line,
      });
      return;
    }
    const seen = new Set<string>();
    for (const x of el.children) {
      const member = this.content(localName(x));
      if (member) {
        if (seen.has(member.name)) reportDuplicate(member, x, ctx);
        seen.add(member.name);
        member.loadParamsXml(x, ctx);
      } else {
        this.extraXml.push(x);
        ctx.report.append('CData', 16, {
          objectPath: this.objectPath(),
          details: `<${x.name}> is not a member of ${this.className}; kept as is`,
          file: ctx.file,
          line: x.line,
        });
      }
    }
  }
}

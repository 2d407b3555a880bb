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
import { classSubItem, isKnownClass, isSubclassOf } from './classes/registry.js';
import type { Qualifiers } from './classes/spec.js';

/** The item class of a list and the qualifiers each item gets. */
export interface SubItem {
  className: string;
  qualifiers: Qualifiers;
  /** Qualifiers kept as the def file wrote them but ignored (see CData.keepIgnoredQualifier). */
  ignored?: string[];
}

/**
 * A list of items of one class (CList and subclasses such as CEnsembleList). Items are children named
 * `[0]`, `[1]`, ... so their object paths read `LIST[0]`.
 */
export class CList extends CData {
  private _subItem: SubItem | undefined;
  /** Whether the list was assigned (an empty list set on purpose is still "set" for state). */
  private _vstate: ValueState = ValueState.NOT_SET;

  /** Item class and qualifiers: the def file's <subItem>, else the class's. */
  get subItem(): SubItem {
    return this._subItem ?? classSubItem(this.className);
  }

  set subItem(s: SubItem) {
    this._subItem = { className: s.className, qualifiers: { ...s.qualifiers } };
    if (s.ignored?.length) this._subItem.ignored = [...s.ignored];
  }

  /** Whether a def file gave a <subItem> (def show prints it). */
  hasOwnSubItem(): boolean {
    return this._subItem !== undefined;
  }

  /** A new, unattached item of the sub-item class with its qualifiers. */
  makeItem(): CData {
    const s = this.subItem;
    if (!s.ignored?.length) return createCData(s.className, '[?]', s.qualifiers);
    const ignored = new Set(s.ignored);
    const used = Object.fromEntries(Object.entries(s.qualifiers).filter(([k]) => !ignored.has(k)));
    const item = createCData(s.className, '[?]', used);
    for (const k of ignored) item.keepIgnoredQualifier(k, s.qualifiers[k] ?? null);
    return item;
  }

  get length(): number {
    return this.childCount;
  }

  items(): CData[] {
    return this.contents();
  }

  item(i: number): CData | undefined {
    return this.contents()[i];
  }

  /** Appends a new item, assigned from `value` when given. Returns it. */
  append(value?: unknown): CData {
    const item = value instanceof CData && this.accepts(value) ? value : this.makeItem();
    if (item !== value && value !== undefined) item.set(value);
    item.name = `[${this.length}]`;
    this.addChild(item);
    this._vstate = ValueState.EXPLICITLY_SET;
    return item;
  }

  private accepts(v: CData): boolean {
    return v.parent === null && isSubclassOf(v.className, this.subItem.className);
  }

  remove(index: number): void {
    const it = this.item(index);
    if (!it) throw this.error(10, `no item ${index} in a list of ${this.length}`);
    it.destroy();
    this.renumber();
  }

  clear(): void {
    for (const c of this.contents()) c.destroy();
  }

  private renumber(): void {
    this.contents().forEach((c, i) => {
      c.name = `[${i}]`;
    });
  }

  get valueState(): ValueState {
    return this.length > 0 ? ValueState.EXPLICITLY_SET : this._vstate;
  }

  isSet(_opts: IsSetOptions = {}): boolean {
    return this.length > 0;
  }

  unSet(): void {
    this.clear();
    this._vstate = ValueState.NOT_SET;
  }

  /** An array (or another list) replaces the items; each element is assigned to a new item. */
  set(value: unknown): void {
    if (value === null || value === undefined) {
      this.unSet();
      return;
    }
    const values = value instanceof CList ? value.items() : value;
    if (!Array.isArray(values)) throw this.wrongType(value, 'a list');
    // Build first so that a bad element leaves the list unchanged.
    const made = values.map((v) => {
      const it = this.makeItem();
      it.set(v);
      return it;
    });
    this.clear();
    for (const it of made) this.append(it);
    this._vstate = ValueState.EXPLICITLY_SET;
  }

  get(): PlainValue[] {
    return this.contents().map((c) => c.get());
  }

  checkValidity(r: CErrorReport): void {
    const n = this.length;
    const min = this.qualifier('listMinLength');
    const max = this.qualifier('listMaxLength');
    if (n === 0) {
      // An empty optional list skips the length checks, as any unset optional value does.
      if (!this.allowUndefined()) this.report(r, 100);
      return;
    }
    if (typeof min === 'number' && n < min) this.report(r, 101, `${n} item(s), at least ${min} required`);
    if (typeof max === 'number' && n > max) this.report(r, 102, `${n} item(s), at most ${max} allowed`);
    // listCompare 1 / -1: consecutive items must increase / decrease (value items only).
    const cmp = this.qualifier('listCompare');
    if (cmp === 1 || cmp === -1) {
      const vals = this.get();
      for (let i = 1; i < vals.length; i++) {
        const a = vals[i - 1];
        const b = vals[i];
        if (
          (typeof a === 'number' || typeof a === 'string') &&
          typeof b === typeof a &&
          !(cmp === 1 ? b! > a : b! < a)
        ) {
          this.report(
            r,
            103,
            `item ${i} (${b}) is not ${cmp === 1 ? 'greater' : 'less'} than item ${i - 1} (${a})`,
          );
        }
      }
    }
    for (const c of this.contents()) c.checkValidity(r);
  }

  toParamsXml(opts: ParamsSaveOptions): XmlElement | undefined {
    if (this.valueState === ValueState.NOT_SET) return undefined;
    const kids: XmlElement[] = [];
    for (const c of this.contents()) {
      const x = c.toParamsXml(opts) ?? element(c.name);
      x.name = c.className;
      kids.push(x);
    }
    return element(this.name, kids);
  }

  loadParamsXml(el: XmlElement, ctx: ParamsLoadContext): void {
    this.clear();
    this._vstate = ValueState.EXPLICITLY_SET;
    const expected = this.subItem.className;
    for (const x of el.children) {
      const tag = localName(x);
      // Items are tagged with their class; a different class only warns (CCP4i2 accepts it).
      if (tag !== expected && !(isKnownClass(tag) && isSubclassOf(tag, expected))) {
        ctx.report.append('CList', 110, {
          objectPath: this.objectPath(),
          details: `item tagged <${tag}>, expected <${expected}>`,
          severity: 2,
          file: ctx.file,
          line: x.line,
        });
      }
      const item = this.makeItem();
      item.name = `[${this.length}]`;
      this.addChild(item);
      if (x.children.length > 0 || x.text !== '' || x.attributes.valueState) item.loadParamsXml(x, ctx);
    }
  }
}

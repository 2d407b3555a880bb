import type { CErrorReport } from '../report/error-report.js';
import { element, type XmlElement } from '../xml/element.js';
import {
  CData,
  type IsSetOptions,
  type ParamsLoadContext,
  type ParamsSaveOptions,
  type PlainValue,
  ValueState,
} from './cdata.js';
import type { QualifierValue } from './classes/spec.js';
import { parseBool, parseFloatText, parseIntText } from './qualifiers.js';

type Scalar = number | string | boolean;

/**
 * A single value (CInt, CFloat, CString, CBoolean and their subclasses). Unset is `null`. A `default`
 * qualifier gives the value in the DEFAULT state; any set() makes it EXPLICITLY_SET, even when equal.
 */
export abstract class CValue<T extends Scalar> extends CData {
  protected _value: T | null = null;
  protected _vstate: ValueState = ValueState.NOT_SET;

  get value(): T | null {
    return this._value;
  }

  set value(v: T | null) {
    this.set(v);
  }

  get valueState(): ValueState {
    return this._vstate;
  }

  /** Converts an outside value to T or throws a coded error (class code 5). */
  abstract coerce(v: unknown): T;

  set(v: unknown): void {
    if (v === null || v === undefined) {
      this.unSet();
      return;
    }
    if (v instanceof CData) {
      if (!(v instanceof CValue)) throw this.wrongType(v, `a ${this.className} value`);
      if (v._value === null) this.unSet();
      else {
        this._value = this.coerce(v._value);
        this._vstate = v._vstate;
      }
      return;
    }
    this._value = this.coerce(v);
    this._vstate = ValueState.EXPLICITLY_SET;
  }

  /** Sets the value in the DEFAULT state (as a def file's default does). */
  setDefaultValue(v: unknown): void {
    if (v === null || v === undefined) {
      this.unSet();
      return;
    }
    this._value = this.coerce(v);
    this._vstate = ValueState.DEFAULT;
  }

  unSet(): void {
    this._value = null;
    this._vstate = ValueState.NOT_SET;
  }

  isSet(opts: IsSetOptions = {}): boolean {
    if (this._value === null) return false;
    return opts.allowDefault === false ? this._vstate === ValueState.EXPLICITLY_SET : true;
  }

  get(): T | null {
    return this._value;
  }

  /** The default qualifier, or null. */
  defaultValue(): QualifierValue {
    return this.qualifier('default') ?? null;
  }

  protected override qualifierChanged(name: string): void {
    if (name !== 'default' || this._vstate === ValueState.EXPLICITLY_SET) return;
    const d = this.defaultValue();
    if (d === null || typeof d === 'object') this.unSet();
    else {
      try {
        this.setDefaultValue(d);
      } catch {
        this.unSet(); // a default of another type ('Auto' for a CInt) leaves the value unset
      }
    }
  }

  /** Applies the class default (used when an object is created). */
  applyClassDefault(): void {
    this.qualifierChanged('default');
  }

  checkValidity(r: CErrorReport): void {
    if (!this.isSet()) {
      if (!this.allowUndefined()) this.report(r, 100);
      return;
    }
    this.checkValue(r, this._value as T);
  }

  protected checkValue(r: CErrorReport, v: T): void {
    const en = this.qualifier('enumerators');
    if (this.qualifier('onlyEnumerators') === true && Array.isArray(en) && en.length > 0) {
      if (!en.some((e) => this.sameValue(e, v))) this.report(r, 103, `${v} is not one of ${en.join(', ')}`);
    }
  }

  protected sameValue(e: QualifierValue, v: T): boolean {
    return e === v || String(e) === String(v);
  }

  /** Text written in params.xml. */
  toText(): string {
    return this._value === null ? '' : String(this._value);
  }

  toParamsXml(opts: ParamsSaveOptions): XmlElement | undefined {
    if (this._vstate === ValueState.NOT_SET) {
      // An unset value over a default must be written (empty) or a reload would bring the default back.
      const d = this.defaultValue();
      return d !== null && typeof d !== 'object' ? element(this.name) : undefined;
    }
    if (this._vstate === ValueState.DEFAULT) {
      if (opts.includeDefaults === false) return undefined;
      return element(this.name, [], this.toText(), { valueState: 'default' });
    }
    return element(this.name, [], this.toText());
  }

  loadParamsXml(el: XmlElement, ctx: ParamsLoadContext): void {
    if (el.children.length > 0) {
      ctx.report.append('CData', 12, {
        objectPath: this.objectPath(),
        details: `<${el.children[0]!.name}> inside a ${this.className} value, which holds only text`,
        file: ctx.file,
        line: el.line,
      });
      return;
    }
    const text = this instanceof CString ? el.text : el.text.trim();
    // A string of spaces is a value (written as is); only an empty element means unset.
    if (text === '') {
      this.unSet();
      return;
    }
    try {
      if (el.attributes.valueState === 'default') this.setDefaultValue(text);
      else this.set(text);
    } catch (e) {
      const entry = ctx.report.appendError(e);
      entry.file = ctx.file;
      entry.line = el.line;
    }
  }
}

abstract class CNumber extends CValue<number> {
  protected override checkValue(r: CErrorReport, v: number): void {
    const min = this.qualifier('min');
    const max = this.qualifier('max');
    if (typeof min === 'number' && v < min) this.report(r, 101, `${v} < minimum ${min}`);
    if (typeof max === 'number' && v > max) this.report(r, 102, `${v} > maximum ${max}`);
    super.checkValue(r, v);
  }

  protected override sameValue(e: QualifierValue, v: number): boolean {
    return Number(e) === v;
  }
}

export class CInt extends CNumber {
  coerce(v: unknown): number {
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'string') {
      const n = parseIntText(v);
      if (n !== undefined) return n;
      // CCP4i2 writes integral floats as '3.0' in some params files.
      const f = parseFloatText(v);
      if (f !== undefined && Number.isInteger(f)) return f;
    }
    throw this.wrongType(v, 'an integer');
  }
}

export class CFloat extends CNumber {
  coerce(v: unknown): number {
    if (typeof v === 'number' && !Number.isNaN(v)) return v;
    if (typeof v === 'string') {
      const n = parseFloatText(v);
      if (n !== undefined) return n;
    }
    throw this.wrongType(v, 'a number');
  }
}

export class CBoolean extends CValue<boolean> {
  coerce(v: unknown): boolean {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number' && (v === 0 || v === 1)) return v === 1;
    if (typeof v === 'string') {
      const b = parseBool(v);
      if (b !== undefined) return b;
    }
    throw this.wrongType(v, 'a boolean (True/False, yes/no, 1/0)');
  }

  override toText(): string {
    return this._value === null ? '' : this._value ? 'True' : 'False';
  }
}

/** A string. As in CCP4i2, the empty string counts as unset: set('') unsets. */
/** Characters an XML 1.0 file cannot hold (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF, lone surrogates). */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export class CString extends CValue<string> {
  coerce(v: unknown): string {
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v !== 'string') throw this.wrongType(v, 'a string');
    // Refused here, or params.xml would be written but could never be read back.
    const bad = NOT_XML.exec(v);
    if (bad) {
      const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      throw this.error(5, `${JSON.stringify(v)} holds U+${code}, which a params.xml file cannot store`);
    }
    return v;
  }

  override set(v: unknown): void {
    if (v === '') this.unSet();
    else super.set(v);
  }

  override setDefaultValue(v: unknown): void {
    if (v === '') this.unSet();
    else super.setDefaultValue(v);
  }

  protected override checkValue(r: CErrorReport, v: string): void {
    const minL = this.qualifier('minLength');
    const maxL = this.qualifier('maxLength');
    if (typeof minL === 'number' && v.length < minL) this.report(r, 101, `length ${v.length} < ${minL}`);
    if (typeof maxL === 'number' && v.length > maxL) this.report(r, 102, `length ${v.length} > ${maxL}`);
    super.checkValue(r, v);
    // allowedCharsCode > 0: one safe word (letters, digits, '_' and '-'), as for crystal and dataset names
    // that end up in file names.
    const code = this.qualifier('allowedCharsCode');
    if (typeof code === 'number' && code > 0) {
      const bad = /[^A-Za-z0-9_-]/.exec(v);
      if (bad) this.report(r, 104, `'${v}': '${bad[0]}' is not a letter, digit, '_' or '-'`);
    }
  }

  override get(): string | null {
    return this._value;
  }
}

export type { PlainValue };

import { localName, type XmlElement } from '../xml/element.js';
import { classContents, classQualifiers, type Kind } from './classes/registry.js';
import type { QualifierDict, QualifierValue } from './classes/spec.js';

/** The type a qualifier's text is read as. 'value' means the scalar type of the object's class. */
export type QualifierType =
  | 'bool'
  | 'int'
  | 'float'
  | 'string'
  | 'dict'
  | 'value'
  | 'list:string'
  | 'list:int'
  | 'list:value';

/** Declared types of the qualifiers CCP4i2 defines (any class); others are inferred from their text. */
export const QUALIFIER_TYPES: Readonly<Record<string, QualifierType>> = {
  default: 'value',
  min: 'value',
  max: 'value',
  enumerators: 'list:value',
  menuText: 'list:string',
  onlyEnumerators: 'bool',
  allowUndefined: 'bool',
  mustExist: 'bool',
  fromPreviousJob: 'bool',
  saveToDb: 'bool',
  isDirectory: 'bool',
  jobCombo: 'bool',
  ifInfo: 'bool',
  ifAtomSelection: 'bool',
  allowUnfound: 'bool',
  allowAlias: 'bool',
  autoLoadHeader: 'bool',
  minLength: 'int',
  maxLength: 'int',
  charWidth: 'int',
  listMinLength: 'int',
  listMaxLength: 'int',
  listCompare: 'int',
  allowedCharsCode: 'int',
  allowedCharactersMode: 'int',
  sameCrystalLevel: 'int',
  selectionMode: 'int',
  compare: 'int',
  guiLabel: 'string',
  toolTip: 'string',
  helpFile: 'string',
  mimeTypeName: 'string',
  mimeTypeDescription: 'string',
  fileLabel: 'string',
  fileContentClassName: 'string',
  mtzFileKey: 'string',
  pdbFileKey: 'string',
  sameCrystalAs: 'string',
  allowedCharacters: 'string',
  nameRoot: 'string',
  format: 'string',
  fileExtensions: 'list:string',
  correctColumns: 'list:string',
  toolTipList: 'list:string',
  requiredSubType: 'list:int',
  requiredContentFlag: 'list:int',
  requiredSequences: 'list:int',
  guiDefinition: 'dict',
  columnGroup: 'dict',
};

/** Qualifiers CCP4i2's CData base class defines for every class (CDataQualifiers.QUALIFIERS). */
const BASE_QUALIFIERS = new Set([
  'allowUndefined',
  'default',
  'toolTip',
  'guiLabel',
  'guiDefinition',
  'helpFile',
  'saveToDb',
]);

/**
 * Whether a qualifier name is one CCP4i2 knows: defined for the class (its chain or the CData base) or
 * one of the qualifiers CCP4i2 declares on some class (a `<min>` on a CBoolean is known, and read as
 * the class's type). Anything else (`label`, `constructor`) is not.
 */
export function isKnownQualifier(className: string, name: string): boolean {
  return (
    BASE_QUALIFIERS.has(name) ||
    Object.hasOwn(QUALIFIER_TYPES, name) ||
    Object.hasOwn(classQualifiers(className), name)
  );
}

/** Class of member `name` of a composite class (qualifier dicts named after members). */
export function memberClassOf(className: string, name: string): string | undefined {
  return classContents(className).find((m) => m[0] === name)?.[1];
}

export class QualifierTypeError extends Error {}

/** A default whose text is not of the class's type: kept as text with a warning. */
export class QualifierDefaultText extends QualifierTypeError {
  constructor(
    readonly text: string,
    message: string,
  ) {
    super(message);
  }
}

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseBool(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === 'yes' || t === '1') return true;
  if (t === 'false' || t === 'no' || t === '0') return false;
  return undefined;
}

export function parseIntText(text: string): number | undefined {
  const t = text.trim();
  return INT_RE.test(t) ? Number(t) : undefined;
}

/** An integer, also written as an integral decimal ('0.0'), as CCP4i2 files sometimes do. */
export function parseIntegral(text: string): number | undefined {
  const i = parseIntText(text);
  if (i !== undefined) return i;
  const f = parseFloatText(text);
  return f !== undefined && Number.isInteger(f) ? f : undefined;
}

export function parseFloatText(text: string): number | undefined {
  const t = text.trim();
  if (FLOAT_RE.test(t)) return Number(t);
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  return undefined;
}

function scalar(text: string, type: 'bool' | 'int' | 'float' | 'string'): QualifierValue {
  if (type === 'string') return text;
  const t = text.trim();
  if (t === '' || t === 'None') return null;
  const v = type === 'bool' ? parseBool(t) : type === 'int' ? parseIntegral(t) : parseFloatText(t);
  if (v === undefined)
    throw new QualifierTypeError(
      `'${t}' is not ${type === 'bool' ? 'a boolean' : type === 'int' ? 'an integer' : 'a number'}`,
    );
  return v;
}

/** The scalar type a class kind holds ('string' for classes without one). */
export function valueTypeOf(kind: Kind): 'bool' | 'int' | 'float' | 'string' {
  return kind === 'int' ? 'int' : kind === 'float' ? 'float' : kind === 'boolean' ? 'bool' : 'string';
}

/** Infers a typed value from text (unknown qualifiers): booleans, numbers, else the string. */
export function inferScalar(text: string): QualifierValue {
  const t = text.trim();
  if (t === 'True' || t === 'False') return t === 'True';
  if (t !== '' && FLOAT_RE.test(t)) return Number(t);
  if (t === 'None') return null;
  return t;
}

/**
 * Converts an element holding child elements to a dict: child tag → value (typed by inference),
 * repeated tags → list, attributes as '@name' keys.
 */
export function elementToDict(el: XmlElement): QualifierDict {
  const out: QualifierDict = {};
  for (const [k, v] of Object.entries(el.attributes)) out[`@${k}`] = v;
  const groups = new Map<string, QualifierValue[]>();
  for (const c of el.children) {
    const key = localName(c);
    const value: QualifierValue =
      c.children.length > 0 || Object.keys(c.attributes).length > 0 ? elementToDict(c) : inferScalar(c.text);
    const g = groups.get(key);
    if (g) g.push(value);
    else groups.set(key, [value]);
  }
  for (const [k, vs] of groups) out[k] = vs.length === 1 ? vs[0]! : vs;
  return out;
}

/** Reads one qualifier element for an object of `kind`. Throws QualifierTypeError on bad text. */
export function parseQualifier(el: XmlElement, kind: Kind): QualifierValue {
  const name = localName(el);
  const declared = Object.hasOwn(QUALIFIER_TYPES, name) ? QUALIFIER_TYPES[name] : undefined;
  if (el.children.length > 0) {
    if (declared && declared !== 'dict' && declared !== 'value') {
      throw new QualifierTypeError(`<${name}> holds elements but must be ${describeType(declared)}`);
    }
    return elementToDict(el);
  }
  if (!declared) return inferScalar(el.text);
  if (declared === 'dict') {
    if (el.text.trim() !== '') throw new QualifierTypeError(`<${name}> must hold elements, not text`);
    return {};
  }
  const vt = valueTypeOf(kind);
  if (declared === 'value') {
    // CCP4i2 writes `<default>None</default>` for "no default", whatever the class.
    if (el.text.trim() === 'None') return null;
    // Composite classes take a dict default; a text default for them is kept as inferred text.
    if (kind === 'composite' || kind === 'file' || kind === 'list' || kind === 'container')
      return inferScalar(el.text);
    try {
      return scalar(kind === 'string' ? el.text.trim() : el.text, vt);
    } catch (e) {
      // Generated definitions write default 'Auto' for "let the program decide": keep the text, set no value.
      if (name === 'default' && e instanceof QualifierTypeError)
        throw new QualifierDefaultText(el.text.trim(), e.message);
      throw e;
    }
  }
  if (declared.startsWith('list:')) {
    const itemType = declared === 'list:value' ? vt : declared === 'list:int' ? 'int' : 'string';
    const t = el.text.trim();
    if (t === '') return [];
    if (t === 'None') return null;
    // 'None' items stay null (CCP4i2 menus offer "none" as a choice: 'None,1,2,3').
    return t.split(',').map((s) => {
      const item = s.trim();
      if (item === '' && itemType !== 'string') throw new QualifierTypeError(`empty item in list '${t}'`);
      return scalar(item, itemType);
    });
  }
  return scalar(declared === 'string' ? el.text.trim() : el.text, declared as 'bool' | 'int' | 'float');
}

function describeType(t: QualifierType): string {
  return t === 'bool'
    ? 'a boolean'
    : t === 'int'
      ? 'an integer'
      : t.startsWith('list')
        ? 'a comma list'
        : 'text';
}

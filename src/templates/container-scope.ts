import {
  CBoolean,
  CContainer,
  type CData,
  CDataFile,
  CDataStruct,
  CFloat,
  CInt,
  CList,
  CString,
  CValue,
} from '../data/index.js';
import type { TemplateScope, TemplateValue } from './values.js';

/**
 * The scope of a CCP4i2 container: `$NAME` is the container's deterministic `find(NAME)` (depth-first
 * through nested containers, in order), and each further dotted part a member of the object found
 * (`$CELL.a`, `$SPACEGROUPCELL.cell.a`, `$HKLIN.baseName`; a list item by index, `$LIST.0`).
 */
export function scopeFromContainer(container: CData): TemplateScope {
  return {
    lookup(path) {
      let obj = container.find(path[0]);
      for (const part of path.slice(1)) {
        if (!obj) return undefined;
        obj = member(obj, part);
      }
      return obj ? toTemplateValue(obj) : undefined;
    },
  };
}

function member(obj: CData, name: string): CData | undefined {
  if (obj instanceof CList) return /^\d+$/.test(name) ? obj.contents()[Number(name)] : undefined;
  if (obj instanceof CDataStruct || obj instanceof CContainer) return obj.content(name);
  return undefined;
}

/**
 * A CData as a template value. Values keep their CCP4i2 type (a CFloat prints `90.0`); an unset value
 * is unset; a file is its full path ('' when unset or unresolvable); a structure or container is a record,
 * set when any member is.
 */
export function toTemplateValue(obj: CData): TemplateValue {
  const v = plainValue(obj);
  v.objectPath = obj.objectPath();
  return v;
}

function plainValue(obj: CData): TemplateValue {
  if (obj instanceof CDataFile) {
    if (!obj.isSet()) return { kind: 'file', path: '' };
    const path = obj.getFullPath();
    if (path) return { kind: 'file', path };
    const where = [obj.project && `project ${obj.project}`, obj.relPath && `relPath ${obj.relPath}`].filter(
      Boolean,
    );
    return {
      kind: 'file',
      path: '',
      unresolved: `${obj.baseName}${where.length ? ` (${where.join(', ')})` : ''}`,
    };
  }
  if (obj instanceof CValue) {
    const v = obj.value;
    if (v === null) return { kind: 'unset' };
    if (obj instanceof CBoolean) return { kind: 'bool', value: v as boolean };
    if (obj instanceof CInt) return { kind: 'int', value: v as number };
    if (obj instanceof CFloat) return { kind: 'float', value: v as number };
    if (obj instanceof CString) return { kind: 'string', value: v as string };
    if (typeof v === 'number') return { kind: 'float', value: v };
    return typeof v === 'boolean' ? { kind: 'bool', value: v } : { kind: 'string', value: String(v) };
  }
  if (obj instanceof CList) return { kind: 'list', items: obj.contents().map(toTemplateValue) };
  return { kind: 'record', set: obj.isSet() };
}

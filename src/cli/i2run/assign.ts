import { resolve } from 'node:path';
import {
  CBoolean,
  CContainer,
  type CData,
  CDataFile,
  CDataStruct,
  CList,
  CMiniMtzDataFile,
  CString,
  CValue,
} from '../../data/index.js';
import { isCcp4Error } from '../../errors/ccp4-error.js';
import { i2runError } from './errors.js';

/** How file values are resolved and column selections imported. */
export interface AssignContext {
  /** Relative file paths on the command line are relative to this directory (the user's cwd). */
  cwd: string;
  /**
   * Called for `columnLabels=`: makes a mini-MTZ of the chosen columns and returns its path (CCP4i2
   * imports such a selection into CCP4_IMPORTED_FILES). `file` is the parameter, already set to the source.
   */
  importColumns?: (file: CMiniMtzDataFile, source: string, labels: string[]) => string;
}

const KEY_VALUE = /^([A-Za-z_][A-Za-z0-9_./]*)=(.*)$/s;

/** A member by `name`, `a.b` or CCP4i2's `a/b` (`selection/text=...` on a coordinate file). */
function memberAt(node: CData, key: string): CData | undefined {
  let target: CData | undefined = node;
  for (const part of key.split(/[./]/))
    target = target instanceof CDataStruct && part !== '' ? target.content(part) : undefined;
  return target === node ? undefined : target;
}

/**
 * Assigns one `--NAME values...` group to the object it names, with the data model's coercion:
 * lists get one new item per group (the caller clears them first), files take a path or `key=value`
 * sub-fields (`fullPath=`, `columnLabels=`, members), structures (CCell...) take `member=value` pairs or
 * one value per member in order, single values take one word (a CString joins its words; a CBoolean
 * alone means True). Any problem is a Ccp4Error naming the parameter.
 */
export function assignValues(
  node: CData,
  values: readonly string[],
  option: string,
  ctx: AssignContext,
): void {
  try {
    if (node instanceof CList) {
      const item = node.makeItem();
      assignTo(item, values, option, ctx);
      node.append(item);
      return;
    }
    assignTo(node, values, option, ctx);
  } catch (e) {
    if (isCcp4Error(e) && e.className === 'i2run') throw e;
    throw i2runError(4, `bad value for ${option}: ${isCcp4Error(e) ? e.message : String(e)}`, {
      objectPath: node.objectPath(),
      details: isCcp4Error(e) ? `[${e.className} ${e.code}]${e.details ? ` ${e.details}` : ''}` : undefined,
      cause: e,
    });
  }
}

function assignTo(node: CData, values: readonly string[], option: string, ctx: AssignContext): void {
  const where = { objectPath: node.objectPath() };
  if (node instanceof CContainer)
    throw i2runError(6, `${option} is a container; give one of its parameters`, where);
  if (node instanceof CList)
    throw i2runError(6, `${option}: lists of lists are not supported on the command line`, where);
  if (node instanceof CDataFile) {
    assignFile(node, values, option, ctx);
    return;
  }
  if (node instanceof CDataStruct) {
    assignStruct(node, values, option);
    return;
  }
  if (node instanceof CValue) {
    if (values.length === 0) {
      if (!(node instanceof CBoolean)) throw i2runError(5, `${option} needs a value`, where);
      node.set(true);
      return;
    }
    if (values.length > 1 && !(node instanceof CString))
      throw i2runError(4, `${option} takes one value, got ${values.length}: ${values.join(' ')}`, where);
    node.set(values.join(' '));
    return;
  }
  throw i2runError(6, `${option} (${node.className}) cannot be set from the command line`, where);
}

function assignFile(file: CDataFile, values: readonly string[], option: string, ctx: AssignContext): void {
  const where = { objectPath: file.objectPath() };
  if (values.length === 0) throw i2runError(5, `${option} needs a file path or fullPath=PATH`, where);
  let fullPath: string | undefined;
  let columnLabels: string | undefined;
  const members: [CData, string][] = [];
  for (const v of values) {
    const m = KEY_VALUE.exec(v);
    const key = m?.[1];
    if (m && key === 'fullPath') fullPath = m[2]!;
    else if (m && key === 'columnLabels') columnLabels = m[2]!;
    else if (m && key && memberAt(file, key)) members.push([memberAt(file, key)!, m[2]!]);
    else if (m && values.length > 1)
      throw i2runError(7, `${option}: ${file.className} has no sub-field '${key}'`, {
        ...where,
        details: `sub-fields: fullPath, ${file instanceof CMiniMtzDataFile ? 'columnLabels, ' : ''}${file
          .contents()
          .map((c) => c.name)
          .join(', ')}`,
      });
    else if (fullPath === undefined) fullPath = v;
    else throw i2runError(4, `${option}: more than one path (${fullPath}, ${v})`, where);
  }
  if (fullPath !== undefined) {
    if (fullPath === '') throw i2runError(4, `${option}: empty path`, where);
    file.setFullPath(resolve(ctx.cwd, fullPath));
  }
  // After the path: an explicit contentFlag= or subType= wins over the one detected from the file.
  for (const [member, value] of members) member.set(value);
  if (columnLabels !== undefined) {
    if (!(file instanceof CMiniMtzDataFile))
      throw i2runError(
        7,
        `${option}: ${file.className} has no columns (columnLabels= is for MTZ data)`,
        where,
      );
    const source = file.getFullPath();
    if (!source) throw i2runError(5, `${option}: columnLabels= needs fullPath=`, where);
    if (!ctx.importColumns) throw i2runError(10, `${option}: cannot import columns here`, where);
    file.setFullPath(ctx.importColumns(file, source, parseColumnLabels(columnLabels, option, file)));
  }
}

/** `/*\/*\/[F,SIGF]` (CCP4i2's form), `[F,SIGF]` or `F,SIGF` → ['F', 'SIGF']. */
export function parseColumnLabels(text: string, option: string, node?: CData): string[] {
  const m = /^(?:\/[^/]*\/[^/]*\/)?\[?([^[\]]*)\]?$/.exec(text.trim());
  const labels = m?.[1]
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (!labels || labels.length === 0)
    throw i2runError(4, `${option}: bad columnLabels '${text}'`, {
      objectPath: node?.objectPath(),
      details: 'expected /*/*/[LABEL,LABEL...], e.g. columnLabels=/*/*/[FP,SIGFP]',
    });
  return labels;
}

function assignStruct(s: CDataStruct, values: readonly string[], option: string): void {
  const where = { objectPath: s.objectPath() };
  if (values.length === 0) throw i2runError(5, `${option} needs member=value pairs`, where);
  const names = s.contents().map((c) => c.name);
  const pairs = values.map((v) => KEY_VALUE.exec(v));
  const dict: Record<string, unknown> = {};
  if (pairs.every((p) => p !== null)) {
    const targets = pairs.map((p) => {
      const target = memberAt(s, p![1]!);
      if (!target)
        throw i2runError(7, `${option}: ${s.className} has no member '${p![1]}'`, {
          ...where,
          details: `members: ${names.join(', ')}`,
        });
      return [target, p![2]!] as const;
    });
    // Members not named keep their values (a CCell from --params can be changed one length at a time).
    for (const [target, value] of targets) target.set(value);
    return;
  }
  // One word per member in order (`--CELL 34.1 54.8 68.0 90 90 90`), for structures of plain values.
  const members = s.contents();
  if (values.length === members.length && members.every((m) => m instanceof CValue)) {
    members.forEach((m, i) => {
      dict[m.name] = values[i];
    });
    s.set(dict);
    return;
  }
  throw i2runError(
    4,
    `${option}: expected member=value pairs (${names.map((n) => `${n}=`).join(' ')})`,
    where,
  );
}

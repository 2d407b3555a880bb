import { join } from 'node:path';
import { type CContainer, CMiniMtzDataFile } from '../data/index.js';
import { Ccp4Error } from '../errors/ccp4-error.js';
import {
  CONTENT_FLAG_NAMES,
  type ColumnPick,
  type ContentFileClass,
  contentFlagFromTypes,
  joinMtzColumns,
  readMtz,
  selectMtzColumns,
  writeMtz,
} from '../formats/mtz/index.js';
import type { CPluginScript } from './plugin-script.js';

/**
 * CCP4i2's makeHklin / splitHklout on ccp4i2-ts's own MTZ code. Mini-MTZ files (CObsDataFile,
 * CPhsDataFile, CMapCoeffsDataFile, CFreeRDataFile) hold one group of columns whose labels say the
 * content (CONTENT_SIGNATURE_LIST: Iplus,SIGIplus,Iminus,SIGIminus for IPAIR, F,SIGF for FMEAN, FREER...).
 * A program wants one HKLIN with all of them, and writes one HKLOUT that must be split back.
 */

/** One input of makeHklin: a parameter name, optionally the content wanted and the labels to give. */
export type HklinItem =
  | string
  | [name: string, contentFlag?: number | null]
  | { name: string; contentFlag?: number | null; labels?: readonly string[] };

export interface HklinResult {
  /** The merged file (`<job>/hklin.mtz` by default). */
  file: string;
  /** Its column labels, in order, without H K L. */
  columns: string[];
  /** The labels each parameter's columns got, by parameter name (e.g. OBSIN → [OBSIN_I, OBSIN_SIGI]). */
  labels: Record<string, string[]>;
}

const fail = (plugin: CPluginScript, code: 123 | 124, message: string, objectPath?: string, file?: string) =>
  new Ccp4Error({
    className: 'CPluginScript',
    code,
    message,
    objectPath,
    file,
    details: `task ${plugin.taskName}`,
  });

function miniMtz(
  plugin: CPluginScript,
  container: CContainer,
  name: string,
  code: 123 | 124,
): CMiniMtzDataFile {
  const node = container.find(name);
  if (!(node instanceof CMiniMtzDataFile))
    throw fail(
      plugin,
      code,
      `${name} is ${node ? `a ${node.className}` : 'not a parameter'}, not a mini-MTZ file`,
    );
  return node;
}

/**
 * Merges input mini-MTZ files into one HKLIN for the program (CCP4i2's makeHklin): each file's content
 * columns, renamed `<NAME>_<label>` as CCP4i2 does (OBSIN → OBSIN_Iplus, OBSIN_SIGIplus...;
 * FREERFLAG → FREERFLAG_FREER), or to the labels given. With a content flag other than the file's, the
 * file is first converted (as_FMEAN()...: French–Wilson, anomalous means, HL ↔ PHI/FOM) into the job
 * directory. Reflections are matched by H K L. Errors are Ccp4Error CPluginScript 123 naming the parameter.
 */
export function makeHklin(plugin: CPluginScript, items: readonly HklinItem[], hklin = 'hklin'): HklinResult {
  const parts: { mtz: ReturnType<typeof readMtz>; columns: ColumnPick[] }[] = [];
  const labels: Record<string, string[]> = {};
  for (const item of items) {
    const spec =
      typeof item === 'string'
        ? { name: item }
        : Array.isArray(item)
          ? { name: item[0], contentFlag: item[1] }
          : item;
    const file = miniMtz(plugin, plugin.inputData, spec.name, 123);
    const where = file.objectPath();
    let path = file.getFullPath();
    if (!path || !file.isSet()) throw fail(plugin, 123, `${spec.name} is not set`, where);
    const have = file.contentFlag || file.detectContentFlag();
    if (!have)
      throw fail(plugin, 123, `the columns of ${spec.name} fit no content of ${file.className}`, where, path);
    let flag = have;
    if (spec.contentFlag && spec.contentFlag !== have) {
      const target = CONTENT_FLAG_NAMES[file.className as ContentFileClass]?.[spec.contentFlag - 1];
      const convert = target ? (file as unknown as Record<string, unknown>)[`as_${target}`] : undefined;
      if (typeof convert !== 'function')
        throw fail(
          plugin,
          123,
          `${spec.name} holds content ${have} and cannot be converted to content ${spec.contentFlag}`,
          where,
          path,
        );
      path = (convert as (o: { workDirectory: string }) => string).call(file, {
        workDirectory: plugin.workDirectory,
      });
      flag = spec.contentFlag;
    }
    const sig = file.contentSignatureList()[flag - 1] ?? [];
    const to = spec.labels ? [...spec.labels] : sig.map((l) => `${spec.name}_${l}`);
    if (to.length !== sig.length)
      throw fail(
        plugin,
        123,
        `${spec.name}: ${to.length} labels given for ${sig.length} columns (${sig.join(',')})`,
        where,
      );
    parts.push({ mtz: readMtz(path), columns: sig.map((from, i) => ({ from, to: to[i] })) });
    labels[spec.name] = to;
  }
  const file = join(plugin.workDirectory, `${hklin}.mtz`);
  const merged = joinMtzColumns(parts);
  writeMtz(merged, file);
  return { file, columns: parts.flatMap((p) => p.columns.map((c) => c.to)), labels };
}

/**
 * Splits a program's HKLOUT into typed mini-MTZ output files (CCP4i2's splitHklout): for each output
 * parameter, the program's columns (`'F,SIGF'`, `'F(+),SIGF(+),F(-),SIGF(-)'`) are written with H K L to
 * the parameter's file (named by checkOutputData), relabelled to the class's standard labels for the
 * content they hold: the parameter's contentFlag when set, else the first whose column types fit (CCP4i2's
 * Python rewrite always used the first signature). The parameter's contentFlag is set. Errors are
 * Ccp4Error CPluginScript 124.
 */
export function splitHklout(
  plugin: CPluginScript,
  outputs: readonly string[],
  programColumns: readonly (string | readonly string[])[],
  hklout?: string,
): void {
  if (outputs.length !== programColumns.length)
    throw fail(plugin, 124, `${outputs.length} outputs but ${programColumns.length} column lists`);
  const source = hklout ?? (plugin.outputData.find('HKLOUT') as CMiniMtzDataFile | undefined)?.getFullPath();
  if (!source) throw fail(plugin, 124, 'no HKLOUT to split');
  const mtz = readMtz(source);
  outputs.forEach((name, i) => {
    const out = miniMtz(plugin, plugin.outputData, name, 124);
    const from =
      typeof programColumns[i] === 'string'
        ? (programColumns[i] as string).split(',')
        : [...programColumns[i]];
    for (const l of from)
      if (!mtz.hasColumn(l))
        throw fail(
          plugin,
          124,
          `${name}: no column ${l} in ${source} (columns: ${mtz.columns.map((c) => c.label).join(' ')})`,
          out.objectPath(),
          source,
        );
    const cols = from.map((l) => mtz.column(l));
    const flag = out.contentFlag || contentFlagFromTypes(out.className as ContentFileClass, cols);
    const sig = flag ? out.contentSignatureList()[flag - 1] : undefined;
    if (!sig || sig.length !== from.length)
      throw fail(
        plugin,
        124,
        `${name}: columns ${from.join(',')} (types ${cols.map((c) => c.type).join('')}) fit no content of ${out.className}`,
        out.objectPath(),
        source,
      );
    const path = out.getFullPath();
    if (!path)
      throw fail(plugin, 124, `${name} has no file name (checkOutputData names it)`, out.objectPath());
    writeMtz(
      selectMtzColumns(
        mtz,
        from.map((f, j) => ({ from: f, to: sig[j] })),
      ),
      path,
    );
    out.content('contentFlag')?.set(flag);
  });
}

import { join } from 'node:path';
import { type CContainer, CMiniMtzDataFile } from '../data/index.js';
import { Ccp4Error } from '../errors/ccp4-error.js';
import {
  CONTENT_FLAG_NAMES,
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
  /** The content flag each parameter's columns hold in the merged file (after any conversion). */
  contentFlags: Record<string, number>;
}

/** One input resolved: its file, the content it holds and the content (and labels) it will have. */
interface PlannedInput {
  name: string;
  file: CMiniMtzDataFile;
  path: string;
  have: number;
  flag: number;
  sig: string[];
  to: string[];
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

function planInput(plugin: CPluginScript, item: HklinItem): PlannedInput {
  const spec =
    typeof item === 'string'
      ? { name: item }
      : Array.isArray(item)
        ? { name: item[0], contentFlag: item[1] }
        : item;
  const file = miniMtz(plugin, plugin.inputData, spec.name, 123);
  const where = file.objectPath();
  const path = file.getFullPath();
  if (!path || !file.isSet()) throw fail(plugin, 123, `${spec.name} is not set`, where);
  const have = file.contentFlag || file.detectContentFlag();
  if (!have)
    throw fail(plugin, 123, `the columns of ${spec.name} fit no content of ${file.className}`, where, path);
  const flag = spec.contentFlag || have;
  if (flag !== have && typeof converter(file, flag) !== 'function')
    throw fail(
      plugin,
      123,
      `${spec.name} holds content ${have} and cannot be converted to content ${flag}`,
      where,
      path,
    );
  const sig = file.contentSignatureList()[flag - 1] ?? [];
  const to = spec.labels ? [...spec.labels] : sig.map((l) => `${spec.name}_${l}`);
  if (to.length !== sig.length)
    throw fail(
      plugin,
      123,
      `${spec.name}: ${to.length} labels given for ${sig.length} columns (${sig.join(',')})`,
      where,
    );
  return { name: spec.name, file, path, have, flag, sig, to };
}

/** The file's as_<CONTENT>() conversion method (as_FMEAN...), if its class has one. */
function converter(file: CMiniMtzDataFile, flag: number): unknown {
  const target = CONTENT_FLAG_NAMES[file.className as ContentFileClass]?.[flag - 1];
  return target ? (file as unknown as Record<string, unknown>)[`as_${target}`] : undefined;
}

function result(plugin: CPluginScript, planned: PlannedInput[], hklin: string): HklinResult {
  return {
    file: join(plugin.workDirectory, `${hklin}.mtz`),
    columns: planned.flatMap((p) => p.to),
    labels: Object.fromEntries(planned.map((p) => [p.name, p.to])),
    contentFlags: Object.fromEntries(planned.map((p) => [p.name, p.flag])),
  };
}

/**
 * What makeHklin will make, reading only the inputs' headers and writing nothing: the file name, the
 * labels and content of each input. For makeCommandAndScript, which a dry run calls without
 * processInputFiles. Same arguments and errors as makeHklin.
 */
export function planHklin(plugin: CPluginScript, items: readonly HklinItem[], hklin = 'hklin'): HklinResult {
  return result(
    plugin,
    items.map((item) => planInput(plugin, item)),
    hklin,
  );
}

/**
 * Merges input mini-MTZ files into one HKLIN for the program (CCP4i2's makeHklin): each file's content
 * columns, renamed `<NAME>_<label>` as CCP4i2 does (OBSIN → OBSIN_Iplus, OBSIN_SIGIplus...;
 * FREERFLAG → FREERFLAG_FREER), or to the labels given. With a content flag other than the file's, the
 * file is first converted (as_FMEAN()...: French–Wilson, anomalous means, HL ↔ PHI/FOM) into the job
 * directory. Reflections are matched by H K L. Errors are Ccp4Error CPluginScript 123 naming the parameter.
 */
export function makeHklin(plugin: CPluginScript, items: readonly HklinItem[], hklin = 'hklin'): HklinResult {
  const planned = items.map((item) => planInput(plugin, item));
  const parts = planned.map((p) => {
    const path =
      p.flag === p.have
        ? p.path
        : (converter(p.file, p.flag) as (o: { workDirectory: string }) => string).call(p.file, {
            workDirectory: plugin.workDirectory,
          });
    return { mtz: readMtz(path), columns: p.sig.map((from, i) => ({ from, to: p.to[i] })) };
  });
  const r = result(plugin, planned, hklin);
  writeMtz(joinMtzColumns(parts), r.file);
  return r;
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

import { type CContainer, CDataFile, CDataStruct } from '../data/index.js';
import { cellNumber } from '../formats/loggraph/index.js';
import type { CPluginScript } from '../plugins/index.js';
import type { KeyValue, KeyValueValue, ReportTable } from './model.js';

/** What an extractor sees: the finished (or running) job and the tables read from its log so far. */
export interface ExtractorContext {
  job: CPluginScript;
  tables: readonly ReportTable[];
}

/** A task's key values. Return only what is known; an extractor that throws is recorded, not fatal. */
export type KeyValueExtractor = (ctx: ExtractorContext) => KeyValue[];

const extractors = new Map<string, KeyValueExtractor[]>();

/**
 * Declares key values for a task (by TASKNAME). Several extractors may be registered for one task; `*`
 * applies to every task. The generic ones (outputData values, a `header` from an MTZ reader) are built in.
 */
export function registerKeyValues(taskName: string, extractor: KeyValueExtractor): () => void {
  const list = extractors.get(taskName) ?? [];
  list.push(extractor);
  extractors.set(taskName, list);
  return () => {
    const l = extractors.get(taskName);
    const i = l?.indexOf(extractor) ?? -1;
    if (l && i >= 0) l.splice(i, 1);
  };
}

export function keyValueExtractors(taskName: string): KeyValueExtractor[] {
  return [...(extractors.get('*') ?? []), ...(extractors.get(taskName) ?? [])];
}

export function keyValue(name: string, label: string, value: KeyValueValue, unit?: string): KeyValue {
  return { name, label, value, text: valueText(value, unit), ...(unit ? { unit } : {}) };
}

function valueText(v: KeyValueValue, unit?: string): string {
  const s = Array.isArray(v)
    ? v.join(' ')
    : typeof v === 'object'
      ? Object.entries(v)
          .map(([k, x]) => `${k}=${x}`)
          .join(' ')
      : String(v);
  return unit ? `${s} ${unit}` : s;
}

/**
 * A value read from a loggraph table: the cell of `column` in the last (or first) row of the last table
 * whose title matches. For tasks such as refinement: `tableValue(tables, /Rfactor/, 'Rfree')`.
 */
export function tableValue(
  tables: readonly ReportTable[],
  title: RegExp,
  column: string,
  row: 'first' | 'last' = 'last',
): number | null {
  const t = [...tables].reverse().find((x) => title.test(x.title));
  const k = t?.columns.indexOf(column) ?? -1;
  if (!t || k < 0 || t.rows.length === 0) return null;
  return cellNumber(t.rows[row === 'last' ? t.rows.length - 1 : 0][k]);
}

const r2 = (x: number) => Math.round(x * 1000) / 1000;

/** Every non-file value set in outputData (a cell read, a count...): the generic key values of any task. */
export function outputValues(outputData: CContainer | undefined): KeyValue[] {
  const out: KeyValue[] = [];
  for (const node of outputData?.contents() ?? []) {
    if (node instanceof CDataFile || !node.isSet()) continue;
    if (node.className === 'CCell' && node instanceof CDataStruct) {
      const g = node.get() as Record<string, unknown>;
      const v = ['a', 'b', 'c', 'alpha', 'beta', 'gamma'].map((m) => Number(g[m]));
      out.push(keyValue(node.name, 'Cell', v.map(r2)));
    } else if (node instanceof CDataStruct) {
      const v: Record<string, string | number> = {};
      for (const m of node.contents()) if (m.isSet()) v[m.name] = scalar(m.get());
      out.push(keyValue(node.name, node.name, v));
    } else {
      const v = node.get();
      if (v === null || v === undefined) continue;
      out.push(
        keyValue(
          node.name,
          node.name,
          typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean),
        ),
      );
    }
  }
  return out;
}

function scalar(v: unknown): string | number {
  return typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v);
}

/** The MTZ header an MTZ reader task (mtzdump, gemmi_cell, mtz_cell) keeps after reading the file. */
interface MtzHeaderLike {
  spaceGroup: { name: string; number: number };
  columns: { label: string; type: string }[];
  /** Low and high resolution in Å (log readers), or... */
  resolution?: { low: number; high: number };
  /** ...the MTZ RESO record, in 1/d² (our own reader). */
  reso?: [number, number];
  nref: number;
}

function isMtzHeader(h: unknown): h is MtzHeaderLike {
  const x = h as MtzHeaderLike | undefined;
  return (
    !!x && typeof x === 'object' && !!x.spaceGroup && Array.isArray(x.columns) && typeof x.nref === 'number'
  );
}

function resolutionOf(h: MtzHeaderLike): [number, number] | undefined {
  if (h.resolution) return [h.resolution.low, h.resolution.high];
  if (h.reso && h.reso[0] > 0 && h.reso[1] > 0) return [1 / Math.sqrt(h.reso[0]), 1 / Math.sqrt(h.reso[1])];
  return undefined;
}

/** Space group, columns, resolution and reflections of a task that read an MTZ header (`job.header`). */
export function mtzHeaderValues({ job }: ExtractorContext): KeyValue[] {
  const h = (job as unknown as { header?: unknown }).header;
  if (!isMtzHeader(h)) return [];
  const res = resolutionOf(h);
  return [
    keyValue('SPACEGROUP', 'Space group', `${h.spaceGroup.name} (${h.spaceGroup.number})`),
    ...(res ? [keyValue('RESOLUTION', 'Resolution', res.map(r2), 'Å')] : []),
    keyValue('COLUMNS', 'Columns', Object.fromEntries(h.columns.map((c) => [c.label, c.type]))),
    keyValue('NREF', 'Reflections', h.nref),
  ];
}

/** What a task says about itself in i2run's summary (`summaryItems`, e.g. demo_copycell's route). */
export function summaryItemValues({ job }: ExtractorContext): KeyValue[] {
  const items = (job as unknown as { summaryItems?: unknown }).summaryItems;
  if (!Array.isArray(items)) return [];
  return items
    .filter(
      (x): x is [string, string] => Array.isArray(x) && typeof x[0] === 'string' && typeof x[1] === 'string',
    )
    .map(([k, v]) => keyValue(k.toUpperCase(), k.charAt(0).toUpperCase() + k.slice(1), v));
}

registerKeyValues('*', summaryItemValues);
registerKeyValues('mtzdump', mtzHeaderValues);
registerKeyValues('gemmi_cell', mtzHeaderValues);
registerKeyValues('mtz_cell', mtzHeaderValues);

/** demo_copycell: the cell its reader sub-job found (and copied into the coordinate file). */
export function copyCellValues({ job }: ExtractorContext): KeyValue[] {
  const reader = (job as unknown as { mtzdump?: CPluginScript }).mtzdump;
  if (!reader) return [];
  return [
    ...outputValues(reader.container.content('outputData') as CContainer | undefined),
    ...mtzHeaderValues({ job: reader, tables: [] }).filter((kv) => kv.name === 'SPACEGROUP'),
  ];
}

registerKeyValues('demo_copycell', copyCellValues);

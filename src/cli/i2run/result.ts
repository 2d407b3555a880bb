import { existsSync } from 'node:fs';
import type { CPluginScript } from '../../plugins/index.js';
import type { ErrorEntry } from '../../report/index.js';
import { outputValues } from './summary.js';

/** i2run's final result, printed as text (summaryText) or, with --json, as one JSON object on stdout. */
export interface I2runResult {
  /** SUCCEEDED, FAILED, INTERRUPTED... for a job that ran; NOT_RUN when i2run refused before running it. */
  status: string;
  exitCode: number;
  jobDirectory?: string;
  /** Output parameters that are set, by their shortest name, as printed (files as full paths). */
  outputs: Record<string, string>;
  /** What the task says about how it ran (a task's `summaryItems`, e.g. demo_copycell's route). */
  notes: Record<string, string>;
  diagnostic?: string;
  errors: Pick<
    ErrorEntry,
    'className' | 'code' | 'severity' | 'description' | 'details' | 'objectPath' | 'file'
  >[];
}

/**
 * `[label, text]` pairs a task offers for i2run's summary: a plugin may define `summaryItems` (a getter or
 * property holding such pairs); anything else is ignored.
 */
export function summaryItems(plugin: CPluginScript): [string, string][] {
  const items = (plugin as { summaryItems?: unknown }).summaryItems;
  if (!Array.isArray(items)) return [];
  return items.filter(
    (x): x is [string, string] =>
      Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'string',
  );
}

export function jobResult(
  plugin: CPluginScript,
  o: { status: string; exitCode: number; jobDirectory: string; failed: boolean },
): I2runResult {
  return {
    status: o.status,
    exitCode: o.exitCode,
    jobDirectory: o.jobDirectory,
    outputs: o.failed ? {} : Object.fromEntries(outputValues(plugin.outputData)),
    notes: Object.fromEntries(summaryItems(plugin)),
    // Not when it is missing (a job whose directory was deleted while it ran): never name a file that is not there.
    ...(o.failed && existsSync(plugin.makeFileName('DIAGNOSTIC'))
      ? { diagnostic: plugin.makeFileName('DIAGNOSTIC') }
      : {}),
    errors: errorsOf(plugin.errorReport.entries),
  };
}

export function errorsOf(entries: readonly ErrorEntry[]): I2runResult['errors'] {
  return entries.map(({ className, code, severity, description, details, objectPath, file }) => ({
    className,
    code,
    severity,
    description,
    details,
    objectPath,
    ...(file ? { file } : {}),
  }));
}

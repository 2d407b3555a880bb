import { statSync } from 'node:fs';
import type { CContainer } from '../data/index.js';
import { Severity } from '../errors/severity.js';
import type { LoggraphLog } from '../formats/loggraph/index.js';
import { CPluginScript, statusName } from '../plugins/index.js';
import { keyValueExtractors, outputValues } from './key-values.js';
import {
  type JobReport,
  type KeyValue,
  REPORT_SCHEMA,
  REPORT_VERSION,
  type ReportMessage,
  type ReportStatus,
} from './model.js';
import { reportOutputs } from './outputs.js';

/** Loggraph warnings kept in a report; the rest are counted in one message. */
const MAX_LOG_MESSAGES = 100;

export interface BuildOptions {
  /** The loggraph content read so far from a job's program output. */
  logOf(job: CPluginScript): LoggraphLog | undefined;
  /** When the reporter saw the job start and end (sub-jobs: the times of their parameter files). */
  timesOf?(job: CPluginScript): { startedAt?: Date; finishedAt?: Date };
  now?: Date;
}

/** The report of a job (and, nested, of its sub-jobs) as it stands now. */
export function buildReport(job: CPluginScript, o: BuildOptions): JobReport {
  const now = o.now ?? new Date();
  const log = o.logOf(job);
  const tables = log?.tables ?? [];
  const times = o.timesOf?.(job) ?? {};
  const startedAt = times.startedAt ?? fileTime(job.makeFileName('JOB_INPUT'));
  const code = job.status;
  const final = code !== null && code !== CPluginScript.RUNNING;
  const finishedAt = final ? (times.finishedAt ?? fileTime(job.makeFileName('PARAMS')) ?? now) : undefined;
  const cls = job.pluginClass;
  const messages = jobMessages(job);
  if (log) messages.push(...logMessages(log, job.makeFileName('LOG')));
  const keyValues: KeyValue[] = [];
  // Generic values first (outputData), then the task's own; a later value of the same name replaces it.
  for (const kv of outputValues(job.container.content('outputData') as CContainer | undefined))
    addKv(keyValues, kv);
  for (const ex of keyValueExtractors(job.taskName)) {
    try {
      for (const kv of ex({ job, tables })) addKv(keyValues, kv);
    } catch (e) {
      messages.push({
        severity: 'warning',
        source: 'job',
        text: `key values of ${job.taskName}: ${(e as Error)?.message ?? String(e)}`,
      });
    }
  }
  const end = finishedAt ?? now;
  return {
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    task: job.taskName,
    ...(cls.TASKTITLE ? { title: cls.TASKTITLE } : {}),
    name: job.name,
    jobId: job.jobId,
    ...(job.jobNumber ? { jobNumber: job.jobNumber } : {}),
    directory: job.workDirectory,
    status: statusName(code) as ReportStatus,
    statusCode: code,
    ...(startedAt ? { startedAt: startedAt.toISOString() } : {}),
    ...(finishedAt ? { finishedAt: finishedAt.toISOString() } : {}),
    updatedAt: now.toISOString(),
    ...(startedAt ? { elapsedSeconds: Math.max(0, (end.getTime() - startedAt.getTime()) / 1000) } : {}),
    final,
    keyValues,
    tables,
    texts: (log?.texts ?? []).map((t) => ({ kind: t.kind, title: t.title, lines: t.lines, line: t.line })),
    outputs: final ? reportOutputs(job.container.content('outputData') as CContainer | undefined) : [],
    messages,
    children: job
      .children()
      .filter((c): c is CPluginScript => c instanceof CPluginScript)
      .map((c) => buildReport(c, { ...o, now })),
  };
}

function addKv(list: KeyValue[], kv: KeyValue): void {
  const i = list.findIndex((x) => x.name === kv.name);
  if (i >= 0) list[i] = kv;
  else list.push(kv);
}

function fileTime(path: string): Date | undefined {
  try {
    return statSync(path).mtime;
  } catch {
    return undefined;
  }
}

function jobMessages(job: CPluginScript): ReportMessage[] {
  return job.errorReport.entries.map((e) => ({
    severity:
      e.severity >= Severity.UNDEFINED_ERROR ? 'error' : e.severity === Severity.WARNING ? 'warning' : 'info',
    source: 'job',
    text: e.details ? `${e.description} (${e.details})` : e.description,
    className: e.className,
    code: e.code,
    ...(e.file ? { file: e.file } : {}),
    ...(e.line ? { line: e.line } : {}),
    ...(e.objectPath ? { objectPath: e.objectPath } : {}),
  }));
}

/** The program's own warnings ($TEXT:Warning blocks) and what the loggraph parser found wrong. */
function logMessages(log: LoggraphLog, file: string): ReportMessage[] {
  const out: ReportMessage[] = [];
  for (const t of log.texts)
    if (t.kind === 'text' && /warning/i.test(t.title))
      out.push({
        severity: 'warning',
        source: 'program',
        text: t.lines.join('\n').trim(),
        file,
        line: t.line,
      });
  for (const w of log.warnings.slice(0, MAX_LOG_MESSAGES))
    out.push({ severity: 'warning', source: 'log', text: w.message, code: undefined, file, line: w.line });
  if (log.warnings.length > MAX_LOG_MESSAGES)
    out.push({
      severity: 'warning',
      source: 'log',
      text: `${log.warnings.length - MAX_LOG_MESSAGES} more loggraph warnings`,
      file,
    });
  return out;
}

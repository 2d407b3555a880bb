import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ccp4Error } from '../errors/ccp4-error.js';
import { Severity } from '../errors/severity.js';
import { readRegularFileSync } from '../files/index.js';
import { parseLoggraphFile } from '../formats/loggraph/index.js';
import { registerErrorCodes } from '../report/error-codes.js';
import { type JobReport, REPORT_FILE, REPORT_SCHEMA, REPORT_VERSION } from './model.js';

export const REPORTS_ERROR_CLASS = 'JobReport';
export const REPORTS_ERROR_CODES = {
  101: { description: 'No job directory' },
  102: { description: 'The report file cannot be read' },
  103: { description: 'Not a job report' },
  104: { description: 'No report.json and no log.txt in the job directory' },
  105: { description: 'The graphs directory cannot be made' },
  106: { description: 'A graph cannot be written' },
  107: { description: 'The job report could not be stored in the database', severity: Severity.WARNING },
  108: { description: 'Which project? Name one with --project' },
  109: { description: 'Give a job directory or --job N' },
} as const;

registerErrorCodes(REPORTS_ERROR_CLASS, REPORTS_ERROR_CODES);

function fail(
  code: keyof typeof REPORTS_ERROR_CODES,
  file: string,
  details?: string,
  objectPath?: string,
): Ccp4Error {
  return new Ccp4Error({
    className: REPORTS_ERROR_CLASS,
    code,
    message: `${REPORTS_ERROR_CODES[code].description}${details ? `: ${details}` : ''}`,
    file,
    objectPath,
  });
}

/** Checks the parts every reader relies on; anything else in the object is passed through. */
export function validateReport(value: unknown, file: string, path = ''): JobReport {
  const r = value as Partial<JobReport> | null;
  const at = (k: string) => (path ? `${path}.${k}` : k);
  if (!r || typeof r !== 'object' || Array.isArray(r))
    throw fail(103, file, 'not a JSON object', path || undefined);
  if (r.schema !== REPORT_SCHEMA) throw fail(103, file, `schema is not '${REPORT_SCHEMA}'`, at('schema'));
  if (r.version !== REPORT_VERSION)
    throw fail(103, file, `version ${String(r.version)}, this reader knows ${REPORT_VERSION}`, at('version'));
  for (const k of ['task', 'status', 'directory'] as const)
    if (typeof r[k] !== 'string') throw fail(103, file, `${k} is not a string`, at(k));
  for (const k of ['keyValues', 'tables', 'texts', 'outputs', 'messages', 'children'] as const)
    if (!Array.isArray(r[k])) throw fail(103, file, `${k} is not an array`, at(k));
  (r.tables as unknown[]).forEach((t, i) => {
    const x = t as { title?: unknown; columns?: unknown; rows?: unknown; graphs?: unknown };
    if (
      typeof x?.title !== 'string' ||
      !Array.isArray(x.columns) ||
      !Array.isArray(x.rows) ||
      !Array.isArray(x.graphs)
    )
      throw fail(103, file, 'a table needs title, columns, graphs and rows', at(`tables[${i}]`));
  });
  (r.children as unknown[]).forEach((c, i) => {
    validateReport(c, file, at(`children[${i}]`));
  });
  return r as JobReport;
}

/** report.json of a job directory (or the file itself), validated. */
export function readReport(path: string): JobReport {
  const p = resolve(path);
  if (!existsSync(p)) throw fail(101, p);
  const file = statSync(p).isDirectory() ? join(p, REPORT_FILE) : p;
  let text: string;
  try {
    text = readRegularFileSync(file).toString('utf8');
  } catch (e) {
    throw fail(102, file, (e as Error).message);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw fail(103, file, `invalid JSON (${(e as Error).message})`);
  }
  return validateReport(value, file);
}

/**
 * The report of a job directory: its report.json, or, for a directory of a job run without a reporter,
 * what its log.txt says (status UNKNOWN, tables and texts only).
 */
export function reportOfDirectory(dir: string): JobReport {
  const d = resolve(dir);
  if (!existsSync(d) || !statSync(d).isDirectory()) throw fail(101, d);
  if (existsSync(join(d, REPORT_FILE))) return readReport(join(d, REPORT_FILE));
  const logFile = join(d, 'log.txt');
  if (!existsSync(logFile)) throw fail(104, d);
  const log = parseLoggraphFile(logFile);
  return {
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    task: 'unknown',
    name: '',
    jobId: null,
    directory: d,
    status: 'UNKNOWN',
    statusCode: null,
    updatedAt: statSync(logFile).mtime.toISOString(),
    final: true,
    keyValues: [],
    tables: log.tables,
    texts: log.texts.map((t) => ({ kind: t.kind, title: t.title, lines: t.lines, line: t.line })),
    outputs: [],
    messages: log.warnings.map((w) => ({
      severity: 'warning',
      source: 'log',
      text: w.message,
      file: logFile,
      line: w.line,
    })),
    children: [],
  };
}

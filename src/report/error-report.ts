import { Ccp4Error, isCcp4Error } from '../errors/ccp4-error.js';
import { isSeverity, Severity, severityName } from '../errors/severity.js';
import { lookupErrorCode } from './error-codes.js';

/** One problem: which class's table defines it, how bad, where. */
export interface ErrorEntry {
  className: string;
  code: number;
  severity: Severity;
  description: string;
  details: string;
  /** Dotted CData path (`container.inputData.HKLIN`) or '' when not about one object. */
  objectPath: string;
  /** File the problem concerns, when known. */
  file?: string;
  line?: number;
  /** ISO 8601 time the entry was made. */
  time: string;
}

export interface AppendOptions {
  details?: string;
  objectPath?: string;
  /** Overrides the severity of the class's ERROR_CODES table. */
  severity?: Severity;
  /** Overrides the table's description (for codes a class does not register). */
  description?: string;
  file?: string;
  line?: number;
}

export interface ErrorReportOptions {
  /**
   * Most entries kept per class and code; the rest are counted in one summary entry of that code
   * ("N more like this not listed"). For reports about files, where one bad construct repeated a
   * million times must not cost a million entries. Default: no limit.
   */
  maxPerCode?: number;
}

/**
 * CCP4i2's CErrorReport: an ordered list of coded problems. Descriptions and default severities come
 * from the per-class ERROR_CODES tables (error-codes.ts) so that callers give only class and code.
 */
export class CErrorReport implements Iterable<ErrorEntry> {
  readonly entries: ErrorEntry[] = [];
  readonly #maxPerCode: number;
  readonly #perCode = new Map<string, { kept: number; left: number; summary?: ErrorEntry }>();

  constructor(opts: ErrorReportOptions = {}) {
    this.#maxPerCode = opts.maxPerCode ?? Number.POSITIVE_INFINITY;
  }

  append(className: string, code: number, opts: AppendOptions = {}): ErrorEntry {
    const info = lookupErrorCode(className, code);
    const entry: ErrorEntry = {
      className,
      code,
      severity: opts.severity ?? info?.severity ?? Severity.ERROR,
      description: opts.description ?? info?.description ?? `error ${code}`,
      details: opts.details ?? '',
      objectPath: opts.objectPath ?? '',
      time: new Date().toISOString(),
    };
    if (opts.file !== undefined) entry.file = opts.file;
    if (opts.line !== undefined) entry.line = opts.line;
    this.push(entry);
    // Returned even when not kept (past maxPerCode), so that callers may still complete it.
    return entry;
  }

  /** Adds a ready-made entry (as read from diagnostic.xml). */
  push(entry: ErrorEntry): void {
    if (this.#maxPerCode === Number.POSITIVE_INFINITY) {
      this.entries.push(entry);
      return;
    }
    const key = `${entry.className} ${entry.code}`;
    let n = this.#perCode.get(key);
    if (!n) this.#perCode.set(key, (n = { kept: 0, left: 0 }));
    if (n.kept < this.#maxPerCode) {
      n.kept++;
      this.entries.push(entry);
      return;
    }
    n.left++;
    if (!n.summary) {
      n.summary = { ...entry, objectPath: '', line: undefined };
      delete n.summary.line;
      this.entries.push(n.summary);
    }
    // The summary is as severe as the worst entry it stands for.
    if (entry.severity > n.summary.severity) n.summary.severity = entry.severity;
    n.summary.details = `${n.left} more like this not listed (the first ${this.#maxPerCode} are above)`;
  }

  extend(other: CErrorReport | Iterable<ErrorEntry>): this {
    for (const e of other) this.push(e);
    return this;
  }

  /** Converts any thrown value: a Ccp4Error keeps its class, code, file and path; others are code 10. */
  static fromCcp4Error(e: unknown): CErrorReport {
    const r = new CErrorReport();
    r.appendError(e);
    return r;
  }

  appendError(e: unknown): ErrorEntry {
    if (isCcp4Error(e)) {
      return this.append(e.className, e.code, {
        description: e.message,
        details: e.details ?? '',
        objectPath: e.objectPath ?? '',
        severity: e.severity,
        file: e.file,
        line: e.line,
      });
    }
    return this.append('CErrorReport', 10, {
      details: e instanceof Error ? (e.stack ?? e.message) : String(e),
    });
  }

  get length(): number {
    return this.entries.length;
  }

  /** Highest severity present; OK for an empty report. */
  maxSeverity(): Severity {
    let max: Severity = Severity.OK;
    for (const e of this.entries) if (e.severity > max) max = e.severity;
    return max;
  }

  /** Entries at or above a severity (default ERROR). */
  errors(min: Severity = Severity.ERROR): ErrorEntry[] {
    return this.entries.filter((e) => e.severity >= min);
  }

  hasErrors(min: Severity = Severity.ERROR): boolean {
    return this.entries.some((e) => e.severity >= min);
  }

  [Symbol.iterator](): Iterator<ErrorEntry> {
    return this.entries[Symbol.iterator]();
  }

  /** Throws the first entry at or above `min` as a Ccp4Error (for callers that want exceptions). */
  throwIfErrors(min: Severity = Severity.ERROR): void {
    const e = this.entries.find((x) => x.severity >= min);
    if (e) throw entryToError(e);
  }

  /** One line per entry: `SEVERITY path: description (details) [Class code]`. */
  report(): string {
    return this.entries.map(formatEntry).join('\n');
  }
}

export function formatEntry(e: ErrorEntry): string {
  const where = [e.file && (e.line ? `${e.file}:${e.line}` : e.file), e.objectPath]
    .filter(Boolean)
    .join(': ');
  const details = e.details ? ` (${e.details})` : '';
  return `${severityName(e.severity)} ${where ? `${where}: ` : ''}${e.description}${details} [${e.className} ${e.code}]`;
}

export function entryToError(e: ErrorEntry): Ccp4Error {
  return new Ccp4Error({
    className: e.className,
    code: e.code,
    message: e.description,
    details: e.details || undefined,
    severity: isSeverity(e.severity) ? e.severity : Severity.ERROR,
    objectPath: e.objectPath || undefined,
    file: e.file,
    line: e.line,
  });
}

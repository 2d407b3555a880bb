import type { LoggraphTable } from '../formats/loggraph/index.js';

/**
 * The job report: what a job produced, as JSON (report.json in the job directory). The schema is
 * documented in docs/reports.md and versioned: fields are only ever added within a version.
 */
export const REPORT_SCHEMA = 'ccp4i2-ts/job-report';
export const REPORT_VERSION = 1;
export const REPORT_FILE = 'report.json';

/** CCP4i2's status names (plugins' statusName), or NOT_STARTED. */
export type ReportStatus =
  | 'NOT_STARTED'
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'INTERRUPTED'
  | 'MARK_TO_DELETE'
  | 'UNSATISFACTORY'
  /** A job directory without report.json (read from its log.txt). */
  | 'UNKNOWN';

/** A loggraph table of the job's log: cells as written, graphs with zero-based column indices. */
export type ReportTable = LoggraphTable;

export type KeyValueValue =
  | string
  | number
  | boolean
  | (string | number)[]
  | { [k: string]: string | number };

/** A value that says what the job found (the cell, the space group, R-free...). */
export interface KeyValue {
  /** Stable identifier (`CELL`, `SPACEGROUP`, `RESOLUTION`...). */
  name: string;
  /** For people. */
  label: string;
  value: KeyValueValue;
  /** The value as text, ready to show. */
  text: string;
  unit?: string;
}

/** A file the job wrote (an output parameter that is set). */
export interface ReportOutput {
  /** The parameter's name in outputData (`XYZOUT`, `HKLOUT`...). */
  name: string;
  /** Its CData class (`CPdbDataFile`, `CMtzDataFile`...): the file's type. */
  className: string;
  path: string | null;
  exists: boolean;
  /** Bytes, when it exists. */
  size?: number;
  annotation?: string;
}

export interface ReportMessage {
  severity: 'info' | 'warning' | 'error';
  /** `job`: the job's error report; `log`: the loggraph parser; `program`: a $TEXT:Warning block the program wrote. */
  source: 'job' | 'log' | 'program';
  text: string;
  className?: string;
  code?: number;
  file?: string;
  line?: number;
  objectPath?: string;
}

/** A `$TEXT` block or summary the program wrote (HTML markup removed). */
export interface ReportText {
  kind: 'text' | 'summary';
  title: string;
  lines: string[];
  line: number;
}

export interface JobReport {
  schema: typeof REPORT_SCHEMA;
  version: typeof REPORT_VERSION;
  task: string;
  title?: string;
  /** Object name (`demo_copycell`, `demo_copycell_1`...). */
  name: string;
  jobId: string | number | null;
  jobNumber?: string;
  directory: string;
  status: ReportStatus;
  /** CCP4i2's numeric status, null before the job starts. */
  statusCode: number | null;
  /** ISO 8601 times. */
  startedAt?: string;
  finishedAt?: string;
  updatedAt: string;
  elapsedSeconds?: number;
  /** False while the job runs (a live report). */
  final: boolean;
  keyValues: KeyValue[];
  tables: ReportTable[];
  texts: ReportText[];
  outputs: ReportOutput[];
  messages: ReportMessage[];
  /** Sub-jobs' reports, in the order they were created. */
  children: JobReport[];
}

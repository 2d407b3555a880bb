// Shapes of the server's JSON (docs/server.md). The UI talks HTTP only: these mirror, never import, src/.

export type PlainValue = null | number | string | boolean | PlainValue[] | { [key: string]: PlainValue };
export type QualifierValue = PlainValue;

export interface ApiErrorBody {
  error: {
    class: string;
    code: number;
    message: string;
    details?: string;
    file?: string;
    objectPath?: string;
    entries?: ValidationEntry[];
  };
  /** The job the request made before it failed (a submission SLURM refused: the job is Failed). */
  job?: Job;
}

export interface TaskSummary {
  name: string;
  title: string;
  category: string;
  source: string;
}

export type Kind = 'int' | 'float' | 'string' | 'boolean' | 'list' | 'container' | 'file' | 'composite';

export interface ParamNode {
  name: string;
  path: string;
  className: string;
  kind: Kind;
  qualifiers: Record<string, QualifierValue>;
  value: PlainValue;
  file?: {
    classes: string[];
    contentFlags: { flag: number; name: string; annotation: string }[];
    subTypes: { value: number; name: string; description: string }[];
  };
  children?: ParamNode[];
  subItem?: ParamNode;
}

export interface TaskDetail extends TaskSummary {
  params: ParamNode[];
}

export interface ValidationEntry {
  className: string;
  code: number;
  severity: number;
  severityName: string;
  description: string;
  details: string;
  path: string;
  objectPath: string;
}

export interface ValidationResult {
  valid: boolean;
  entries: ValidationEntry[];
}

export interface Project {
  id: string;
  name: string;
  directory: string;
  created: string;
  missing?: boolean;
}

export interface Job {
  id: string;
  projectId: string;
  number: string;
  parentId: string | null;
  taskName: string;
  title: string | null;
  status: number;
  statusName: string;
  created: string;
  started: string | null;
  finished: string | null;
  values?: Record<string, string | number>;
  /** Where it runs (`local`, `slurm`), its SLURM job id, and SLURM's state/reason while queued or running. */
  executor?: string;
  externalId?: string | null;
  executorState?: string | null;
}

/** GET /api/executors: the executors this server offers (slurm only where sbatch is found) and its default. */
export interface ExecutorsInfo {
  executors: string[];
  default: string;
}

/** The executor part of a run request. */
export interface RunChoice {
  executor: string;
  slurm?: Record<string, string | number | string[]>;
}

export interface JobDetail extends Job {
  directory: string;
  params: Record<string, PlainValue>;
  diagnostics: ValidationEntry[];
}

export interface ProjectFile {
  id: string;
  jobId: string | null;
  jobNumber: string | null;
  paramName: string | null;
  className: string | null;
  subType: number | null;
  contentFlag: number | null;
  annotation: string | null;
  path: string;
  relPath: string;
  size: number | null;
  created: string;
  importedFrom?: string | null;
  /** In a job's file list: whether the job read (`in`) or wrote (`out`) it. */
  role?: 'in' | 'out' | null;
  usedBy?: { jobId: string; jobNumber: string; paramName: string }[];
}

export interface ReportTable {
  title: string;
  type: 'GRAPHS' | 'SCATTER';
  columns: string[];
  graphs: { title: string; columns: number[]; scaling: { mode: string; ymin?: number; ymax?: number } }[];
  rows: string[][];
  complete: boolean;
}

export interface ReportText {
  kind: 'text' | 'summary';
  title: string;
  lines: string[];
}

export interface KeyValue {
  name: string;
  label: string;
  text: string;
  unit?: string;
}

export interface ReportOutput {
  name: string;
  className: string;
  path: string | null;
  exists: boolean;
  size?: number;
  annotation?: string;
}

export interface ReportMessage {
  severity: 'info' | 'warning' | 'error';
  source: string;
  text: string;
  className?: string;
  code?: number;
}

/** report.json (docs/reports.md): the parts the page shows. */
export interface JobReport {
  status: string;
  final: boolean;
  keyValues: KeyValue[];
  tables: ReportTable[];
  texts: ReportText[];
  outputs: ReportOutput[];
  messages: ReportMessage[];
}

/** A file of the job directory that the database does not list (log.txt, params.xml...). */
export interface JobDirFile {
  name: string;
  size: number;
}

/** CCP4i2's database status codes. */
export const STATUS = {
  0: 'Unknown',
  1: 'Pending',
  2: 'Queued',
  3: 'Running',
  4: 'Interrupted',
  5: 'Failed',
  6: 'Finished',
  7: 'Running remotely',
  8: 'File holder',
  9: 'To delete',
  10: 'Unsatisfactory',
} as const;

export const ACTIVE = new Set([2, 3, 7]);

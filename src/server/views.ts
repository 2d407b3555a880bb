import { relative } from 'node:path';
import {
  ACTIVE_STATUSES,
  type FileRecord,
  type JobDatabase,
  type JobRecord,
  jobStatusName,
  type ProjectRecord,
} from '../db/index.js';
import type { JobSource, JobView } from './project-feed.js';

/** Key values shown in a job list row (the first few; the job page has them all). */
const LIST_VALUES = 8;

export function jobView(j: JobRecord, values: Record<string, string | number> = {}): JobView {
  return {
    id: j.id,
    projectId: j.projectId,
    number: j.number,
    parentId: j.parentId,
    taskName: j.taskName,
    title: j.title,
    status: j.status,
    statusName: jobStatusName(j.status),
    created: j.created,
    started: j.started,
    finished: j.finished,
    values,
    executor: j.executor,
    externalId: j.executor === 'local' ? null : j.externalId,
    executorState: ACTIVE_STATUSES.includes(j.status) ? j.diagnostic : null,
  };
}

export interface ProjectView {
  id: string;
  name: string;
  directory: string;
  created: string;
  lastJobNumber: number;
}

export function projectView(p: ProjectRecord): ProjectView {
  return {
    id: p.id,
    name: p.name,
    directory: p.directory,
    created: p.created,
    lastJobNumber: p.lastJobNumber,
  };
}

export interface FileView extends FileRecord {
  /** Path relative to the project directory (what the browser shows). */
  relPath: string;
  jobNumber: string | null;
  importedFrom: string | null;
}

export function fileView(
  db: JobDatabase,
  project: ProjectRecord,
  f: FileRecord,
  numbers?: Map<string, string>,
): FileView {
  const jobNumber = f.jobId ? (numbers?.get(f.jobId) ?? db.jobs.get(f.jobId)?.number ?? null) : null;
  return {
    ...f,
    relPath: relative(project.directory, f.path),
    jobNumber,
    importedFrom: f.jobId ? null : (db.files.importOf(f.id)?.originalName ?? null),
  };
}

/**
 * The projects database as the project feed reads it: `PRAGMA data_version` (changes whenever another
 * connection commits; a microsecond to read) and a project's jobs with their key values (two queries).
 */
export function dbJobSource(db: JobDatabase): JobSource {
  const c = db.connection;
  return {
    version: () => c.sql.pragma('data_version', { simple: true }) as number,
    jobs: (projectId) => {
      const values = new Map<string, Record<string, string | number>>();
      const rows = c
        .stmt(
          `SELECT v.job_id AS jobId, v.key AS key, v.value_real AS r, v.value_text AS t FROM job_values v
           JOIN jobs j ON j.id = v.job_id WHERE j.project_id = ? ORDER BY v.job_id, v.key`,
        )
        .all(projectId) as { jobId: string; key: string; r: number | null; t: string | null }[];
      for (const v of rows) {
        let m = values.get(v.jobId);
        if (!m) values.set(v.jobId, (m = {}));
        if (Object.keys(m).length < LIST_VALUES) m[v.key] = v.t ?? v.r ?? '';
      }
      return db.jobs.list({ projectId }).map((j) => jobView(j, values.get(j.id)));
    },
  };
}

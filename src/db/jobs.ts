import { randomUUID } from 'node:crypto';
import type { Connection } from './connection.js';
import { dbError } from './errors.js';
import type { Projects } from './projects.js';
import { type JobRecord, type JobValueRecord, now } from './records.js';
import { ACTIVE_STATUSES, JOB_STATUS_NAMES, JobStatus } from './status.js';

/** Every column of a job row, named as JobRecord's fields (rows need no renaming: `jobs list` of 10,000). */
const JOB_COLUMNS = [
  'id',
  'project_id AS projectId',
  'number',
  'parent_id AS parentId',
  'task_name AS taskName',
  'task_version AS taskVersion',
  'title',
  'status',
  'directory',
  'created',
  'started',
  'finished',
  'last_seen AS lastSeen',
  'host',
  'pid',
  'pid_start_time AS pidStartTime',
  'executor',
  'external_id AS externalId',
  'exit_code AS exitCode',
  'exit_signal AS exitSignal',
  'cache_key AS cacheKey',
  'reused_from AS reusedFrom',
  'diagnostic',
];
const JOB_SELECT = JOB_COLUMNS.join(', ');

/**
 * A job row as one JSON object made by SQLite: the record's fields, `statusName` and `durationSeconds`
 * (to 0.1 s, to now while running), exactly as `jobStatusName` and the CLI's `durationSeconds` give them.
 * Making objects of 10,000 rows and stringifying them costs ~10x more than SQLite writing the JSON text.
 */
const JOB_JSON = (() => {
  const fields = JOB_COLUMNS.map((c) => {
    const [col, as] = c.split(' AS ');
    return `'${as ?? col}', ${col}`;
  });
  const names = Object.entries(JOB_STATUS_NAMES)
    .map(([code, name]) => `WHEN ${Number(code)} THEN '${name.replace(/'/g, "''")}'`)
    .join(' ');
  // Whole milliseconds between the two ISO times, then Math.round(ms / 100) / 10 (ms >= 0: (ms + 50) / 100).
  const ms = `CAST(round((unixepoch(coalesce(finished, 'now'), 'subsec') - unixepoch(started, 'subsec')) * 1000) AS INTEGER)`;
  return `json_object(${fields.join(', ')}, 'statusName', CASE status ${names} ELSE 'Unknown(' || status || ')' END, 'durationSeconds', CASE WHEN started IS NULL THEN NULL ELSE max(0, (${ms} + 50) / 100) / 10.0 END)`;
})();

/** Fields a caller may set on a job row (`update`). */
const COLUMNS: Record<string, string> = {
  title: 'title',
  taskVersion: 'task_version',
  status: 'status',
  directory: 'directory',
  started: 'started',
  finished: 'finished',
  lastSeen: 'last_seen',
  host: 'host',
  pid: 'pid',
  pidStartTime: 'pid_start_time',
  executor: 'executor',
  externalId: 'external_id',
  exitCode: 'exit_code',
  exitSignal: 'exit_signal',
  cacheKey: 'cache_key',
  reusedFrom: 'reused_from',
  diagnostic: 'diagnostic',
};

export type JobPatch = Partial<Pick<JobRecord, keyof typeof COLUMNS & keyof JobRecord>>;

export interface NewJob {
  projectId: string;
  taskName: string;
  /** The job directory; for a top-level job it may be chosen from the number (`directoryFor`). */
  directory?: string;
  /** Sub-jobs: the number the plugin gave them (`3.1`); top-level jobs get the next project number. */
  number?: string;
  parentId?: string | null;
  title?: string | null;
  taskVersion?: string | null;
  status?: JobStatus;
  executor?: string;
}

export interface ListFilter {
  projectId?: string;
  status?: number;
  /** null: top-level jobs only; an id: that job's sub-jobs; undefined: all. */
  parentId?: string | null;
}

/** Jobs and sub-jobs, their key values and their reports. */
export class Jobs {
  constructor(
    private readonly c: Connection,
    private readonly projects: Projects,
  ) {}

  /**
   * Creates a job. A top-level job without a number takes the project's next one; `directoryFor(n)`
   * may claim its directory (returning undefined when job_n is taken, e.g. by a job made without the
   * database) and the next number is tried. Number and row are one transaction: concurrent creators
   * never share a number.
   */
  create(job: NewJob, directoryFor?: (n: number) => string | undefined): JobRecord {
    return this.c.write(`recording a new ${job.taskName} job`, () => {
      let number = job.number;
      let directory = job.directory;
      if (number === undefined) {
        for (let tries = 0; number === undefined; tries++) {
          if (tries > 10_000) throw dbError(10, 'no free job number', { file: this.c.file });
          const n = this.projects.nextJobNumber(job.projectId);
          const dir = directoryFor ? directoryFor(n) : directory;
          if (dir !== undefined) {
            number = String(n);
            directory = dir;
          }
        }
      }
      if (directory === undefined) throw dbError(11, 'a job needs a directory', { file: this.c.file });
      const rec: JobRecord = {
        id: randomUUID(),
        projectId: job.projectId,
        number,
        parentId: job.parentId ?? null,
        taskName: job.taskName,
        taskVersion: job.taskVersion ?? null,
        title: job.title ?? null,
        status: job.status ?? JobStatus.PENDING,
        directory,
        created: now(),
        started: null,
        finished: null,
        lastSeen: null,
        host: null,
        pid: null,
        pidStartTime: null,
        executor: job.executor ?? 'local',
        externalId: null,
        exitCode: null,
        exitSignal: null,
        cacheKey: null,
        reusedFrom: null,
        diagnostic: null,
      };
      this.c
        .stmt(
          `INSERT INTO jobs (id, project_id, number, parent_id, task_name, task_version, title, status, directory, created, executor)
           VALUES (@id, @projectId, @number, @parentId, @taskName, @taskVersion, @title, @status, @directory, @created, @executor)`,
        )
        .run(rec);
      return rec;
    });
  }

  /** Sets fields of a job (one transaction). */
  update(id: string, patch: JobPatch, what = 'updating a job'): void {
    const keys = Object.keys(patch).filter(
      (k) => COLUMNS[k] && (patch as Record<string, unknown>)[k] !== undefined,
    );
    if (keys.length === 0) return;
    const sql = `UPDATE jobs SET ${keys.map((k) => `${COLUMNS[k]} = @${k}`).join(', ')} WHERE id = @id`;
    this.c.write(what, () => {
      this.c.stmt(sql).run({ ...patch, id });
    });
  }

  get(id: string): JobRecord | undefined {
    return this.c.read(
      'reading a job',
      () => this.c.stmt(`SELECT ${JOB_SELECT} FROM jobs WHERE id = ?`).get(id) as JobRecord | undefined,
    );
  }

  find(projectId: string, number: string): JobRecord | undefined {
    return this.c.read(
      'reading a job',
      () =>
        this.c
          .stmt(`SELECT ${JOB_SELECT} FROM jobs WHERE project_id = ? AND number = ?`)
          .get(projectId, number) as JobRecord | undefined,
    );
  }

  /** The job by number in the project (code 8 when absent). */
  require(projectId: string, number: string): JobRecord {
    const j = this.find(projectId, number);
    if (!j)
      throw dbError(8, `no job ${number} in this project`, {
        file: this.c.file,
        objectPath: `job ${number}`,
      });
    return j;
  }

  list(f: ListFilter = {}): JobRecord[] {
    const [where, args] = this.#where(f);
    const sql = `SELECT ${JOB_SELECT} FROM jobs${where} ORDER BY created, rowid`;
    return this.c.read('listing jobs', () => this.c.stmt(sql).all(args) as JobRecord[]);
  }

  /** The listed jobs as JSON texts, one per job (see JOB_JSON): what `jobs list --json` prints. */
  listJson(f: ListFilter = {}): string[] {
    const [where, args] = this.#where(f);
    const sql = `SELECT ${JOB_JSON} FROM jobs${where} ORDER BY created, rowid`;
    return this.c.read('listing jobs', () => this.c.stmt(sql).pluck().all(args) as string[]);
  }

  count(f: ListFilter = {}): number {
    const [where, args] = this.#where(f);
    const sql = `SELECT COUNT(*) AS n FROM jobs${where}`;
    return this.c.read('counting jobs', () => (this.c.stmt(sql).get(args) as { n: number }).n);
  }

  #where(f: ListFilter): [string, Record<string, unknown>] {
    const where: string[] = [];
    const args: Record<string, unknown> = {};
    if (f.projectId !== undefined) {
      where.push('project_id = @projectId');
      args.projectId = f.projectId;
    }
    if (f.status !== undefined) {
      where.push('status = @status');
      args.status = f.status;
    }
    if (f.parentId === null) where.push('parent_id IS NULL');
    else if (f.parentId !== undefined) {
      where.push('parent_id = @parentId');
      args.parentId = f.parentId;
    }
    return [where.length ? ` WHERE ${where.join(' AND ')}` : '', args];
  }

  /**
   * Top-level jobs something should be running (Queued, Running, Running remotely, or Pending with a
   * runner recorded: i2run registers itself before its job starts), for crash recovery to judge.
   */
  unfinished(projectId?: string): JobRecord[] {
    return this.withStatus([...ACTIVE_STATUSES, JobStatus.PENDING]).filter(
      (j) =>
        j.parentId === null &&
        (j.status !== JobStatus.PENDING || j.pid !== null) &&
        (projectId === undefined || j.projectId === projectId),
    );
  }

  /** The latest Finished job of the project with this cache key, other than `except` (resume). */
  cached(projectId: string, key: string, except: string): JobRecord | undefined {
    return this.c.read(
      'looking up the cache',
      () =>
        this.c
          .stmt(
            `SELECT ${JOB_SELECT} FROM jobs WHERE project_id = ? AND cache_key = ? AND status = ? AND id != ? ORDER BY finished DESC, rowid DESC LIMIT 1`,
          )
          .get(projectId, key, JobStatus.FINISHED, except) as JobRecord | undefined,
    );
  }

  /** Jobs in one of `statuses`, any project (crash recovery). */
  withStatus(statuses: readonly number[]): JobRecord[] {
    const sql = `SELECT ${JOB_SELECT} FROM jobs WHERE status IN (${statuses.map(() => '?').join(', ')})`;
    return this.c.read('listing jobs', () => this.c.stmt(sql).all(...statuses) as JobRecord[]);
  }

  /** The job and all its sub-jobs, depth first. */
  subtree(id: string): JobRecord[] {
    const out: JobRecord[] = [];
    const visit = (j: JobRecord) => {
      out.push(j);
      for (const c of this.list({ parentId: j.id })) visit(c);
    };
    const root = this.get(id);
    if (root) visit(root);
    return out;
  }

  delete(id: string): void {
    this.c.write('deleting a job', () => {
      this.c.stmt('DELETE FROM jobs WHERE id = ?').run(id);
    });
  }

  /** A key value the task reported (a cell length, R, R-free...), replacing an earlier one. */
  setValue(jobId: string, key: string, value: number | string): void {
    const type = typeof value === 'string' ? 'text' : Number.isInteger(value) ? 'int' : 'float';
    this.c.write('recording a job value', () => {
      this.c
        .stmt(
          'INSERT OR REPLACE INTO job_values (job_id, key, type, value_real, value_text) VALUES (?, ?, ?, ?, ?)',
        )
        .run(
          jobId,
          key,
          type,
          typeof value === 'number' ? value : null,
          typeof value === 'string' ? value : null,
        );
    });
  }

  values(jobId: string): JobValueRecord[] {
    const rows = this.c.read(
      'reading job values',
      () =>
        this.c.stmt('SELECT * FROM job_values WHERE job_id = ? ORDER BY key').all(jobId) as {
          job_id: string;
          key: string;
          type: JobValueRecord['type'];
          value_real: number | null;
          value_text: string | null;
        }[],
    );
    return rows.map((r) => ({
      jobId: r.job_id,
      key: r.key,
      type: r.type,
      value: r.type === 'text' ? r.value_text : r.value_real,
    }));
  }

  /**
   * The job's report (src/reports writes its JSON here, format `json`): one row per job, replaced on
   * each write, so a UI can read a running job's latest report.
   */
  setReport(jobId: string, content: string, format = 'json'): void {
    this.c.write('recording a job report', () => {
      this.c
        .stmt('INSERT OR REPLACE INTO job_reports (job_id, format, content, updated) VALUES (?, ?, ?, ?)')
        .run(jobId, format, content, now());
    });
  }

  report(jobId: string): { format: string; content: string; updated: string } | undefined {
    return this.c.read(
      'reading a job report',
      () =>
        this.c.stmt('SELECT format, content, updated FROM job_reports WHERE job_id = ?').get(jobId) as
          | { format: string; content: string; updated: string }
          | undefined,
    );
  }
}

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type CData, CDataFile, CList, loadParamsFile } from '../data/index.js';
import { isCcp4Error } from '../errors/ccp4-error.js';
import type { CPluginScript, PluginJobEvent } from '../plugins/plugin-script.js';
import { PluginStatus } from '../plugins/status.js';
import { type CErrorReport, formatEntry } from '../report/index.js';
import { cacheKey } from './cache-key.js';
import { type FileFacts, fileFacts } from './checksum.js';
import type { JobDatabase } from './database.js';
import { dbError } from './errors.js';
import type { NewFile } from './files.js';
import { type JobRecord, now, type ProjectRecord } from './records.js';
import { thisRunner } from './runner.js';
import { JobStatus, statusFromPlugin } from './status.js';

export interface RecorderOptions {
  project: ProjectRecord;
  /** The top-level job's row, made beforehand (Pending) by the job service or i2run. */
  job: JobRecord;
  /** How often the runner writes `last_seen` while the job runs (default 15 s; 0: never). */
  heartbeatMs?: number;
  /**
   * Resume: a job or sub-job whose cache key equals that of a Finished job of the project reuses that
   * job's outputs (its params.xml's outputData) instead of running; recorded Finished with `reused_from`.
   */
  resume?: boolean;
}

/** Files of a container (set and with a path), by parameter name. */
function* fileParams(
  container: CData | undefined,
): Generator<{ name: string; file: CDataFile; path: string }> {
  if (!container) return;
  for (const node of container.walk()) {
    if (!(node instanceof CDataFile) || !node.isSet()) continue;
    const path = node.getFullPath();
    if (path) yield { name: node.name, file: node, path };
  }
}

/** Plain values a task reported in outputData (a cell, R, R-free...), by dotted path below outputData. */
function* keyValues(node: CData, prefix = ''): Generator<[string, number | string]> {
  for (const c of node.contents()) {
    if (c instanceof CDataFile || c instanceof CList) continue;
    const key = prefix ? `${prefix}.${c.name}` : c.name;
    if (c.contents().length > 0) {
      yield* keyValues(c, key);
      continue;
    }
    if (!c.isSet()) continue;
    const v = c.get();
    if (typeof v === 'number' && Number.isFinite(v)) yield [key, v];
    else if (typeof v === 'string' && v.length <= 1000) yield [key, v];
    else if (typeof v === 'boolean') yield [key, v ? 1 : 0];
  }
}

/**
 * Records a plugin job and all its sub-jobs in the database by listening to its `jobEvent` signal (the
 * plugin runtime knows nothing of the database): each start (Running, runner identity, cache key, input
 * file uses) and each end (status, times, exit, output files and their uses, key values, diagnostic).
 * A database failure while recording (disk full...) fails the job with the coded error rather than
 * letting it run unrecorded. Returns a function that disconnects the recorder.
 */
export function recordJob(db: JobDatabase, plugin: CPluginScript, opts: RecorderOptions): () => void {
  const rows = new Map<CPluginScript, JobRecord>([[plugin, opts.job]]);
  const projectId = opts.project.id;
  let heartbeat: NodeJS.Timeout | undefined;
  const reused = new Set<CPluginScript>();

  const started = (job: CPluginScript) => {
    const runner = thisRunner();
    const key = cacheKey(job);
    const t = now();
    db.transaction(`recording the start of ${job.taskName}`, () => {
      let row = rows.get(job);
      const fields = {
        status: JobStatus.RUNNING,
        started: t,
        lastSeen: t,
        host: runner.host,
        pid: runner.pid,
        pidStartTime: runner.pidStartTime,
        cacheKey: key,
      };
      if (row)
        db.jobs.update(row.id, {
          ...fields,
          title: jobTitle(job) ?? row.title,
          taskVersion: row.taskVersion ?? version(job),
        });
      else {
        const parent = job.parentPlugin ? rows.get(job.parentPlugin) : undefined;
        if (!parent) return;
        row = db.jobs.create({
          projectId,
          taskName: job.taskName,
          number: job.jobNumber ?? `${parent.number}.${job.name}`,
          parentId: parent.id,
          directory: job.workDirectory,
          title: jobTitle(job),
          taskVersion: version(job),
          status: JobStatus.RUNNING,
        });
        rows.set(job, row);
        db.jobs.update(row.id, fields);
      }
      recordInputFiles(db, projectId, row.id, job);
    });
    if (opts.resume) reuseCached(job);
    if (job === plugin && opts.heartbeatMs !== 0) {
      heartbeat = setInterval(() => {
        try {
          db.jobs.update(opts.job.id, { lastSeen: now() }, 'heartbeat');
        } catch {
          // a missed heartbeat only makes "last seen" older
        }
      }, opts.heartbeatMs ?? 15_000);
      heartbeat.unref();
    }
  };

  /** Ends `job` at once with the outputs of the latest Finished job of the same key, if any. */
  const reuseCached = (job: CPluginScript) => {
    const row = rows.get(job);
    const key = row && db.jobs.get(row.id)?.cacheKey;
    const hit = row && key ? db.jobs.cached(projectId, key, row.id) : undefined;
    const params = hit && join(hit.directory, 'params.xml');
    if (!row || !hit || !params || !existsSync(params)) return;
    // Its own input_params.xml first, as a job that runs has: its inputs by its own names (`jobs key`
    // recomputes its key from them; the other job's params.xml names that job's input files).
    try {
      mkdirSync(job.workDirectory, { recursive: true });
      job.saveParams('JOB_INPUT');
    } catch {
      return; // its directory cannot be written: it runs instead, and fails saying why (CPluginScript 106)
    }
    // its params.xml: the same inputs (same key) and the outputs it made
    if (loadParamsFile(job.container, params, {}).report.hasErrors()) return; // unreadable: run instead
    reused.add(job);
    db.jobs.update(row.id, { reusedFrom: hit.id });
    void job.reportStatus(PluginStatus.SUCCEEDED);
  };

  const finished = (job: CPluginScript) => {
    const row = rows.get(job);
    if (!row) return;
    if (job === plugin) clearInterval(heartbeat);
    const status = statusFromPlugin(job.status ?? PluginStatus.FAILED);
    const r = job.processResult;
    const t = now();
    const failed = status !== JobStatus.FINISHED;
    const diagnostic = failed ? diagnosticText(job.errorReport) : null;
    const write = () =>
      db.transaction(`recording the end of ${job.taskName} ${row.number}`, () => {
        db.jobs.update(row.id, {
          status,
          finished: t,
          lastSeen: t,
          exitCode: r?.exitCode ?? null,
          exitSignal: r?.signal ?? null,
          diagnostic,
        });
        if (status === JobStatus.FINISHED) recordOutputFiles(db, projectId, row.id, job, reused.has(job));
      });
    try {
      write();
    } catch (e) {
      // The full write failed (disk full...): it was rolled back; a bare status write may still fit.
      db.jobs.update(row.id, {
        status: JobStatus.FAILED,
        finished: t,
        diagnostic: `the job's records could not be written: ${isCcp4Error(e) ? e.describe() : String(e)}`,
      });
      throw e;
    }
  };

  const onEvent = ({ job, event }: PluginJobEvent) => {
    try {
      if (event === 'started') started(job);
      else finished(job);
    } catch (e) {
      const err = isCcp4Error(e) ? e : dbError(10, String((e as Error)?.message ?? e), { file: db.file });
      job.errorReport.appendError(err);
      if (event === 'started' && !job.isFinished) void job.reportStatus(PluginStatus.FAILED);
    }
  };
  const disconnect = plugin.jobEvent.connect(onEvent);
  return () => {
    clearInterval(heartbeat);
    disconnect();
  };
}

/** A job's diagnostic column: the first entries of its error report (null when it has none). */
export function diagnosticText(report: CErrorReport): string | null {
  return (
    report.entries
      .slice(0, 5)
      .map((e) => formatEntry(e))
      .join('\n') || null
  );
}

/** The job title its guiAdmin holds, or null. */
export function jobTitle(job: CPluginScript): string | null {
  const t = job.guiAdmin?.content('jobTitle');
  return t?.isSet() ? String(t.get()) : null;
}

function version(job: CPluginScript): string | null {
  const v = job.pluginClass.TASKVERSION;
  return v === undefined ? null : String(v);
}

/** Input files: the project's record of each (made by an earlier job, or imported now), used 'in'. */
export function recordInputFiles(
  db: JobDatabase,
  projectId: string,
  jobId: string,
  job: CPluginScript,
): void {
  for (const { name, file, path } of fileParams(job.container.content('inputData'))) {
    const facts = fileFacts(path);
    let rec = db.files.byPath(projectId, path);
    if (rec && facts && rec.checksum !== facts.checksum) rec = undefined; // rewritten since
    if (!rec) {
      if (!facts) continue;
      rec = db.files.addImport(newFile(projectId, null, name, file, path, facts), path, facts.mtime);
    }
    db.files.addUse({ fileId: rec.id, jobId, role: 'in', paramName: name });
  }
}

/** Output files that exist, used 'out', and the key values of outputData. */
export function recordOutputFiles(
  db: JobDatabase,
  projectId: string,
  jobId: string,
  job: CPluginScript,
  reused = false,
): void {
  const out = job.container.content('outputData');
  for (const { name, file, path } of fileParams(out)) {
    const facts = fileFacts(path);
    if (!facts) continue;
    // A pipeline's output that one of its sub-jobs wrote (finished just before) is that sub-job's file:
    // one record, made by the sub-job, used 'out' by both. Outputs reused (resume) stay the files of the
    // job that made them.
    const known = db.files.byPath(projectId, path);
    const mine =
      known?.checksum === facts.checksum &&
      known.jobId !== null &&
      (reused || isBelow(db, known.jobId, jobId));
    const rec = mine ? known : db.files.add(newFile(projectId, jobId, name, file, path, facts));
    db.files.addUse({ fileId: rec.id, jobId, role: 'out', paramName: name });
  }
  if (out) for (const [k, v] of keyValues(out)) db.jobs.setValue(jobId, k, v);
}

/** Whether job `id` is a sub-job (at any depth) of job `ancestor`. */
function isBelow(db: JobDatabase, id: string, ancestor: string): boolean {
  for (let j = db.jobs.get(id); j?.parentId; j = db.jobs.get(j.parentId))
    if (j.parentId === ancestor) return true;
  return false;
}

/** The files row of a parameter's file. */
function newFile(
  projectId: string,
  jobId: string | null,
  paramName: string,
  file: CDataFile,
  path: string,
  facts: FileFacts,
): NewFile {
  const { className, subType, contentFlag, annotation } = file;
  const { size, checksum } = facts;
  return { projectId, jobId, paramName, className, subType, contentFlag, annotation, path, size, checksum };
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PlainValue } from '../../data/index.js';
import {
  cacheKeyMaterial,
  type JobDatabase,
  type JobRecord,
  JobStatus,
  jobStatusName,
  keyOfMaterial,
  type ProjectRecord,
} from '../../db/index.js';
import type { JobService } from '../../jobs/index.js';

// `ccp4i2 jobs key N [--against M]`: why --resume did (or would) not reuse a job. A job's key is
// recomputed from its parameters (input_params.xml, or params.xml for a job that reused another's), its
// input files by the checksums the database recorded when it ran (as they are now where it has none), and
// compared value by value with another job's: the latest Finished job of the same task unless --against
// names one.

/** One place where two jobs' key material differ (`missing`: the value is unset on that side). */
export interface KeyDifference {
  path: string;
  job: PlainValue | 'missing';
  against: PlainValue | 'missing';
}

export interface KeyReport {
  job: string;
  task: string;
  key: string;
  /** The key recorded when the job started; different from `key` when an input changed since. */
  recordedKey: string | null;
  /** The job whose results it reused (--resume), or null. */
  reusedFrom: string | null;
  material: Record<string, PlainValue>;
  against: null | {
    job: string;
    task: string;
    status: string;
    key: string;
    sameKey: boolean;
    differences: KeyDifference[];
  };
}

const isObject = (v: unknown): v is Record<string, PlainValue> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where two canonical values differ, by path (objects by member, lists by index). */
export function keyDifferences(
  a: PlainValue | undefined,
  b: PlainValue | undefined,
  path = '',
): KeyDifference[] {
  if (a === undefined && b === undefined) return [];
  if (isObject(a) && isObject(b)) {
    const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return names.flatMap((k) => keyDifferences(a[k], b[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    return Array.from({ length: n }, (_, i) => keyDifferences(a[i], b[i], `${path}[${i}]`)).flat();
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  return [{ path: path || '(whole)', job: a ?? 'missing', against: b ?? 'missing' }];
}

/** The key material and key of a job, from its parameters and its input files as recorded. */
function keyOf(db: JobDatabase, service: JobService, project: ProjectRecord, job: JobRecord) {
  const recorded = new Map<string, string>();
  for (const u of db.files.uses({ jobId: job.id })) {
    const f = u.role === 'in' ? db.files.get(u.fileId) : undefined;
    if (f?.checksum) recorded.set(f.path, f.checksum);
  }
  const paramsFile = ['input_params.xml', 'params.xml']
    .map((n) => join(job.directory, n))
    .find((p) => existsSync(p));
  const plugin = service.makePlugin(job, project, paramsFile ? { paramsFile } : {});
  const material = cacheKeyMaterial(plugin, (path) => recorded.get(path));
  return { material, key: keyOfMaterial(material) };
}

/** The latest Finished job of the same task, to compare with when no other is named. */
function defaultAgainst(db: JobDatabase, project: ProjectRecord, job: JobRecord) {
  return db.jobs
    .list({ projectId: project.id, status: JobStatus.FINISHED })
    .filter((j) => j.taskName === job.taskName && j.id !== job.id)
    .at(-1);
}

export function jobKey(
  db: JobDatabase,
  service: JobService,
  project: ProjectRecord,
  job: JobRecord,
  against?: JobRecord,
): KeyReport {
  const mine = keyOf(db, service, project, job);
  const other = against ?? defaultAgainst(db, project, job);
  let cmp: KeyReport['against'] = null;
  if (other) {
    const theirs = keyOf(db, service, project, other);
    cmp = {
      job: other.number,
      task: other.taskName,
      status: jobStatusName(other.status),
      key: theirs.key,
      sameKey: theirs.key === mine.key,
      differences: keyDifferences(mine.material, theirs.material),
    };
  }
  return {
    job: job.number,
    task: job.taskName,
    key: mine.key,
    recordedKey: job.cacheKey,
    reusedFrom: job.reusedFrom === null ? null : (db.jobs.get(job.reusedFrom)?.number ?? null),
    material: mine.material,
    against: cmp,
  };
}

const show = (v: PlainValue | 'missing') => (v === 'missing' ? '(unset)' : JSON.stringify(v));

export function jobKeyText(r: KeyReport): string {
  const lines = [`job ${r.job} (${r.task}): key ${r.key}`];
  if (r.reusedFrom !== null) lines.push(`  it reused the results of job ${r.reusedFrom} (--resume)`);
  if (r.recordedKey === null) lines.push('  no key was recorded for it (it never started)');
  else if (r.recordedKey !== r.key)
    lines.push(
      `  recorded at its start: ${r.recordedKey} (its inputs are not all recorded as they were then)`,
    );
  const a = r.against;
  if (!a) lines.push(`  no other Finished ${r.task} job in the project to compare with`);
  else if (a.sameKey)
    lines.push(
      `  the same key as job ${a.job} (${a.task}, ${a.status}): --resume reuses it when it is Finished`,
    );
  else {
    lines.push(`  against job ${a.job} (${a.task}, ${a.status}): ${a.differences.length} difference(s)`);
    for (const d of a.differences) lines.push(`    ${d.path}: ${show(d.job)} here, ${show(d.against)} there`);
  }
  return `${lines.join('\n')}\n`;
}

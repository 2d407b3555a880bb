import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FileRecord, JobDatabase, JobRecord } from '../../db/index.js';
import { jobStatusName } from '../../db/index.js';
import { durationSeconds } from './job-context.js';

/** A file a job read or wrote, with where it came from (the producing job, or imported) and who used it. */
export interface FileView {
  role: 'in' | 'out';
  paramName: string;
  path: string;
  className: string | null;
  size: number | null;
  checksum: string | null;
  /** The job that made it ("3.1"), or null for an imported file. */
  producedBy: string | null;
  /** Original name of an imported file. */
  importedFrom: string | null;
  /** Jobs that used it as input. */
  usedBy: string[];
}

/** Number of a job id, cached (provenance lists). */
function numberOf(db: JobDatabase, cache: Map<string, string>, id: string | null): string | null {
  if (id === null) return null;
  let n = cache.get(id);
  if (n === undefined) {
    n = db.jobs.get(id)?.number ?? '?';
    cache.set(id, n);
  }
  return n;
}

export function fileView(
  db: JobDatabase,
  f: FileRecord,
  role: 'in' | 'out',
  paramName: string,
  cache = new Map<string, string>(),
): FileView {
  return {
    role,
    paramName,
    path: f.path,
    className: f.className,
    size: f.size,
    checksum: f.checksum,
    producedBy: numberOf(db, cache, f.jobId),
    importedFrom: f.jobId === null ? (db.files.importOf(f.id)?.originalName ?? null) : null,
    usedBy: db.files
      .uses({ fileId: f.id })
      .filter((u) => u.role === 'in')
      .map((u) => numberOf(db, cache, u.jobId) ?? '?'),
  };
}

/** Everything `jobs show` prints. */
export function jobShow(db: JobDatabase, job: JobRecord) {
  const cache = new Map<string, string>();
  const files = db.files.uses({ jobId: job.id }).flatMap((u) => {
    const f = db.files.get(u.fileId);
    return f ? [fileView(db, f, u.role, u.paramName, cache)] : [];
  });
  const params =
    ['params.xml', 'input_params.xml'].map((n) => join(job.directory, n)).find((p) => existsSync(p)) ?? null;
  const diagnostic = join(job.directory, 'diagnostic.xml');
  return {
    job: {
      ...job,
      statusName: jobStatusName(job.status),
      durationSeconds: durationSeconds(job.started, job.finished),
    },
    reusedFrom: numberOf(db, cache, job.reusedFrom),
    parameters: params,
    diagnosticFile: existsSync(diagnostic) ? diagnostic : null,
    inputs: files.filter((f) => f.role === 'in'),
    outputs: files.filter((f) => f.role === 'out'),
    values: db.jobs.values(job.id).map((v) => ({ key: v.key, type: v.type, value: v.value })),
    subJobs: db.jobs.list({ parentId: job.id }).map((j) => ({
      number: j.number,
      taskName: j.taskName,
      status: j.status,
      statusName: jobStatusName(j.status),
    })),
    directoryMissing: !existsSync(job.directory),
  };
}

export function jobShowText(d: ReturnType<typeof jobShow>): string {
  const j = d.job;
  const out = [
    `job ${j.number}: ${j.taskName}${j.title ? ` — ${j.title}` : ''}`,
    `status: ${j.statusName}${j.exitCode !== null ? ` (exit ${j.exitCode})` : ''}${j.exitSignal ? ` (signal ${j.exitSignal})` : ''}`,
    `directory: ${j.directory}${d.directoryMissing ? ' (missing)' : ''}`,
    `created ${j.created}${j.started ? `, started ${j.started}` : ''}${j.finished ? `, finished ${j.finished}` : ''}${j.durationSeconds !== null ? ` (${j.durationSeconds} s)` : ''}`,
  ];
  if (j.executor === 'slurm')
    out.push(
      `runner: SLURM job ${j.externalId ?? '(not submitted)'}${j.host ? ` (submitted from ${j.host})` : ''}`,
    );
  else if (j.host)
    out.push(
      `runner: ${j.executor} pid ${j.pid ?? '-'} on ${j.host}${j.externalId && j.externalId !== String(j.pid) ? ` (${j.externalId})` : ''}`,
    );
  if (d.reusedFrom) out.push(`outputs reused from job ${d.reusedFrom} (resume)`);
  if (d.parameters) out.push(`parameters: ${d.parameters}`);
  const file = (f: FileView) =>
    `  ${f.paramName}: ${f.path}${f.producedBy ? ` (from job ${f.producedBy})` : f.importedFrom ? ' (imported)' : ''}${f.usedBy.length && f.role === 'out' ? ` used by ${f.usedBy.join(', ')}` : ''}`;
  if (d.inputs.length) out.push('inputs:', ...d.inputs.map(file));
  if (d.outputs.length) out.push('outputs:', ...d.outputs.map(file));
  if (d.values.length) out.push('values:', ...d.values.map((v) => `  ${v.key} = ${v.value}`));
  if (d.subJobs.length)
    out.push('sub-jobs:', ...d.subJobs.map((s) => `  ${s.number} ${s.taskName} ${s.statusName}`));
  if (j.diagnostic) out.push('errors:', ...j.diagnostic.split('\n').map((l) => `  ${l}`));
  if (d.diagnosticFile) out.push(`error report: ${d.diagnosticFile}`);
  return `${out.join('\n')}\n`;
}

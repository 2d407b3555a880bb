import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVE_STATUSES, type JobRecord } from '../db/index.js';
import { type JobReport, REPORT_FILE, readReport } from '../reports/index.js';
import type { ServerContext } from './context.js';
import { i2runCommand, setValues } from './job-params.js';
import type { JobView } from './project-feed.js';
import { jobView } from './views.js';

export interface DiagnosticEntry {
  className: string;
  code: number;
  severity: number;
  severityName: string;
  description: string;
  details: string;
  path: string;
  objectPath: string;
}

export interface JobDetail extends JobView {
  directory: string;
  executor: string;
  diagnostic: string | null;
  params: Record<string, unknown>;
  diagnostics: DiagnosticEntry[];
}

const SEVERITY = { info: 1, warning: 2, error: 4 } as const;

/** The job's report.json, when it has one that reads (a running job's is rewritten as it goes). */
export function jobReport(job: JobRecord): JobReport | undefined {
  const f = join(job.directory, REPORT_FILE);
  if (!existsSync(f)) return undefined;
  try {
    return readReport(f);
  } catch {
    return undefined;
  }
}

/** Everything the job page shows about a job besides its log and report. */
export function jobDetail(ctx: ServerContext, job: JobRecord): JobDetail {
  const values: Record<string, string | number> = {};
  for (const v of ctx.db.jobs.values(job.id)) if (v.value !== null) values[v.key] = v.value;
  let params: Record<string, unknown> = {};
  try {
    params = setValues(ctx.service.makePlugin(job, ctx.service.project(job)).container);
  } catch {
    // A task no longer registered, or unreadable parameters: the page shows the rest.
  }
  const diagnostics: DiagnosticEntry[] = [];
  // While it runs, the diagnostic is the executor's word (SLURM's state and reason), not a failure.
  const active = ACTIVE_STATUSES.includes(job.status);
  if (job.diagnostic)
    diagnostics.push({
      className: 'job',
      code: 0,
      severity: active ? SEVERITY.info : SEVERITY.error,
      severityName: active ? 'INFO' : 'ERROR',
      description: job.diagnostic,
      details: '',
      path: '',
      objectPath: '',
    });
  for (const m of jobReport(job)?.messages ?? [])
    diagnostics.push({
      className: m.className ?? m.source,
      code: m.code ?? 0,
      severity: SEVERITY[m.severity],
      severityName: m.severity.toUpperCase(),
      description: m.text,
      details: m.file ? `${m.file}${m.line ? `:${m.line}` : ''}` : '',
      path: '',
      objectPath: m.objectPath ?? '',
    });
  return {
    ...jobView(job, values),
    directory: job.directory,
    executor: job.executor,
    diagnostic: job.diagnostic,
    params,
    diagnostics,
  };
}

export function jobI2run(ctx: ServerContext, job: JobRecord): string {
  const project = ctx.service.project(job);
  return i2runCommand(job.taskName, ctx.service.makePlugin(job, project).container, project.directory);
}

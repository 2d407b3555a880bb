import { realpathSync, rmSync } from 'node:fs';
import { isTerminal, type JobRecord } from '../db/index.js';
import { jobsDirectory } from '../jobs/index.js';
import { isWithin } from './confine.js';
import type { ServerContext } from './context.js';
import { serverError } from './errors.js';

/**
 * The jobs a delete removes: the job with its sub-jobs and, when `dependants` is set, every later job
 * that read one of their output files (and theirs, transitively). Without `dependants`, such jobs are a
 * 409 naming them: deleting would break their provenance silently.
 */
export function jobsToDelete(ctx: ServerContext, job: JobRecord, dependants: boolean): JobRecord[] {
  if (job.parentId !== null) throw serverError(8, `job ${job.number} is a sub-job: delete its top-level job`);
  const chosen = new Map<string, JobRecord>();
  const queue = [job];
  while (queue.length) {
    const top = queue.shift()!;
    if (chosen.has(top.id)) continue;
    const tree = ctx.db.jobs.subtree(top.id);
    for (const j of tree) chosen.set(j.id, j);
    const users = ctx.db.files
      .consumersOf(tree.map((j) => j.id))
      .map((c) => ctx.db.jobs.get(c.jobId))
      .filter((j): j is JobRecord => j !== undefined && !chosen.has(j.id));
    const roots = new Map<string, JobRecord>();
    for (const u of users) {
      let root = u;
      while (root.parentId) root = ctx.db.jobs.get(root.parentId) ?? { ...root, parentId: null };
      roots.set(root.id, root);
    }
    if (roots.size && !dependants) {
      const numbers = [...roots.values()].map((r) => r.number).join(', ');
      throw serverError(8, `job ${job.number} has dependants: job(s) ${numbers} used its outputs`, {
        details: 'delete with dependants=true to delete them too',
      });
    }
    queue.push(...roots.values());
  }
  const all = [...chosen.values()];
  const running = all.filter((j) => !isTerminal(j.status) && j.status !== 1);
  if (running.length)
    throw serverError(
      8,
      `job ${running[0]!.number} is ${running[0]!.status === 2 ? 'queued' : 'running'}: cancel it first`,
    );
  return all;
}

/** Deletes the rows, then each top-level job's directory when it is inside the project's CCP4_JOBS. */
export function deleteJobs(ctx: ServerContext, jobs: JobRecord[]): string[] {
  const tops = jobs.filter((j) => j.parentId === null || !jobs.some((p) => p.id === j.parentId));
  ctx.db.transaction('deleting jobs', () => {
    for (const j of tops) ctx.db.jobs.delete(j.id);
  });
  for (const j of tops) {
    const project = ctx.db.projects.get(j.projectId);
    if (!project) continue;
    try {
      const root = realpathSync(jobsDirectory(project));
      const dir = realpathSync(j.directory);
      if (dir !== root && isWithin(root, dir)) rmSync(dir, { recursive: true, force: true });
    } catch {
      // Already gone: the rows were the point.
    }
  }
  ctx.changed();
  return jobs.map((j) => j.id);
}

import { Ccp4Error } from '../../errors/ccp4-error.js';
import type { JobReport } from '../../reports/index.js';

/**
 * The report of job N of a project, from the database (read-only): its stored report (`job_reports`), or
 * for a job recorded without one, what its directory holds. One project in the database needs no name.
 */
export async function reportOfJob(number: string, o: { project?: string; db?: string }): Promise<JobReport> {
  const { JobDatabase } = await import('../../db/core.js');
  const { reportOfDirectory, validateReport, REPORTS_ERROR_CLASS } = await import('../../reports/index.js');
  const db = JobDatabase.open(o.db, { readonly: true });
  try {
    let project = o.project === undefined ? undefined : db.projects.require(o.project);
    if (!project) {
      const all = db.projects.list();
      if (all.length !== 1)
        throw new Ccp4Error({
          className: REPORTS_ERROR_CLASS,
          code: 108,
          message: `${all.length === 0 ? 'No project' : 'Several projects'} in the database: name one with --project`,
          details: all.length ? `projects: ${all.map((p) => p.name).join(', ')}` : undefined,
          file: db.file,
        });
      project = all[0]!;
    }
    const job = db.jobs.require(project.id, number);
    const stored = db.jobs.report(job.id);
    if (!stored) return reportOfDirectory(job.directory);
    let value: unknown;
    try {
      value = JSON.parse(stored.content);
    } catch (e) {
      throw new Ccp4Error({
        className: REPORTS_ERROR_CLASS,
        code: 103,
        message: `Not a job report: invalid JSON (${(e as Error).message})`,
        file: db.file,
        objectPath: `job ${number}`,
      });
    }
    return validateReport(value, db.file, `job ${number}`);
  } finally {
    db.close();
  }
}

import { isCcp4Error } from '../errors/ccp4-error.js';
import { type JobReport, type JobReporter, REPORTS_ERROR_CLASS } from '../reports/index.js';
import type { JobDatabase } from './database.js';
import type { JobRecord } from './records.js';

/**
 * Keeps a job's report in the database (`job_reports`, format `json`) as the reporter publishes it: the
 * whole nested report in the top-level job's row while it runs (at the reporter's bounded rate) and when it
 * ends; then each sub-job's own report in its row (found by its number). A report that cannot be written
 * is a warning on the job, never a failed job. Returns a function that disconnects it.
 */
export function recordReports(db: JobDatabase, reporter: JobReporter, job: JobRecord): () => void {
  let warned = false;
  return reporter.updated.connect((report) => {
    try {
      if (report.final) storeReport(db, job, report);
      else db.jobs.setReport(job.id, JSON.stringify(report));
    } catch (e) {
      if (warned) return;
      warned = true;
      reporter.job.errorReport.append(REPORTS_ERROR_CLASS, 107, {
        details: isCcp4Error(e) ? e.describe() : String((e as Error)?.message ?? e),
        file: db.file,
      });
    }
  });
}

/**
 * Stores a job's final report: the whole nested report in the job's row, then each sub-job's own report
 * in its row (found by its number). Also used for report.json files written where there is no database.
 */
export function storeReport(db: JobDatabase, job: JobRecord, report: JobReport): void {
  db.jobs.setReport(job.id, JSON.stringify(report));
  for (const c of descendants(report)) {
    const row = c.jobNumber ? db.jobs.find(job.projectId, c.jobNumber) : undefined;
    if (row) db.jobs.setReport(row.id, JSON.stringify(c));
  }
}

function* descendants(r: JobReport): Generator<JobReport> {
  for (const c of r.children) {
    yield c;
    yield* descendants(c);
  }
}

import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JobReport, REPORT_FILE } from './model.js';

/**
 * Writes report.json into the job directory atomically (a temporary file renamed over it), so a reader
 * never sees half a report. Returns false when the directory does not exist (the job has not started).
 */
export function writeReport(report: JobReport, directory = report.directory): boolean {
  if (!existsSync(directory)) return false;
  const file = join(directory, REPORT_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(report)}\n`);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return true;
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../files/index.js';
import { type JobReport, REPORT_FILE } from './model.js';

/**
 * Writes report.json into the job directory atomically (a temporary file renamed over it), so a reader
 * never sees half a report. Returns false when the directory does not exist (the job has not started).
 */
export function writeReport(report: JobReport, directory = report.directory): boolean {
  if (!existsSync(directory)) return false;
  const file = join(directory, REPORT_FILE);
  writeFileAtomicSync(file, `${JSON.stringify(report)}\n`);
  return true;
}

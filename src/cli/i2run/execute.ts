import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CPluginScript, statusName } from '../../plugins/index.js';
import { stopWarmUp, warmUpContainment } from '../../process/index.js';
import { formatEntry } from '../../report/index.js';
import type { JobReporter } from '../../reports/index.js';
import { EXIT } from './errors.js';
import { type I2runIo, type InterruptState, print } from './io.js';
import { jobResult } from './result.js';
import { StatusLine } from './status.js';
import { summaryText } from './summary.js';

/**
 * Runs the job (`run`) with the live status, Ctrl-C wired to cancel(), then prints the summary (job directory,
 * status, outputs or the error report; with `json`, one JSON object instead). Resolves to the exit status.
 */
export async function execute(
  plugin: CPluginScript,
  job: { number: number; directory: string },
  io: I2runIo,
  state: InterruptState,
  json = false,
  /**
   * How the job is run (recorded in the database, its report kept there too by the job service); default:
   * the plugin's own process(). Given the job's reporter, made here.
   */
  run: (reporter: JobReporter) => Promise<number> = () => plugin.process(),
): Promise<number> {
  const status = new StatusLine({ task: plugin.taskName, job: String(job.number), stream: io.stderr });
  plugin.logLine.connect((l) => status.line(l.text, l.job === plugin ? '' : l.job.taskName));
  state.onInterrupt = () => {
    status.note(
      state.count === 1
        ? 'interrupt: cancelling the job and its programs...'
        : 'still stopping the job (programs get SIGKILL after a grace period)',
    );
    plugin.cancel();
  };
  // The job's report.json, written when it ends (and while it runs); its summary is printed below.
  const { attachReporter, REPORT_FILE, reportSummaryLines } = await import('../../reports/index.js');
  const reporter = attachReporter(plugin);
  status.start(job.directory);
  // Creating a job and its sub-job runs without a pause: a write now, not on the next timer, so that the
  // kernel's wait before the cgroup move around the program's spawn is over by then (process/cgroup.ts).
  warmUpContainment();
  plugin.jobEvent.connect((e) => {
    if (e.event === 'started') warmUpContainment();
  });
  let final: number;
  try {
    final = await run(reporter);
  } finally {
    stopWarmUp();
    status.stop();
    state.onInterrupt = undefined;
  }
  const failed = final !== 0;
  const exitCode = final === 0 ? EXIT.SUCCEEDED : final === 2 ? EXIT.INTERRUPTED : EXIT.FAILED;
  const result = jobResult(plugin, {
    status: statusName(final),
    exitCode,
    jobDirectory: job.directory,
    failed,
  });
  if (json) {
    print(io.stdout, JSON.stringify(result, null, 1));
    return exitCode;
  }
  print(
    io.stdout,
    summaryText({
      jobDirectory: job.directory,
      status: result.status,
      outputs: Object.entries(result.outputs),
      notes: Object.entries(result.notes),
      diagnostic: result.diagnostic,
    }),
  );
  if (!reporter.lastWriteError && existsSync(join(plugin.workDirectory, REPORT_FILE)))
    print(
      io.stdout,
      reportSummaryLines(
        reporter.report,
        join(plugin.workDirectory, REPORT_FILE),
        Object.keys(result.notes).map((n) => n.toUpperCase()),
      ).join('\n'),
    );
  if (failed && plugin.errorReport.length > 0)
    print(io.stderr, plugin.errorReport.entries.map(formatEntry).join('\n'));
  return exitCode;
}

import { collector, type LoggraphLog, LoggraphParser } from '../formats/loggraph/index.js';
import { Signal } from '../object/index.js';
import type { CPluginScript, PluginOutputLine } from '../plugins/index.js';
import { buildReport } from './build.js';
import type { JobReport } from './model.js';
import { writeReport } from './write.js';

export interface ReporterOptions {
  /** Least time between two writes of report.json while the job runs (default 1000 ms). */
  intervalMs?: number;
  /** Write report.json (default true); false keeps the report in memory only. */
  write?: boolean;
}

interface JobLog {
  parser: LoggraphParser;
  log: LoggraphLog;
}

/**
 * Builds a job's report from its signals: `logLine` feeds each (sub-)job's program output to a loggraph
 * parser, `finished` writes the final report.json (before `process()` resolves), and in between the
 * report is rewritten at most once per `intervalMs` while output arrives. `updated` carries each new
 * report (for a database or a server). Attach before calling `process()`.
 */
export class JobReporter {
  /** Emitted with the report each time it is written (live, at the bounded rate, then final). */
  readonly updated = new Signal<JobReport>('reportUpdated');
  readonly job: CPluginScript;
  /** The last error writing report.json (the report is still available in memory). */
  lastWriteError: unknown;
  readonly #opts: Required<ReporterOptions>;
  readonly #logs = new Map<CPluginScript, JobLog>();
  readonly #startedAt = new Date();
  #finishedAt: Date | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastWrite = 0;
  #final: JobReport | undefined;
  readonly #disconnect: (() => void)[] = [];

  constructor(job: CPluginScript, options: ReporterOptions = {}) {
    this.job = job;
    this.#opts = { intervalMs: options.intervalMs ?? 1000, write: options.write ?? true };
    this.#disconnect.push(
      job.logLine.connect((line) => this.#line(line)),
      job.finished.connect(() => this.#finish()),
    );
  }

  /** The report as it stands (final once the job has finished). */
  get report(): JobReport {
    return this.#final ?? this.#build();
  }

  /** Stops listening (the final report stays available). */
  detach(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const d of this.#disconnect.splice(0)) d();
  }

  #logOf(job: CPluginScript): JobLog {
    let l = this.#logs.get(job);
    if (!l) {
      const c = collector();
      l = { parser: new LoggraphParser(c.handlers), log: c.log };
      this.#logs.set(job, l);
    }
    return l;
  }

  #line(line: PluginOutputLine): void {
    if (line.stream !== 'stdout' || this.#final) return;
    const l = this.#logOf(line.job);
    // A piece of an overlong line: the rest follows, the parser joins them.
    if (line.incomplete) l.parser.write(line.text);
    else l.parser.write(`${line.text}\n`);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer || !this.#opts.write) return;
    const wait = Math.max(0, this.#lastWrite + this.#opts.intervalMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#final) return;
      this.#publish(this.#build());
      // Counted from the end of the write: a slow write (a loaded machine) never shortens the next pause.
      this.#lastWrite = Date.now();
    }, wait);
    this.#timer.unref?.();
  }

  #build(): JobReport {
    return buildReport(this.job, {
      logOf: (j) => this.#logs.get(j)?.log,
      timesOf: (j) => (j === this.job ? { startedAt: this.#startedAt, finishedAt: this.#finishedAt } : {}),
    });
  }

  #finish(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#finishedAt = new Date();
    for (const l of this.#logs.values()) l.parser.end();
    const report = this.#build();
    this.#final = report;
    this.#publish(report, true);
    this.detach();
  }

  #publish(report: JobReport, final = false): void {
    if (this.#opts.write) {
      try {
        writeReport(report);
        // Sub-jobs get their own report.json once the whole job has ended (each directory is complete).
        if (final) for (const c of descendants(report)) writeReport(c);
      } catch (e) {
        this.lastWriteError = e;
      }
    }
    this.updated.emit(report);
  }
}

function* descendants(r: JobReport): Generator<JobReport> {
  for (const c of r.children) {
    yield c;
    yield* descendants(c);
  }
}

/** Attaches a reporter to a job (before `process()`); report.json is written when it ends. */
export function attachReporter(job: CPluginScript, options?: ReporterOptions): JobReporter {
  return new JobReporter(job, options);
}

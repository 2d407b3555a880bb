import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CContainer,
  type CInt,
  type FileContext,
  loadDefFile,
  loadParamsFile,
  saveParamsFile,
} from '../data/index.js';
import { isCcp4Error } from '../errors/ccp4-error.js';
import { Severity } from '../errors/severity.js';
import {
  connectSignal as connectFinished,
  type FinishedPayload,
  HierarchicalObject,
  Signal,
} from '../object/index.js';
import {
  type ConcurrencyLimiter,
  type OutputLine,
  type ProgramRun,
  type RunResult,
  startProgram,
  stopOnInterrupt,
} from '../process/index.js';
import {
  type AppendOptions,
  CErrorReport,
  type ErrorCodeTable,
  writeDiagnosticXml,
} from '../report/index.js';
import { renderCommand, type TemplateSource } from './command.js';
import { ensureJobDirectory, type JobFileFormat, jobFileName, writeJobFile } from './job-files.js';
import { checkOutputTargets } from './output-checks.js';
import { assignDefaultOutputPaths, checkOutputFiles } from './output-paths.js';
import { appendException, exceptionEntry, PLUGIN_CLASS, registerClassErrorCodes } from './plugin-errors.js';
import { reportProgramRun } from './program-outcome.js';
import { type TaskClass, type TaskRegistry, taskRegistry } from './registry.js';
import { addStandardContainers } from './standard-containers.js';
import { isFinishStatus, PluginStatus, statusName } from './status.js';

/** Options of a plugin; makePluginObject passes them on to sub-jobs (see INHERITED). */
export interface PluginOptions {
  /** Object name (default TASKNAME); sub-jobs are named `<parent>_<N>`. */
  name?: string;
  parent?: CPluginScript | null;
  /** The job directory (created when the job starts). Default: the current directory, as CCP4i2. */
  workDirectory?: string;
  /** The task's .def.xml; default the registry's entry for TASKNAME, else the class's DEF_FILE; null: none. */
  defFile?: string | null;
  /** A .params.xml to load into the container (CCP4i2's xmlFile). */
  paramsFile?: string;
  /** Task registry for makePluginObject (default the global one). */
  registry?: TaskRegistry;
  jobId?: string | number | null;
  jobNumber?: string;
  /** Time limit in seconds for the whole job (default the class's TIMEOUT_PERIOD; 0: none). */
  timeoutSeconds?: number;
  /** Extra directories searched for programs before PATH. */
  programPath?: string[];
  /** Environment for programs (merged over process.env). */
  env?: Record<string, string | undefined>;
  /** Milliseconds between SIGTERM and SIGKILL when a program is stopped. */
  forceKillAfterDelay?: number;
  /** Concurrency limiter for programs (default the global one). */
  limiter?: ConcurrencyLimiter | null;
  /** Aborting it cancels the job. */
  cancelSignal?: AbortSignal;
  /** Where file parameters resolve (project directory...). */
  fileContext?: FileContext;
  /** Plain plugin: no def file. */
  dummy?: boolean;
  /** Output files may be symbolic links, written through to their targets (refused by default). */
  followOutputSymlinks?: boolean;
}

/** Options a sub-job inherits from its parent unless makePluginObject is given others. */
const INHERITED = [
  'registry',
  'programPath',
  'env',
  'forceKillAfterDelay',
  'limiter',
  'fileContext',
  'followOutputSymlinks',
] as const;

// The registry's view of a plugin class, completed here (registry.ts cannot import this module).
declare module './registry.js' {
  interface RegisteredPlugin extends CPluginScript {}
  interface RegisteredPluginOptions extends PluginOptions {}
}

/** A plugin class: CPluginScript or a subclass. */
export type PluginClass = TaskClass;

/** The class of a registry entry, or CPluginScript for a task that has only a def file. */
export function pluginClassOf(cls: TaskClass | undefined): TaskClass {
  return cls ?? CPluginScript;
}

/**
 * A job starting (before its directory is made and any step runs) or ending (status final, files
 * written), emitted on the job and every pipeline above it. A 'started' slot may end the job at once with
 * `reportStatus()` (outputs reused from a cache): no step then runs. The job database listens here.
 */
export interface PluginJobEvent {
  job: CPluginScript;
  event: 'started' | 'finished';
}

/** A line a program wrote, with the job that ran it (a pipeline re-emits its sub-jobs' lines). */
export interface PluginOutputLine extends OutputLine {
  job: CPluginScript;
}

// biome-ignore lint/suspicious/noConfusingVoidType: a step that returns nothing succeeded (CCP4i2 ports rarely return).
type StatusLike = number | undefined | void;

/**
 * CCP4i2's CPluginScript: a task wrapper or pipeline running in its own job directory. Subclasses set
 * the class attributes (TASKNAME, TASKCOMMAND, COMTEMPLATE...) and override the steps of `process()`;
 * pipelines override `process()` itself, in the legacy callback style (connectSignal + reportStatus /
 * postProcessWrapper) or with `await this.runChild(child)`. Whatever the style, `await plugin.process()`
 * resolves to the final status once `finished` has been emitted, exactly once.
 */
export class CPluginScript extends HierarchicalObject {
  static TASKNAME: string | undefined;
  static TASKCOMMAND: string | undefined;
  static TASKTITLE: string | undefined;
  static TASKVERSION: string | number | undefined;
  static TASKMODULE: string | undefined;
  /** The stdin script template (CCP4i2's command-template language). */
  static COMTEMPLATE: string | null | undefined;
  /** The command-line template. */
  static COMLINETEMPLATE: string | null | undefined;
  /** Template files, for tasks that keep their templates beside their def file. */
  static COMTEMPLATEFILE: string | null | undefined;
  static COMLINETEMPLATEFILE: string | null | undefined;
  /** Kept for porting: Node never blocks on a program, so every plugin runs asynchronously (docs/plugins.md). */
  static ASYNCHRONOUS = false;
  /** Time limit of the job in seconds (undefined or 0: none). */
  static TIMEOUT_PERIOD: number | undefined;
  /** This task's own error codes (CCP4i2 uses 200 and up in wrappers); inherited codes come from CPluginScript. */
  static ERROR_CODES: ErrorCodeTable = {};
  /** Def file used when the registry has no entry for TASKNAME. */
  static DEF_FILE: string | undefined;

  static readonly SUCCEEDED = PluginStatus.SUCCEEDED;
  static readonly FAILED = PluginStatus.FAILED;
  static readonly INTERRUPTED = PluginStatus.INTERRUPTED;
  static readonly MARK_TO_DELETE = PluginStatus.MARK_TO_DELETE;
  static readonly UNSATISFACTORY = PluginStatus.UNSATISFACTORY;
  static readonly RUNNING = PluginStatus.RUNNING;

  readonly options: PluginOptions;
  readonly container: CContainer;
  /** Emitted once per run with `{finishStatus, jobId}`. */
  readonly finished = new Signal<FinishedPayload>('finished');
  /** Every line of output of this job's programs and of its sub-jobs' programs, as written. */
  readonly logLine = new Signal<PluginOutputLine>('logLine');
  /** This job's and its sub-jobs' starts and ends (PluginJobEvent). */
  readonly jobEvent = new Signal<PluginJobEvent>('jobEvent');
  readonly errorReport = new CErrorReport();
  readonly workDirectory: string;
  readonly registry: TaskRegistry;
  jobId: string | number | null;
  jobNumber: string | undefined;
  /** Program arguments (COMLINETEMPLATE output, or appendCommandLine). */
  commandLine: string[] = [];
  /** Lines of the stdin script, written to com.txt (COMTEMPLATE output, or appendCommandScript). */
  commandScript: string[] = [];
  /** How the last program run ended (exit code, signal, log sizes...). */
  processResult: RunResult | undefined;

  #status: PluginStatus | null = null;
  #runPromise: Promise<PluginStatus> | undefined;
  #finishedFlag = false;
  #reporting: Promise<void> | undefined;
  #cancelRequested = false;
  #timedOut = false;
  readonly #abort = new AbortController();
  readonly #activeChildren = new Set<CPluginScript>();
  readonly #failedChildren: CPluginScript[] = [];
  readonly #mergedChildren = new Set<CPluginScript>();
  #programRun: ProgramRun | undefined;
  #wake: (() => void) | undefined;
  #childJobCounter = 0;
  #jobDirectoryMade = false;
  readonly #setupErrors = new CErrorReport();

  constructor(options: PluginOptions = {}) {
    const cls = new.target as typeof CPluginScript;
    super(options.name ?? cls.TASKNAME ?? cls.name, options.parent ?? null);
    registerClassErrorCodes(cls, CPluginScript);
    this.options = options;
    this.registry = options.registry ?? taskRegistry;
    this.workDirectory = resolve(options.workDirectory ?? process.cwd());
    this.jobId = options.jobId ?? null;
    this.jobNumber = options.jobNumber;
    this.container = this.#loadContainer(cls, options);
    if (options.fileContext) this.container.fileContext = options.fileContext;
    if (options.paramsFile) this.loadDataFromXml(options.paramsFile);
    if (options.cancelSignal) {
      if (options.cancelSignal.aborted) this.#cancelRequested = true;
      else options.cancelSignal.addEventListener('abort', () => this.cancel(), { once: true });
    }
    // Subclasses override process() (pipelines) or its steps (wrappers); either way the public process()
    // runs the bookkeeping around it: job directory, input_params.xml, timeout, waiting for `finished`.
    const impl = this.process;
    this.process = () => {
      if (!this.#runPromise) {
        const run = this.#execute(impl);
        this.#runPromise = run;
        // A top-level job is stopped (INTERRUPTED, files written) by a terminating signal that the
        // application does not handle itself; sub-jobs are stopped through their parent.
        if (!this.parentPlugin) {
          const untrack = stopOnInterrupt({ cancel: () => this.cancel(), done: run });
          run.then(untrack, untrack);
        }
      }
      return this.#runPromise;
    };
  }

  // ---- identity and state ------------------------------------------------------------------------

  get pluginClass(): typeof CPluginScript {
    return this.constructor as typeof CPluginScript;
  }

  /** The task name: TASKNAME, else the def file's, else the object name. */
  get taskName(): string {
    return this.pluginClass.TASKNAME ?? this.container.taskName ?? this.name;
  }

  /** null before process(), RUNNING while it runs, then the finish status. */
  get status(): PluginStatus | null {
    return this.#status;
  }

  get isFinished(): boolean {
    return this.#finishedFlag;
  }

  /** True once cancel() was called (in-process code should check it and stop). */
  get cancelled(): boolean {
    return this.#cancelRequested;
  }

  get parentPlugin(): CPluginScript | null {
    const p = this.parent;
    return p instanceof CPluginScript ? p : null;
  }

  get inputData(): CContainer {
    return this.container.content('inputData') as CContainer;
  }

  get outputData(): CContainer {
    return this.container.content('outputData') as CContainer;
  }

  get controlParameters(): CContainer {
    return this.container.content('controlParameters') as CContainer;
  }

  get guiAdmin(): CContainer {
    return this.container.content('guiAdmin') as CContainer;
  }

  // ---- container -----------------------------------------------------------------------------------

  #loadContainer(cls: typeof CPluginScript, options: PluginOptions): CContainer {
    let container: CContainer | undefined;
    const defFile =
      options.dummy || options.defFile === null
        ? undefined
        : (options.defFile ??
          (cls.TASKNAME ? this.registry.get(cls.TASKNAME)?.defFile : undefined) ??
          cls.DEF_FILE);
    if (defFile) {
      try {
        const r = loadDefFile(defFile);
        container = r.container;
        for (const e of r.report) this.errorReport.push(e);
        if (r.report.hasErrors())
          this.#setupErrors.append(PLUGIN_CLASS, 115, {
            details: r.report.errors()[0]?.description,
            file: defFile,
          });
      } catch (e) {
        appendException(this.#setupErrors, e);
        this.#setupErrors.append(PLUGIN_CLASS, 115, { file: defFile, details: (e as Error).message });
      }
    }
    return addStandardContainers(container ?? new CContainer('CContainer', 'container'));
  }

  /** Loads a .params.xml into the container (CCP4i2's loadDataFromXml); problems fail the job at start. */
  loadDataFromXml(path: string): void {
    try {
      const r = loadParamsFile(this.container, path, { pluginName: null });
      for (const e of r.report) this.errorReport.push(e);
      if (r.report.hasErrors())
        this.#setupErrors.append(PLUGIN_CLASS, 116, {
          file: path,
          details: r.report.errors()[0]?.description,
        });
    } catch (e) {
      appendException(this.#setupErrors, e);
      this.#setupErrors.append(PLUGIN_CLASS, 116, { file: path, details: (e as Error).message });
    }
  }

  /** Saves the container as params.xml (or another job file). */
  saveParams(format: JobFileFormat = 'PARAMS'): void {
    // While the job runs its directory was made at the start (one mkdir per job, not per file).
    if (!this.#jobDirectoryMade) ensureJobDirectory(this.workDirectory);
    saveParamsFile(this.container, this.makeFileName(format), {
      pluginName: this.taskName,
      jobId: this.jobId ?? undefined,
      jobNumber: this.jobNumber,
    });
  }

  // ---- files and reports ------------------------------------------------------------------------------

  /** A job file path by CCP4i2 format name (PARAMS, LOG, COM, DIAGNOSTIC...). */
  makeFileName(format: JobFileFormat, qualifier?: string): string {
    return jobFileName(this.workDirectory, format, qualifier);
  }

  /** The program output so far ('' when there is no log yet). */
  logFileText(): string {
    try {
      return readFileSync(this.makeFileName('LOG'), 'utf8');
    } catch {
      return '';
    }
  }

  /** Adds an entry of this task's class (its ERROR_CODES, then CPluginScript's) to the error report. */
  appendErrorReport(code: number, details?: string, opts: Omit<AppendOptions, 'details'> = {}): void {
    this.errorReport.append(this.pluginClass.name, code, { ...opts, details });
  }

  appendCommandLine(...words: (string | number)[]): void {
    for (const w of words.flat()) this.commandLine.push(String(w));
  }

  appendCommandScript(...lines: string[]): void {
    for (const l of lines) this.commandScript.push(...String(l).split('\n'));
  }

  // ---- the CCP4i2 sequence ----------------------------------------------------------------------------

  /**
   * Runs the task in CCP4i2's order: checkInputData, checkOutputData, processInputFiles,
   * makeCommandAndScript, startProcess, processOutputFiles, reportStatus. Resolves to the final status.
   */
  async process(): Promise<number> {
    const invalid = this.checkInputData();
    if (invalid.hasErrors()) {
      this.errorReport.extend(invalid.errors());
      this.errorReport.append(PLUGIN_CLASS, 107, {
        details: invalid
          .errors()
          .map((e) => e.objectPath || e.description)
          .join(', '),
      });
      return this.#report(PluginStatus.FAILED);
    }
    this.checkOutputData();
    const steps: (() => StatusLike | Promise<StatusLike>)[] = [
      () => this.processInputFiles(),
      () => this.makeCommandAndScript(),
      () => this.startProcess(),
      () => this.processOutputFiles(),
      () => this.checkOutputFilesExist(),
    ];
    for (const step of steps) {
      const s = (await step()) ?? PluginStatus.SUCCEEDED;
      if (s !== PluginStatus.SUCCEEDED) return this.#report(s);
      if (this.#cancelRequested) return this.#report(PluginStatus.INTERRUPTED);
    }
    return this.#report(PluginStatus.SUCCEEDED);
  }

  async #report(status: number): Promise<number> {
    await this.reportStatus(status);
    return this.#status ?? status;
  }

  /** Problems with the input data (required values, files that must exist) and the outputs named. */
  checkInputData(): CErrorReport {
    const r = new CErrorReport();
    this.container.content('inputData')?.checkValidity(r);
    checkOutputTargets(this.container, r, { followSymlinks: this.options.followOutputSymlinks });
    return r;
  }

  /** Names every unset output file in the job directory (`<NAME>.<ext>`). */
  checkOutputData(): void {
    assignDefaultOutputPaths(
      this.container.content('outputData') as CContainer | undefined,
      this.workDirectory,
    );
  }

  processInputFiles(): StatusLike | Promise<StatusLike> {
    return PluginStatus.SUCCEEDED;
  }

  /** Renders COMTEMPLATE into commandScript and COMLINETEMPLATE into commandLine. */
  makeCommandAndScript(): StatusLike | Promise<StatusLike> {
    const cls = this.pluginClass;
    const src = (
      text: string | null | undefined,
      file: string | null | undefined,
    ): TemplateSource | undefined => (text ? { text } : file ? { file } : undefined);
    const script = src(cls.COMTEMPLATE, cls.COMTEMPLATEFILE);
    const line = src(cls.COMLINETEMPLATE, cls.COMLINETEMPLATEFILE);
    if (!script && !line) return PluginStatus.SUCCEEDED;
    const errors = new CErrorReport();
    let r: ReturnType<typeof renderCommand>;
    try {
      r = renderCommand(this.container, { script, line }, errors);
    } catch (e) {
      appendException(errors, e);
      r = { script: [], argv: [], ok: false };
    }
    this.errorReport.extend(errors);
    if (!r.ok) {
      this.errorReport.append(PLUGIN_CLASS, 110, { details: errors.errors()[0]?.description });
      return PluginStatus.FAILED;
    }
    this.commandScript.push(...r.script);
    this.commandLine.push(...r.argv);
    return PluginStatus.SUCCEEDED;
  }

  /**
   * Runs TASKCOMMAND with commandLine as its arguments in the job directory, commandScript (com.txt) on
   * stdin, output to log.txt and stderr.txt, under the job's cancel signal.
   */
  async startProcess(): Promise<number> {
    const command = this.pluginClass.TASKCOMMAND;
    if (!command) {
      this.errorReport.append(PLUGIN_CLASS, 100, { details: `task ${this.taskName}` });
      return PluginStatus.FAILED;
    }
    let inputFile: string | undefined;
    if (this.commandScript.length > 0) {
      inputFile = this.makeFileName('COM');
      writeJobFile(inputFile, `${this.commandScript.join('\n')}\n`);
    }
    const o = this.options;
    const follow = this.#hasFollowers();
    const run = startProgram({
      program: command,
      args: this.commandLine,
      cwd: this.workDirectory,
      inputFile,
      searchPath: o.programPath,
      env: o.env,
      forceKillAfterDelay: o.forceKillAfterDelay,
      limiter: o.limiter,
      cancelSignal: this.#abort.signal,
      // Lines are split only when someone follows this job or a pipeline above it (splitting 100 MB of
      // output nobody reads would cost seconds).
      onLine: follow
        ? (line) => {
            // Tag the line in place: no copy per line.
            (line as PluginOutputLine).job = this;
            this.#emitLine(line as PluginOutputLine);
          }
        : undefined,
      // Nobody follows: the program writes log.txt and stderr.txt itself (no pipes to copy through).
      directOutput: !follow,
    });
    this.#programRun = run;
    let r: RunResult;
    try {
      r = await run.result;
    } finally {
      this.#programRun = undefined;
      this.#poke();
    }
    this.processResult = r;
    return reportProgramRun(this.errorReport, r, this.#timedOut, (c) => c === 103 && this.#timeoutReported);
  }

  processOutputFiles(): StatusLike | Promise<StatusLike> {
    return PluginStatus.SUCCEEDED;
  }

  /** After a successful run: outputs that are set must exist (111); optional unproduced ones are unset (122). */
  checkOutputFilesExist(): StatusLike {
    const out = this.container.content('outputData') as CContainer | undefined;
    return checkOutputFiles(out, this.errorReport) ? PluginStatus.SUCCEEDED : PluginStatus.FAILED;
  }

  #timeoutReported = false;

  /**
   * Ends the run (once; later calls are ignored): saves params.xml, writes diagnostic.xml when the job
   * failed or was interrupted, and emits `finished` with `{finishStatus, jobId}`.
   */
  reportStatus(status: number | FinishedPayload): Promise<void> {
    if (this.#finishedFlag) return this.#reporting ?? Promise.resolve();
    this.#finishedFlag = true;
    this.#reporting = this.#finish(typeof status === 'number' ? status : status.finishStatus);
    return this.#reporting;
  }

  /** CCP4i2's slot for a sub-job's `finished`: ends this job with the sub-job's status. */
  postProcessWrapper(status: number | FinishedPayload): Promise<void> {
    return this.reportStatus(status);
  }

  async #finish(requested: number): Promise<void> {
    let status: PluginStatus;
    if (!isFinishStatus(requested)) {
      this.errorReport.append(PLUGIN_CLASS, 113, {
        details: `reportStatus(${String(requested)}): not a finish status`,
      });
      status = PluginStatus.FAILED;
    } else status = requested;
    if (this.#timedOut && status !== PluginStatus.SUCCEEDED) status = PluginStatus.FAILED;
    else if (this.#cancelRequested && status === PluginStatus.FAILED) status = PluginStatus.INTERRUPTED;
    await this.#stopWhatStillRuns();
    if (status === PluginStatus.FAILED || status === PluginStatus.INTERRUPTED) this.#mergeFailedChildren();
    if (status === PluginStatus.INTERRUPTED && !this.errorReport.entries.some((e) => e.code === 105))
      this.errorReport.append(PLUGIN_CLASS, 105);
    if (status === PluginStatus.FAILED && !this.errorReport.hasErrors())
      this.errorReport.append(PLUGIN_CLASS, 113, { details: 'the task reported FAILED without saying why' });
    this.#status = status;
    (this.container.content('guiAdmin')?.content('jobStatus') as CInt | undefined)?.set(status);
    try {
      this.saveParams();
    } catch (e) {
      appendException(this.errorReport, e);
      this.errorReport.append(PLUGIN_CLASS, 120, { file: this.makeFileName('PARAMS') });
      if (status === PluginStatus.SUCCEEDED) this.#status = status = PluginStatus.FAILED;
    }
    if (
      status === PluginStatus.FAILED ||
      status === PluginStatus.INTERRUPTED ||
      this.errorReport.hasErrors(Severity.WARNING)
    ) {
      try {
        writeDiagnosticXml(this.errorReport, this.makeFileName('DIAGNOSTIC'));
      } catch {
        // The job directory itself is unusable; the report stays in memory (errorReport).
      }
    }
    // The parent learns of a failure before the handlers run, so that a handler reporting the
    // parent's failure has this job's errors merged in.
    const parent = this.parentPlugin;
    if (
      parent &&
      (status === PluginStatus.FAILED ||
        status === PluginStatus.INTERRUPTED ||
        status === PluginStatus.UNSATISFACTORY)
    )
      parent.#failedChildren.push(this);
    this.#emitJobEvent('finished');
    const slotErrors = await this.finished.emitAsync({ finishStatus: status, jobId: this.jobId });
    // A slot connected directly (not through connectSignal) that threw: the pipeline it drives cannot go
    // on, so it fails with the error rather than stalling.
    if (slotErrors.hasErrors() && parent && !parent.#finishedFlag) {
      parent.errorReport.extend(slotErrors);
      await parent.reportStatus(PluginStatus.FAILED);
    }
    if (parent) parent.#childFinished(this);
    this.#poke();
  }

  // ---- running ------------------------------------------------------------------------------------------

  async #execute(impl: () => Promise<StatusLike> | StatusLike): Promise<PluginStatus> {
    this.#status = PluginStatus.RUNNING;
    (this.container.content('guiAdmin')?.content('jobStatus') as CInt | undefined)?.set(PluginStatus.RUNNING);
    const parent = this.parentPlugin;
    if (parent) parent.#activeChildren.add(this);
    if (parent?.cancelled) this.#cancelRequested = true;
    const seconds = this.options.timeoutSeconds ?? this.pluginClass.TIMEOUT_PERIOD ?? 0;
    const timer = seconds > 0 ? setTimeout(() => this.#onTimeout(seconds), seconds * 1000) : undefined;
    try {
      this.#emitJobEvent('started');
      let ready = false;
      try {
        ensureJobDirectory(this.workDirectory);
        ready = this.#jobDirectoryMade = true;
      } catch (e) {
        appendException(this.errorReport, e);
        await this.reportStatus(PluginStatus.FAILED);
      }
      if (!ready || this.#finishedFlag) {
        // reported above, or by a 'started' slot
      } else if (this.#cancelRequested) {
        await this.reportStatus(PluginStatus.INTERRUPTED);
      } else if (this.#setupErrors.hasErrors()) {
        this.errorReport.extend(this.#setupErrors);
        await this.reportStatus(PluginStatus.FAILED);
      } else {
        try {
          this.saveParams('JOB_INPUT');
        } catch (e) {
          appendException(this.errorReport, e);
          this.errorReport.append(PLUGIN_CLASS, 106, {
            file: this.workDirectory,
            details: 'input_params.xml cannot be written',
          });
          await this.reportStatus(PluginStatus.FAILED);
        }
        if (!this.#finishedFlag) {
          try {
            const rv = await impl.call(this);
            if (!this.#finishedFlag && isFinishStatus(rv)) await this.reportStatus(rv);
          } catch (e) {
            await this.#fail(e);
          }
        }
      }
      await this.#settle();
      await this.#reporting;
    } finally {
      clearTimeout(timer);
    }
    return this.#status as PluginStatus;
  }

  /** Waits for `finished`; a job that reported nothing while nothing of it runs any more has stalled. */
  async #settle(): Promise<void> {
    while (!this.#finishedFlag) {
      if (this.#activeChildren.size === 0 && !this.#programRun) {
        if (this.#cancelRequested) await this.reportStatus(PluginStatus.INTERRUPTED);
        else {
          this.errorReport.append(PLUGIN_CLASS, 118, {
            details: `task ${this.taskName}: return a status from process() or call reportStatus()`,
          });
          await this.reportStatus(PluginStatus.FAILED);
        }
        return;
      }
      await new Promise<void>((r) => {
        this.#wake = r;
      });
    }
  }

  #poke(): void {
    const w = this.#wake;
    this.#wake = undefined;
    w?.();
  }

  /**
   * A job that reports its status while its program or sub-jobs still run (a pipeline failing early)
   * stops them first: nothing of a job outlives it. Sub-jobs already finishing are not waited for (their
   * `finished` slots may be what is reporting this status).
   */
  async #stopWhatStillRuns(): Promise<void> {
    const running = [...this.#activeChildren].filter((c) => !c.#finishedFlag);
    const run = this.#programRun;
    if (running.length === 0 && !run) return;
    this.#abort.abort();
    for (const c of running) c.cancel();
    await Promise.allSettled([...running.map((c) => c.#runPromise), run?.result]);
  }

  #childFinished(child: CPluginScript): void {
    this.#activeChildren.delete(child);
    this.#poke();
  }

  #mergeFailedChildren(): void {
    for (const child of this.#failedChildren) {
      if (this.#mergedChildren.has(child)) continue;
      this.#mergedChildren.add(child);
      this.errorReport.append(PLUGIN_CLASS, 114, {
        details: `${child.name} (${child.taskName}) ended ${statusName(child.status)}`,
        file: child.workDirectory,
        severity: child.status === PluginStatus.INTERRUPTED ? Severity.WARNING : undefined,
      });
      this.errorReport.extend(child.errorReport);
    }
  }

  /** An exception from plugin code (a step, a signal handler): recorded, and the job fails. */
  async #fail(e: unknown): Promise<void> {
    if (isCcp4Error(e)) this.errorReport.appendError(e);
    else this.errorReport.append(PLUGIN_CLASS, 113, exceptionEntry(e));
    if (!this.#finishedFlag) await this.reportStatus(PluginStatus.FAILED);
  }

  #onTimeout(seconds: number): void {
    if (this.#finishedFlag) return;
    this.#timedOut = true;
    this.#timeoutReported = true;
    this.errorReport.append(PLUGIN_CLASS, 103, { details: `time limit ${seconds} s` });
    this.cancel();
  }

  #hasFollowers(): boolean {
    for (let p: CPluginScript | null = this; p; p = p.parentPlugin)
      if (p.logLine.connectionCount > 0) return true;
    return false;
  }

  /** On this job and every pipeline above it, so one listener on a top-level job sees every sub-job. */
  #emitJobEvent(event: PluginJobEvent['event']): void {
    for (let p: CPluginScript | null = this; p; p = p.parentPlugin)
      if (p.jobEvent.connectionCount > 0) p.jobEvent.emit({ job: this, event });
  }

  #emitLine(line: PluginOutputLine): void {
    if (this.logLine.connectionCount > 0) this.logLine.emit(line);
    const parent = this.parentPlugin;
    if (parent) parent.#emitLine(line);
  }

  /**
   * Stops the job: its running program (the whole process tree) and its running sub-jobs. The job then
   * ends INTERRUPTED (or FAILED with code 103 when its time limit caused the cancel). Idempotent.
   */
  cancel(): void {
    if (this.#finishedFlag) return;
    this.#cancelRequested = true;
    this.#abort.abort();
    for (const c of [...this.#activeChildren]) c.cancel();
    this.#poke();
  }

  // ---- pipelines --------------------------------------------------------------------------------------

  /**
   * Creates a sub-job (CCP4i2's makePluginObject): directory `<workDirectory>/job_N`, name
   * `<name>_N`, this job's options passed on, the task's class and def file from the registry.
   * An unknown task is Ccp4Error 108.
   */
  makePluginObject(taskName: string, options: PluginOptions = {}): CPluginScript {
    const entry = this.registry.require(taskName);
    const n = ++this.#childJobCounter;
    const workDirectory = join(this.workDirectory, `job_${n}`);
    ensureJobDirectory(workDirectory);
    const inherited: PluginOptions = {};
    for (const k of INHERITED)
      if (this.options[k] !== undefined) (inherited as Record<string, unknown>)[k] = this.options[k];
    const cls = pluginClassOf(entry.pluginClass);
    return new cls({
      ...inherited,
      defFile: entry.defFile,
      jobNumber: this.jobNumber !== undefined ? `${this.jobNumber}.${n}` : String(n),
      ...options,
      name: `${this.name}_${n}`,
      parent: this,
      workDirectory,
    });
  }

  /** Runs a sub-job and resolves to its final status (the modern pipeline style). */
  runChild(child: CPluginScript): Promise<number> {
    if (child.parentPlugin !== this) this.addChild(child);
    return child.process();
  }

  /**
   * CCP4i2's connectSignal(origin, 'finished', handler): the handler is bound to this job, and an
   * exception in it fails this job instead of being lost. `wants` says whether it takes the status
   * number (legacy slots declared `int`) or the `{finishStatus, jobId}` payload.
   */
  connectSignal(
    origin: CPluginScript,
    signal: 'finished',
    handler: ((status: number) => unknown) | ((payload: FinishedPayload) => unknown),
    wants: 'status' | 'payload' = 'status',
  ): () => void {
    const bound = (handler as (arg: unknown) => unknown).bind(this);
    const safe = async (arg: unknown) => {
      try {
        await bound(arg);
      } catch (e) {
        await this.#fail(e);
      }
    };
    return connectFinished(origin, signal, safe as (p: FinishedPayload) => unknown, { wants });
  }
}

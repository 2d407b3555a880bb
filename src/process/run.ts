import { type ChildProcess, spawn } from 'node:child_process';
import { fstatSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { isCcp4Error } from '../errors/ccp4-error.js';
import { monotonicMs } from './clock.js';
import { commandOf, type JobScope, jobScope, settleWarmUp } from './containment.js';
import { spawnEnvironment } from './environment.js';
import { ProcessErrorCode, processError } from './errors.js';
import { FileSink } from './file-sink.js';
import { findProgram } from './find-program.js';
import { stopOnInterrupt } from './interrupt.js';
import { defaultLimiter, QueueAbortedError } from './limiter.js';
import { LineFeed, LineSplitter, type OutputLine } from './lines.js';
import { type ResolvedRunOptions, type RunOptions, resolveRunOptions } from './options.js';
import { checkWorkingDirectory, type JobFiles, openJobFiles } from './output-files.js';
import { recentPids } from './proc-table.js';
import { outcomeError, type RunResult } from './result.js';

export type RunState = 'queued' | 'running' | 'stopping' | 'ended';

const TAIL_BYTES = 4096;
/** How long to wait, after the program exits, for its output pipes to close before looking for leftovers. */
const PIPE_GRACE_MS = 100;

class StreamTap {
  bytes = 0;
  #tail: Buffer = Buffer.alloc(0);
  #atLineStart = true;
  readonly splitter: LineSplitter;
  #splitting = false;

  constructor(stream: 'stdout' | 'stderr', maxLength: number, emit: (l: OutputLine) => void) {
    this.splitter = new LineSplitter(stream, maxLength, emit);
  }

  take(chunk: Buffer, follow: boolean): void {
    this.bytes += chunk.length;
    this.#tail =
      chunk.length >= TAIL_BYTES
        ? Buffer.from(chunk.subarray(chunk.length - TAIL_BYTES))
        : Buffer.concat([this.#tail, chunk]).subarray(-TAIL_BYTES);
    // Lines are split only while someone follows: 100 MB of output nobody watches costs no string work.
    if (follow) {
      if (!this.#splitting && !this.#atLineStart) this.splitter.resync();
      this.#splitting = true;
      this.splitter.push(chunk);
    } else this.#splitting = false;
    this.#atLineStart = chunk[chunk.length - 1] === 10;
  }

  end(): void {
    if (this.#splitting) this.splitter.end();
  }

  get tail(): string {
    return tailText(this.#tail);
  }
}

/** The text of an output tail, without a partial UTF-8 sequence at the cut. */
function tailText(tail: Buffer): string {
  return tail.length === 0 ? '' : tail.toString('utf8').replace(/^\uFFFD+/, '');
}

/** What a program wrote to a file it was given directly (directOutput): size since `start`, and the tail. */
function fileOutput(fd: number, start: number): { bytes: number; tail: string } {
  try {
    return readFileOutput(fd, start);
  } catch {
    return { bytes: 0, tail: '' }; // the result must not reject over a statistic
  }
}

function readFileOutput(fd: number, start: number): { bytes: number; tail: string } {
  const size = fstatSync(fd).size;
  const n = Math.min(TAIL_BYTES, Math.max(0, size - start));
  const buf = Buffer.alloc(n);
  let got = 0;
  while (got < n) {
    const r = readSync(fd, buf, got, n - got, size - n + got);
    if (r === 0) break;
    got += r;
  }
  return { bytes: Math.max(0, size - start), tail: tailText(buf.subarray(0, got)) };
}

/**
 * One program run in a job directory (see RunOptions). Create it with `startProgram`; follow its output
 * with `onLine` or `lines()`, stop it with `cancel()` or the cancelSignal, and await `result`, which never
 * rejects: every failure, including a program that could not be started, is an outcome with a Ccp4Error.
 */
export class ProgramRun {
  readonly options: ResolvedRunOptions;
  readonly result: Promise<RunResult>;
  #state: RunState = 'queued';
  #pid: number | undefined;
  readonly #abort = new AbortController();
  readonly #feed: LineFeed;
  #stopReason: 'timeout' | 'interrupted' | undefined;
  #stopping: Promise<number[]> | undefined;
  #scope: JobScope | undefined;
  #followerError: unknown;
  #onLine: ((l: OutputLine) => void) | undefined;
  #startedResolve!: (pid: number | undefined) => void;
  /** Resolves with the pid once the program is running, or undefined if it never starts. */
  readonly started: Promise<number | undefined>;

  constructor(options: RunOptions) {
    this.options = resolveRunOptions(options);
    this.#feed = new LineFeed(this.options.lineBufferSize);
    this.#onLine = this.options.onLine;
    this.started = new Promise((r) => {
      this.#startedResolve = r;
    });
    const user = this.options.cancelSignal;
    if (user) {
      if (user.aborted) this.#abort.abort();
      else user.addEventListener('abort', () => this.cancel(), { once: true });
    }
    this.result = this.#run();
    // A terminating signal the application does not handle stops this run before Node ends.
    const untrack = stopOnInterrupt({
      cancel: () => this.cancel(),
      done: this.result,
      killNow: () => this.#killNow(),
    });
    this.result.then(untrack, untrack);
  }

  get state(): RunState {
    return this.#state;
  }

  get pid(): number | undefined {
    return this.#pid;
  }

  /** Lines of stdout and stderr from now until the program's output ends. */
  lines(): AsyncIterableIterator<OutputLine> {
    return this.#feed.subscribe();
  }

  /** Stops the run: removes it from the queue, or stops its whole process tree. Idempotent. */
  cancel(): void {
    if (this.#state === 'ended') return;
    this.#abort.abort();
    if (this.#state === 'running') this.#stop('interrupted');
  }

  /** Node is exiting while this runs: SIGKILL every process of the job now (synchronous). */
  #killNow(): void {
    if (this.#pid === undefined || this.#state === 'ended') return;
    this.#scope?.killNow();
  }

  #stop(reason: 'timeout' | 'interrupted'): void {
    if (this.#stopping || this.#pid === undefined || !this.#scope) return;
    this.#stopReason = reason;
    this.#state = 'stopping';
    this.#stopping = this.#scope.stop(this.options.forceKillAfterDelay);
  }

  #emit = (line: OutputLine): void => {
    if (this.#onLine) {
      try {
        this.#onLine(line);
      } catch (e) {
        this.#followerError = e;
        this.#onLine = undefined;
      }
    }
    this.#feed.push(line);
  };

  #base(command: string): RunResult {
    const o = this.options;
    return {
      outcome: 'not-started',
      command,
      args: o.args,
      cwd: o.cwd,
      exitCode: null,
      signal: null,
      queuedMs: 0,
      durationMs: 0,
      logFile: o.logFile,
      stderrFile: o.stderrFile,
      stdoutBytes: 0,
      stderrBytes: 0,
      stdoutTail: '',
      stderrTail: '',
      leftoverPids: [],
      leftovers: [],
      killedPids: [],
      containment: this.#scope?.mechanism ?? 'process-table',
    };
  }

  #finish(r: RunResult): RunResult {
    this.#state = 'ended';
    this.#feed.close();
    this.#startedResolve(this.#pid);
    if (this.#followerError !== undefined) r.followerError = this.#followerError;
    if (r.outcome !== 'succeeded' && r.outcome !== 'not-started')
      r.error ??= outcomeError(r, this.options.timeout);
    return r;
  }

  async #run(): Promise<RunResult> {
    const o = this.options;
    const base = this.#base(o.program);
    let release: (() => void) | undefined;
    let files: JobFiles | undefined;
    try {
      const env = spawnEnvironment(o);
      checkWorkingDirectory(o.cwd);
      base.command = findProgram(o.program, { cwd: o.cwd, extra: o.searchPath, path: env.PATH });
      const limiter = o.limiter === undefined ? defaultLimiter() : o.limiter;
      const queuedAt = monotonicMs();
      if (limiter) release = await limiter.acquire(this.#abort.signal);
      base.queuedMs = monotonicMs() - queuedAt;
      if (this.#abort.signal.aborted) throw new QueueAbortedError();
      files = openJobFiles({
        inputFile: o.inputFile,
        logFile: o.logFile,
        stderrFile: o.stderrFile,
        append: o.appendOutput,
        readable: o.directOutput,
      });
      // A cgroup warming write (warmUpContainment) must be done before this process moves for the spawn.
      const warm = settleWarmUp();
      if (warm) await warm;
      if (this.#abort.signal.aborted) throw new QueueAbortedError();
      this.#scope = jobScope(o.containment === 'process-table' ? 'process-table' : undefined);
      base.containment = this.#scope.mechanism;
      return this.#finish(await this.#execute(base, this.#scope.environment(env), files, this.#scope));
    } catch (e) {
      if (e instanceof QueueAbortedError) return this.#finish({ ...base, outcome: 'interrupted' });
      if (isCcp4Error(e)) return this.#finish({ ...base, outcome: 'not-started', error: e });
      throw e; // a bug in this layer, not a property of the run
    } finally {
      this.#scope?.close();
      files?.close();
      release?.();
    }
  }

  async #execute(
    base: RunResult,
    env: Readonly<Record<string, string | undefined>>,
    files: JobFiles,
    scope: JobScope,
  ): Promise<RunResult> {
    const o = this.options;
    const t0 = monotonicMs();
    // Processes existing now cannot belong to this job: the check for leftovers at exit skips them.
    const preexisting = scope.mechanism === 'process-table' ? recentPids() : undefined;
    // Direct output: the files are the program's stdout and stderr (no pipes, nothing to copy).
    const direct = o.directOutput && files.stdout !== files.stderr;
    const startOut = direct && o.appendOutput ? fstatSync(files.stdout).size : 0;
    const startErr = direct && o.appendOutput ? fstatSync(files.stderr).size : 0;
    let child: ChildProcess;
    try {
      child = scope.spawn(() =>
        spawn(base.command, o.args, {
          cwd: o.cwd,
          env,
          argv0: o.program,
          // Own session and process group: the whole tree can be signalled, and found in /proc by session id.
          detached: true,
          stdio: [files.stdin ?? 'ignore', direct ? files.stdout : 'pipe', direct ? files.stderr : 'pipe'],
          windowsHide: true,
        }),
      );
    } catch (e) {
      // Synchronous failures (e.g. E2BIG: an argument list too long for the OS) are outcomes too.
      const err = e as NodeJS.ErrnoException;
      return {
        ...base,
        error: processError(
          ProcessErrorCode.SPAWN_FAILED,
          `${base.command} could not be started: ${err.code ?? ''} ${err.message}`.trim(),
          { file: base.command, cause: e },
        ),
      };
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((r) => {
      child.once('exit', (code, signal) => r({ code, signal }));
      child.once('error', (error) => r({ code: null, signal: null, error }));
    });
    if (child.pid === undefined) {
      const { error } = await exited;
      const err = error as NodeJS.ErrnoException | undefined;
      return {
        ...base,
        error: processError(
          ProcessErrorCode.SPAWN_FAILED,
          `${base.command} could not be started: ${err?.code ?? ''} ${err?.message ?? ''}`.trim(),
          { file: base.command, cause: error },
        ),
      };
    }
    const pid = child.pid;
    this.#pid = pid;
    this.#state = 'running';
    this.#startedResolve(pid);
    scope.started(pid);

    const sinkOut = new FileSink(files.stdout);
    const sinkErr = files.stderr === files.stdout ? sinkOut : new FileSink(files.stderr);
    const tapOut = new StreamTap('stdout', o.maxLineLength, this.#emit);
    const tapErr = new StreamTap('stderr', o.maxLineLength, this.#emit);
    const closed = direct
      ? Promise.resolve()
      : Promise.all([this.#wire(child.stdout!, tapOut, sinkOut), this.#wire(child.stderr!, tapErr, sinkErr)]);

    const timer = o.timeout > 0 ? setTimeout(() => this.#stop('timeout'), o.timeout) : undefined;
    if (this.#abort.signal.aborted) this.#stop('interrupted');

    const { code, signal } = await exited;
    clearTimeout(timer);
    scope.exited();

    // The program has exited; nothing of its job may outlive it. Leftovers are stopped at once; with
    // pipes, the job is looked through again if they stay open (something unseen still holds them), and
    // with direct output after the first leftovers are stopped. After a short run that created few
    // processes, reading just the pids allocated since the spawn is proof enough that nothing is left.
    const leftovers = new Map<number, string>();
    const stopLeftovers = async () => {
      const live = scope.live(preexisting);
      if (live.length === 0) return;
      // Named before they are stopped: the job's report says what was left running.
      for (const p of live) if (!leftovers.has(p)) leftovers.set(p, commandOf(p));
      this.#stopping ??= scope.stop(o.forceKillAfterDelay);
    };
    if (!this.#stopping && !scope.nothingLeft(monotonicMs() - t0)) await stopLeftovers();
    const killed: number[] = [];
    // Direct output: no pipes to wait for (closed is settled; a timer per run to race it cost time).
    if (!direct && !(await settlesWithin(closed, PIPE_GRACE_MS))) {
      killed.push(...((await this.#stopping) ?? []));
      this.#stopping = undefined;
      await stopLeftovers();
      if (!(await settlesWithin(closed, 1000))) {
        // Something we cannot see still holds the pipes: stop reading so the job can end.
        child.stdout?.destroy();
        child.stderr?.destroy();
      }
    }
    if (direct && this.#stopping) {
      // No pipe tells whether something still holds the output: after stopping what was found, look
      // once more (as the pipe path does when the pipes stay open).
      killed.push(...(await this.#stopping));
      this.#stopping = undefined;
      await stopLeftovers();
    }
    killed.push(...((await this.#stopping) ?? []));
    await closed;
    tapOut.end();
    tapErr.end();
    await Promise.all([sinkOut.flush(), sinkErr.flush()]);
    const out = direct ? fileOutput(files.stdout, startOut) : { bytes: tapOut.bytes, tail: tapOut.tail };
    const err = direct ? fileOutput(files.stderr, startErr) : { bytes: tapErr.bytes, tail: tapErr.tail };

    const r: RunResult = {
      ...base,
      pid,
      exitCode: code,
      signal,
      durationMs: monotonicMs() - t0,
      stdoutBytes: out.bytes,
      stderrBytes: err.bytes,
      stdoutTail: out.tail,
      stderrTail: err.tail,
      leftoverPids: [...leftovers.keys()],
      leftovers: [...leftovers].map(([p, command]) => ({ pid: p, command })),
      killedPids: [...new Set(killed)],
    };
    const writeError = sinkOut.error ?? sinkErr.error;
    if (this.#stopReason) r.outcome = this.#stopReason;
    else if (signal) r.outcome = 'signalled';
    else if (code !== 0) r.outcome = 'failed';
    else if (writeError) {
      r.outcome = 'failed';
      r.error = processError(
        ProcessErrorCode.OUTPUT_FAILED,
        `output of ${base.command} could not be written: ${writeError.message}`,
        { file: sinkOut.error ? o.logFile : o.stderrFile, cause: writeError },
      );
    } else r.outcome = 'succeeded';
    return r;
  }

  #wire(stream: Readable, tap: StreamTap, sink: FileSink): Promise<void> {
    return new Promise((resolve) => {
      stream.on('data', (chunk: Buffer) => {
        tap.take(chunk, this.#onLine !== undefined || this.#feed.followers > 0);
        sink.write(chunk, stream);
      });
      stream.once('close', resolve);
      stream.once('error', () => resolve());
    });
  }
}

function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.then(() => true),
    new Promise<boolean>((r) => {
      timer = setTimeout(() => r(false), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Starts a program in its job directory (see RunOptions). Invalid options throw Ccp4Error 101 at once. */
export function startProgram(options: RunOptions): ProgramRun {
  return new ProgramRun(options);
}

/** Runs a program and resolves with its result (never rejects for the program's own failures). */
export function runProgram(options: RunOptions): Promise<RunResult> {
  return new ProgramRun(options).result;
}

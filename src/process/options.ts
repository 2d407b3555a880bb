import { isAbsolute, resolve } from 'node:path';
import { ProcessErrorCode, processError } from './errors.js';
import type { ConcurrencyLimiter } from './limiter.js';
import type { OutputLine } from './lines.js';

/** What `startProgram` accepts. Names follow execa where a concept matches (timeout, cancelSignal, env). */
export interface RunOptions {
  /** Program name (looked up in `searchPath`, then PATH) or a path (relative to `cwd` when relative). */
  program: string;
  /** Arguments, passed as argv: never through a shell. */
  args?: readonly string[];
  /** The job directory: the program's working directory and home of its log files. Must exist. */
  cwd: string;
  /** File fed to standard input (CCP4i2's com.txt), relative to `cwd` or absolute. Default: /dev/null. */
  inputFile?: string;
  /** File receiving standard output, relative to `cwd` or absolute. Default `log.txt`. */
  logFile?: string;
  /** File receiving standard error, relative to `cwd` or absolute. Default `stderr.txt`. */
  stderrFile?: string;
  /** Append to the log files instead of truncating them (e.g. after a banner the caller wrote). */
  appendOutput?: boolean;
  /** Environment variables; merged over `process.env` unless `extendEnv` is false. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Whether `env` extends `process.env` (default true). */
  extendEnv?: boolean;
  /** Apply CCP4's conventions when $CCP4 is set in the environment (default true); see environment.ts. */
  ccp4Env?: boolean;
  /** Extra directories searched for `program` before PATH. */
  searchPath?: readonly string[];
  /** Milliseconds the program may run (from spawn, not from queueing); 0 or absent: no limit. */
  timeout?: number;
  /** Milliseconds between SIGTERM and SIGKILL when stopping a process tree (default 3000). */
  forceKillAfterDelay?: number;
  /** Aborting it stops the program's whole process tree, or removes the run from the queue. */
  cancelSignal?: AbortSignal;
  /** Called for every line of standard output and standard error as the program writes it. */
  onLine?: (line: OutputLine) => void;
  /** Concurrency limiter to queue on; default the global one; null runs at once. */
  limiter?: ConcurrencyLimiter | null;
  /** Longer lines are cut into pieces of this many characters for followers (default 65536). */
  maxLineLength?: number;
  /** Lines kept for a slow async-iterator follower before the oldest are dropped (default 10000). */
  lineBufferSize?: number;
  /**
   * Give the program the log files themselves as stdout and stderr instead of pipes (cheaper per run):
   * for runs nobody follows. Not with `onLine`; `lines()` then ends without lines; a write error (disk
   * full) is the program's to see, not outcome 111. Ignored when stdout and stderr share one file.
   */
  directOutput?: boolean;
  /**
   * How the job's processes are found and stopped: 'cgroup' (the default; where this process cannot create
   * cgroups it falls back) or 'process-table' (the /proc scan, even where cgroups work). RunResult's
   * `containment` says which ran.
   */
  containment?: 'cgroup' | 'process-table';
}

/** RunOptions after validation, with defaults applied and paths made absolute. */
export interface ResolvedRunOptions {
  program: string;
  args: string[];
  cwd: string;
  inputFile?: string;
  logFile: string;
  stderrFile: string;
  appendOutput: boolean;
  env?: Readonly<Record<string, string | undefined>>;
  extendEnv: boolean;
  ccp4Env: boolean;
  searchPath: string[];
  timeout: number;
  forceKillAfterDelay: number;
  cancelSignal?: AbortSignal;
  onLine?: (line: OutputLine) => void;
  limiter: ConcurrencyLimiter | null | undefined;
  maxLineLength: number;
  lineBufferSize: number;
  directOutput: boolean;
  containment: 'cgroup' | 'process-table';
}

const KNOWN = new Set([
  'program',
  'args',
  'cwd',
  'inputFile',
  'logFile',
  'stderrFile',
  'appendOutput',
  'env',
  'extendEnv',
  'ccp4Env',
  'searchPath',
  'timeout',
  'forceKillAfterDelay',
  'cancelSignal',
  'onLine',
  'limiter',
  'maxLineLength',
  'lineBufferSize',
  'directOutput',
  'containment',
]);

function invalid(name: string, message: string) {
  return processError(ProcessErrorCode.INVALID_OPTION, `option '${name}' ${message}`, {
    objectPath: `options.${name}`,
  });
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  return typeof v === 'object' || typeof v === 'function' ? `a ${typeof v}` : String(v);
}

function str(o: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const v = o[name];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.length === 0)
    throw invalid(name, `must be a non-empty string, got ${show(v)}`);
  if (v.includes('\0')) throw invalid(name, 'must not contain a NUL character');
  return v;
}

function strList(o: Record<string, unknown>, name: string): string[] {
  const v = o[name];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw invalid(name, `must be an array of strings, got ${show(v)}`);
  return v.map((item, i) => {
    if (typeof item !== 'string') throw invalid(name, `item ${i} must be a string, got ${show(item)}`);
    if (item.includes('\0')) throw invalid(name, `item ${i} must not contain a NUL character`);
    return item;
  });
}

function bool(o: Record<string, unknown>, name: string, dflt: boolean): boolean {
  const v = o[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw invalid(name, `must be true or false, got ${show(v)}`);
  return v;
}

function count(o: Record<string, unknown>, name: string, dflt: number, min: number): number {
  const v = o[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || !Number.isInteger(v))
    throw invalid(name, `must be an integer >= ${min}, got ${show(v)}`);
  return v;
}

function ms(o: Record<string, unknown>, name: string, dflt: number): number {
  const v = o[name];
  if (v === undefined) return dflt;
  // setTimeout's ceiling: larger values would fire at once.
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 2 ** 31 - 1)
    throw invalid(name, `must be a number of milliseconds between 0 and 2147483647, got ${show(v)}`);
  return v;
}

function inCwd(cwd: string, p: string | undefined): string | undefined {
  return p === undefined ? undefined : resolve(cwd, p);
}

/** Validates options with messages naming the option, and resolves defaults. Throws Ccp4Error 101. */
export function resolveRunOptions(options: RunOptions): ResolvedRunOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options', 'must be an object');
  const o = options as unknown as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw invalid(k, 'is not a known option');
  const program = str(o, 'program', true)!;
  const cwd = str(o, 'cwd', true)!;
  const env = o.env;
  if (env !== undefined) {
    if (typeof env !== 'object' || env === null || Array.isArray(env))
      throw invalid('env', `must be an object of strings, got ${show(env)}`);
    for (const [k, v] of Object.entries(env)) {
      if (v !== undefined && typeof v !== 'string')
        throw invalid('env', `variable ${k} must be a string, got ${show(v)}`);
      if (k.length === 0 || k.includes('=') || k.includes('\0') || v?.includes('\0'))
        throw invalid('env', `variable ${JSON.stringify(k)} has an invalid name or value`);
    }
  }
  const signal = o.cancelSignal;
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw invalid('cancelSignal', `must be an AbortSignal, got ${show(signal)}`);
  if (o.onLine !== undefined && typeof o.onLine !== 'function')
    throw invalid('onLine', `must be a function, got ${show(o.onLine)}`);
  const directOutput = bool(o, 'directOutput', false);
  if (directOutput && o.onLine !== undefined)
    throw invalid('directOutput', 'cannot be combined with onLine (no lines are read)');
  const limiter = o.limiter;
  if (
    limiter !== undefined &&
    limiter !== null &&
    (typeof limiter !== 'object' || typeof (limiter as { acquire?: unknown }).acquire !== 'function')
  )
    throw invalid('limiter', `must be a ConcurrencyLimiter or null, got ${show(limiter)}`);
  const containment = o.containment ?? 'cgroup';
  if (containment !== 'cgroup' && containment !== 'process-table')
    throw invalid('containment', `must be 'cgroup' or 'process-table', got ${show(containment)}`);
  const absCwd = resolve(cwd);
  const searchPath = strList(o, 'searchPath');
  for (const d of searchPath)
    if (!isAbsolute(d)) throw invalid('searchPath', `directory ${JSON.stringify(d)} must be absolute`);
  return {
    program,
    args: strList(o, 'args'),
    cwd: absCwd,
    inputFile: inCwd(absCwd, str(o, 'inputFile', false)),
    logFile: inCwd(absCwd, str(o, 'logFile', false) ?? 'log.txt')!,
    stderrFile: inCwd(absCwd, str(o, 'stderrFile', false) ?? 'stderr.txt')!,
    appendOutput: bool(o, 'appendOutput', false),
    env: env as RunOptions['env'],
    extendEnv: bool(o, 'extendEnv', true),
    ccp4Env: bool(o, 'ccp4Env', true),
    searchPath,
    timeout: ms(o, 'timeout', 0),
    forceKillAfterDelay: ms(o, 'forceKillAfterDelay', 3000),
    cancelSignal: signal as AbortSignal | undefined,
    onLine: o.onLine as RunOptions['onLine'],
    limiter: limiter as ConcurrencyLimiter | null | undefined,
    maxLineLength: count(o, 'maxLineLength', 65536, 1),
    lineBufferSize: count(o, 'lineBufferSize', 10000, 1),
    directOutput,
    containment,
  };
}

// The process layer: running programs in job directories. See docs/process.md.

export {
  type ContainmentMechanism,
  type ContainmentSupport,
  containmentSupport,
  stopWarmUp,
  warmUpContainment,
} from './containment.js';
export { buildEnvironment, type EnvironmentOptions } from './environment.js';
export { PROCESS_CLASS, PROCESS_ERROR_CODES, ProcessErrorCode } from './errors.js';
export { findProgram, searchDirectories } from './find-program.js';
export {
  INTERRUPT_SIGNALS,
  type Interruptible,
  interruptInProgress,
  stopOnInterrupt,
} from './interrupt.js';
export {
  ConcurrencyLimiter,
  defaultLimiter,
  QueueAbortedError,
  setMaxConcurrentPrograms,
} from './limiter.js';
export type { OutputLine } from './lines.js';
export type { RunOptions } from './options.js';
export type { RunOutcome, RunResult } from './result.js';
export { ProgramRun, type RunState, runProgram, startProgram } from './run.js';

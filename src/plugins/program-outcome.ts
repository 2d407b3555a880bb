import type { RunResult } from '../process/index.js';
import { ProcessErrorCode } from '../process/index.js';
import { PluginStatus } from './status.js';

/** How a program run ends the plugin: its status and, unless it succeeded, the CPluginScript code. */
export interface ProgramOutcome {
  status: PluginStatus;
  code?: number;
}

const NOT_STARTED: Record<number, number> = {
  [ProcessErrorCode.PROGRAM_NOT_FOUND]: 102,
  [ProcessErrorCode.CWD_INVALID]: 106,
  [ProcessErrorCode.CWD_NOT_WRITABLE]: 106,
  [ProcessErrorCode.STDIN_UNREADABLE]: 117,
  [ProcessErrorCode.SPAWN_FAILED]: 117,
};

/**
 * Maps the process layer's outcome to CCP4i2's status codes. `timedOut` says the plugin's own time limit
 * stopped the run (the process layer then reports it as interrupted).
 */
export function programOutcome(r: RunResult, timedOut: boolean): ProgramOutcome {
  switch (r.outcome) {
    case 'succeeded':
      return { status: PluginStatus.SUCCEEDED };
    case 'failed':
      return {
        status: PluginStatus.FAILED,
        code: r.error?.code === ProcessErrorCode.OUTPUT_FAILED ? 119 : 101,
      };
    case 'signalled':
      return { status: PluginStatus.FAILED, code: 104 };
    case 'timeout':
      return { status: PluginStatus.FAILED, code: 103 };
    case 'interrupted':
      return timedOut
        ? { status: PluginStatus.FAILED, code: 103 }
        : { status: PluginStatus.INTERRUPTED, code: 105 };
    default:
      return { status: PluginStatus.FAILED, code: NOT_STARTED[r.error?.code ?? 0] ?? 117 };
  }
}

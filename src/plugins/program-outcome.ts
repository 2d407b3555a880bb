import { Severity } from '../errors/severity.js';
import type { RunResult } from '../process/index.js';
import { ProcessErrorCode } from '../process/index.js';
import type { CErrorReport } from '../report/index.js';
import { PLUGIN_CLASS } from './plugin-errors.js';
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

/**
 * Records a finished program run in the job's report: the outcome's code unless it succeeded (or
 * `skipCode` says it is already reported), and a warning (121) naming every process the program left
 * running, which the process layer stopped. Returns the job's status.
 */
export function reportProgramRun(
  report: CErrorReport,
  r: RunResult,
  timedOut: boolean,
  skipCode?: (code: number) => boolean,
): PluginStatus {
  const outcome = programOutcome(r, timedOut);
  if (outcome.code !== undefined && !skipCode?.(outcome.code)) {
    report.append(PLUGIN_CLASS, outcome.code, {
      details: r.error ? [r.error.message, r.error.details].filter(Boolean).join('; ') : undefined,
      file: r.error?.file,
      severity: outcome.status === PluginStatus.INTERRUPTED ? Severity.WARNING : undefined,
    });
  }
  if (r.leftovers.length > 0)
    report.append(PLUGIN_CLASS, 121, {
      details: `${r.leftovers.map((l) => `pid ${l.pid}: ${l.command || '(command unknown)'}`).join('; ')} (found by ${r.containment})`,
      file: r.logFile,
    });
  return outcome.status;
}

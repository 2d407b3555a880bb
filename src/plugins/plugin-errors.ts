import { Severity } from '../errors/severity.js';
import { type ErrorCodeTable, registerErrorCodes } from '../report/index.js';

/** Class under which the plugin runtime's own codes are defined; subclasses register theirs under their class name. */
export const PLUGIN_CLASS = 'CPluginScript';

/**
 * CPluginScript's ERROR_CODES. 100-103 keep the meaning the CCP4i2 rewrite gives them (no command,
 * non-zero exit, program not found, timeout); the others cover faults it did not report.
 */
export const PLUGIN_ERROR_CODES = {
  100: { description: 'The task has no TASKCOMMAND: no program to run' },
  101: { description: 'The program exited with a non-zero code' },
  102: { description: 'The program was not found' },
  103: { description: 'The job did not finish within its time limit and was stopped' },
  104: { description: 'The program was killed by a signal' },
  105: { description: 'The job was interrupted', severity: Severity.WARNING },
  106: { description: 'The job directory cannot be created or written' },
  107: { description: 'Input data are missing or invalid' },
  108: { description: 'Unknown task name' },
  109: { description: 'A job file cannot be written' },
  110: { description: 'The command template cannot be rendered' },
  111: { description: 'An expected output file was not created' },
  112: { description: 'Output files cannot be processed' },
  113: { description: 'Unexpected exception in plugin code' },
  114: { description: 'A sub-job failed' },
  115: { description: 'The task definition (def file) cannot be loaded' },
  116: { description: 'The parameters file cannot be loaded' },
  117: { description: 'The program could not be started' },
  118: { description: 'process() ended without reporting a status while nothing was running' },
  119: { description: 'The program output could not be written' },
  120: { description: 'The parameters file cannot be saved' },
  121: {
    description: 'The program left processes running after it ended; they were stopped',
    severity: Severity.WARNING,
  },
  122: {
    description: 'An optional output file was not produced: left unset',
    severity: Severity.WARNING,
  },
  123: { description: 'The input mini-MTZ files cannot be merged into one HKLIN (makeHklin)' },
  124: { description: 'The program output cannot be split into mini-MTZ files (splitHklout)' },
} as const satisfies ErrorCodeTable;

export type PluginErrorCode = keyof typeof PLUGIN_ERROR_CODES;

registerErrorCodes(PLUGIN_CLASS, PLUGIN_ERROR_CODES);

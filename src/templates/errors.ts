import { Ccp4Error, type ErrorLocation } from '../errors/ccp4-error.js';
import { Severity } from '../errors/severity.js';
import { type CErrorReport, type ErrorCodeTable, registerErrorCodes } from '../report/index.js';

/** Class name under which template errors are reported (CCP4i2 codes are per class). */
export const TEMPLATE_CLASS = 'CComTemplate';

/**
 * Error codes of the template language. 1xx: the template text itself (found while parsing);
 * 2xx: rendering against parameter values; 3xx: AT includes.
 */
export const TEMPLATE_ERRORS = {
  UNTERMINATED_BLOCK: { code: 101, description: 'Block has no end (ENDIF, ENDLOOP or ENDCASE missing)' },
  STRAY_ELSE: { code: 102, description: 'ELSE outside an IF block, or a second ELSE' },
  STRAY_ENDIF: { code: 103, description: 'ENDIF without IF' },
  STRAY_ENDLOOP: { code: 104, description: 'ENDLOOP without LOOP' },
  STRAY_ENDCASE: { code: 105, description: 'ENDCASE without CASE' },
  STRAY_CASEMATCH: { code: 106, description: 'CASEMATCH outside a CASE block' },
  BAD_LOOP: { code: 107, description: 'LOOP line is not LOOP VAR START END [STEP]' },
  BAD_GUARD: { code: 108, description: 'Line guard is not 1, 0, a number, $NAME or {expression}' },
  BAD_EXPRESSION: { code: 109, description: 'Expression cannot be parsed' },
  ORPHAN_CONTINUATION: { code: 110, description: 'Continuation line has no parent line at the level above' },
  BAD_LABELLINE: { code: 111, description: 'LABELLINE words are not LABEL $VALUE pairs' },
  BAD_STATEMENT: { code: 112, description: 'Statement is malformed (missing argument or extra text)' },
  TOO_DEEP: { code: 113, description: 'Blocks or continuation lines are nested too deeply' },
  BEFORE_CASEMATCH: {
    code: 114,
    description:
      'Line inside CASE before its first CASEMATCH is never output (ignored, as legacy CCP4i2 does)',
    severity: Severity.WARNING,
  },
  UNKNOWN_VARIABLE: { code: 201, description: 'Unknown parameter or variable' },
  EVALUATION: { code: 202, description: 'Expression cannot be evaluated (wrong types, division by zero)' },
  LOOP_BOUND: { code: 203, description: 'LOOP bound or step is not an integer' },
  ZERO_STEP: { code: 204, description: 'LOOP step is zero' },
  LOOP_TOO_LONG: { code: 205, description: 'LOOP would run more iterations than allowed' },
  NOT_PRINTABLE: { code: 206, description: 'Value has no single text (a list or a composite): name a field' },
  CONTROL_CHARACTER: {
    code: 207,
    description: 'Substituted value contains a control character (would inject a keyword line)',
  },
  LABELLINE_UNSET: {
    code: 208,
    description: 'LABELLINE value is unset: labels from here on are left out',
    severity: Severity.WARNING,
  },
  UNRESOLVED_FILE: {
    code: 210,
    description:
      'File parameter is set but its full path cannot be resolved (unknown project, CCP4I2_TOP not given)',
  },
  UNSET_VALUE: {
    code: 211,
    description: 'Substituted parameter is unset: it prints as nothing',
    severity: Severity.WARNING,
  },
  KEYWORD_VALUE: {
    code: 212,
    description:
      "Substituted value would change the keyword script's meaning (a comment, a continuation, an @file, or a separator that cannot be quoted)",
  },
  OUTPUT_TOO_LARGE: { code: 209, description: 'Rendered output exceeds the allowed number of lines' },
  MISSING_INCLUDE: { code: 301, description: 'AT file does not exist' },
  INCLUDE_CYCLE: { code: 302, description: 'AT includes a file that is already being included' },
  INCLUDE_TOO_DEEP: { code: 303, description: 'AT includes are nested too deeply' },
  UNKNOWN_ENV: { code: 304, description: 'AT path names an environment variable that is not set' },
  UNREADABLE_INCLUDE: { code: 305, description: 'AT file cannot be read' },
  TEMPLATE_FILE: { code: 306, description: 'Template file does not exist or cannot be read' },
} as const;

export type TemplateErrorKind = keyof typeof TEMPLATE_ERRORS;

const table: Record<number, { description: string; severity?: Severity }> = {};
for (const e of Object.values(TEMPLATE_ERRORS))
  table[e.code] = { description: e.description, severity: 'severity' in e ? e.severity : undefined };
registerErrorCodes(TEMPLATE_CLASS, table as ErrorCodeTable);

/** Adds a coded template problem to a report; `details` says what exactly (the word, the value...). */
export function reportTemplateError(
  report: CErrorReport,
  kind: TemplateErrorKind,
  details: string,
  where: ErrorLocation = {},
): void {
  report.append(TEMPLATE_CLASS, TEMPLATE_ERRORS[kind].code, {
    details,
    file: where.file,
    line: where.line,
    objectPath: where.objectPath,
  });
}

/** The same problem as an exception, for callers that cannot go on (an unreadable template file). */
export function templateError(
  kind: TemplateErrorKind,
  details: string,
  where: ErrorLocation = {},
): Ccp4Error {
  const entry = TEMPLATE_ERRORS[kind];
  return new Ccp4Error({
    className: TEMPLATE_CLASS,
    code: entry.code,
    message: `${entry.description}: ${details}`,
    severity: 'severity' in entry ? entry.severity : Severity.ERROR,
    ...where,
  });
}

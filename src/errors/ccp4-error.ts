import { Severity } from './severity.js';

/** Where a problem was found: any of the file, the object path inside it, and a line number. */
export interface ErrorLocation {
  /** File the problem was found in (absolute or as given by the user). */
  file?: string;
  /** Dotted CData object path (`container.inputData.HKLIN`) or record name (`MTZ header COLUMN 3`). */
  objectPath?: string;
  /** 1-based line number inside `file` when known. */
  line?: number;
}

export interface Ccp4ErrorInit extends ErrorLocation {
  /** Class whose ERROR_CODES table defines `code` (CCP4i2 codes are per class), e.g. `CInt`, `MtzReader`. */
  className: string;
  code: number;
  message: string;
  severity?: Severity;
  details?: string;
  cause?: unknown;
}

/**
 * The one exception type of ccp4i2-ts. Every failure caused by external input (a file, a parameter, a
 * program's output) is thrown as, or converted to, a Ccp4Error so that it can be reported with its class,
 * code, file and object path instead of a stack trace. Lower layers (formats, process) throw it; the data
 * model collects it into CErrorReport entries.
 */
export class Ccp4Error extends Error {
  readonly className: string;
  readonly code: number;
  readonly severity: Severity;
  readonly details?: string;
  readonly file?: string;
  readonly objectPath?: string;
  readonly line?: number;

  constructor(init: Ccp4ErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'Ccp4Error';
    this.className = init.className;
    this.code = init.code;
    this.severity = init.severity ?? Severity.ERROR;
    this.details = init.details;
    this.file = init.file;
    this.objectPath = init.objectPath;
    this.line = init.line;
  }

  /** One line for a terminal: `file:line: objectPath: message [className 103]`. */
  describe(): string {
    const where = [this.file && (this.line ? `${this.file}:${this.line}` : this.file), this.objectPath]
      .filter(Boolean)
      .join(': ');
    return `${where ? `${where}: ` : ''}${this.message} [${this.className} ${this.code}]`;
  }
}

export function isCcp4Error(e: unknown): e is Ccp4Error {
  return e instanceof Ccp4Error;
}

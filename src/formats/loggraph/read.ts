import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { Ccp4Error } from '../../errors/ccp4-error.js';
import { LoggraphParser } from './parser.js';
import type { LoggraphHandlers, LoggraphLimits, LoggraphLog } from './types.js';

export const LOGGRAPH_ERROR_CLASS = 'LoggraphParser';
export const LOGGRAPH_ERROR_CODES = {
  101: { description: 'Cannot read the log file' },
  102: { description: 'Not a regular file' },
} as const;

/** Handlers that collect everything into a LoggraphLog (and pass each event on to `also`). */
export function collector(also: LoggraphHandlers = {}): { log: LoggraphLog; handlers: LoggraphHandlers } {
  const log: LoggraphLog = { tables: [], texts: [], warnings: [], lines: 0 };
  const handlers: LoggraphHandlers = {
    table: (t) => {
      log.tables.push(t);
      also.table?.(t);
    },
    row: also.row,
    tableEnd: also.tableEnd,
    text: (b) => {
      log.texts.push(b);
      also.text?.(b);
    },
    warning: (w) => {
      log.warnings.push(w);
      also.warning?.(w);
    },
  };
  return { log, handlers };
}

/** Every table, text block and warning of a log held in memory. */
export function parseLoggraph(text: string, limits: LoggraphLimits = {}): LoggraphLog {
  const { log, handlers } = collector();
  const p = new LoggraphParser(handlers, limits);
  p.write(text);
  p.end();
  log.lines = p.lineNumber;
  return log;
}

const CHUNK = 1 << 20;

/**
 * Streams a log file through the parser in 1 MiB chunks: memory holds one chunk, one line and what the
 * handlers keep (by default, with `collect`, every table). Invalid UTF-8 becomes U+FFFD, never an error.
 * Throws Ccp4Error LoggraphParser 101/102 when the file cannot be read.
 */
export function parseLoggraphFile(
  file: string,
  options: { handlers?: LoggraphHandlers; limits?: LoggraphLimits; collect?: boolean } = {},
): LoggraphLog {
  const collect = options.collect ?? true;
  const c = collect ? collector(options.handlers) : undefined;
  const log = c?.log ?? { tables: [], texts: [], warnings: [], lines: 0 };
  const parser = new LoggraphParser(c?.handlers ?? options.handlers ?? {}, options.limits);
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO opens at once (then fails the check below) instead of waiting for a writer
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw readError(file, 101, e);
  }
  try {
    if (!fstatSync(fd).isFile())
      throw new Ccp4Error({
        className: LOGGRAPH_ERROR_CLASS,
        code: 102,
        message: LOGGRAPH_ERROR_CODES[102].description,
        file,
      });
    const buf = Buffer.allocUnsafe(CHUNK);
    const decoder = new TextDecoder('utf-8');
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, CHUNK, null);
      } catch (e) {
        throw readError(file, 101, e);
      }
      if (n === 0) break;
      parser.write(decoder.decode(buf.subarray(0, n), { stream: true }));
    }
    parser.write(decoder.decode());
    parser.end();
  } finally {
    closeSync(fd);
  }
  log.lines = parser.lineNumber;
  return log;
}

function readError(file: string, code: 101, e: unknown): Ccp4Error {
  const why = (e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message;
  return new Ccp4Error({
    className: LOGGRAPH_ERROR_CLASS,
    code,
    message: `${LOGGRAPH_ERROR_CODES[code].description}${why ? ` (${why})` : ''}`,
    file,
  });
}

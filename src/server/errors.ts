import { Ccp4Error, type ErrorLocation, isCcp4Error } from '../errors/ccp4-error.js';
import { type ErrorCodeTable, registerErrorCodes } from '../report/index.js';

/** Error class of the web server's own codes (docs/server.md lists them with their HTTP status). */
export const SERVER_CLASS = 'CServer';

export const SERVER_ERROR_CODES = {
  1: { description: 'Malformed request (JSON, parameters or query do not match the schema)' },
  2: { description: 'Not found' },
  3: { description: 'Access token missing or wrong' },
  4: { description: 'Origin or Host not allowed for a request that changes something' },
  5: { description: 'Request body or upload too large' },
  6: { description: 'Path outside the project directory' },
  7: { description: 'Upload failed' },
  8: { description: 'The request conflicts with the state of the job or project' },
  9: { description: 'The database is busy; try again' },
  10: { description: 'Parameters are invalid' },
  11: { description: 'Internal server error' },
} as const satisfies ErrorCodeTable;

export type ServerErrorCode = keyof typeof SERVER_ERROR_CODES;

registerErrorCodes(SERVER_CLASS, SERVER_ERROR_CODES);

const STATUS: Record<ServerErrorCode, number> = {
  1: 400,
  2: 404,
  3: 401,
  4: 403,
  5: 413,
  6: 403,
  7: 400,
  8: 409,
  9: 503,
  10: 422,
  11: 500,
};

export function serverError(
  code: ServerErrorCode,
  message: string,
  more: ErrorLocation & { details?: string; cause?: unknown } = {},
): Ccp4Error {
  return new Ccp4Error({ className: SERVER_CLASS, code, message, ...more });
}

/** The body of every error response. */
export interface ErrorBody {
  error: {
    class: string;
    code: number;
    message: string;
    details?: string;
    file?: string;
    objectPath?: string;
    line?: number;
    entries?: unknown[];
  };
  /** The job the request made, when it failed after making it (a submission SLURM refused). */
  job?: unknown;
}

/** The database's codes (docs/database.md): unknown ids 404, state conflicts 409, busy 503. */
const DB_STATUS: Record<number, number> = {
  2: 503,
  5: 507,
  6: 503,
  7: 404,
  8: 404,
  9: 409,
  12: 409,
  13: 409,
  14: 409,
};

/**
 * HTTP status for a coded error: the server's own codes map one to one; an unknown task is 404; any other
 * Ccp4Error comes from the caller's input (a def file, a parameter, a path) and is 400.
 */
export function httpStatusOf(e: Ccp4Error): number {
  if (e.className === SERVER_CLASS) return STATUS[e.code as ServerErrorCode] ?? 400;
  if (e.className === 'CPluginScript' && e.code === 108) return 404;
  if (e.className === 'JobDatabase') return DB_STATUS[e.code] ?? 400;
  // SLURM: bad options and a rejected job are the request's (400); no sbatch or no controller, 503.
  if (e.className === 'SlurmClient') return e.code === 102 || e.code === 104 ? 503 : 400;
  if (/SQLITE_BUSY|database is locked/i.test(e.message)) return 503;
  return 400;
}

export function errorBody(e: Ccp4Error, entries?: unknown[], job?: unknown): ErrorBody {
  const body: ErrorBody['error'] = { class: e.className, code: e.code, message: e.message };
  if (e.details) body.details = e.details;
  if (e.file) body.file = e.file;
  if (e.objectPath) body.objectPath = e.objectPath;
  if (e.line) body.line = e.line;
  if (entries) body.entries = entries;
  return job === undefined ? { error: body } : { error: body, job };
}

/** Fastify's own errors (schema validation, bad JSON, body limit, 404) as coded errors. */
export function toCcp4Error(e: unknown): Ccp4Error {
  if (isCcp4Error(e)) return e;
  const err = e as { code?: string; statusCode?: number; message?: string; validation?: unknown };
  const message = err?.message ?? String(e);
  if (err?.code === 'SQLITE_BUSY' || err?.code === 'SQLITE_LOCKED')
    return serverError(9, 'the database is locked by another process (a running i2run?); try again');
  if (err?.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err?.code === 'FST_REQ_FILE_TOO_LARGE')
    return serverError(5, message);
  if (err?.code === 'FST_FILES_LIMIT' || err?.code === 'FST_PARTS_LIMIT') return serverError(5, message);
  if (err?.validation || err?.code?.startsWith('FST_ERR_CTP') || err?.code === 'FST_ERR_VALIDATION')
    return serverError(1, message);
  if (typeof err?.statusCode === 'number' && err.statusCode === 404) return serverError(2, message);
  if (typeof err?.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500)
    return serverError(1, message);
  return serverError(11, 'internal server error (please report)', { details: message });
}

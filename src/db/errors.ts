import { Ccp4Error, type ErrorLocation } from '../errors/ccp4-error.js';
import { registerErrorCodes } from '../report/error-codes.js';

/** Class name of the database's error codes. */
export const DB_CLASS = 'JobDatabase';

export const DB_ERROR_CODES = {
  1: 'Not an SQLite database',
  2: 'Database cannot be opened',
  3: 'Database is read-only',
  4: 'Database comes from a newer version of ccp4i2-ts',
  5: 'Disk full: the write was rolled back',
  6: 'Database busy: the write was retried and still failed',
  7: 'Unknown project',
  8: 'Unknown job',
  9: 'Project already exists',
  10: 'Database error',
  11: 'Invalid argument',
  12: 'The job is not in a state that allows this',
  13: 'Later jobs used this job’s outputs',
  14: 'Project directory missing',
  15: 'Database file is damaged',
  16: 'Job directory missing',
  17: 'Database file deleted or replaced while in use',
} as const;

export type DbErrorCode = keyof typeof DB_ERROR_CODES;

registerErrorCodes(
  DB_CLASS,
  Object.fromEntries(Object.entries(DB_ERROR_CODES).map(([k, v]) => [k, { description: v }])),
);

export function dbError(
  code: DbErrorCode,
  message: string,
  where: ErrorLocation & { details?: string; cause?: unknown } = {},
): Ccp4Error {
  return new Ccp4Error({ className: DB_CLASS, code, message, ...where });
}

/** The SQLite result code of an error thrown by better-sqlite3 (`SQLITE_BUSY`...), else undefined. */
export function sqliteCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** A better-sqlite3 error as a coded error naming the database file. */
export function fromSqliteError(e: unknown, file: string, what: string): Ccp4Error {
  if (e instanceof Ccp4Error) return e;
  const code = sqliteCode(e) ?? '';
  const msg = (e as Error)?.message ?? String(e);
  const cause = e;
  if (code.startsWith('SQLITE_FULL'))
    return dbError(5, `${what}: the disk is full; nothing was written`, { file, details: msg, cause });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return dbError(6, `${what}: another process keeps the database locked`, { file, details: msg, cause });
  if (code.startsWith('SQLITE_READONLY') || (code === 'SQLITE_CANTOPEN' && /read-?only/i.test(msg)))
    return dbError(3, `${what}: the database file is read-only`, { file, details: msg, cause });
  if (code.startsWith('SQLITE_NOTADB'))
    return dbError(1, `${what}: the file is not an SQLite database`, { file, details: msg, cause });
  if (code.startsWith('SQLITE_CORRUPT'))
    return dbError(15, `${what}: the database file is damaged`, { file, details: msg, cause });
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR'))
    return dbError(2, `${what}: ${msg}`, { file, details: code, cause });
  return dbError(10, `${what}: ${msg}`, { file, details: code || undefined, cause });
}

import { Ccp4Error } from '../errors/ccp4-error.js';

/** Error class of the file checks shared by every layer (codes listed in docs/guarantees.md). */
export const FILE_CLASS = 'FileAccess';

export const FILE_ERRORS = {
  1: 'Not a regular file',
  2: 'Cannot read the file',
  3: 'Cannot write the file',
  4: 'Output is a symbolic link',
  5: "Output is one of the job's inputs",
  6: 'Directory cannot be created here',
} as const;

export type FileErrorCode = keyof typeof FILE_ERRORS;

export function fileError(
  code: FileErrorCode,
  message: string,
  file: string,
  more: { objectPath?: string; cause?: unknown } = {},
): Ccp4Error {
  return new Ccp4Error({ className: FILE_CLASS, code, message, file, ...more });
}

/** The errno code of a Node file-system error, else its text. */
export function errnoOf(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? String(e);
}

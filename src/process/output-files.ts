import { closeSync, openSync, statSync } from 'node:fs';
import { kindOf } from '../files/kind.js';
import { openRegularSync } from '../files/read.js';
import { ProcessErrorCode, processError } from './errors.js';

// Synchronous on purpose, like find-program.ts: these are single syscalls of microseconds, while the
// promise API pays a thread-pool round trip for each, which dominated the cost of a short job.

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.name === 'Ccp4Error') return err.message.replace(/^cannot read: /, '');
  return err?.code ? `${err.code}: ${err.message.replace(/^[A-Z]+: /, '')}` : String(e);
}

/** The job directory must exist and be a directory (Ccp4Error 103 otherwise). */
export function checkWorkingDirectory(cwd: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(cwd).isDirectory();
  } catch (e) {
    throw processError(ProcessErrorCode.CWD_INVALID, `working directory cannot be used: ${reason(e)}`, {
      file: cwd,
      cause: e,
    });
  }
  if (!isDir)
    throw processError(ProcessErrorCode.CWD_INVALID, 'working directory is not a directory', { file: cwd });
}

/** The files a run reads and writes (file descriptors), opened before the program starts so that failures are reported first. */
export interface JobFiles {
  stdin?: number;
  stdout: number;
  stderr: number;
  /** Closes every descriptor; idempotent. */
  close(): void;
}

function openOutput(path: string, append: boolean, readable: boolean, opened: number[]): number {
  // A log that exists as a FIFO would block the open (waiting for a reader), a device would take the log
  const st = statSync(path, { throwIfNoEntry: false });
  if (st && !st.isFile())
    throw processError(
      ProcessErrorCode.CWD_NOT_WRITABLE,
      `cannot create output file: it is ${kindOf(st)}, not a regular file`,
      { file: path },
    );
  try {
    const fd = openSync(path, `${append ? 'a' : 'w'}${readable ? '+' : ''}`, 0o644);
    opened.push(fd);
    return fd;
  } catch (e) {
    throw processError(ProcessErrorCode.CWD_NOT_WRITABLE, `cannot create output file: ${reason(e)}`, {
      file: path,
      cause: e,
    });
  }
}

export function openJobFiles(files: {
  inputFile?: string;
  logFile: string;
  stderrFile: string;
  append: boolean;
  /** Open the output files for reading too (their tails are read back after a directOutput run). */
  readable?: boolean;
}): JobFiles {
  const opened: number[] = [];
  const close = () => {
    for (const fd of opened.splice(0)) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
  };
  try {
    let stdin: number | undefined;
    if (files.inputFile !== undefined) {
      try {
        // Opened without blocking (a FIFO would wait for a writer), then checked to be a regular file.
        stdin = openRegularSync(files.inputFile).fd;
        opened.push(stdin);
      } catch (e) {
        throw processError(
          ProcessErrorCode.STDIN_UNREADABLE,
          `cannot read standard input file: ${reason(e)}`,
          {
            file: files.inputFile,
            cause: e,
          },
        );
      }
    }
    const readable = files.readable ?? false;
    const stdout = openOutput(files.logFile, files.append, readable, opened);
    const stderr =
      files.stderrFile === files.logFile
        ? stdout
        : openOutput(files.stderrFile, files.append, readable, opened);
    return { stdin, stdout, stderr, close };
  } catch (e) {
    close();
    throw e;
  }
}

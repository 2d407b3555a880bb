import { closeSync, constants, fstatSync, openSync, statSync } from 'node:fs';
import { dbError } from '../db/index.js';
import type { Ccp4Error } from '../errors/ccp4-error.js';

/** Device and inode: a path deleted and made again (another directory, a new database) is not the same. */
export type Identity = { dev: number; ino: number };

export function identity(path: string): Identity | undefined {
  try {
    const st = statSync(path);
    return { dev: st.dev, ino: st.ino };
  } catch {
    return undefined;
  }
}

function openDirectory(path: string): number | undefined {
  try {
    return openSync(path, constants.O_RDONLY | constants.O_DIRECTORY);
  } catch {
    return undefined;
  }
}

function identityOf(fd: number): Identity {
  const st = fstatSync(fd);
  return { dev: st.dev, ino: st.ino };
}

function same(a: Identity | undefined, b: Identity | undefined): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

/** The coded error for a job directory that is missing (never made, deleted, replaced). */
export function jobDirectoryMissing(directory: string, job: string, when: string): Ccp4Error {
  return dbError(
    16,
    `the directory of job ${job} was deleted or replaced ${when}; nothing the job wrote can be kept`,
    { file: directory },
  );
}

export interface PathWatchOptions {
  /** The job's directory: when it goes, the job is stopped (`onDirectoryLost`). */
  directory: string;
  /** The database file the job is recorded in: when it goes, the job runs on, unrecorded. */
  database: string;
  /** The database file's identity when it was opened (undefined: it was gone by then); else taken now. */
  databaseIdentity?: Identity;
  /** The job's number, for messages. */
  job: string;
  onDirectoryLost: (error: Ccp4Error) => void;
  /** How often both paths are checked (ms). */
  intervalMs?: number;
}

/**
 * Watches a running job's directory and database file (a stat of each per interval; inotify would miss
 * deletions on network file systems). A program whose job directory was deleted would otherwise run to
 * its end for nothing, and a runner whose database was deleted would record into a file nobody can open.
 */
export class PathWatch {
  /** Set once the job directory is found missing (at once when it was missing from the start). */
  directoryLost?: Ccp4Error;
  /** Set once the database file is found missing or replaced. */
  databaseLost?: Ccp4Error;
  readonly #o: PathWatchOptions;
  readonly #dir: Identity | undefined;
  readonly #db: Identity | undefined;
  readonly #timer: NodeJS.Timeout;
  /**
   * The job directory, held open: while it is, its inode cannot be freed, so a directory made anew at the
   * same path (a plugin making its work directory again) never gets the same (dev, ino) on ext4, which
   * reuses freed inode numbers at once; and a deletion shows as a link count of 0.
   */
  #fd: number | undefined;
  #stopped = false;

  constructor(o: PathWatchOptions) {
    this.#o = o;
    this.#fd = openDirectory(o.directory);
    this.#dir = this.#fd === undefined ? undefined : identityOf(this.#fd);
    this.#db = 'databaseIdentity' in o ? o.databaseIdentity : identity(o.database);
    // Missing already: the job must not start (the caller checks this before running it).
    if (!this.#dir) this.directoryLost = jobDirectoryMissing(o.directory, o.job, 'before it started');
    this.#timer = setInterval(() => this.check(), o.intervalMs ?? 1000);
    this.#timer.unref();
  }

  /** Checks both paths now (also called when the job ends: a deletion in the last interval counts). */
  check(): void {
    if (this.#stopped) return;
    if (!this.directoryLost && (!this.#held() || !same(this.#dir, identity(this.#o.directory)))) {
      this.directoryLost = jobDirectoryMissing(this.#o.directory, this.#o.job, 'while it ran');
      this.#o.onDirectoryLost(this.directoryLost);
    }
    if (!this.databaseLost && !same(this.#db, identity(this.#o.database)))
      this.databaseLost = dbError(
        17,
        `the database file was deleted or replaced while job ${this.#o.job} ran: its outcome is recorded only in its directory (\`ccp4i2 projects import\` records it again)`,
        { file: this.#o.database },
      );
  }

  /** The held directory still has a name (fstat never throws on an open descriptor). */
  #held(): boolean {
    return this.#fd !== undefined && fstatSync(this.#fd).nlink > 0;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#stopped = true;
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

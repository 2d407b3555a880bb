import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { makeDirectories } from '../files/index.js';
import { dbError, fromSqliteError, sqliteCode } from './errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';

let sqlite: { Database: typeof Database; nativeBinding?: string } | undefined;
/**
 * better-sqlite3 and its compiled addon where its install builds it. The bundle carries better-sqlite3's
 * JavaScript in its db chunk (compiled with the code cache, bundle.mjs: Node's require of its 14 files cost
 * ~5 ms of every command that opens the database) and hands it the addon's path. Where the addon is not
 * there (a prebuilt layout), the package itself is loaded, whose own search (the `bindings` package)
 * looks in its own folder: from the bundle it would look in ours.
 */
function betterSqlite(): { Database: typeof Database; nativeBinding?: string } {
  if (!sqlite) {
    // Node's own require, from this file: never the bundler's
    const nodeRequire = createRequire(import.meta.url);
    try {
      sqlite = {
        Database,
        nativeBinding: nodeRequire.resolve('better-sqlite3/build/Release/better_sqlite3.node'),
      };
    } catch {
      sqlite = { Database: nodeRequire('better-sqlite3') as typeof Database };
    }
  }
  return sqlite;
}

export interface OpenOptions {
  /** Open for reading only (listing works on a read-only file; writes fail with code 3). */
  readonly?: boolean;
  /** Milliseconds SQLite waits for another process's lock before SQLITE_BUSY (default 10 s). */
  busyTimeoutMs?: number;
  /** Refuse (code 2) instead of creating a missing file: a job's runner must never make a new, empty database. */
  mustExist?: boolean;
}

const HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Checks the file before SQLite touches it: a non-SQLite file must never be overwritten. */
function checkExistingFile(file: string): boolean {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw dbError(2, `cannot read the database file: ${(e as NodeJS.ErrnoException).code}`, { file });
  }
  if (!st.isFile()) throw dbError(2, 'the database path is not a regular file', { file });
  if (st.size === 0) return true;
  const head = Buffer.alloc(HEADER.length);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw dbError(2, `cannot read the database file: ${(e as NodeJS.ErrnoException).code}`, { file });
  }
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(HEADER))
    throw dbError(1, 'the file is not an SQLite database; it was left untouched', { file });
  return true;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * One connection to the job database: WAL mode (readers never block the writer), a busy timeout, foreign
 * keys on, migrations applied on open. Writes go through `write()`: an IMMEDIATE transaction (the write
 * lock is taken at BEGIN, so two writers queue instead of deadlocking), retried when SQLite still says
 * SQLITE_BUSY, rolled back whole on any error (disk full included).
 */
export class Connection {
  readonly sql: Database.Database;
  readonly readonly: boolean;
  /** The file's device and inode once opened: a runner tells by it that the file was deleted or replaced. */
  readonly fileIdentity: { dev: number; ino: number } | undefined;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(
    readonly file: string,
    options: OpenOptions = {},
  ) {
    const exists = checkExistingFile(file);
    const ro = options.readonly ?? false;
    if (!exists) {
      if (ro || options.mustExist) throw dbError(2, 'the database file does not exist', { file });
      try {
        // checked, one level at a time: Node's recursive mkdir spins forever on /proc/x
        makeDirectories(dirname(file));
      } catch (e) {
        throw dbError(2, `cannot create the database directory: ${(e as Error).message}`, { file });
      }
    }
    // WAL needs the -wal and -shm files beside the database: the directory must be writable too.
    if (!ro && ((exists && !writable(file)) || !writable(dirname(file))))
      throw dbError(3, 'the database file (or its directory) is read-only; nothing was changed', { file });
    this.readonly = ro;
    try {
      const { Database: Sqlite, nativeBinding } = betterSqlite();
      this.sql = new Sqlite(file, { readonly: ro, fileMustExist: exists, nativeBinding });
    } catch (e) {
      throw fromSqliteError(e, file, 'cannot open the database');
    }
    try {
      const st = statSync(file);
      this.fileIdentity = { dev: st.dev, ino: st.ino };
    } catch {
      this.fileIdentity = undefined; // deleted at once: PathWatch finds it missing
    }
    try {
      this.sql.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 10_000))}`);
      // A newer schema is refused before anything (even the journal mode) is written.
      if (this.schemaVersion > SCHEMA_VERSION) throw this.#newer();
      if (!ro) {
        this.sql.pragma('journal_mode = WAL');
        this.sql.pragma('synchronous = NORMAL');
      }
      this.sql.pragma('foreign_keys = ON');
      this.#migrate();
    } catch (e) {
      this.sql.close();
      throw fromSqliteError(e, file, 'cannot open the database');
    }
  }

  get schemaVersion(): number {
    return this.sql.pragma('user_version', { simple: true }) as number;
  }

  #newer() {
    return dbError(
      4,
      `the database has schema version ${this.schemaVersion}, newer than this ccp4i2-ts knows (${SCHEMA_VERSION}); it was left untouched`,
      { file: this.file },
    );
  }

  #migrate(): void {
    const newer = () => this.#newer();
    const v = this.schemaVersion;
    if (v > SCHEMA_VERSION) throw newer();
    if (v === SCHEMA_VERSION) return;
    if (this.readonly)
      throw dbError(3, `the database needs migrating to version ${SCHEMA_VERSION} but is opened read-only`, {
        file: this.file,
      });
    this.write('migrating the database', () => {
      // Another process may have migrated while we waited for the lock.
      const now = this.schemaVersion;
      if (now > SCHEMA_VERSION) throw newer();
      for (let i = now; i < SCHEMA_VERSION; i++) this.sql.exec(MIGRATIONS[i]!);
      this.sql.pragma(`user_version = ${SCHEMA_VERSION}`);
    });
  }

  /** A prepared statement, cached per SQL text. */
  stmt(sql: string): Database.Statement {
    let s = this.#statements.get(sql);
    if (!s) {
      s = this.sql.prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  /**
   * Runs `fn` in an IMMEDIATE transaction; SQLITE_BUSY is retried (with back-off, up to ~30 s in all),
   * any other error rolls the whole transaction back and is rethrown as a coded error naming the file.
   */
  write<T>(what: string, fn: () => T): T {
    if (this.readonly) throw dbError(3, `${what}: the database is open read-only`, { file: this.file });
    const tx = this.sql.transaction(fn);
    for (let attempt = 0; ; attempt++) {
      try {
        return tx.immediate();
      } catch (e) {
        const code = sqliteCode(e);
        if (code?.startsWith('SQLITE_BUSY') && attempt < 20) {
          Atomics.wait(sleeper, 0, 0, Math.min(2000, 10 * 2 ** attempt));
          continue;
        }
        throw fromSqliteError(e, this.file, what);
      }
    }
  }

  /** A read; SQLite errors become coded errors naming the file. */
  read<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw fromSqliteError(e, this.file, what);
    }
  }

  close(): void {
    if (this.sql.open) this.sql.close();
  }
}

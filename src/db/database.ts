import { Connection, type OpenOptions } from './connection.js';
import { Files } from './files.js';
import { Jobs } from './jobs.js';
import { databasePath } from './location.js';
import { Projects } from './projects.js';

/**
 * The projects and jobs database (one per user, as CCP4i2's): `JobDatabase.open()` resolves the file
 * (`--db`, $CCP4I2_DB, `~/.ccp4i2-ts/db.sqlite`), checks it, and applies migrations. Synchronous on
 * purpose (better-sqlite3): a write is tens of microseconds, less than a promise round trip.
 */
export class JobDatabase {
  readonly connection: Connection;
  readonly projects: Projects;
  readonly jobs: Jobs;
  readonly files: Files;

  private constructor(connection: Connection) {
    this.connection = connection;
    this.projects = new Projects(connection);
    this.jobs = new Jobs(connection, this.projects);
    this.files = new Files(connection);
  }

  /** Opens (creating when absent) the database at `file`, else $CCP4I2_DB, else the per-user default. */
  static open(file?: string, options: OpenOptions = {}): JobDatabase {
    return new JobDatabase(new Connection(databasePath(file), options));
  }

  get file(): string {
    return this.connection.file;
  }

  /** Several writes as one transaction (all or nothing). */
  transaction<T>(what: string, fn: () => T): T {
    return this.connection.write(what, fn);
  }

  /** `PRAGMA integrity_check`: 'ok' or SQLite's list of problems. */
  integrityCheck(): string {
    const rows = this.connection.sql.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('\n');
  }

  close(): void {
    this.connection.close();
  }
}

import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Connection } from './connection.js';
import { dbError } from './errors.js';
import { fromRow, fromRows, now, type ProjectRecord } from './records.js';

const NAME_RE = /^[A-Za-z0-9_.-]+$/;

/** Projects: name (unique), directory, the last top-level job number handed out. */
export class Projects {
  constructor(private readonly c: Connection) {}

  list(): ProjectRecord[] {
    return this.c.read('listing projects', () =>
      fromRows<ProjectRecord>(this.c.stmt('SELECT * FROM projects ORDER BY name').all() as never),
    );
  }

  get(nameOrId: string): ProjectRecord | undefined {
    return this.c.read('reading a project', () =>
      fromRow<ProjectRecord>(
        this.c.stmt('SELECT * FROM projects WHERE name = ? OR id = ?').get(nameOrId, nameOrId) as never,
      ),
    );
  }

  require(nameOrId: string): ProjectRecord {
    const p = this.get(nameOrId);
    if (!p) {
      const known = this.list().map((x) => x.name);
      throw dbError(7, `no project '${nameOrId}'`, {
        file: this.c.file,
        details: known.length ? `known projects: ${known.join(', ')}` : 'the database has no projects',
      });
    }
    return p;
  }

  byDirectory(directory: string): ProjectRecord | undefined {
    return this.c.read('reading a project', () =>
      fromRow<ProjectRecord>(
        this.c.stmt('SELECT * FROM projects WHERE directory = ?').get(resolve(directory)) as never,
      ),
    );
  }

  /** Creates a project (code 9 when the name is taken, 11 when it is not a plain name). */
  create(name: string, directory: string, lastJobNumber = 0): ProjectRecord {
    if (!NAME_RE.test(name))
      throw dbError(11, `bad project name '${name}' (letters, digits, _ . - only)`, { file: this.c.file });
    const p: ProjectRecord = {
      id: randomUUID(),
      name,
      directory: resolve(directory),
      created: now(),
      lastJobNumber,
    };
    return this.c.write(`creating project ${name}`, () => {
      if (this.get(name)) throw dbError(9, `project '${name}' already exists`, { file: this.c.file });
      this.c
        .stmt(
          'INSERT INTO projects (id, name, directory, created, last_job_number) VALUES (@id, @name, @directory, @created, @lastJobNumber)',
        )
        .run(p);
      return p;
    });
  }

  /**
   * The project named `name`, created in `directory` when new (i2run's --project_name). Safe when many
   * processes do it at once: the check and the insert are one write transaction.
   */
  ensure(name: string, directory: string, lastJobNumber = 0): ProjectRecord {
    const found = this.get(name);
    if (found) return found;
    return this.c.write(`registering project ${name}`, () => {
      const again = this.get(name);
      if (again) return again;
      return this.create(name, directory, lastJobNumber);
    });
  }

  /**
   * The project at `directory`, registered when new under `name` — or `name_2`, `name_3`... when another
   * directory already holds that name (two i2run folders for one task). One write transaction, so many
   * processes registering at once get one project.
   */
  ensureAt(name: string, directory: string, lastJobNumber = 0): ProjectRecord {
    const dir = resolve(directory);
    return (
      this.byDirectory(dir) ??
      this.c.write(`registering project ${name}`, () => {
        const again = this.byDirectory(dir);
        if (again) return again;
        let unique = name;
        for (let i = 2; this.get(unique); i++) unique = `${name}_${i}`;
        return this.create(unique, dir, lastJobNumber);
      })
    );
  }

  /** Removes the project's records (jobs, files, uses); its directory is left alone. */
  delete(id: string): void {
    this.c.write('deleting a project', () => {
      this.c.stmt('DELETE FROM projects WHERE id = ?').run(id);
    });
  }

  /** Raises the last job number handed out to at least `n` (after importing job directories). */
  raiseLastJobNumber(id: string, n: number): void {
    this.c.write('recording the last job number', () => {
      this.c.stmt('UPDATE projects SET last_job_number = MAX(last_job_number, ?) WHERE id = ?').run(n, id);
    });
  }

  /** The project's settings (`project_settings`), by key; values are the strings stored. */
  settings(id: string): Record<string, string> {
    return this.c.read('reading project settings', () => {
      const rows = this.c
        .stmt('SELECT key, value FROM project_settings WHERE project_id = ? ORDER BY key')
        .all(id) as { key: string; value: string }[];
      return Object.fromEntries(rows.map((r) => [r.key, r.value]));
    });
  }

  /** Sets (or, for null, removes) settings of a project in one transaction; the settings after. */
  setSettings(id: string, patch: Record<string, string | null>): Record<string, string> {
    this.c.write('writing project settings', () => {
      if (!this.get(id)) throw dbError(7, `no project with id ${id}`, { file: this.c.file });
      for (const [key, value] of Object.entries(patch))
        if (value === null)
          this.c.stmt('DELETE FROM project_settings WHERE project_id = ? AND key = ?').run(id, key);
        else
          this.c
            .stmt(
              'INSERT INTO project_settings (project_id, key, value) VALUES (?, ?, ?) ON CONFLICT (project_id, key) DO UPDATE SET value = excluded.value',
            )
            .run(id, key, value);
    });
    return this.settings(id);
  }

  /** Hands out the next top-level job number (inside the caller's write transaction). */
  nextJobNumber(id: string, atLeast = 1): number {
    const row = this.c
      .stmt(
        'UPDATE projects SET last_job_number = MAX(last_job_number + 1, ?) WHERE id = ? RETURNING last_job_number AS n',
      )
      .get(atLeast, id) as { n: number } | undefined;
    if (!row) throw dbError(7, `no project with id ${id}`, { file: this.c.file });
    return row.n;
  }
}

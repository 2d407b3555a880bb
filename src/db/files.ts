import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Connection } from './connection.js';
import { type FileRecord, type FileUseRecord, fromRow, fromRows, now } from './records.js';

export type NewFile = Omit<FileRecord, 'id' | 'created' | 'path'> & { path: string };

/** Files (outputs of jobs and imported files) and file uses (which job read or wrote which file). */
export class Files {
  constructor(private readonly c: Connection) {}

  /** Records a file (inside the caller's transaction or its own). */
  add(f: NewFile): FileRecord {
    const rec: FileRecord = { ...f, path: resolve(f.path), id: randomUUID(), created: now() };
    this.c.write('recording a file', () => {
      this.c
        .stmt(
          `INSERT INTO files (id, project_id, job_id, param_name, class_name, sub_type, content_flag, annotation, path, size, checksum, created)
           VALUES (@id, @projectId, @jobId, @paramName, @className, @subType, @contentFlag, @annotation, @path, @size, @checksum, @created)`,
        )
        .run(rec);
    });
    return rec;
  }

  /** Records a file brought into the project from outside (CCP4i2's FileImport: original name, checksum). */
  addImport(f: NewFile, originalName: string, mtime: string | null): FileRecord {
    return this.c.write('recording an imported file', () => {
      const rec = this.add(f);
      this.c
        .stmt('INSERT INTO file_imports (file_id, original_name, checksum, mtime) VALUES (?, ?, ?, ?)')
        .run(rec.id, originalName, f.checksum, mtime);
      return rec;
    });
  }

  addUse(u: FileUseRecord): void {
    this.c.write('recording a file use', () => {
      this.c
        .stmt(
          'INSERT OR IGNORE INTO file_uses (file_id, job_id, role, param_name) VALUES (@fileId, @jobId, @role, @paramName)',
        )
        .run(u);
    });
  }

  get(id: string): FileRecord | undefined {
    return this.c.read('reading a file', () =>
      fromRow<FileRecord>(this.c.stmt('SELECT * FROM files WHERE id = ?').get(id) as never),
    );
  }

  /** The most recent record of the file at `path` in the project (a path may be rewritten by a rerun). */
  byPath(projectId: string, path: string): FileRecord | undefined {
    return this.c.read('reading a file', () =>
      fromRow<FileRecord>(
        this.c
          .stmt(
            'SELECT * FROM files WHERE project_id = ? AND path = ? ORDER BY created DESC, rowid DESC LIMIT 1',
          )
          .get(projectId, resolve(path)) as never,
      ),
    );
  }

  list(f: { projectId?: string; jobId?: string }): FileRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.projectId !== undefined) {
      where.push('project_id = ?');
      args.push(f.projectId);
    }
    if (f.jobId !== undefined) {
      where.push('id IN (SELECT file_id FROM file_uses WHERE job_id = ?)');
      args.push(f.jobId);
    }
    const sql = `SELECT * FROM files${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created, rowid`;
    return this.c.read('listing files', () => fromRows<FileRecord>(this.c.stmt(sql).all(...args) as never));
  }

  /** Uses of a file, or the uses by a job. */
  uses(f: { fileId?: string; jobId?: string }): FileUseRecord[] {
    const [col, v] = f.fileId !== undefined ? ['file_id', f.fileId] : ['job_id', f.jobId];
    return this.c.read('reading file uses', () =>
      fromRows<FileUseRecord>(
        this.c.stmt(`SELECT * FROM file_uses WHERE ${col} = ? ORDER BY rowid`).all(v) as never,
      ),
    );
  }

  importOf(
    fileId: string,
  ): { originalName: string; checksum: string | null; mtime: string | null } | undefined {
    return this.c.read('reading a file import', () =>
      fromRow(
        this.c
          .stmt('SELECT original_name, checksum, mtime FROM file_imports WHERE file_id = ?')
          .get(fileId) as never,
      ),
    );
  }

  /**
   * Jobs (other than the given ones) that used as input a file written by one of `jobIds`: what
   * `jobs delete` must not break silently.
   */
  consumersOf(jobIds: readonly string[]): { jobId: string; fileId: string; path: string }[] {
    if (jobIds.length === 0) return [];
    const q = jobIds.map(() => '?').join(', ');
    const sql = `SELECT u.job_id AS jobId, f.id AS fileId, f.path AS path FROM file_uses u JOIN files f ON f.id = u.file_id
      WHERE u.role = 'in' AND f.job_id IN (${q}) AND u.job_id NOT IN (${q}) ORDER BY u.rowid`;
    return this.c.read('reading file uses', () => this.c.stmt(sql).all(...jobIds, ...jobIds) as never);
  }
}

/**
 * The schema, as numbered migrations. `PRAGMA user_version` holds the number of migrations applied; on
 * open, the missing ones run in one transaction. Never edit a released migration: append a new one.
 * Names and status codes follow CCP4i2's Django models (Project, Job, File, FileUse, FileImport,
 * JobFloatValue / JobCharValue); docs/database.md describes every column.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: projects, jobs, files, file uses, imports, key values, reports
  `
  CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    directory TEXT NOT NULL,
    created TEXT NOT NULL,
    last_job_number INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    parent_id TEXT REFERENCES jobs(id) ON DELETE CASCADE,
    task_name TEXT NOT NULL,
    task_version TEXT,
    title TEXT,
    status INTEGER NOT NULL DEFAULT 1,
    directory TEXT NOT NULL,
    created TEXT NOT NULL,
    started TEXT,
    finished TEXT,
    last_seen TEXT,
    host TEXT,
    pid INTEGER,
    pid_start_time INTEGER,
    executor TEXT NOT NULL DEFAULT 'local',
    external_id TEXT,
    exit_code INTEGER,
    exit_signal TEXT,
    cache_key TEXT,
    reused_from TEXT REFERENCES jobs(id) ON DELETE SET NULL,
    diagnostic TEXT,
    UNIQUE (project_id, number)
  );
  CREATE INDEX jobs_parent ON jobs(parent_id);
  CREATE INDEX jobs_status ON jobs(status);
  CREATE INDEX jobs_cache ON jobs(project_id, cache_key);
  CREATE TABLE files (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    job_id TEXT REFERENCES jobs(id) ON DELETE CASCADE,
    param_name TEXT,
    class_name TEXT,
    sub_type INTEGER,
    content_flag INTEGER,
    annotation TEXT,
    path TEXT NOT NULL,
    size INTEGER,
    checksum TEXT,
    created TEXT NOT NULL
  );
  CREATE INDEX files_job ON files(job_id);
  CREATE INDEX files_path ON files(project_id, path);
  CREATE TABLE file_imports (
    file_id TEXT PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    original_name TEXT NOT NULL,
    checksum TEXT,
    mtime TEXT
  );
  CREATE TABLE file_uses (
    file_id TEXT NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('in', 'out')),
    param_name TEXT NOT NULL,
    PRIMARY KEY (file_id, job_id, role, param_name)
  );
  CREATE INDEX file_uses_job ON file_uses(job_id);
  CREATE TABLE job_values (
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('float', 'int', 'text')),
    value_real REAL,
    value_text TEXT,
    PRIMARY KEY (job_id, key)
  );
  CREATE TABLE job_reports (
    job_id TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
    format TEXT NOT NULL,
    content TEXT NOT NULL,
    updated TEXT NOT NULL
  );
  `,
  // 2: per-project settings (run defaults: executor, SLURM options), one row per key
  `
  CREATE TABLE project_settings (
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (project_id, key)
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

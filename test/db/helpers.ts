import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach } from 'vitest';
import { JobDatabase } from '../../src/db/index.js';

export const ROOT = resolve(__dirname, '../..');
export const DATA = join(ROOT, 'test/fixtures/data');
export const FAKES = join(ROOT, 'test/fakes/bin');
export const MTZ = join(DATA, 'gamma/merged_intensities_native.mtz');
export const PDB = join(DATA, 'gamma/gamma_model.pdb');

const dirs: string[] = [];
const open: JobDatabase[] = [];

afterEach(() => {
  for (const db of open.splice(0)) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix = 'ccp4i2-db-'): string {
  const d = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  dirs.push(d);
  return d;
}

/** A database in a fresh temporary file (closed after the test). */
export function tempDb(dir = tempDir()): JobDatabase {
  const db = JobDatabase.open(join(dir, 'db.sqlite'));
  open.push(db);
  return db;
}

export function track(db: JobDatabase): JobDatabase {
  open.push(db);
  return db;
}

/** `i2run TASK ARGS --db DB` as a real process (the built CLI) in `cwd`: its exit code and output. */
export function spawnI2run(
  cwd: string,
  db: string,
  args: string[],
): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/bin/i2run.cjs'), ...args, '--db', db], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((r) => child.on('close', (code) => r({ code, out })));
}

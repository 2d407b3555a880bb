import { dbError, type JobDatabase } from '../db/index.js';
import { type SlurmJobOptions, sbatchOptionArgs } from '../process/slurm/options.js';
import { BUILTIN_EXECUTORS } from './builtin-executors.js';

/**
 * A project's run defaults, kept in the database (`project_settings`): the executor its jobs go to when
 * a run names none, and SLURM options that each run's own options override. `JobService.start` applies
 * them, so i2run, `jobs run` and the server all get them.
 */
export interface RunDefaults {
  executor?: string;
  slurm: SlurmJobOptions;
}

/** A change of run defaults: a value sets it, null removes it, absent leaves it. */
export interface RunDefaultsPatch {
  executor?: string | null;
  slurm?: { [K in keyof SlurmJobOptions]?: SlurmJobOptions[K] | null };
}

/** The SLURM options kept per project (jobName is per job, never a default). */
export const SLURM_DEFAULT_KEYS = [
  'partition',
  'timeLimit',
  'cpus',
  'memory',
  'account',
  'extraArgs',
] as const;

const EXECUTOR_KEY = 'executor';
const slurmKey = (k: string) => `slurm.${k}`;
/** Stored text back to an option: digits are numbers (minutes, MB, CPUs), extraArgs a JSON array. */
function fromText(db: JobDatabase, key: string, text: string): unknown {
  if (key !== 'extraArgs') return /^\d+$/.test(text) ? Number(text) : text;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    v = undefined;
  }
  if (Array.isArray(v) && v.every((a) => typeof a === 'string')) return v;
  throw dbError(15, `the project setting ${slurmKey(key)} is not a list of sbatch arguments`, {
    file: db.file,
    objectPath: slurmKey(key),
    details: 'ccp4i2 projects set NAME --unset slurm-arg removes it',
  });
}

export function runDefaults(db: JobDatabase, projectId: string): RunDefaults {
  const s = db.projects.settings(projectId);
  const slurm: Record<string, unknown> = {};
  for (const k of SLURM_DEFAULT_KEYS) {
    const v = s[slurmKey(k)];
    if (v !== undefined) slurm[k] = fromText(db, k, v);
  }
  return { ...(s[EXECUTOR_KEY] ? { executor: s[EXECUTOR_KEY] } : {}), slurm: slurm as SlurmJobOptions };
}

/**
 * Changes a project's run defaults after checking them: the executor must be a built-in one
 * (JobDatabase 11), the SLURM options as the SLURM client checks a submission (SlurmClient 101, naming
 * the option), all of them together. Nothing is written when a check fails. Returns the defaults after.
 */
export function setRunDefaults(db: JobDatabase, projectId: string, patch: RunDefaultsPatch): RunDefaults {
  const rows: Record<string, string | null> = {};
  if (patch.executor !== undefined) {
    if (patch.executor !== null && !BUILTIN_EXECUTORS.includes(patch.executor))
      throw dbError(11, `no executor '${patch.executor}' (known: ${BUILTIN_EXECUTORS.join(', ')})`, {
        file: db.file,
        objectPath: 'executor',
      });
    rows[EXECUTOR_KEY] = patch.executor;
  }
  if (patch.slurm) {
    const merged: Record<string, unknown> = { ...runDefaults(db, projectId).slurm };
    for (const [k, v] of Object.entries(patch.slurm)) {
      if (v === undefined) continue;
      if (!(SLURM_DEFAULT_KEYS as readonly string[]).includes(k))
        throw dbError(11, `'${k}' is not a per-project SLURM option`, {
          file: db.file,
          details: `options: ${SLURM_DEFAULT_KEYS.join(', ')}`,
        });
      if (v === null) delete merged[k];
      else merged[k] = v;
      rows[slurmKey(k)] = v === null ? null : k === 'extraArgs' ? JSON.stringify(v) : String(v);
    }
    sbatchOptionArgs(merged as SlurmJobOptions); // throws SlurmClient 101 naming a bad option
  }
  db.projects.setSettings(projectId, rows);
  return runDefaults(db, projectId);
}

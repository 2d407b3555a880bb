import type { JobDatabase, ProjectRecord } from '../../db/index.js';
import type { RunDefaults, RunDefaultsPatch } from '../../jobs/index.js';

/** `projects set`'s options. */
export interface SetOptions {
  executor?: string;
  slurmPartition?: string;
  slurmTime?: string;
  slurmCpus?: string;
  slurmMem?: string;
  slurmAccount?: string;
  slurmArg?: string[];
  unset?: string[];
}

/** `--unset` names: a command-line option's name, or `slurm` for every SLURM default. */
const UNSET: Record<string, keyof NonNullable<RunDefaultsPatch['slurm']> | 'executor' | 'slurm'> = {
  executor: 'executor',
  slurm: 'slurm',
  'slurm-partition': 'partition',
  'slurm-time': 'timeLimit',
  'slurm-cpus': 'cpus',
  'slurm-mem': 'memory',
  'slurm-account': 'account',
  'slurm-arg': 'extraArgs',
};

/** Applies `projects set` to the project's run defaults (checked; nothing written when a check fails). */
export async function setProjectDefaults(
  db: JobDatabase,
  project: ProjectRecord,
  o: SetOptions,
): Promise<RunDefaults> {
  const { dbError } = await import('../../db/core.js');
  const { runDefaults, setRunDefaults, SLURM_DEFAULT_KEYS } = await import('../../jobs/index.js');
  const { slurmOptionsOf } = await import('../i2run/executor.js');
  const slurm: NonNullable<RunDefaultsPatch['slurm']> = {};
  const patch: RunDefaultsPatch = { slurm };
  for (const name of o.unset ?? []) {
    const what = UNSET[name];
    if (!what)
      throw dbError(11, `--unset ${name}: not a project default`, {
        details: `one of: ${Object.keys(UNSET).join(', ')}`,
      });
    if (what === 'executor') patch.executor = null;
    else if (what === 'slurm') {
      const now = runDefaults(db, project.id).slurm;
      for (const k of SLURM_DEFAULT_KEYS) if (now[k] !== undefined) slurm[k] = null;
    } else slurm[what] = null;
  }
  if (o.executor !== undefined) patch.executor = o.executor;
  Object.assign(
    slurm,
    slurmOptionsOf({
      partition: o.slurmPartition,
      time: o.slurmTime,
      cpus: o.slurmCpus,
      mem: o.slurmMem,
      account: o.slurmAccount,
      args: o.slurmArg ?? [],
    }),
  );
  return setRunDefaults(db, project.id, patch);
}

/** `executor slurm; SLURM partition=debug timeLimit=30`, or `none`. */
export function defaultsText(d: RunDefaults): string {
  const slurm = Object.entries(d.slurm).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(' ') : v}`);
  const parts = [
    ...(d.executor ? [`executor ${d.executor}`] : []),
    ...(slurm.length ? [`SLURM ${slurm.join(' ')}`] : []),
  ];
  return parts.length ? parts.join('; ') : 'none (jobs run locally)';
}

import type { ExecutorsInfo, RunChoice } from '../types';

/** The SLURM options the form offers, with the API's names (docs/slurm.md). */
const SLURM_FIELDS = [
  { key: 'partition', label: 'Partition', tip: 'SLURM partition (queue); empty: the cluster default' },
  { key: 'timeLimit', label: 'Time limit', tip: 'Minutes, h:mm:ss or d-hh:mm:ss' },
  { key: 'cpus', label: 'CPUs', tip: 'CPUs for the job (--cpus-per-task)' },
  { key: 'memory', label: 'Memory', tip: 'Megabytes, or with a unit: 4G, 500M' },
  { key: 'account', label: 'Account', tip: 'Account charged for the job' },
  {
    key: 'extraArgs',
    label: 'Extra sbatch options',
    tip: 'Long options separated by spaces: --qos=high --exclusive',
  },
] as const;

export type SlurmText = Partial<Record<(typeof SLURM_FIELDS)[number]['key'], string>>;

/**
 * What the run request says for the executor chosen: SLURM options typed into the form, sent only when
 * filled in (the server checks each and names a bad one).
 */
export function runChoice(executor: string, slurm: SlurmText): RunChoice {
  if (executor !== 'slurm') return { executor };
  const o: Record<string, string | number | string[]> = {};
  for (const [k, raw] of Object.entries(slurm)) {
    const v = (raw ?? '').trim();
    if (!v) continue;
    if (k === 'cpus') o[k] = /^\d+$/.test(v) ? Number(v) : v;
    else if (k === 'extraArgs') o[k] = v.split(/\s+/);
    else o[k] = v;
  }
  return { executor, slurm: o };
}

/**
 * Where the job runs: offered only when the server has more than one executor (SLURM only where
 * `sbatch` is found on the server's machine), with the SLURM options when SLURM is chosen.
 */
export function ExecutorFields(props: {
  info: ExecutorsInfo | undefined;
  executor: string;
  slurm: SlurmText;
  setExecutor: (e: string) => void;
  setSlurm: (s: SlurmText) => void;
}) {
  const { info, executor, slurm } = props;
  if (!info || info.executors.length < 2) return null;
  return (
    <fieldset class="executor">
      <legend>Run on</legend>
      <div class="field">
        <label for="run-executor">Executor</label>
        <div class="control">
          <select
            id="run-executor"
            name="executor"
            value={executor}
            onChange={(e) => props.setExecutor((e.target as HTMLSelectElement).value)}
          >
            {info.executors.map((x) => (
              <option key={x} value={x}>
                {x === 'local' ? 'This machine (local)' : x === 'slurm' ? 'SLURM cluster' : x}
              </option>
            ))}
          </select>
        </div>
      </div>
      {executor === 'slurm'
        ? SLURM_FIELDS.map((f) => (
            <div class="field" key={f.key}>
              <label for={`slurm-${f.key}`}>{f.label}</label>
              <div class="control">
                <input
                  id={`slurm-${f.key}`}
                  name={`slurm.${f.key}`}
                  value={slurm[f.key] ?? ''}
                  aria-describedby={`slurm-${f.key}-tip`}
                  onInput={(e) => props.setSlurm({ ...slurm, [f.key]: (e.target as HTMLInputElement).value })}
                />
                <small class="tip" id={`slurm-${f.key}-tip`}>
                  {f.tip}
                </small>
              </div>
            </div>
          ))
        : null}
    </fieldset>
  );
}

import { i2runError } from './errors.js';

/** One `--NAME value...` group of the command line, in order. */
export interface ParamArg {
  name: string;
  values: string[];
  /** Position of `--NAME` among the arguments after TASK (for messages). */
  index: number;
}

export interface I2runArgs {
  params: ParamArg[];
  projectPath?: string;
  projectName?: string;
  paramsFile?: string;
  /** --db FILE: the job database (else $CCP4I2_DB, else ~/.ccp4i2-ts/db.sqlite). */
  db?: string;
  dryRun: boolean;
  /** --resume: steps whose inputs did not change reuse earlier outputs (docs/database.md). */
  resume: boolean;
  /** --json: the final result as one JSON object on stdout. */
  json: boolean;
  /** --write-through-symlinks: an output file may be a symbolic link (its target is written). */
  followSymlinks: boolean;
  help: boolean;
  taskDirs: string[];
  /** --executor local|slurm: where the job runs (default: the project's default, else local, in this process). */
  executor?: string;
  /** --slurm-partition, --slurm-time, --slurm-cpus, --slurm-mem, --slurm-account, --slurm-arg=--X=Y (repeatable). */
  slurm: { partition?: string; time?: string; cpus?: string; mem?: string; account?: string; args: string[] };
}

/** i2run's own options (CCP4i2's spelling), which may appear anywhere after TASK. */
const OPTIONS_WITH_VALUE = {
  '--project_path': 'projectPath',
  '--project_name': 'projectName',
  '--params': 'paramsFile',
  '--db': 'db',
  '--task-dir': 'taskDirs',
  '--executor': 'executor',
} as const;

/** SLURM options for `--executor slurm` (checked by the SLURM client before anything is submitted). */
const SLURM_OPTIONS = {
  '--slurm-partition': 'partition',
  '--slurm-time': 'time',
  '--slurm-cpus': 'cpus',
  '--slurm-mem': 'mem',
  '--slurm-account': 'account',
  '--slurm-arg': 'args',
} as const;

const isOptionToken = (t: string) => t.startsWith('--') && t.length > 2;

/**
 * Splits the arguments after TASK into i2run's options and `--PARAM value...` groups (CCP4i2's syntax:
 * every token up to the next `--word` is a value of the parameter; `--PARAM=value` is accepted too).
 * Knows nothing of the task: names are resolved against its container later.
 */
export function splitArgs(args: readonly string[]): I2runArgs {
  const out: I2runArgs = {
    params: [],
    dryRun: false,
    resume: false,
    json: false,
    followSymlinks: false,
    help: false,
    taskDirs: [],
    slurm: { args: [] },
  };
  let i = 0;
  const valuesFrom = (start: number): [string[], number] => {
    let j = start;
    const vals: string[] = [];
    while (j < args.length && !isOptionToken(args[j]!)) vals.push(args[j++]!);
    return [vals, j];
  };
  while (i < args.length) {
    const tok = args[i]!;
    if (tok === '-h' || tok === '--help') {
      out.help = true;
      i++;
      continue;
    }
    if (tok === '--dry-run' || tok === '--dry_run') {
      out.dryRun = true;
      i++;
      continue;
    }
    if (tok === '--resume') {
      out.resume = true;
      i++;
      continue;
    }
    if (tok === '--json') {
      out.json = true;
      i++;
      continue;
    }
    if (tok === '--write-through-symlinks') {
      out.followSymlinks = true;
      i++;
      continue;
    }
    if (!isOptionToken(tok))
      throw i2runError(1, `unexpected argument '${tok}'`, {
        details: 'parameters are given as --NAME value (see i2run TASK --help)',
      });
    const eq = tok.indexOf('=');
    const name = eq > 0 ? tok.slice(2, eq) : tok.slice(2);
    if (name === '' || /\s/.test(name)) throw i2runError(1, `bad option '${tok}'`);
    const option = OPTIONS_WITH_VALUE[`--${name}` as keyof typeof OPTIONS_WITH_VALUE];
    const slurm = SLURM_OPTIONS[`--${name}` as keyof typeof SLURM_OPTIONS];
    let values: string[];
    let next: number;
    if (eq > 0) [values, next] = [[tok.slice(eq + 1)], i + 1];
    else [values, next] = valuesFrom(i + 1);
    if (slurm) {
      if (values.length !== 1)
        throw i2runError(1, `--${name} takes exactly one value`, {
          details: slurm === 'args' ? 'sbatch arguments are given as --slurm-arg=--qos=high' : undefined,
        });
      if (slurm === 'args') out.slurm.args.push(values[0]!);
      else out.slurm[slurm] = values[0]!;
    } else if (option) {
      if (values.length !== 1) throw i2runError(1, `--${name} takes exactly one value`);
      if (option === 'taskDirs') out.taskDirs.push(values[0]!);
      else out[option] = values[0]!;
    } else out.params.push({ name, values, index: i });
    i = next;
  }
  return out;
}

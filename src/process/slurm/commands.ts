import { execFile } from 'node:child_process';
import { SlurmErrorCode, slurmError } from './errors.js';

/** The SLURM commands the client runs, each by name on PATH unless `commands` maps it to a path. */
export type SlurmCommand = 'sbatch' | 'squeue' | 'scontrol' | 'scancel' | 'sacct';

export interface CommandOptions {
  /** Paths (or names) of the SLURM commands, e.g. a site's wrapper; PATH lookup otherwise. */
  commands?: Partial<Record<SlurmCommand, string>>;
  /** Environment for the commands (and, through sbatch's default --export=ALL, for the job). */
  env?: NodeJS.ProcessEnv;
  /** Milliseconds before a hung command is killed (slurmctld down: the commands give up after ~10 s). */
  timeoutMs?: number;
}

export interface CommandOutput {
  stdout: string;
  stderr: string;
  /** Exit code; null when killed (timeout). */
  code: number | null;
}

/** Messages of the SLURM commands meaning the controller did not answer. */
const CONTROLLER_DOWN =
  /Unable to contact slurm controller|Socket timed out|Connection refused|Zero Bytes were transmitted|Slurm backup controller in standby mode|Communication connection failure/i;

export function isControllerDown(stderr: string): boolean {
  return CONTROLLER_DOWN.test(stderr);
}

/** The last non-empty line of a command's stderr: SLURM's own message, quoted in errors. */
export function slurmMessage(out: CommandOutput): string {
  const lines = out.stderr.split('\n').map((l) => l.trim());
  return lines.filter(Boolean).at(-1) ?? `exit code ${out.code}`;
}

/**
 * Runs one SLURM command with an argv array (never a shell) and collects its output. It rejects only
 * when the command cannot be run at all (102, naming it) or hangs past the timeout (104); a non-zero exit
 * is returned for the caller to interpret.
 */
export function runSlurmCommand(
  name: SlurmCommand,
  args: readonly string[],
  opts: CommandOptions = {},
): Promise<CommandOutput> {
  const file = opts.commands?.[name] ?? name;
  const timeout = opts.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { env: opts.env ?? process.env, timeout, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err === null) return resolve({ stdout, stderr, code: 0 });
        const e = err as NodeJS.ErrnoException & { code?: unknown; killed?: boolean };
        if (e.code === 'ENOENT' || e.code === 'EACCES') {
          return reject(
            slurmError(
              SlurmErrorCode.COMMAND_NOT_FOUND,
              `${name} not found (${file}): SLURM's client commands must be installed on this machine`,
              { objectPath: `commands.${name}`, cause: err },
            ),
          );
        }
        if (e.killed) {
          return reject(
            slurmError(
              SlurmErrorCode.CONTROLLER_DOWN,
              `${name} did not answer within ${Math.round(timeout / 1000)} s (slurmctld not responding?)`,
              { objectPath: `commands.${name}`, details: stderr.trim() || undefined },
            ),
          );
        }
        resolve({ stdout, stderr, code: typeof e.code === 'number' ? e.code : null });
      },
    );
  });
}

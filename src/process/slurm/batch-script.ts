import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SlurmErrorCode, slurmError } from './errors.js';

/** Files the client keeps in the job directory (the job directory must be shared with the nodes). */
export const BATCH_FILES = {
  /** The batch script given to sbatch (the same text for every job). */
  script: 'slurm.sh',
  /** The command to run, NUL-separated: stdin file, stdout file, stderr file, then argv. */
  argv: 'slurm.argv',
  /** Written by the script on the node: `state=running` at the start, then the exit code or signal. */
  status: 'slurm.status',
  /** SLURM's output of the script itself (`%j` is the job id). */
  slurmOutput: 'slurm-%j.out',
  /**
   * Written by a coordinator before its scancel: whichever process records the end (another coordinator,
   * a one-shot command) then knows ccp4i2 cancelled it, not a user or administrator outside.
   */
  cancel: 'slurm.cancel',
} as const;

/**
 * The batch script. It is a constant: sbatch runs it in the job directory (--chdir) and the command comes
 * from slurm.argv, so no path or argument is ever quoted into shell text. SIGTERM (scancel, time limit)
 * is passed on to the command and recorded; the status file is replaced atomically (rename), so a reader
 * never sees half of it.
 */
export const BATCH_SCRIPT = `#!/bin/bash
# ccp4i2-ts SLURM batch script: runs the command in slurm.argv in this job directory, with its output in
# the job's log files, and records how it ended in slurm.status.
set -u
# bash's own clock and host name: no date or hostname process before and after the job (every job pays them).
node=\${HOSTNAME%%.*}
status() { { printf 'job=%s\\nnode=%s\\nstart=%s\\n' "\${SLURM_JOB_ID:-}" "$node" "$start"; printf '%s\\n' "$@"; } > slurm.status.tmp && mv -f slurm.status.tmp slurm.status; }
printf -v start '%(%s)T' -1
if ! mapfile -d '' -t spec < slurm.argv || [ "\${#spec[@]}" -lt 4 ]; then
  echo "ccp4i2-ts: cannot read slurm.argv in $PWD" >&2
  printf -v end '%(%s)T' -1
  status state=ended exit=127 "end=$end" 'error=cannot read slurm.argv'
  exit 127
fi
received=
child=
trap 'received=TERM; [ -n "$child" ] && kill -TERM "$child" 2>/dev/null' TERM
trap 'received=INT; [ -n "$child" ] && kill -INT "$child" 2>/dev/null' INT
status state=running
if [ "\${spec[2]}" = "\${spec[1]}" ]; then
  "\${spec[@]:3}" < "\${spec[0]:-/dev/null}" > "\${spec[1]}" 2>&1 &
else
  "\${spec[@]:3}" < "\${spec[0]:-/dev/null}" > "\${spec[1]}" 2> "\${spec[2]}" &
fi
child=$!
while :; do
  wait "$child"; rc=$?
  [ "$rc" -ge 0 ] && [ "$rc" -le 128 ] && break
  # wait was interrupted by a trapped signal, or the command was killed: wait on while it still runs.
  if ! kill -0 "$child" 2>/dev/null; then
    wait "$child" 2>/dev/null; again=$?
    [ "$again" -ge 0 ] && [ "$again" -le 255 ] && [ "$again" -ne 127 ] && rc=$again
    break
  fi
done
printf -v end '%(%s)T' -1
if [ "$rc" -ge 0 ] && [ "$rc" -le 128 ]; then
  status state=ended "exit=$rc" "end=$end" "received=$received"
elif [ "$rc" -le 255 ]; then
  status state=ended "signal=$((rc - 128))" "end=$end" "received=$received"
else
  status state=ended "end=$end" "received=$received" "error=wait returned $rc"
  rc=1
fi
exit "$rc"
`;

export interface BatchCommand {
  /** argv[0] is the program (absolute, or found on the node's PATH). */
  argv: readonly string[];
  /** Standard input file (relative to the job directory); /dev/null when absent. */
  stdin?: string;
  /** Standard output and error files, relative to the job directory (defaults log.txt, stderr.txt); the same name: one file for both. */
  stdout?: string;
  stderr?: string;
}

/**
 * Writes slurm.sh and slurm.argv into `jobDirectory` (created if missing) and removes an old status file.
 * Returns the script's path. A directory that cannot hold them is error 105 naming it.
 */
export function writeBatchFiles(jobDirectory: string, cmd: BatchCommand): string {
  if (cmd.argv.length === 0 || cmd.argv.some((a) => typeof a !== 'string' || a.includes('\0')))
    throw slurmError(
      SlurmErrorCode.INVALID_OPTION,
      'The command must be a non-empty argv without NUL bytes',
      {
        objectPath: 'command.argv',
      },
    );
  const parts = [cmd.stdin ?? '', cmd.stdout ?? 'log.txt', cmd.stderr ?? 'stderr.txt', ...cmd.argv];
  if (parts.slice(0, 3).some((p) => p.includes('\0')))
    throw slurmError(SlurmErrorCode.INVALID_OPTION, 'File names must not contain NUL bytes', {
      objectPath: 'command',
    });
  const script = join(jobDirectory, BATCH_FILES.script);
  try {
    mkdirSync(jobDirectory, { recursive: true });
    writeFileSync(script, BATCH_SCRIPT, { mode: 0o755 });
    const argvFile = join(jobDirectory, BATCH_FILES.argv);
    writeFileSync(`${argvFile}.tmp`, parts.map((p) => `${p}\0`).join(''));
    renameSync(`${argvFile}.tmp`, argvFile);
    rmSync(join(jobDirectory, BATCH_FILES.status), { force: true });
    rmSync(join(jobDirectory, BATCH_FILES.cancel), { force: true });
  } catch (e) {
    throw slurmError(SlurmErrorCode.JOB_DIRECTORY, `Cannot write the batch files: ${(e as Error).message}`, {
      file: jobDirectory,
      cause: e,
    });
  }
  return script;
}

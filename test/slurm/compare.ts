// Comparing what the CLI shows of two runs of the same job (one local, one through SLURM).

/** Keys that differ between any two runs (times, ids, where and how it ran). */
const VOLATILE = new Set([
  'id',
  'jobId',
  'created',
  'started',
  'finished',
  'lastSeen',
  'updated',
  'host',
  'pid',
  'pidStartTime',
  'executor',
  'externalId',
  'exitCode',
  'exitSignal',
  'durationSeconds',
  'elapsedSeconds',
  'startTime',
  'endTime',
  'startedAt',
  'finishedAt',
  'updatedAt',
  'mtime',
  'fileId',
  'projectId',
  'parentId',
]);

/** Keys holding job numbers ("3", "3.1"). */
const NUMBERS = new Set(['number', 'jobNumber', 'producedBy', 'usedBy', 'reusedFrom']);

/**
 * `value` with volatile keys dropped, job `n`'s number written N and its directory CCP4_JOBS/job_N, the
 * other job's number O (files used by both jobs), and lists of users sorted.
 */
export function normal(value: unknown, n: string, other: string): unknown {
  const num = (x: unknown) =>
    typeof x === 'string'
      ? x.replace(/^(\d+)((\.\d+)*)$/, (m, top: string, rest: string) =>
          top === n ? `N${rest}` : top === other ? `O${rest}` : m,
        )
      : x;
  const text = JSON.stringify(value, (k, v) => (VOLATILE.has(k) ? undefined : v)).replaceAll(
    `CCP4_JOBS/job_${n}`,
    'CCP4_JOBS/job_N',
  );
  return JSON.parse(text, (k, v) => (!NUMBERS.has(k) ? v : Array.isArray(v) ? v.map(num).sort() : num(v)));
}

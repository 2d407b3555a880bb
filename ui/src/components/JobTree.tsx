import { useEffect, useState } from 'preact/hooks';
import { jobDuration } from '../format';
import { onLink } from '../router';
import { ACTIVE, type Job } from '../types';
import { StatusBadge } from './StatusBadge';

/** Jobs newest first, each followed by its sub-jobs (indented by depth). */
export function orderJobs(jobs: Job[]): { job: Job; depth: number }[] {
  const children = new Map<string | null, Job[]>();
  const ids = new Set(jobs.map((j) => j.id));
  for (const j of jobs) {
    const parent = j.parentId && ids.has(j.parentId) ? j.parentId : null;
    const list = children.get(parent);
    if (list) list.push(j);
    else children.set(parent, [j]);
  }
  const key = (n: string) => n.split('.').map(Number);
  const cmp = (a: Job, b: Job) => {
    const [x, y] = [key(a.number), key(b.number)];
    for (let i = 0; i < Math.max(x.length, y.length); i++)
      if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) - (y[i] ?? -1);
    return 0;
  };
  const out: { job: Job; depth: number }[] = [];
  const walk = (parent: string | null, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort(cmp);
    if (depth === 0) list.reverse();
    for (const j of list) {
      out.push({ job: j, depth });
      walk(j.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export function JobTree({ projectId, jobs }: { projectId: string; jobs: Job[] }) {
  const now = useNow(jobs.some((j) => ACTIVE.has(j.status)));
  const rows = orderJobs(jobs);
  if (rows.length === 0) return <p class="muted">No jobs yet.</p>;
  return (
    <table class="list jobs" aria-label="Jobs">
      <thead>
        <tr>
          <th>#</th>
          <th>Task</th>
          <th>Status</th>
          <th>Duration</th>
          <th>Key values</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ job, depth }) => (
          <tr key={job.id} data-job={job.number} data-status={job.status}>
            <td style={{ paddingLeft: `${0.5 + depth * 1.2}em` }}>{job.number}</td>
            <td>
              <a
                href={`/projects/${encodeURIComponent(projectId)}/jobs/${encodeURIComponent(job.id)}`}
                onClick={onLink}
              >
                {job.title || job.taskName}
              </a>
            </td>
            <td>
              <StatusBadge status={job.status} />
              {job.executor && job.executor !== 'local' ? (
                <span
                  class="muted executor-tag"
                  title={job.executorState ?? `${job.executor} job ${job.externalId ?? ''}`}
                >
                  {' '}
                  {job.executor === 'slurm' ? 'SLURM' : job.executor}
                </span>
              ) : null}
            </td>
            <td class="num">{jobDuration(job, now)}</td>
            <td class="values">
              {Object.entries(job.values ?? {})
                .map(([k, v]) => `${k} ${typeof v === 'number' ? Number(v.toPrecision(6)) : v}`)
                .join(' · ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, enc } from '../api';
import { Entries } from '../components/Entries';
import { ErrorBox } from '../components/ErrorBox';
import { appendLog, LogView } from '../components/LogView';
import { ReportView } from '../components/ReportView';
import { StatusBadge } from '../components/StatusBadge';
import { useEventStream } from '../events';
import { bytes, jobDuration, when } from '../format';
import { navigate, onLink } from '../router';
import { ACTIVE, type JobDetail, type JobDirFile, type JobReport, type ProjectFile } from '../types';

const TABS = ['report', 'log', 'files', 'parameters', 'diagnostics'] as const;

export function JobPage({ projectId, jobId, tab }: { projectId: string; jobId: string; tab: string }) {
  const [job, setJob] = useState<JobDetail | undefined>();
  const [log, setLog] = useState('');
  const [notice, setNotice] = useState<string | undefined>();
  const [report, setReport] = useState<JobReport | undefined>();
  const [error, setError] = useState<unknown>();
  const [command, setCommand] = useState<string | undefined>();
  const [copied, setCopied] = useState(false);
  const jobPath = `/api/jobs/${enc(jobId)}`;
  const base = `/projects/${enc(projectId)}/jobs/${enc(jobId)}`;

  useEffect(() => {
    setLog('');
    setReport(undefined);
    api.get<JobDetail>(jobPath).then(setJob).catch(setError);
  }, [jobPath]);

  useEventStream(`${jobPath}/events`, {
    job: (d) => setJob((old) => ({ ...(old as JobDetail), ...(d as JobDetail) })),
    log: (d) => setLog((old) => appendLog(old, (d as { text: string }).text)),
    notice: (d) => setNotice((d as { message: string }).message),
    report: (d) => setReport(d as JobReport),
    reset: () => setLog(''),
  });

  const act = async (what: 'run' | 'cancel') => {
    setError(undefined);
    try {
      setJob(await api.post<JobDetail>(`${jobPath}/${what}`));
    } catch (e) {
      setError(e);
    }
  };
  const remove = async () => {
    if (!confirm(`Delete job ${job?.number} and its files?`)) return;
    try {
      await api.del(`${jobPath}`);
      navigate(`/projects/${enc(projectId)}`);
    } catch (e) {
      // Later jobs used its outputs: the server names them; deleting them too needs a second yes.
      if (e instanceof ApiError && e.status === 409 && /dependants/.test(e.message)) {
        if (!confirm(`${e.message}.\nDelete them too?`)) return;
        try {
          await api.del(`${jobPath}?dependants=true`);
          navigate(`/projects/${enc(projectId)}`);
        } catch (e2) {
          setError(e2);
        }
      } else setError(e);
    }
  };
  const copy = async () => {
    try {
      const r = await api.get<{ command: string }>(`${jobPath}/i2run`);
      setCommand(r.command);
      await navigator.clipboard?.writeText(r.command);
      setCopied(true);
    } catch (e) {
      if (!command) setError(e);
    }
  };

  const active = job ? ACTIVE.has(job.status) : false;
  return (
    <section>
      <p>
        <a href={`/projects/${enc(projectId)}`} onClick={onLink}>
          ← Jobs
        </a>
      </p>
      <h1>
        Job {job?.number} <span class="muted">{job ? job.title || job.taskName : ''}</span>{' '}
        {job ? <StatusBadge status={job.status} /> : null}
      </h1>
      {job ? (
        <p class="muted">
          {job.taskName} · created {when(job.created)}
          {job.started ? ` · ${jobDuration(job, Date.now())}` : ''}
          {job.executor ? (
            <>
              {' · '}
              <span data-testid="executor">
                {job.executor}
                {job.externalId ? ` job ${job.externalId}` : ''}
              </span>
            </>
          ) : null}
        </p>
      ) : null}
      {job && active && job.executorState ? (
        <p class="executor-state" data-testid="executor-state" aria-live="polite">
          {job.executorState}
        </p>
      ) : null}
      <div class="row actions">
        {job?.status === 1 ? (
          <button type="button" onClick={() => act('run')}>
            Run
          </button>
        ) : null}
        {active ? (
          <button type="button" onClick={() => act('cancel')}>
            Cancel
          </button>
        ) : null}
        {job ? (
          <button
            type="button"
            onClick={() =>
              navigate(`/projects/${enc(projectId)}/new/${enc(job.taskName)}?from=${enc(job.id)}`)
            }
          >
            Clone
          </button>
        ) : null}
        <button type="button" onClick={copy}>
          {copied ? 'Copied i2run command' : 'Copy i2run command'}
        </button>
        <button type="button" class="danger" onClick={remove} disabled={active}>
          Delete
        </button>
      </div>
      {command ? (
        <input
          class="command"
          readOnly
          value={command}
          aria-label="i2run command"
          onFocus={(e) => (e.target as HTMLInputElement).select()}
        />
      ) : null}
      <ErrorBox error={error} />
      <div class="tabs" role="tablist">
        {TABS.map((t) => (
          <a
            key={t}
            role="tab"
            aria-selected={tab === t}
            href={`${base}?tab=${t}`}
            onClick={(e) => {
              e.preventDefault();
              navigate(`${base}?tab=${t}`, true);
            }}
          >
            {t[0].toUpperCase() + t.slice(1)}
          </a>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'report' ? <ReportView report={report} /> : null}
        {tab === 'log' ? <LogView text={log} notice={notice} /> : null}
        {tab === 'files' ? <FilesTab jobPath={jobPath} status={job?.status} /> : null}
        {tab === 'parameters' ? <ParamsTab job={job} /> : null}
        {tab === 'diagnostics' ? <DiagnosticsTab job={job} /> : null}
      </div>
    </section>
  );
}

function FilesTab({ jobPath, status }: { jobPath: string; status?: number }) {
  const [files, setFiles] = useState<{ files: ProjectFile[]; directory: JobDirFile[] } | undefined>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    api
      .get<{ files: ProjectFile[]; directory: JobDirFile[] }>(`${jobPath}/files`)
      .then(setFiles)
      .catch(setError);
  }, [jobPath, status]);
  if (error) return <ErrorBox error={error} />;
  if (!files) return <p class="muted">Loading…</p>;
  return (
    <div>
      <table class="list" aria-label="Data files">
        <thead>
          <tr>
            <th>Data file</th>
            <th>Role</th>
            <th>Parameter</th>
            <th>Class</th>
            <th>Size</th>
          </tr>
        </thead>
        <tbody>
          {files.files.length === 0 ? (
            <tr>
              <td colSpan={5} class="muted">
                None recorded yet.
              </td>
            </tr>
          ) : null}
          {files.files.map((f) => (
            <tr key={f.id}>
              <td>
                <a href={`/api/files/${enc(f.id)}/download`} download>
                  {f.relPath}
                </a>
              </td>
              <td>{f.role === 'out' ? 'output' : f.role === 'in' ? 'input' : ''}</td>
              <td>{f.paramName}</td>
              <td>{f.className}</td>
              <td class="num">{bytes(f.size)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table class="list" aria-label="Job directory">
        <thead>
          <tr>
            <th>Job directory</th>
            <th>Size</th>
          </tr>
        </thead>
        <tbody>
          {files.directory.map((f) => (
            <tr key={f.name}>
              <td>
                <a href={`${jobPath}/download?path=${enc(f.name)}`} download>
                  {f.name}
                </a>
              </td>
              <td class="num">{bytes(f.size)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ParamsTab({ job }: { job?: JobDetail }) {
  if (!job) return null;
  const entries = Object.entries(job.params ?? {});
  if (entries.length === 0) return <p class="muted">No parameters set (defaults only).</p>;
  return (
    <table class="list">
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th>{k}</th>
            <td class="path">{typeof v === 'string' ? v : JSON.stringify(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DiagnosticsTab({ job }: { job?: JobDetail }) {
  if (!job) return null;
  if (!job.diagnostics?.length) return <p class="muted">No problems recorded.</p>;
  return <Entries entries={job.diagnostics} where="objectPath" />;
}

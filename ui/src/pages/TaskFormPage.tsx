import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, api, enc } from '../api';
import { Entries } from '../components/Entries';
import { ErrorBox } from '../components/ErrorBox';
import { ExecutorFields, runChoice, type SlurmText } from '../components/ExecutorFields';
import { type FieldContext, ParamGroup } from '../components/ParamField';
import { navigate, onLink } from '../router';
import type {
  ExecutorsInfo,
  Job,
  JobDetail,
  PlainValue,
  ProjectFile,
  TaskDetail,
  ValidationEntry,
  ValidationResult,
} from '../types';

const HIDDEN = new Set(['outputData', 'guiAdmin']);

/**
 * The form of a task, generated from its def file. Every change is checked by the server's validate
 * route (the same validation as i2run) shortly after the user stops typing; Run creates and starts the job.
 */
export function TaskFormPage({
  projectId,
  taskName,
  cloneOf,
}: {
  projectId: string;
  taskName: string;
  cloneOf: string | null;
}) {
  const [task, setTask] = useState<TaskDetail | undefined>();
  const [files, setFiles] = useState<ProjectFile[]>([]);
  const [values, setValues] = useState<Record<string, PlainValue>>({});
  const [result, setResult] = useState<ValidationResult | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [executors, setExecutors] = useState<ExecutorsInfo | undefined>();
  const [executor, setExecutor] = useState('local');
  const [slurm, setSlurm] = useState<SlurmText>({});
  const [failedJob, setFailedJob] = useState<Job | undefined>();
  const seq = useRef(0);

  useEffect(() => {
    api
      .get<TaskDetail>(`/api/tasks/${enc(taskName)}`)
      .then(setTask)
      .catch(setError);
    api
      .get<{ files: ProjectFile[] }>(`/api/projects/${enc(projectId)}/files`)
      .then((r) => setFiles(r.files))
      .catch(setError);
    api
      .get<ExecutorsInfo>('/api/executors')
      .then((r) => {
        setExecutors(r);
        setExecutor(r.default);
      })
      .catch(setError);
    if (cloneOf)
      api
        .get<JobDetail>(`/api/jobs/${enc(cloneOf)}`)
        .then((j) => setValues(j.params))
        .catch(setError);
  }, [projectId, taskName, cloneOf]);

  // Validate as the user types (debounced); only the latest answer is shown.
  useEffect(() => {
    if (!task) return;
    const n = ++seq.current;
    const t = setTimeout(() => {
      api
        .post<ValidationResult>(`/api/tasks/${enc(taskName)}/validate`, { params: values })
        .then((r) => n === seq.current && setResult(r))
        .catch((e) => n === seq.current && setError(e));
    }, 200);
    return () => clearTimeout(t);
  }, [task, values, taskName]);

  const messages = useMemo(() => {
    const m = new Map<string, ValidationEntry[]>();
    for (const e of result?.entries ?? []) m.set(e.path, [...(m.get(e.path) ?? []), e]);
    return m;
  }, [result]);

  const ctx: FieldContext = {
    projectId,
    files,
    values,
    messages,
    set: (path, v) => setValues((old) => ({ ...old, [path]: v })),
    addFile: (f) => setFiles((old) => [f, ...old]),
  };

  const sections = (task?.params ?? []).filter((n) => !HIDDEN.has(n.name));
  const shown = new Set<string>();
  const collect = (ns: typeof sections) => {
    for (const n of ns) {
      shown.add(n.path);
      collect(n.children ?? []);
    }
  };
  collect(sections);
  const other = (result?.entries ?? []).filter((e) => !shown.has(e.path));

  const submit = async (run: boolean) => {
    setBusy(true);
    setError(undefined);
    setFailedJob(undefined);
    try {
      const job = await api.post<Job>(`/api/projects/${enc(projectId)}/jobs`, {
        taskName,
        params: values,
        run,
        ...(run && executors && executors.executors.length > 1 ? runChoice(executor, slurm) : {}),
      });
      navigate(`/projects/${enc(projectId)}/jobs/${enc(job.id)}?tab=log`);
    } catch (e) {
      setError(e);
      // SLURM refused the submission: the job exists, Failed with SLURM's message.
      if (e instanceof ApiError && e.job) setFailedJob(e.job);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <p>
        <a href={`/projects/${enc(projectId)}`} onClick={onLink}>
          ← Jobs
        </a>
      </p>
      <h1>
        {task?.title ?? taskName} <span class="muted">{taskName}</span>
      </h1>
      <ErrorBox error={error} />
      {failedJob ? (
        <p>
          <a href={`/projects/${enc(projectId)}/jobs/${enc(failedJob.id)}?tab=diagnostics`} onClick={onLink}>
            Job {failedJob.number} ({failedJob.statusName})
          </a>
        </p>
      ) : null}
      {task ? (
        <form
          class="task-form"
          onSubmit={(e) => {
            e.preventDefault();
            submit(true);
          }}
        >
          <ParamGroup nodes={sections} ctx={ctx} />
          <Entries entries={other} where="path" />
          <ExecutorFields
            info={executors}
            executor={executor}
            slurm={slurm}
            setExecutor={setExecutor}
            setSlurm={setSlurm}
          />
          <div class="row actions">
            <button type="submit" disabled={busy || !result?.valid}>
              Run
            </button>
            <button type="button" disabled={busy} onClick={() => submit(false)}>
              Save as pending
            </button>
            <span class={result?.valid ? 'ok' : 'muted'} aria-live="polite">
              {result
                ? result.valid
                  ? 'Parameters are valid'
                  : 'Fix the parameters marked above'
                : 'Checking…'}
            </span>
          </div>
        </form>
      ) : null}
    </section>
  );
}

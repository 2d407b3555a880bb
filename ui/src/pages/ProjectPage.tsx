import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { JobTree } from '../components/JobTree';
import { TaskChooser } from '../components/TaskChooser';
import { useEventStream } from '../events';
import { navigate } from '../router';
import type { Job, Project } from '../types';

/** A project: its jobs as a tree, live (pushed by the server), and the task chooser for a new job. */
export function ProjectPage({ projectId }: { projectId: string }) {
  const [project, setProject] = useState<Project | undefined>();
  const [jobs, setJobs] = useState<Map<string, Job>>(new Map());
  const [error, setError] = useState<unknown>();
  const [choosing, setChoosing] = useState(false);
  const [live, setLive] = useState(false);

  useEffect(() => {
    api
      .get<Project>(`/api/projects/${enc(projectId)}`)
      .then(setProject)
      .catch(setError);
  }, [projectId]);

  useEventStream(
    `/api/projects/${enc(projectId)}/events`,
    {
      snapshot: (d) => setJobs(new Map((d as { jobs: Job[] }).jobs.map((j) => [j.id, j]))),
      job: (d) =>
        setJobs((m) => {
          const j = d as Job;
          return new Map(m).set(j.id, j);
        }),
      deleted: (d) =>
        setJobs((m) => {
          const next = new Map(m);
          for (const id of (d as { ids: string[] }).ids) next.delete(id);
          return next;
        }),
    },
    setLive,
  );

  return (
    <section>
      <h1>{project?.name ?? 'Project'}</h1>
      {project ? <p class="muted path">{project.directory}</p> : null}
      <ErrorBox error={error} />
      <div class="row">
        <button type="button" onClick={() => setChoosing(!choosing)} aria-expanded={choosing}>
          {choosing ? 'Close task list' : 'New job…'}
        </button>
        <span class={live ? 'live on' : 'live'} title="job list updates are pushed by the server">
          {live ? '● live' : '○ connecting'}
        </span>
      </div>
      {choosing ? (
        <TaskChooser onChoose={(t) => navigate(`/projects/${enc(projectId)}/new/${enc(t.name)}`)} />
      ) : null}
      <JobTree projectId={projectId} jobs={[...jobs.values()]} />
    </section>
  );
}

import { JobPage } from './pages/JobPage';
import { ProjectPage } from './pages/ProjectPage';
import { ProjectsPage } from './pages/ProjectsPage';
import { TaskFormPage } from './pages/TaskFormPage';
import { match, onLink, useLocation } from './router';

export function App() {
  const loc = useLocation();
  const path = loc.pathname;
  let page = <NotFound path={path} />;
  let m: Record<string, string> | undefined;
  if (path === '/' || path === '/projects') page = <ProjectsPage />;
  else if ((m = match('/projects/:pid', path))) page = <ProjectPage projectId={m.pid} />;
  else if ((m = match('/projects/:pid/new/:task', path)))
    page = <TaskFormPage projectId={m.pid} taskName={m.task} cloneOf={loc.searchParams.get('from')} />;
  else if ((m = match('/projects/:pid/jobs/:jid', path)))
    page = <JobPage projectId={m.pid} jobId={m.jid} tab={loc.searchParams.get('tab') ?? 'report'} />;
  return (
    <>
      <header class="top">
        <a href="/" onClick={onLink} class="brand">
          CCP4i2
        </a>
        <span class="muted">ccp4i2-ts</span>
      </header>
      <main>{page}</main>
    </>
  );
}

function NotFound({ path }: { path: string }) {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        Nothing at <code>{path}</code>.{' '}
        <a href="/" onClick={onLink}>
          Projects
        </a>
      </p>
    </section>
  );
}

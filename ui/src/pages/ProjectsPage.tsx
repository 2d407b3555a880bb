import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { when } from '../format';
import { navigate, onLink } from '../router';
import type { Project } from '../types';

export function ProjectsPage() {
  const [projects, setProjects] = useState<Project[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .get<{ projects: Project[] }>('/api/projects')
      .then((r) => setProjects(r.projects))
      .catch(setError);
  }, []);

  const create = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const p = await api.post<Project>('/api/projects', { name: name.trim() });
      navigate(`/projects/${encodeURIComponent(p.id)}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>Projects</h1>
      <form class="row" onSubmit={create}>
        <label>
          New project{' '}
          <input
            name="projectName"
            value={name}
            required
            pattern="[A-Za-z0-9_.\-]+"
            title="letters, digits, _ . -"
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" disabled={busy || !name.trim()}>
          Create
        </button>
      </form>
      <ErrorBox error={error} />
      {projects === undefined ? (
        <p class="muted">Loading…</p>
      ) : projects.length === 0 ? (
        <p class="muted">No projects yet.</p>
      ) : (
        <table class="list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Directory</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {projects.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={`/projects/${encodeURIComponent(p.id)}`} onClick={onLink}>
                    {p.name}
                  </a>
                  {p.missing ? <span class="badge bad"> missing</span> : null}
                </td>
                <td class="path">{p.directory}</td>
                <td>{when(p.created)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import type { TaskSummary } from '../types';
import { ErrorBox } from './ErrorBox';

/** The task registry grouped by category, filtered as the user types (name, title or category). */
export function TaskChooser({ onChoose }: { onChoose: (task: TaskSummary) => void }) {
  const [tasks, setTasks] = useState<TaskSummary[]>([]);
  const [error, setError] = useState<unknown>();
  const [q, setQ] = useState('');
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    api
      .get<{ tasks: TaskSummary[] }>('/api/tasks')
      .then((r) => setTasks(r.tasks))
      .catch(setError);
    input.current?.focus();
  }, []);

  const groups = useMemo(() => {
    const words = q.toLowerCase().split(/\s+/).filter(Boolean);
    const hit = (t: TaskSummary) =>
      words.every((w) => `${t.name} ${t.title} ${t.category}`.toLowerCase().includes(w));
    const m = new Map<string, TaskSummary[]>();
    for (const t of tasks.filter(hit)) m.set(t.category, [...(m.get(t.category) ?? []), t]);
    return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [tasks, q]);

  return (
    <div class="chooser">
      <label>
        Find a task{' '}
        <input
          ref={input}
          type="search"
          name="taskSearch"
          value={q}
          placeholder="name, title or category"
          onInput={(e) => setQ((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => {
            const first = groups[0]?.[1][0];
            if (e.key === 'Enter' && first) onChoose(first);
          }}
        />
      </label>
      <ErrorBox error={error} />
      {groups.map(([category, list]) => (
        <div key={category}>
          <h3>{category}</h3>
          <ul class="tasks">
            {list.map((t) => (
              <li key={t.name}>
                <button type="button" class="link" data-task={t.name} onClick={() => onChoose(t)}>
                  {t.title}
                </button>{' '}
                <span class="muted">{t.name}</span>
              </li>
            ))}
          </ul>
        </div>
      ))}
      {tasks.length > 0 && groups.length === 0 ? <p class="muted">No task matches.</p> : null}
    </div>
  );
}

import type { ValidationEntry } from '../types';

/** Error-report entries as a list of text lines: where, what, details, [class code]. */
export function Entries({
  entries,
  id,
  where,
}: {
  entries: Pick<
    ValidationEntry,
    'severity' | 'description' | 'details' | 'className' | 'code' | 'path' | 'objectPath'
  >[];
  id?: string;
  where?: 'path' | 'objectPath';
}) {
  if (entries.length === 0) return null;
  return (
    <ul class="messages" id={id} aria-live="polite">
      {entries.map((m, i) => (
        <li key={i} class={m.severity >= 4 ? 'error' : 'warning'}>
          {where && m[where] ? `${m[where]}: ` : ''}
          {m.description}
          {m.details ? `: ${m.details}` : ''}{' '}
          <span class="muted">
            [{m.className} {m.code}]
          </span>
        </li>
      ))}
    </ul>
  );
}

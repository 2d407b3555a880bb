import { type CContainer, CList, CValue } from '../../data/index.js';
import type { TaskEntry } from '../../plugins/index.js';
import { taskParameters } from './parameters.js';

const text = (v: unknown): string =>
  v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** `i2run TASK --help`: the task's parameters from its def file (option, path, class, default, label). */
export function taskHelpText(entry: TaskEntry, container: CContainer, title?: string): string {
  const lines = [
    `usage: i2run ${entry.taskName} [--PARAM value ...] [--project_path DIR] [--project_name NAME] [--params FILE.params.xml] [--dry-run]`,
    '',
    `${entry.taskName}${title ? ` — ${title}` : ''}`,
    `def file: ${entry.defFile ?? '(none: defined in code)'}`,
    '',
  ];
  const params = taskParameters(container).filter((p) => !p.path.startsWith('guiAdmin.'));
  if (params.length === 0) lines.push('This task has no parameters.');
  const rows = params.map((p) => {
    const n = p.node;
    const cls = n instanceof CList ? `${n.className}<${n.subItem.className}>` : n.className;
    const flags: string[] = [];
    if (!n.allowUndefined()) flags.push('required');
    if (n.qualifier('mustExist') === true) flags.push('must exist');
    const dflt = n.qualifier('default');
    const enums = n instanceof CValue ? n.qualifier('enumerators') : undefined;
    return {
      option: `--${p.shortName}`,
      path: p.path,
      cls,
      dflt: text(dflt),
      label: text(n.qualifier('guiLabel') ?? n.qualifier('toolTip')),
      extra: [flags.join(', '), Array.isArray(enums) && enums.length > 0 ? `one of ${enums.join(', ')}` : '']
        .filter(Boolean)
        .join('; '),
    };
  });
  let section = '';
  const w = Math.max(0, ...rows.map((r) => r.option.length));
  const wc = Math.max(0, ...rows.map((r) => r.cls.length));
  for (const r of rows) {
    const top = r.path.split('.')[0]!;
    if (top !== section) {
      section = top;
      lines.push(`${top}:`);
    }
    const details = [
      r.path !== r.option.slice(2) ? r.path : '',
      r.dflt ? `default ${r.dflt}` : '',
      r.extra,
      r.label ? `"${r.label}"` : '',
    ].filter(Boolean);
    lines.push(`  ${r.option.padEnd(w)}  ${r.cls.padEnd(wc)}  ${details.join('  ')}`.trimEnd());
  }
  lines.push(
    '',
    'Values: a file as PATH or fullPath=PATH [columnLabels=/*/*/[A,B]] [annotation=...]; a cell as',
    'a=.. b=.. c=.. alpha=.. beta=.. gamma=..; a list parameter repeated adds items. See docs/i2run.md.',
  );
  return `${lines.join('\n')}\n`;
}

/** The task list of `i2run --help`. */

import type { CContainer } from '../data/index.js';
import type { CErrorReport } from '../report/index.js';
import {
  loadTemplateFile,
  type ParsedTemplate,
  renderTemplate,
  scopeFromContainer,
} from '../templates/index.js';

/** A template given as text (COMTEMPLATE) or as a file (COMTEMPLATEFILE), parsed once per class. */
export type TemplateSource = { text: string } | { file: string };

const parsedFiles = new Map<string, ParsedTemplate>();

function parsed(source: TemplateSource): string | ParsedTemplate {
  if ('text' in source) return source.text;
  let p = parsedFiles.get(source.file);
  if (!p) {
    p = loadTemplateFile(source.file);
    parsedFiles.set(source.file, p);
  }
  return p;
}

/**
 * Renders a task's command templates against its container: COMTEMPLATE gives the stdin script lines,
 * COMLINETEMPLATE the program arguments. Template problems go to `errors`; the result says whether any
 * was an error.
 */
export function renderCommand(
  container: CContainer,
  templates: { script?: TemplateSource; line?: TemplateSource },
  errors: CErrorReport,
): { script: string[]; argv: string[]; ok: boolean } {
  const scope = scopeFromContainer(container);
  let ok = true;
  const out = { script: [] as string[], argv: [] as string[] };
  if (templates.script) {
    const r = renderTemplate(
      parsed(templates.script),
      scope,
      'file' in templates.script ? { file: templates.script.file } : {},
    );
    errors.extend(r.errors);
    ok &&= r.ok;
    out.script = r.lines;
  }
  if (templates.line) {
    const r = renderTemplate(parsed(templates.line), scope, {
      target: 'argv',
      ...('file' in templates.line ? { file: templates.line.file } : {}),
    });
    errors.extend(r.errors);
    ok &&= r.ok;
    out.argv = r.argv;
  }
  return { ...out, ok };
}

import { templateError } from './errors.js';
import { readTemplateFile } from './include.js';
import { type ParsedTemplate, parseTemplate } from './parser.js';

/** Reads and parses a template file; throws a Ccp4Error (code 306) when it cannot be read. */
export function loadTemplateFile(path: string): ParsedTemplate {
  const read = readTemplateFile(path);
  if ('problem' in read) throw templateError('TEMPLATE_FILE', read.reason, { file: path });
  return parseTemplate(read.text, path);
}

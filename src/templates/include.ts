import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { ccp4i2BodyText } from '../data/index.js';
import { isCcp4Error } from '../errors/ccp4-error.js';
import { readRegularFileSync } from '../files/read.js';

/** Largest template file read (by AT or loadTemplateFile); templates are a few lines. */
export const MAX_TEMPLATE_BYTES = 1 << 20;

export type Expanded = { path: string } | { missingVariable: string };

/** Expands `$NAME` and `${NAME}` from the environment (as legacy interpretPath did). */
export function expandEnv(path: string, env: Record<string, string | undefined>): Expanded {
  let missing: string | undefined;
  const out = path.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, a, b) => {
    const name = (a ?? b) as string;
    // Own properties only: `$constructor` is an unset variable, not Object.prototype.constructor.
    const v = Object.hasOwn(env, name) ? env[name] : undefined;
    if (v === undefined) missing ??= name;
    return v ?? '';
  });
  return missing ? { missingVariable: missing } : { path: out };
}

/** Absolute path of an AT target: relative paths are taken from the including file's folder. */
export function resolveInclude(
  path: string,
  fromFile: string | undefined,
  baseDir: string | undefined,
): string {
  if (isAbsolute(path)) return path;
  return resolve(fromFile ? dirname(fromFile) : (baseDir ?? process.cwd()), path);
}

/** Canonical identity of a file for cycle detection (symlinks resolved when the file exists). */
export function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

export type ReadResult = { text: string } | { problem: 'missing' | 'unreadable'; reason: string };

export function readTemplateFile(path: string): ReadResult {
  if (!existsSync(path)) return { problem: 'missing', reason: path };
  try {
    const st = statSync(path);
    if (!st.isFile()) return { problem: 'unreadable', reason: `${path} is not a file` };
    if (st.size > MAX_TEMPLATE_BYTES)
      return { problem: 'unreadable', reason: `${path} is larger than ${MAX_TEMPLATE_BYTES} bytes` };
    // Opened without blocking and checked again: the file may have been replaced by a FIFO meanwhile.
    const text = readRegularFileSync(path, MAX_TEMPLATE_BYTES).toString('utf8');
    return extname(path).toLowerCase() === '.xml' ? xmlTemplate(text, path) : { text };
  } catch (e) {
    return { problem: 'unreadable', reason: `${path}: ${(e as Error).message}` };
  }
}

/**
 * A template kept in a CCP4i2 XML file (as legacy CCP4i2 reads any `.xml` template): the text directly
 * inside `<ccp4i2_body>`. Blank lines are put in front so that error line numbers are the file's.
 */
function xmlTemplate(xml: string, path: string): ReadResult {
  try {
    const body = ccp4i2BodyText(xml, path);
    if (body.text.trim() === '')
      return { problem: 'unreadable', reason: `${path}: <ccp4i2_body> holds no template text` };
    return { text: '\n'.repeat(Math.max(0, body.line - 1)) + body.text };
  } catch (e) {
    if (!isCcp4Error(e)) throw e;
    return { problem: 'unreadable', reason: e.describe() };
  }
}

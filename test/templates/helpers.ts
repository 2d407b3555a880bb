import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type RenderOptions,
  renderTemplate,
  type ScopeRecord,
  scopeFromObject,
  tv,
} from '../../src/templates/index.js';

/** A scope of plain values used across the language tests (not a CData fake: the engine sees only values). */
export const BASE_SCOPE: ScopeRecord = {
  HEADER: true,
  NOHEADER: false,
  DIFF: true,
  TITLE: 'My title',
  EMPTY: '',
  UNSET_S: null,
  N: 3,
  ZERO: 0,
  FZERO: tv.float(0),
  R: tv.float(2.5),
  RU: tv.unset(),
  WHOLE: tv.float(90),
  BIG: tv.float(1e16),
  SMALL: tv.float(1e-5),
  HKLIN: tv.file('/data/in.mtz'),
  HKLIN2: tv.file('/data/in2.mtz'),
  NOFILE: tv.file(''),
  SPACED: tv.file('/my data/x.mtz'),
  LOSTFILE: { kind: 'file', path: '', unresolved: 'in.mtz (project CCP4I2_TOP)' },
  CELL: { a: tv.float(71.478), b: tv.float(71.478), alpha: tv.float(90) },
  UNSETCELL: { a: null, b: null },
  SGC: { spaceGroup: 'P 61 2 2', cell: { a: tv.float(50), c: tv.float(70.5) } },
  SGU: { spaceGroup: null },
  MODE: 'fast',
  LIST: ['a', 'b'],
  NL: 'a\nb',
  CR: 'x\ry',
  TAB: 'a\tb',
  BRACES: '{2*3}',
  DOLLAR: '$TITLE',
  F_SIGF: { F: 'FP', SIGF: 'SIGFP' },
  PHI_W: { PHI: 'PHIB', W: null },
};

export function render(template: string, scope: ScopeRecord = BASE_SCOPE, options: RenderOptions = {}) {
  return renderTemplate(template, scopeFromObject(scope), options);
}

export function codes(result: { errors: Iterable<{ code: number }> }): number[] {
  return [...result.errors].map((e) => e.code);
}

/** Writes files into a fresh temporary folder for AT tests; returns the folder and a cleanup. */
export function tempFiles(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ccp4i2-tpl-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

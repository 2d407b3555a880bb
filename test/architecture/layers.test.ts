import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// Dependencies point one way (docs/architecture.md). Each top-level folder of src/ may import only the
// folders listed for it; anything else is an upward import and fails this test.
// files: the regular-file and atomic-write checks every layer uses (docs/guarantees.md).
const BASE = ['errors', 'files'];
const ALLOWED: Record<string, string[]> = {
  // the bundle's chunk loader (dist/loader/chunks.js): Node's built-ins only
  loader: [],
  errors: [],
  files: ['errors'],
  xml: [...BASE],
  report: [...BASE, 'xml'],
  object: [...BASE, 'report'],
  process: [...BASE],
  formats: [...BASE],
  conversions: [...BASE, 'formats'],
  data: [...BASE, 'report', 'xml', 'object', 'formats', 'conversions'],
  templates: [...BASE, 'report', 'object', 'data'],
  plugins: [...BASE, 'report', 'xml', 'object', 'process', 'formats', 'conversions', 'data', 'templates'],
  reports: [
    ...BASE,
    'report',
    'xml',
    'object',
    'process',
    'formats',
    'conversions',
    'data',
    'templates',
    'plugins',
  ],
  db: [
    ...BASE,
    'report',
    'xml',
    'object',
    'process',
    'formats',
    'conversions',
    'data',
    'templates',
    'plugins',
    'reports',
  ],
  jobs: [
    ...BASE,
    'report',
    'xml',
    'object',
    'process',
    'formats',
    'conversions',
    'data',
    'templates',
    'plugins',
    'reports',
    'db',
  ],
  cli: [
    ...BASE,
    'report',
    'xml',
    'object',
    'process',
    'formats',
    'conversions',
    'data',
    'templates',
    'plugins',
    'reports',
    'db',
    'jobs',
    'server',
  ],
  server: [
    ...BASE,
    'report',
    'xml',
    'object',
    'process',
    'formats',
    'conversions',
    'data',
    'templates',
    'plugins',
    'reports',
    'db',
    'jobs',
  ],
};

const SRC = resolve(__dirname, '../../src');

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

const IMPORT_RE =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

describe('layering', () => {
  it('no module imports a layer above its own', () => {
    const violations: string[] = [];
    let checked = 0;
    for (const file of walk(SRC)) {
      const layer = relative(SRC, file).split(sep)[0];
      if (layer === 'index.ts') continue;
      const allowed = ALLOWED[layer];
      if (!allowed) {
        violations.push(`${relative(SRC, file)}: folder src/${layer} has no entry in the layer table`);
        continue;
      }
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(IMPORT_RE)) {
        const spec = m[1] ?? m[2];
        const target = relative(SRC, resolve(dirname(file), spec)).split(sep)[0];
        checked++;
        if (target !== layer && !allowed.includes(target)) {
          violations.push(`${relative(SRC, file)} imports ${spec} (layer ${target})`);
        }
      }
    }
    expect(violations).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });
});

describe('browser UI', () => {
  it('ui/ talks HTTP only: no import leaves ui/ (src/ is never bundled into the page)', () => {
    const UI = resolve(__dirname, '../../ui');
    const ANY_IMPORT =
      /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
    const violations: string[] = [];
    let checked = 0;
    const files = [...walk(join(UI, 'src'))];
    for (const name of readdirSync(join(UI, 'src'), { recursive: true }) as string[])
      if (name.endsWith('.tsx')) files.push(join(UI, 'src', name));
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(ANY_IMPORT)) {
        const spec = m[1] ?? m[2];
        checked++;
        const outside = spec.startsWith('.') && relative(UI, resolve(dirname(file), spec)).startsWith('..');
        if (outside || spec === 'ccp4i2-ts' || spec.startsWith('node:'))
          violations.push(`${relative(UI, file)} imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Modules of the plugin runtime must not import each other in a circle (type-only imports included):
// plugin-script.ts imports the registry, so the registry describes plugin classes by their shape.

const SRC = resolve(__dirname, '../../src');
const IMPORT_RE =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

function graph(root: string): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of walk(root)) {
    const text = readFileSync(file, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = (m[1] ?? m[2])!;
      deps.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    }
    g.set(file, deps);
  }
  return g;
}

/** Every cycle through `start` (as module paths relative to src/), found by depth-first search. */
function cyclesThrough(g: Map<string, string[]>, start: string): string[][] {
  const out: string[][] = [];
  const path: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (n === start && path.length > 0) {
      out.push([...path, n].map((p) => relative(SRC, p)));
      return;
    }
    if (seen.has(n)) return;
    seen.add(n);
    path.push(n);
    for (const d of g.get(n) ?? []) visit(d);
    path.pop();
  };
  visit(start);
  return out;
}

describe('import cycles', () => {
  it('plugin-script.ts and registry.ts are in no import cycle', () => {
    const g = graph(join(SRC, 'plugins'));
    expect(g.get(join(SRC, 'plugins/plugin-script.ts'))).toContain(join(SRC, 'plugins/registry.ts'));
    for (const m of ['plugins/registry.ts', 'plugins/plugin-script.ts'])
      expect(cyclesThrough(g, join(SRC, m)), m).toEqual([]);
  });
});

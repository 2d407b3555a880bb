import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as src from '../../src/index.js';

// `npm run build` bundles dist/index.js and the two bins (bundle.mjs, docs/benchmarks.md). The bundle must
// keep the library's API, load nothing but its own chunks and the external packages, and resolve files
// relative to the package as the unbundled modules did. (`npm test` builds first.)
const ROOT = resolve(__dirname, '../..');
const DIST = join(ROOT, 'dist');
const ENTRIES = ['index.js', 'cli/i2run.js', 'cli/ccp4i2.js', 'server/job-runner.js'];

/** The static import specifiers of an ES module's text (the bundle prints one `import ... from "x"` per line). */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import (?:[^'"]*? from )?"([^"]+)";$/gm)].map((m) => m[1]!);
}

describe('the bundled dist', () => {
  it('dist/index.js exports exactly what src/index.ts does', async () => {
    const dist = await import(pathToFileURL(join(DIST, 'index.js')).href);
    expect(Object.keys(dist).sort()).toEqual(Object.keys(src).sort());
  });

  it('entries and chunks import only chunks of dist/chunks, node: built-ins and external packages', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const chunks = readdirSync(join(DIST, 'chunks')).filter((f) => f.endsWith('.js'));
    expect(chunks.length).toBeGreaterThan(10);
    const files = [...ENTRIES.map((e) => join(DIST, e)), ...chunks.map((c) => join(DIST, 'chunks', c))];
    const bare = new Set<string>();
    for (const file of files) {
      // Re-export facades (of a dynamic import) and rolldown's runtime helpers have no source to map.
      // (A facade may first import a chunk for its side effects: `import "./x.js";`.)
      const facade = /^((export \{[^}]*\} from|import) "[^"]+";\n?)+$/.test(readFileSync(file, 'utf8'));
      if (!facade && !file.includes('rolldown-runtime')) expect(existsSync(`${file}.map`), file).toBe(true);
      for (const spec of staticImports(file)) {
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec);
          expect(dirname(target), `${file} imports ${spec}`).toBe(join(DIST, 'chunks'));
          expect(existsSync(target), `${file} imports ${spec}`).toBe(true);
        } else if (!spec.startsWith('node:')) bare.add(spec);
      }
    }
    const packageOf = (spec: string) =>
      spec
        .split('/')
        .slice(0, spec.startsWith('@') ? 2 : 1)
        .join('/');
    for (const spec of bare) expect(Object.keys(pkg.dependencies), spec).toContain(packageOf(spec));
    expect(bare.has('commander')).toBe(false); // bundled: no CommonJS loading at start-up
  });

  it('a local task run loads no SLURM code: its chunks import the SLURM client only dynamically', () => {
    const chunks = join(DIST, 'chunks');
    const files = readdirSync(chunks).filter((f) => f.endsWith('.js'));
    // Where the SLURM client's monitor and the executor are bundled.
    const slurm = files.filter((f) => {
      const text = readFileSync(join(chunks, f), 'utf8');
      return (
        text.includes('// src/process/slurm/monitor.ts') || text.includes('// src/jobs/executors/slurm.ts')
      );
    });
    expect(slurm.length).toBeGreaterThan(0);
    // Everything i2run loads statically once its task path and the job service are loaded.
    const start = files.filter((f) => /^(i2run-task|run)-/.test(f)).map((f) => join(chunks, f));
    expect(start.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of staticImports(file)) if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
    };
    for (const f of [join(DIST, 'cli/i2run.js'), ...start]) visit(f);
    for (const f of slurm) expect(seen.has(join(chunks, f)), f).toBe(false);
  });

  it('source maps of the bins point at the TypeScript sources', () => {
    const map = JSON.parse(readFileSync(join(DIST, 'cli/i2run.js.map'), 'utf8')) as { sources: string[] };
    expect(map.sources.some((s) => s.endsWith('src/cli/i2run.ts'))).toBe(true);
  });

  it('finds the shipped assets and the package entry from its chunks', async () => {
    const dist = await import(pathToFileURL(join(DIST, 'index.js')).href);
    for (const cls of dist.BUILTIN_TASKS as { DEF_FILE: string }[])
      expect(existsSync(cls.DEF_FILE), cls.DEF_FILE).toBe(true);
    expect(dist.assetPath('tasks/mtz_cell.def.xml')).toBe(join(ROOT, 'assets/tasks/mtz_cell.def.xml'));
  });
});

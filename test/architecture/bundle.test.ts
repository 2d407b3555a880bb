import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as src from '../../src/index.js';

// `npm run build` bundles the library and the bins into CommonJS chunks (dist/chunks/*.cjs) that the
// loader (dist/chunks/loader.cjs) compiles with a code cache; dist/index.js is an ES module and the bins
// (dist/bin/*.cjs) CommonJS files that hand their chunk to it (bundle.mjs, docs/benchmarks.md). The bundle must keep the library's API, load nothing
// but its own chunks and the external packages, and resolve files relative to the package as the
// unbundled modules did. (`npm test` builds first.)
const ROOT = resolve(__dirname, '../..');
const DIST = join(ROOT, 'dist');
const CHUNKS = join(DIST, 'chunks');
const LOADER = join(CHUNKS, 'loader.cjs');
/** ES module entries: the library's and the bins at their old paths (scripts that name them). */
const ENTRIES: Record<string, string> = {
  'index.js': 'lib.cjs',
  'cli/i2run.js': 'cli-i2run.cjs',
  'cli/ccp4i2.js': 'cli-ccp4i2.cjs',
  'server/job-runner.js': 'server-job-runner.cjs',
};
/** The bins: CommonJS (package.json's "bin"; the server starts bin/job-runner.cjs). */
const BINS: Record<string, string> = {
  'bin/i2run.cjs': 'cli-i2run.cjs',
  'bin/ccp4i2.cjs': 'cli-ccp4i2.cjs',
  'bin/job-runner.cjs': 'server-job-runner.cjs',
};

/** The import specifiers of an ES module's text (one `import ... from '...'` per line). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import (?:[^'"]*? from )?['"]([^'"]+)['"];$/gm)].map((m) => m[1]!);
}

/** What a chunk requires when it loads (top-level `require("x")` lines; lazy ones sit inside functions). */
function staticRequires(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:(?:const|let|var) [\w$]+ = )?require\("([^"]+)"\);$/gm)].map((m) => m[1]!);
}

/** Every `require("x")` of a chunk, lazy ones too. */
function allRequires(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
}

const chunkFiles = () => readdirSync(CHUNKS).filter((f) => f.endsWith('.cjs'));

describe('the bundled dist', () => {
  it('dist/index.js exports exactly what src/index.ts does', async () => {
    const dist = await import(pathToFileURL(join(DIST, 'index.js')).href);
    expect(Object.keys(dist).sort()).toEqual(Object.keys(src).sort());
  });

  it('entries load their chunk through the one loader, which requires only built-ins', () => {
    const required = (file: string) =>
      [
        ...readFileSync(file, 'utf8').matchAll(
          /(?:require|createRequire\(import\.meta\.url\))\('([^']+)'\)/g,
        ),
      ].map((m) => resolve(dirname(file), m[1]!));
    for (const [entry, chunk] of Object.entries({ ...ENTRIES, ...BINS })) {
      const file = join(DIST, entry);
      expect(required(file), entry).toEqual([LOADER]);
      expect(readFileSync(file, 'utf8'), entry).toContain(`loadChunk('${chunk}')`);
      expect(existsSync(join(CHUNKS, chunk)), chunk).toBe(true);
    }
    for (const entry of Object.keys(ENTRIES))
      expect(imports(join(DIST, entry)), entry).toEqual(['node:module']);
    for (const spec of allRequires(LOADER))
      expect(spec.startsWith('node:') || builtinModules.includes(spec), spec).toBe(true);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(pkg.bin).toEqual({ ccp4i2: 'dist/bin/ccp4i2.cjs', i2run: 'dist/bin/i2run.cjs' });
  });

  it("a bin starts without Node's ES module loader (an ES module entry costs Node 20 ~6 ms)", () => {
    const probe = join(ROOT, 'test/loader/fixtures/esm-probe.cjs');
    const esm = (entry: string): string[] => {
      const r = spawnSync(process.execPath, ['-r', probe, join(DIST, entry), '--help'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(/^ESM-PROBE (.*)$/m.exec(r.stderr)![1]!) as string[];
    };
    const JOB = 'NativeModule internal/modules/esm/module_job';
    expect(esm('cli/i2run.js')).toContain(JOB); // the probe sees it where it is loaded
    for (const bin of ['bin/i2run.cjs', 'bin/ccp4i2.cjs']) expect(esm(bin), bin).not.toContain(JOB);
  });

  it('the library, imported into a process a bin started, uses the same loader: its classes exist once', () => {
    const code = `
      const { loadChunk } = require(${JSON.stringify(LOADER)});
      const lib = loadChunk('lib.cjs');
      Promise.all([
        import(${JSON.stringify(pathToFileURL(join(DIST, 'index.js')).href)}),
        import(${JSON.stringify(pathToFileURL(join(DIST, 'loader/chunks.js')).href)}),
      ]).then(([index, esmLoader]) => {
        console.log(index.CPluginScript === lib.CPluginScript, esmLoader.loadChunk('lib.cjs') === lib);
      });`;
    const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
    expect(r.stdout.trim(), r.stderr).toBe('true true');
  });

  it('chunks require only chunks of dist/chunks, node: built-ins and external packages; each has a source map', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const chunks = chunkFiles();
    expect(chunks.length).toBeGreaterThan(10);
    const bare = new Set<string>();
    for (const c of chunks) {
      const file = join(CHUNKS, c);
      const text = readFileSync(file, 'utf8');
      expect(text.startsWith('"use strict";'), c).toBe(true); // ES module semantics
      // ASCII only: one character beyond makes V8 keep the whole chunk's source two bytes a character
      expect(/[^\x00-\x7f]/.exec(text)?.[0], c).toBeUndefined();
      // The library's entry only re-exports, and rolldown's runtime helpers have no source to map.
      if (c !== 'lib.cjs' && !c.startsWith('rolldown-runtime'))
        expect(existsSync(`${file}.map`), c).toBe(true);
      for (const spec of allRequires(file)) {
        if (spec.startsWith('.')) {
          const target = resolve(CHUNKS, spec);
          expect(dirname(target), `${c} requires ${spec}`).toBe(CHUNKS);
          expect(existsSync(target), `${c} requires ${spec}`).toBe(true);
        } else if (!spec.startsWith('node:') && !builtinModules.includes(spec)) bare.add(spec);
      }
    }
    const packageOf = (spec: string) =>
      spec
        .split('/')
        .slice(0, spec.startsWith('@') ? 2 : 1)
        .join('/');
    for (const spec of bare) expect(Object.keys(pkg.dependencies), spec).toContain(packageOf(spec));
    expect(bare.has('commander')).toBe(false); // bundled: no CommonJS package loading at start-up
    // bundled too (its addon is loaded from its package: src/db/connection.ts)
    expect(bare.has('better-sqlite3')).toBe(false);
  });

  it('chunk code calls no import(): only the task-module import falls back to it, unbundled', () => {
    // Code compiled by the loader cannot use Node's import() (Node 20 loses its callback with a code
    // cache): `await import('node:fs')` in a command would fail only when bundled.
    const calls: string[] = [];
    for (const c of chunkFiles().filter((f) => f !== 'loader.cjs')) // Node's require loads the loader
      for (const line of readFileSync(join(CHUNKS, c), 'utf8').split('\n'))
        if (/(^|[^\w.$])import\(/.test(line) && !/^\s*(\*|\/\/)/.test(line))
          calls.push(`${c}: ${line.trim()}`);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/^core-[\w-]+\.cjs: return viaLoader \? viaLoader\(url\) : import\(url\);$/);
  });

  it('a local task run loads no SLURM code: its chunks require the SLURM client only lazily', () => {
    const files = chunkFiles();
    // Where the SLURM client's monitor and the executor are bundled.
    const slurm = files.filter((f) => {
      const text = readFileSync(join(CHUNKS, f), 'utf8');
      return (
        text.includes('// src/process/slurm/monitor.ts') || text.includes('// src/jobs/executors/slurm.ts')
      );
    });
    expect(slurm.length).toBeGreaterThan(0);
    // Everything i2run loads statically once its task path and the job service are loaded.
    const start = files.filter((f) => /^(i2run-task|run)-/.test(f));
    expect(start.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    const visit = (chunk: string) => {
      if (seen.has(chunk)) return;
      seen.add(chunk);
      for (const spec of staticRequires(join(CHUNKS, chunk))) if (spec.startsWith('./')) visit(spec.slice(2));
    };
    for (const f of ['cli-i2run.cjs', ...start]) visit(f);
    expect(seen.size).toBeGreaterThan(5);
    for (const f of slurm) expect(seen.has(f), f).toBe(false);
  });

  it('source maps of the bins point at the TypeScript sources', () => {
    const map = JSON.parse(readFileSync(join(CHUNKS, 'cli-i2run.cjs.map'), 'utf8')) as { sources: string[] };
    expect(map.sources.some((s) => s.endsWith('src/cli/i2run.ts'))).toBe(true);
  });

  it('finds the shipped assets and the package entry from its chunks', async () => {
    const dist = await import(pathToFileURL(join(DIST, 'index.js')).href);
    for (const cls of dist.BUILTIN_TASKS as { DEF_FILE: string }[])
      expect(existsSync(cls.DEF_FILE), cls.DEF_FILE).toBe(true);
    expect(dist.assetPath('tasks/mtz_cell.def.xml')).toBe(join(ROOT, 'assets/tasks/mtz_cell.def.xml'));
  });
});

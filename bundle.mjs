// Bundles the library entry, the two command-line entries and the server's job runner with rolldown
// (`npm run build` runs `node bundle.mjs` after tsc). Loading ~170 small ES modules dominated start-up
// (the ESM loader reads each file through fs/promises: open, stat, read, close on the thread pool, plus
// resolve and compile per module; docs/benchmarks.md). Here the modules are grouped into a few chunks by
// what loads them together (below; they import each other one way, as the layers of
// docs/architecture.md do); the command-line code is split where it loads lazily (i2run's task path,
// help and task list; each ccp4i2 command's implementation).
//
// Pure-JavaScript dependencies that every command loads (commander; saxes for XML) are bundled too: as
// CommonJS packages they were read file by file and scanned for exports by Node's CJS loader. The rest
// stay external (better-sqlite3 is native; the server's fastify loads only for `ccp4i2 serve`).
//
// The entries are built together so that dist/index.js (what task modules of a --task-dir import) and the
// bins share the same chunks, hence the same classes and task registry. Every chunk sits in dist/chunks/,
// one level below dist/ like the modules it replaces, so paths computed from import.meta.url (assets/,
// package.json, dist/ui, dist/index.js) are unchanged. tsc's per-module output (and all .d.ts) stays.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
// Pure-JavaScript packages bundled, with their chunk (saxes: in the data model's). better-sqlite3's
// JavaScript goes with the database's code (its addon stays in its package, src/db/connection.ts); bindings
// is its fallback search for the addon, which the bundled copy never runs (it is given the addon's path).
const BUNDLED = {
  commander: 'vendor-commander',
  saxes: 'core',
  xmlchars: 'core',
  'better-sqlite3': 'db',
  bindings: 'db',
  'file-uri-to-path': 'db',
};
const external = Object.keys(pkg.dependencies ?? {}).filter((d) => !(d in BUNDLED));
const SRC = fileURLToPath(new URL('./src/', import.meta.url));
const OUT = fileURLToPath(new URL('./dist/', import.meta.url));

// Chunks are few and large where the same commands load them together: Node 20's ESM loader pays per
// module and per import statement (a file read on the thread pool, realpath and package scope lookups
// for each specifier, ~50 µs each), which cost `i2run TASK` about 10 ms over a single file. Small leaf
// chunks stay apart where a light command loads them alone (`mtz info`: formats-mtz; `jobs list`: db
// core, files, errors, status).
//
// core: the data model, XML, templates, plugin runtime, processes and conversions, which any task
// (help, dry run or run) loads together.
const CORE = new Set(['data', 'object', 'report', 'xml', 'templates', 'plugins', 'conversions', 'process']);
const CORE_FORMATS = new Set(['formats/coords', 'formats/mtz/write.ts', 'formats/mtz/index.ts']);
// run: what only running a job adds (job service, reports, the database's job recorder). The recorder
// listens to plugins, hence loads core: `jobs list` and other row-only commands (db/core.ts) load neither.
const RUN = new Set(['jobs', 'reports']);
const DB_RECORDING = new Set([
  'db/recorder.ts',
  'db/cache-key.ts',
  'db/reports.ts',
  'db/runner.ts',
  'db/index.ts',
]);
// i2run's task path (help, dry run and run); its commander program and the database side stay apart.
const I2RUN_TASK = new Set(
  [
    'run',
    'argv',
    'assign',
    'dry-run',
    'errors',
    'execute',
    'io',
    'prepare',
    'project',
    'result',
    'tasks',
    'summary',
    'parameters',
    'status',
  ].map((m) => `cli/i2run/${m}.ts`),
);
// The SLURM client and executor, loaded only for --executor slurm (the job service imports the executor
// lazily; run-defaults needs only the option checks, projects import only the status file's reader and the batch files' names).
const SLURM_KEEP = new Set([
  'process/slurm/options.ts',
  'process/slurm/errors.ts',
  'process/slurm/status-file.ts',
  'process/slurm/batch-script.ts',
]);
const isSlurm = (rel) =>
  (rel.startsWith('process/slurm/') && !SLURM_KEEP.has(rel)) || rel === 'jobs/executors/slurm.ts';
// Modules kept out of their folder's chunk so that what loads them stays light.
const OWN_CHUNK = new Set([
  'plugins/tasks/catalog.ts',
  'server/job-runner.ts',
  'plugins/status.ts',
  'report/error-codes.ts',
]);

/** The chunk of a module (see above), a folder's own chunk (formats: its format's), or automatic. */
function group(id) {
  const pkgName = /[\\/]node_modules[\\/]([^\\/]+)[\\/]/.exec(id)?.[1];
  if (pkgName) return BUNDLED[pkgName] ?? null;
  if (!id.startsWith(SRC)) return null;
  const rel = id.slice(SRC.length);
  const parts = rel.split('/');
  if (I2RUN_TASK.has(rel)) return 'i2run-task';
  if (isSlurm(rel)) return 'slurm';
  if (parts.length < 2 || parts[0] === 'cli' || OWN_CHUNK.has(rel)) return null;
  if (DB_RECORDING.has(rel) || RUN.has(parts[0])) return 'run';
  if (CORE.has(parts[0]) || CORE_FORMATS.has(rel) || CORE_FORMATS.has(parts.slice(0, 2).join('/')))
    return 'core';
  return parts[0] === 'formats' && parts.length > 2 ? `formats-${parts[1]}` : parts[0];
}

rmSync(`${OUT}chunks`, { recursive: true, force: true }); // chunk names carry hashes: no stale ones

// The entries' chunks (dist/chunks/<name>.cjs) and what loads them (written below). A bin is a CommonJS
// file (dist/bin/NAME.cjs, package.json's "bin"): an ES module entry costs Node 20 ~6 ms of start-up for
// its ES module loader. The ES module bins at their old paths (dist/cli/i2run.js, ...) stay, for scripts
// that name them.
const ENTRIES = {
  lib: { src: 'src/index.ts', out: 'index.js' },
  'cli-i2run': { src: 'src/cli/i2run.ts', out: 'cli/i2run.js', bin: 'bin/i2run.cjs' },
  'cli-ccp4i2': { src: 'src/cli/ccp4i2.ts', out: 'cli/ccp4i2.js', bin: 'bin/ccp4i2.cjs' },
  // The process the server starts for each job.
  'server-job-runner': {
    src: 'src/server/job-runner.ts',
    out: 'server/job-runner.js',
    bin: 'bin/job-runner.cjs',
  },
};

const { output } = await build({
  input: Object.fromEntries(Object.entries(ENTRIES).map(([name, e]) => [name, e.src])),
  platform: 'node',
  // Required by includeDependenciesRecursively: false. The entries re-export only (checked by
  // test/architecture/bundle.test.ts: dist/index.js exports exactly what src/index.ts does).
  preserveEntrySignatures: 'allow-extension',
  external: (id) =>
    id.startsWith('node:') ||
    builtinModules.includes(id) ||
    external.some((d) => id === d || id.startsWith(`${d}/`)),
  logLevel: 'warn',
  write: true,
  output: {
    dir: OUT,
    // CommonJS, compiled by dist/chunks/loader.cjs with V8's code cache (see there; Node 20 caches no ES
    // module's code). The sources stay ES modules; import.meta.url becomes the chunk's file URL.
    format: 'cjs',
    comments: { jsdoc: false, legal: true, annotation: true }, // the sources (source maps) keep them
    charset: 'ascii', // one-byte source strings: a single other character makes V8 hold a whole chunk in two bytes a character
    strict: true, // "use strict" first in each chunk: the sources are ES modules, always strict
    sourcemap: true,
    keepNames: true, // class and function names are visible (error messages, className)
    entryFileNames: 'chunks/[name].cjs',
    chunkFileNames: 'chunks/[name]-[hash].cjs',
    codeSplitting: {
      includeDependenciesRecursively: false,
      groups: [{ name: group, debugName: 'by folder' }],
    },
  },
});

// The chunk loader, as CommonJS (dist/chunks/loader.cjs), which Node itself loads: every entry requires
// this one file, so a process has one loader whichever entries it loads (src/loader/chunks.ts).
await build({
  input: { loader: 'src/loader/chunks.ts' },
  platform: 'node',
  external: (id) => id.startsWith('node:') || builtinModules.includes(id),
  logLevel: 'warn',
  write: true,
  output: {
    dir: OUT,
    format: 'cjs',
    comments: { jsdoc: false, legal: true, annotation: true },
    charset: 'ascii',
    strict: true,
    sourcemap: true,
    entryFileNames: 'chunks/[name].cjs',
  },
});

// What Node loads: the library's entry is an ES module that re-exports its chunk's names (its API as
// before); a bin's chunk runs the command when loaded.
const LOADER = (out) => `${'../'.repeat(out.split('/').length - 1) || './'}chunks/loader.cjs`;
mkdirSync(`${OUT}bin`, { recursive: true });
for (const [name, e] of Object.entries(ENTRIES)) {
  const chunk = output.find((o) => o.type === 'chunk' && o.isEntry && o.name === name);
  if (!chunk) throw new Error(`bundle.mjs: no chunk for entry ${name}`);
  const head = `import { createRequire } from 'node:module';\nconst { loadChunk } = createRequire(import.meta.url)('${LOADER(e.out)}');\n`;
  const text = e.bin
    ? `#!/usr/bin/env node\n// ${e.src} (bundle.mjs); ${e.bin} is the same command with a faster start\n${head}loadChunk('${name}.cjs');\n`
    : `// ${e.src}, as CommonJS chunks compiled with a code cache (bundle.mjs, src/loader/chunks.ts)\n${head}const lib = loadChunk('${name}.cjs');\n${
        chunk.exports.length ? `export const { ${[...chunk.exports].sort().join(', ')} } = lib;\n` : ''
      }`;
  writeFileSync(`${OUT}${e.out}`, text, { mode: e.bin ? 0o755 : 0o644 });
  rmSync(`${OUT}${e.out}.map`, { force: true }); // tsc's, of the module this replaces
  if (e.bin)
    writeFileSync(
      `${OUT}${e.bin}`,
      `#!/usr/bin/env node\n// ${e.src} (bundle.mjs)\n'use strict';\nrequire('${LOADER(e.bin)}').loadChunk('${name}.cjs');\n`,
      { mode: 0o755 },
    );
}

// The shipped def files' trees, parsed now with the parser tsc has just built (src/xml/prebuilt.ts).
{
  const { readXmlFile } = await import(new URL('./dist/xml/parse.js', import.meta.url).href);
  const { buildPrebuiltTrees } = await import(new URL('./dist/xml/prebuilt.js', import.meta.url).href);
  const assets = fileURLToPath(new URL('./assets/', import.meta.url));
  const defs = readdirSync(assets, { recursive: true })
    .filter((f) => f.endsWith('.def.xml'))
    .sort()
    .map((f) => join(assets, f));
  writeFileSync(`${OUT}def-trees.json`, `${JSON.stringify(buildPrebuiltTrees(assets, defs, readXmlFile))}\n`);
}

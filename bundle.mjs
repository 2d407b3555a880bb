// Bundles the library entry, the two command-line entries and the server's job runner with rolldown (`npm run build` runs
// `node bundle.mjs` after tsc). Loading ~170
// small ES modules dominated start-up (the ESM loader reads each file through fs/promises: open, stat,
// read, close on the thread pool, plus resolve and compile per module; docs/benchmarks.md). Here the
// modules are grouped into one chunk per source folder (the layers of docs/architecture.md, so chunks
// import each other one way); the command-line code is split where it loads lazily (i2run's run, help and
// task list; each ccp4i2 command's implementation).
//
// Pure-JavaScript dependencies that every command loads (commander; saxes for XML) are bundled too: as
// CommonJS packages they were read file by file and scanned for exports by Node's CJS loader. The rest
// stay external (better-sqlite3 is native; the server's fastify loads only for `ccp4i2 serve`).
//
// The entries are built together so that dist/index.js (what task modules of a --task-dir import) and the
// bins share the same chunks, hence the same classes and task registry. Every chunk sits in dist/chunks/,
// one level below dist/ like the modules it replaces, so paths computed from import.meta.url (assets/,
// package.json, dist/ui, dist/index.js) are unchanged. tsc's per-module output (and all .d.ts) stays.
import { readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const BUNDLED = { commander: 'commander', saxes: 'saxes', xmlchars: 'saxes' }; // package: its chunk
const external = Object.keys(pkg.dependencies ?? {}).filter((d) => !(d in BUNDLED));
const SRC = fileURLToPath(new URL('./src/', import.meta.url));
const OUT = fileURLToPath(new URL('./dist/', import.meta.url));

// Modules kept out of their folder's chunk so that what loads them stays light.
const OWN_CHUNK = new Set([
  'plugins/tasks/catalog.ts',
  'server/job-runner.ts',
  'plugins/status.ts',
  'report/error-codes.ts',
]);
// The database's job recorder (and what only it uses) listens to plugins, hence loads the data model and
// the plugin runtime: a chunk of its own, so that `jobs list` and other row-only commands (db/core.ts)
// load none of that.
const DB_RECORDING = new Set([
  'db/recorder.ts',
  'db/cache-key.ts',
  'db/reports.ts',
  'db/runner.ts',
  'db/index.ts',
]);

/** The chunk of a module: its top-level source folder (formats: its format), a vendor chunk, or automatic. */
function group(id) {
  const pkgName = /[\\/]node_modules[\\/]([^\\/]+)[\\/]/.exec(id)?.[1];
  if (pkgName) return pkgName in BUNDLED ? `vendor-${BUNDLED[pkgName]}` : null;
  if (!id.startsWith(SRC)) return null;
  const rel = id.slice(SRC.length);
  const parts = rel.split('/');
  if (parts.length < 2 || parts[0] === 'cli' || OWN_CHUNK.has(rel)) return null;
  if (DB_RECORDING.has(rel)) return 'db-recording';
  // The MTZ writer needs the files layer (crypto, streams): it and the folder's index (which re-exports
  // it) are a chunk of their own, so that `ccp4i2 mtz info` loads only the reader.
  if (rel === 'formats/mtz/write.ts' || rel === 'formats/mtz/index.ts') return 'formats-mtz-write';
  return parts[0] === 'formats' && parts.length > 2 ? `formats-${parts[1]}` : parts[0];
}

rmSync(`${OUT}chunks`, { recursive: true, force: true }); // chunk names carry hashes: no stale ones

await build({
  input: {
    index: 'src/index.ts',
    'cli/i2run': 'src/cli/i2run.ts',
    'cli/ccp4i2': 'src/cli/ccp4i2.ts',
    // The process the server starts for each job.
    'server/job-runner': 'src/server/job-runner.ts',
  },
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
    format: 'esm',
    sourcemap: true,
    keepNames: true, // class and function names are visible (error messages, className)
    chunkFileNames: 'chunks/[name]-[hash].js',
    codeSplitting: {
      includeDependenciesRecursively: false,
      groups: [{ name: group, debugName: 'by folder' }],
    },
  },
});

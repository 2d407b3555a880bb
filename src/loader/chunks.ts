import {
  closeSync,
  existsSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

// The bundle's code is CommonJS chunks (dist/chunks/*.cjs, bundle.mjs) that this module compiles with V8's
// code cache: a one-shot command (i2run TASK, ccp4i2 mtz info, a server's job runner) spends most of its
// start-up compiling our ~800 kB, and Node 20 has no compile cache (Node 22.1 added
// module.enableCompileCache; V8's code cache is reachable from JavaScript only through vm.Script).
// Measured in docs/benchmarks.md. With source maps enabled (--enable-source-maps), chunks load
// through Node's own require instead, which applies them; every chunk of a process loads the same way, so
// the library's classes exist once (dist/index.js, the bins and a --task-dir's modules share them).

/** The CommonJS wrapper, as Node's: a chunk sees exactly what a `.cjs` file required by Node would. */
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAP_TAIL = '\n})';

/** Where the chunks' import() goes: see installImport (Node 20 cannot serve it in cached code). */
const IMPORT = Symbol.for('ccp4i2-ts.import');

type Exports = Record<string, unknown>;
type Pending = { script: Script; cacheFile: string; header: string };

export interface ChunkLoaderOptions {
  /** The chunks' directory (dist/chunks). */
  directory: string;
  /** The cache directory; undefined: no cache. Default: cacheDirectory() of the environment. */
  cacheDirectory?: string;
  /** Load through Node's require (source maps applied, no cache). Default: process.sourceMapsEnabled. */
  native?: boolean;
  /** Which kind of run this is (cacheProfile): each kind keeps its own cache. Default: one for all. */
  profile?: string;
}

/** What a loader did (the tests read it). */
export interface ChunkLoadStats {
  loaded: string[];
  /** Chunks compiled from cached code V8 accepted. */
  cached: string[];
  /** Chunks compiled from source (no cache, a stale one, or one V8 rejected); cached at exit. */
  compiled: string[];
}

/**
 * The per-user cache directory: $CCP4I2_COMPILE_CACHE if set ("0"/"off": none), none when
 * NODE_DISABLE_COMPILE_CACHE=1 (Node's own switch), else $XDG_CACHE_HOME or ~/.cache, then
 * `ccp4i2-ts/compile`. Code from a cache is run as ours, so the directory must be the user's own and
 * writable by nobody else; a home without one falls back to a 0700 directory of our own in the system's
 * temporary directory, and anything else means no cache (only speed is lost).
 */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const set = env.CCP4I2_COMPILE_CACHE;
  if (set === '0' || set === 'off' || env.NODE_DISABLE_COMPILE_CACHE === '1') return undefined;
  if (set) return ownDirectory(set);
  let home: string | undefined;
  try {
    home = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  } catch {
    home = undefined; // no home directory (a system user)
  }
  const uid = process.getuid?.() ?? 0;
  return (
    (home && ownDirectory(join(home, 'ccp4i2-ts', 'compile'))) ??
    ownDirectory(join(tmpdir(), `ccp4i2-ts-compile-${uid}`))
  );
}

/** `dir`, made if missing (0700), when it is a real directory of this user that only they can write. */
function ownDirectory(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    const uid = process.getuid?.();
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0)
      return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/**
 * The kind of run a process is, for its cache: a chunk's cache holds the functions that the run which wrote
 * it compiled, and `i2run TASK --help` compiles a fraction of what running TASK does, so that a cache made
 * by one kind of run would leave the others compiling most of their code for ever. A bin's profile is its
 * command word (i2run's task, ccp4i2's subcommand) and whether help or a dry run is asked for; the library
 * (imported by other programs) and the job runner have one each.
 */
export function cacheProfile(entry: string, argv: readonly string[]): string {
  const base = entry.replace(/\.cjs$/, '');
  if (!base.startsWith('cli-')) return base;
  const words = [base];
  if (argv[0] && !argv[0].startsWith('-')) words.push(argv[0]);
  if (argv.includes('--help') || argv.includes('-h')) words.push('help');
  if (argv.includes('--dry-run')) words.push('dry');
  return words
    .join('_')
    .replace(/[^\w-]/g, '_')
    .slice(0, 60);
}

/**
 * Node's and V8's options (the command line's and NODE_OPTIONS), in a cache's name: V8 refuses a cache
 * made under other flags, so runs alternating between two sets would otherwise rewrite each other's.
 */
const FLAGS = (() => {
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join('\0');
  return flags === '' ? '' : `${fnv(flags)}.`;
})();

/** The first words of a cache folder's `source` file (only folders that have one are ever removed). */
const SOURCE_MARK = 'ccp4i2-ts chunk cache of ';

/** FNV-1a of a string, in hex: names a chunk directory's cache folder (several installs, one cache). */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

export class ChunkLoader {
  readonly stats: ChunkLoadStats = { loaded: [], cached: [], compiled: [] };
  readonly #dir: string;
  readonly #cache: string | undefined;
  readonly #native: boolean;
  readonly #profile: string;
  readonly #require: NodeJS.Require;
  readonly #modules = new Map<string, { exports: Exports }>();
  readonly #pending: Pending[] = [];
  #exitHook = false;

  constructor(o: ChunkLoaderOptions) {
    this.#dir = o.directory;
    this.#native = o.native ?? process.sourceMapsEnabled === true;
    this.#profile = o.profile ? `${o.profile.replace(/[^\w-]/g, '_')}.` : '';
    // (cacheDirectory() makes its directory: not called where nothing is cached)
    const root = this.#native ? undefined : 'cacheDirectory' in o ? o.cacheDirectory : cacheDirectory();
    this.#cache = root && join(root, fnv(o.directory));
    this.#require = createRequire(join(o.directory, 'x.cjs'));
  }

  /** The exports of chunk `name` (a file of the chunks' directory), loaded once per loader. */
  load(name: string): Exports {
    const done = this.#modules.get(name);
    if (done) return done.exports;
    if (!/^[\w.-]+\.cjs$/.test(name)) throw new Error(`not a chunk name: ${name}`);
    const file = join(this.#dir, name);
    this.stats.loaded.push(name);
    if (this.#native) return this.#require(file) as Exports;
    // One open for the text and its identity: a chunk replaced meanwhile never pairs with another's cache.
    const fd = openSync(file, 'r');
    let source: string;
    let st: Stats;
    try {
      st = fstatSync(fd);
      source = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
    // V8 checks a cache's version, flags and source length, not its text: the file's identity and time are
    // checked here, so that a chunk edited in place (same length) never runs stale code.
    const header = `ccp4i2-ts compile cache 1 ${process.version} ${process.arch} ${st.dev} ${st.ino} ${st.size} ${st.mtimeMs}\n`;
    const script = this.#compile(name, source, file, header);
    const mod = { exports: {} as Exports };
    // Registered before it runs: chunks that require each other get the exports made so far, as in Node.
    this.#modules.set(name, mod);
    const chunkRequire = ((spec: string) =>
      spec.startsWith('./') && spec.endsWith('.cjs')
        ? this.load(spec.slice(2))
        : this.#require(spec)) as NodeJS.Require;
    Object.assign(chunkRequire, {
      resolve: this.#require.resolve,
      cache: this.#require.cache,
      main: this.#require.main,
    });
    try {
      (script.runInThisContext() as (...a: unknown[]) => void).call(
        mod.exports,
        mod.exports,
        chunkRequire,
        mod,
        file,
        this.#dir,
      );
    } catch (e) {
      this.#modules.delete(name);
      throw e;
    }
    return mod.exports;
  }

  /**
   * The chunk's script, from its cache where V8 accepts one. A run with Node or V8 options of its own
   * (the command line's, NODE_OPTIONS) tries a cache of its own first, then the plain one (most options,
   * --cpu-prof say, leave V8 accepting it), and writes only its own: V8 refuses a cache made under other
   * V8 flags, and two kinds of run rewriting one file would each compile every time.
   */
  #compile(name: string, source: string, file: string, header: string): Script {
    const base = this.#cache && join(this.#cache, `${name}.${this.#profile}`);
    const plain = base && `${base}${process.version}.bin`;
    const own = base && FLAGS && `${base}${FLAGS}${process.version}.bin`;
    let script: Script | undefined;
    for (const cacheFile of [own, plain]) {
      const cachedData = cacheFile ? this.#read(cacheFile, header) : undefined;
      if (!cachedData) continue;
      // refused: V8 has compiled the source instead, which serves as well
      script = new Script(WRAP_HEAD + source + WRAP_TAIL, { filename: file, cachedData });
      if (!script.cachedDataRejected) {
        this.stats.cached.push(name);
        return script;
      }
      break;
    }
    script ??= new Script(WRAP_HEAD + source + WRAP_TAIL, { filename: file });
    this.stats.compiled.push(name);
    const cacheFile = own || plain;
    if (cacheFile) this.#later({ script, cacheFile, header });
    return script;
  }

  #read(cacheFile: string, header: string): Buffer | undefined {
    try {
      const data = readFileSync(cacheFile);
      const n = Buffer.byteLength(header);
      return data.length > n && data.toString('latin1', 0, n) === header ? data.subarray(n) : undefined;
    } catch {
      return undefined; // none yet, or unreadable: compiled from source
    }
  }

  /** Caches `p` at exit, when the run has compiled what it used (V8 includes functions compiled by then). */
  #later(p: Pending): void {
    this.#pending.push(p);
    if (this.#exitHook) return;
    this.#exitHook = true;
    process.once('exit', () => this.writeCache());
  }

  /** Writes the code cache of every chunk compiled from source (whole or not at all; never throws). */
  writeCache(): void {
    const dir = this.#cache;
    if (!dir) return;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // whose chunks these are (#pruneInstalls)
      const source = join(dir, 'source');
      if (!existsSync(source)) writeFileSync(source, `${SOURCE_MARK}${this.#dir}\n`, { mode: 0o600 });
    } catch {
      return;
    }
    for (const { script, cacheFile, header } of this.#pending.splice(0)) {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        writeFileSync(tmp, Buffer.concat([Buffer.from(header, 'latin1'), script.createCachedData()]), {
          mode: 0o600,
        });
        renameSync(tmp, cacheFile);
      } catch {
        try {
          unlinkSync(tmp);
        } catch {}
      }
    }
    this.#prune(dir);
    this.#pruneInstalls(dir);
  }

  /**
   * Each install's chunks have a folder of their own (named by its path, which the folder's `source` file
   * holds): the folders of installs that are gone (a removed checkout, a temporary copy) are removed.
   */
  #pruneInstalls(dir: string): void {
    try {
      const root = join(dir, '..');
      for (const f of readdirSync(root)) {
        if (!/^[0-9a-f]{8}$/.test(f) || join(root, f) === dir) continue;
        let text: string;
        try {
          text = readFileSync(join(root, f, 'source'), 'utf8');
        } catch {
          continue; // not one of ours, or being made: never removed
        }
        const chunks = text.startsWith(SOURCE_MARK) ? text.slice(SOURCE_MARK.length).trim() : '';
        if (chunks && !existsSync(chunks)) rmSync(join(root, f), { recursive: true, force: true });
      }
    } catch {
      // another process pruning at the same time
    }
  }

  /** Removes the cache of chunks no longer in the chunks' directory (each build names its chunks anew). */
  #prune(dir: string): void {
    try {
      for (const f of readdirSync(dir)) {
        const chunk = /^([\w.-]+\.cjs)\.(?:[\w-]+\.){0,2}v[\d.]+\.bin$/.exec(f)?.[1];
        if (chunk && !existsSync(join(this.#dir, chunk))) unlinkSync(join(dir, f));
      }
    } catch {
      // another process pruning at the same time
    }
  }
}

/**
 * import() for our chunks' code: vm-compiled code cannot call Node's import() (Node 20 loses the
 * callback with a code cache), so the code that imports task modules calls this, which the loader
 * points at its own import() (a real ES module's). Unbundled (tests, tsc's output) it is import().
 */
export function installImport(fn: (url: string) => Promise<unknown>): void {
  (globalThis as Record<symbol, unknown>)[IMPORT] = fn;
}

/**
 * The process's loader, on a global: the bins require the loader's CommonJS build (dist/chunks/loader.cjs,
 * a CommonJS entry spares Node 20 its ES module loader) and dist/index.js requires the same file, but
 * tsc's ES module build of this file (dist/loader/chunks.js) is a second copy of it, which must find the
 * same loader for the library's classes to exist once. Keyed by the chunks' directory: another install in
 * the same process has its own.
 */
const CHUNKS = fileURLToPath(new URL('../chunks/', import.meta.url));
const SHARED = Symbol.for(`ccp4i2-ts.chunk-loader ${CHUNKS}`);

/** The chunk `name` of this package's dist/chunks, by the process's one loader (the classes exist once). */
export function loadChunk(name: string): Exports {
  const g = globalThis as Record<symbol, ChunkLoader | undefined>;
  let shared = g[SHARED];
  if (!shared) {
    shared = g[SHARED] = new ChunkLoader({
      directory: CHUNKS,
      profile: cacheProfile(name, process.argv.slice(2)),
    });
    installImport((url) => import(url));
    // Not module.enableCompileCache() as well (Node >= 22.1): measured, it cost i2run demo_copycell ~18 ms
    // on Node 22 for what is left outside the chunks (the bins' entries, the server's packages).
  }
  return shared.load(name);
}

import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheDirectory, cacheProfile } from '../../src/loader/chunks.js';

// The bundle's chunk loader (src/loader/chunks.ts, built to dist/loader/chunks.js: `npm test` builds
// first), run in fresh Node processes as the bins run it: V8 takes a code cache only from another process.
const LOAD = resolve(__dirname, 'fixtures/load.mjs');
const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

type Loaded = {
  value: unknown;
  stats: { loaded: string[]; cached: string[]; compiled: string[] };
  nodeRequired: string[];
};

function setup(chunks: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), 'chunk-loader-'));
  roots.push(root);
  const dir = join(root, 'chunks');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(chunks)) writeFileSync(join(dir, name), text);
  const cache = join(root, 'cache');
  const run = (name = 'a.cjs', nodeArgs: string[] = [], cacheDir = cache): Loaded => {
    const r = spawnSync(process.execPath, [...nodeArgs, LOAD, dir, name, cacheDir], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(''); // no warning of any kind
    return JSON.parse(r.stdout) as Loaded;
  };
  return { root, dir, cache, run };
}

const cacheFiles = (cache: string) =>
  existsSync(cache)
    ? readdirSync(cache).flatMap((d) =>
        readdirSync(join(cache, d))
          .filter((f) => f.endsWith('.bin'))
          .map((f) => join(cache, d, f)),
      )
    : [];

const A = `"use strict";\nconst b = require("./b.cjs");\nconst path = require("node:path");\nexports.value = b.twice(21) + path.sep;\n`;
const B = `"use strict";\nexports.twice = (n) => 2 * n;\n`;

describe('chunk loader', () => {
  it('compiles from source once, then from the code cache it wrote at exit; same exports', () => {
    const s = setup({ 'a.cjs': A, 'b.cjs': B });
    const first = s.run();
    expect(first.value).toBe('42/');
    expect(first.stats.compiled.sort()).toEqual(['a.cjs', 'b.cjs']);
    expect(first.stats.cached).toEqual([]);
    const files = cacheFiles(s.cache);
    expect(files).toHaveLength(2);
    for (const f of files) expect(statSync(f).mode & 0o777).toBe(0o600);
    const second = s.run();
    expect(second.value).toBe('42/');
    expect(second.stats.cached.sort()).toEqual(['a.cjs', 'b.cjs']);
    expect(second.stats.compiled).toEqual([]);
    expect(second.nodeRequired.some((f) => f.startsWith(s.dir))).toBe(false); // our loader, not Node's
  });

  it('never runs the cache of a chunk edited in place, even at the same length', () => {
    const s = setup({ 'a.cjs': A, 'b.cjs': B });
    s.run();
    writeFileSync(join(s.dir, 'b.cjs'), B.replace('2 * n', '3 * n')); // same length, same name
    const r = s.run();
    expect(r.value).toBe('63/');
    expect(r.stats.compiled).toEqual(['b.cjs']);
    expect(s.run().stats.cached.sort()).toEqual(['a.cjs', 'b.cjs']); // rewritten at exit
  });

  it("runs under other V8 flags keep their own cache: alternating runs never rewrite each other's", () => {
    const s = setup({ 'a.cjs': A, 'b.cjs': B });
    s.run();
    const plain = cacheFiles(s.cache).map((f) => [f, statSync(f).mtimeMs]);
    const flagged = s.run('a.cjs', ['--stack-size=900']);
    expect(flagged.stats.compiled.sort()).toEqual(['a.cjs', 'b.cjs']);
    expect(s.run('a.cjs', ['--stack-size=900']).stats.cached.sort()).toEqual(['a.cjs', 'b.cjs']);
    expect(s.run().stats.cached.sort()).toEqual(['a.cjs', 'b.cjs']);
    expect(cacheFiles(s.cache)).toHaveLength(4);
    for (const [f, t] of plain) expect(statSync(f as string).mtimeMs).toBe(t);
  });

  it('a damaged cache is refused by V8: compiled from source, right result, cache rewritten', () => {
    const s = setup({ 'a.cjs': A, 'b.cjs': B });
    s.run();
    for (const f of cacheFiles(s.cache)) {
      const data = readFileSync(f);
      for (let i = data.indexOf(10) + 1; i < data.length; i += 7) data[i] = (data[i]! + 1) & 255;
      writeFileSync(f, data);
    }
    const r = s.run();
    expect(r.value).toBe('42/');
    expect(r.stats.compiled.sort()).toEqual(['a.cjs', 'b.cjs']);
    expect(s.run().stats.cached.sort()).toEqual(['a.cjs', 'b.cjs']);
  });

  it('chunks that require each other get the exports made so far, as with Node', () => {
    const s = setup({
      'a.cjs': `"use strict";\nexports.early = 1;\nconst b = require("./b.cjs");\nexports.value = b.seen;\n`,
      'b.cjs': `"use strict";\nconst a = require("./a.cjs");\nexports.seen = JSON.stringify(a);\n`,
    });
    expect(s.run().value).toBe('{"early":1}');
    expect(s.run().value).toBe('{"early":1}');
  });

  it('a chunk that throws as it loads throws to its loader; the chunk is not kept half loaded', () => {
    const s = setup({
      'a.cjs': `"use strict";\nrequire("./b.cjs");\n`,
      'b.cjs': `"use strict";\nthrow new Error("b is broken");\n`,
    });
    expect(s.run().value).toBe('threw: b is broken');
  });

  it('code is strict where the chunk says so, as the bundle always does', () => {
    const s = setup({
      'a.cjs': `"use strict";\ntry { undeclared = 1; exports.value = 'sloppy'; } catch (e) { exports.value = e.name; }\n`,
    });
    expect(s.run().value).toBe('ReferenceError');
  });

  it('removes the cache of chunks that are gone (each build names its chunks anew)', () => {
    const s = setup({ 'a.cjs': A, 'b.cjs': B });
    s.run();
    const dir = readdirSync(s.cache)[0]!;
    const stale = join(s.cache, dir, `gone-Xy12.cjs.${process.version}.bin`);
    writeFileSync(stale, 'x');
    rmSync(join(s.dir, 'b.cjs'));
    writeFileSync(join(s.dir, 'b2.cjs'), B);
    writeFileSync(join(s.dir, 'a.cjs'), A.replace('./b.cjs', './b2.cjs'));
    s.run();
    const names = readdirSync(join(s.cache, dir)).sort();
    expect(names).toEqual([`a.cjs.${process.version}.bin`, `b2.cjs.${process.version}.bin`, 'source']);
  });

  it('removes the cache folders of installs that are gone, never a folder it did not make', () => {
    const a = setup({ 'a.cjs': A, 'b.cjs': B });
    const b = setup({ 'a.cjs': A, 'b.cjs': B });
    a.run();
    b.run('a.cjs', [], a.cache); // another install, the same cache
    const folders = () => readdirSync(a.cache).sort();
    expect(folders()).toHaveLength(2);
    const foreign = join(a.cache, 'deadbeef');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'source'), `${b.dir}-not-ours\n`); // no mark: not one of ours
    mkdirSync(join(a.cache, 'cafebabe')); // no source at all
    rmSync(b.dir, { recursive: true }); // the second install is removed
    writeFileSync(join(a.dir, 'c.cjs'), '"use strict";\nexports.value = 7;\n');
    expect(a.run('c.cjs').value).toBe(7); // a write: the cache is pruned
    expect(folders()).toHaveLength(3);
    expect(folders()).toContain('deadbeef');
    expect(folders()).toContain('cafebabe');
    expect(
      readFileSync(
        join(a.cache, folders().find((f) => !['deadbeef', 'cafebabe'].includes(f))!, 'source'),
        'utf8',
      ),
    ).toBe(`ccp4i2-ts chunk cache of ${a.dir}\n`);
  });

  it('without a cache directory it compiles every time and writes nothing', () => {
    const s = setup({ 'a.cjs': A, 'b.cjs': B });
    expect(s.run('a.cjs', [], '').stats.compiled.sort()).toEqual(['a.cjs', 'b.cjs']);
    expect(s.run('a.cjs', [], '').stats.compiled.sort()).toEqual(['a.cjs', 'b.cjs']);
    expect(existsSync(s.cache)).toBe(false);
  });

  it("with source maps enabled, chunks load through Node's require, which maps their stack traces", () => {
    // b.cjs line 2 is line 10 of b.ts
    const map = { version: 3, sources: ['b.ts'], names: [], mappings: ';AASA' };
    const s = setup({
      'a.cjs': `"use strict";\ntry { require("./b.cjs"); } catch (e) { exports.value = e.stack.split("\\n")[1].trim(); }\n`,
      'b.cjs': `"use strict";\nthrow new Error("boom");\n//# sourceMappingURL=b.cjs.map\n`,
      'b.cjs.map': JSON.stringify(map),
    });
    const r = s.run('a.cjs', ['--enable-source-maps']);
    expect(r.value).toMatch(/b\.ts:10:/);
    expect(r.stats.cached).toEqual([]);
    expect(r.stats.compiled).toEqual([]);
    expect(r.nodeRequired).toContain(join(s.dir, 'a.cjs'));
    expect(existsSync(s.cache)).toBe(false);
    // without: our loader, the chunk's own lines
    expect(s.run().value).toMatch(/b\.cjs:2:/);
  });
});

describe('the cache directory', () => {
  const base = () => {
    const root = mkdtempSync(join(tmpdir(), 'chunk-cache-'));
    roots.push(root);
    return root;
  };

  it("is off by CCP4I2_COMPILE_CACHE=0/off or Node's NODE_DISABLE_COMPILE_CACHE=1", () => {
    const root = base();
    expect(cacheDirectory({ CCP4I2_COMPILE_CACHE: '0', HOME: root })).toBeUndefined();
    expect(cacheDirectory({ CCP4I2_COMPILE_CACHE: 'off', HOME: root })).toBeUndefined();
    expect(cacheDirectory({ NODE_DISABLE_COMPILE_CACHE: '1', HOME: root })).toBeUndefined();
    expect(readdirSync(root)).toEqual([]);
  });

  it('is $XDG_CACHE_HOME or ~/.cache, then ccp4i2-ts/compile, made 0700', () => {
    const root = base();
    expect(cacheDirectory({ HOME: root })).toBe(join(root, '.cache/ccp4i2-ts/compile'));
    expect(statSync(join(root, '.cache/ccp4i2-ts/compile')).mode & 0o777).toBe(0o700);
    expect(cacheDirectory({ XDG_CACHE_HOME: join(root, 'xdg'), HOME: root })).toBe(
      join(root, 'xdg/ccp4i2-ts/compile'),
    );
    expect(cacheDirectory({ CCP4I2_COMPILE_CACHE: join(root, 'mine') })).toBe(join(root, 'mine'));
  });

  it('refuses a directory others can write, a link, or a file, and falls back to a private one in the temporary directory', () => {
    const root = base();
    const open = join(root, 'open');
    mkdirSync(open, { mode: 0o777 });
    chmodSync(open, 0o777);
    expect(cacheDirectory({ CCP4I2_COMPILE_CACHE: open })).toBeUndefined();
    const link = join(root, 'link');
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), link);
    expect(cacheDirectory({ CCP4I2_COMPILE_CACHE: link })).toBeUndefined();
    writeFileSync(join(root, 'file'), '');
    expect(cacheDirectory({ CCP4I2_COMPILE_CACHE: join(root, 'file') })).toBeUndefined();
    // a home whose .cache others can write: the private fallback
    mkdirSync(join(root, 'home/.cache/ccp4i2-ts/compile'), { recursive: true });
    chmodSync(join(root, 'home/.cache/ccp4i2-ts/compile'), 0o777);
    const fallback = cacheDirectory({ HOME: join(root, 'home') });
    expect(fallback).toBe(join(tmpdir(), `ccp4i2-ts-compile-${process.getuid!()}`));
    expect(statSync(fallback!).mode & 0o777).toBe(0o700);
  });
});

describe('cache profiles', () => {
  it("a bin's command word, help and dry runs each have their own; the library and the job runner one each", () => {
    expect(cacheProfile('cli-i2run.cjs', ['demo_copycell', '--HKLIN', 'x.mtz'])).toBe(
      'cli-i2run_demo_copycell',
    );
    expect(cacheProfile('cli-i2run.cjs', ['mtzdump', '--help'])).toBe('cli-i2run_mtzdump_help');
    expect(cacheProfile('cli-i2run.cjs', ['mtzdump', '--HKLIN', 'x', '--dry-run'])).toBe(
      'cli-i2run_mtzdump_dry',
    );
    expect(cacheProfile('cli-i2run.cjs', ['--help'])).toBe('cli-i2run_help');
    expect(cacheProfile('cli-i2run.cjs', ['--task-dir', '/a b/c', 'x'])).toBe('cli-i2run');
    expect(cacheProfile('cli-ccp4i2.cjs', ['mtz', 'info', 'f.mtz'])).toBe('cli-ccp4i2_mtz');
    expect(cacheProfile('cli-ccp4i2.cjs', ['../../x y', 'info'])).toBe('cli-ccp4i2_______x_y');
    expect(cacheProfile('lib.cjs', ['anything'])).toBe('lib');
    expect(cacheProfile('server-job-runner.cjs', ['--db', 'f'])).toBe('server-job-runner');
  });
});

describe('the built bins', () => {
  it('run the same from source and from their code cache; the cache is written once', () => {
    const root = mkdtempSync(join(tmpdir(), 'chunk-bins-'));
    roots.push(root);
    const mtz = resolve(__dirname, '../fixtures/data/gamma/merged_intensities_native.mtz');
    const bin = resolve(__dirname, '../../dist/bin/ccp4i2.cjs');
    const run = () =>
      spawnSync(process.execPath, [bin, 'mtz', 'info', mtz], {
        encoding: 'utf8',
        env: { ...process.env, CCP4I2_COMPILE_CACHE: join(root, 'cache') },
      });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    const files = cacheFiles(join(root, 'cache'));
    expect(files.length).toBeGreaterThan(2);
    const times = files.map((f) => statSync(f).mtimeMs);
    const second = run();
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe(first.stderr);
    expect(cacheFiles(join(root, 'cache')).map((f) => statSync(f).mtimeMs)).toEqual(times);
    for (const f of files) expect(f).toMatch(/\.cjs\.cli-ccp4i2_mtz\.v[\d.]+\.bin$/);
    // another kind of run keeps its own: what `mtz info` compiled stays as it was
    const other = spawnSync(process.execPath, [bin, '--version'], {
      encoding: 'utf8',
      env: { ...process.env, CCP4I2_COMPILE_CACHE: join(root, 'cache') },
    });
    expect(other.status, other.stderr).toBe(0);
    const now = cacheFiles(join(root, 'cache'));
    expect(now.filter((f) => /\.cli-ccp4i2\.v/.test(f)).length).toBeGreaterThan(0);
    expect(now.filter((f) => /\.cli-ccp4i2_mtz\./.test(f)).map((f) => statSync(f).mtimeMs)).toEqual(times);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

// Every entry point turns what escapes into one coded line and a documented status, never a stack trace
// (unless --debug): real child processes throughout.

const STACK = /^\s+at .+[:(]\d+:\d+\)?$/m;

function throwing(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const main = pathToFileURL(resolve(ROOT, 'dist/cli/main.js')).href;
  const r = spawnSync(
    process.execPath,
    [resolve(ROOT, 'test/fixtures/cli/throwing-cli.mjs'), main, ...args],
    { encoding: 'utf8', env },
  );
  return { status: r.status, stderr: r.stderr };
}

describe('runCli (ccp4i2 and i2run): unexpected exceptions', () => {
  for (const [command, text] of [
    ['sync', /TypeError: Cannot read properties of null/],
    ['timer', /RangeError: thrown in a timer/],
    ['reject', /Error: rejected and never handled/],
  ] as const)
    it(`${command}: exit 70 and one coded line; the stack only with --debug`, () => {
      const r = throwing([command]);
      expect(r.status).toBe(70);
      expect(r.stderr).toMatch(/^throwing: error: internal error \(please report\): /);
      expect(r.stderr).toMatch(text);
      expect(r.stderr).toContain('[Ccp4i2 1]');
      expect(r.stderr).not.toMatch(STACK);
      const d = throwing([command, '--debug']);
      expect(d.status).toBe(70);
      expect(d.stderr).toContain('[Ccp4i2 1]');
      expect(d.stderr).toMatch(STACK);
      const e = throwing([command], { ...process.env, CCP4I2_DEBUG: '1' });
      expect(e.stderr).toMatch(STACK);
    });

  it('ccp4i2 accepts --debug after its subcommand', () => {
    const r = runCli('ccp4i2', ['mtz', 'info', '/nonexistent.mtz', '--debug']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\[MtzReader 101\]/);
  });
});

/** A directory that is the cwd of nothing yet, and is removed once `fn` has started a process in it. */
function deletedDirectory(): string {
  const d = mkdtempSync(join(tmpdir(), 'ccp4i2-gone-'));
  rmdirSync(d);
  return d;
}

/** Runs a CLI whose working directory is deleted before it starts (sh cds there, removes it, execs node). */
function inDeletedCwd(bin: 'ccp4i2' | 'i2run', args: string[]) {
  const d = deletedDirectory();
  mkdirSync(d);
  const script = 'cd "$1" && rmdir "$1" && shift && exec "$@"';
  const r = spawnSync(
    '/bin/sh',
    ['-c', script, 'sh', d, process.execPath, resolve(ROOT, 'dist/cli', `${bin}.js`), ...args],
    {
      encoding: 'utf8',
    },
  );
  return { status: r.status, stderr: r.stderr };
}

describe('a working directory deleted under the command', () => {
  it('i2run: a coded error naming the problem (exit 2), no stack', () => {
    const r = inDeletedCwd('i2run', [
      'demo_copycell',
      '--HKLIN',
      resolve(ROOT, 'examples/merged_intensities_native.mtz'),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/i2run: error: the current working directory no longer exists.*\[Ccp4i2 2\]/);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('ccp4i2: the same', () => {
    const r = inDeletedCwd('ccp4i2', ['template', 'render', 'x.txt', '--def', 'y.def.xml']);
    expect(r.stderr).toMatch(/ccp4i2: error: the current working directory no longer exists.*\[Ccp4i2 2\]/);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.status).toBe(2);
  });
});

describe('i2run: an exception in a plugin timer while its program runs', () => {
  it('exit 70 with a coded line, and the program is stopped', async () => {
    const tasks = mkdtempSync(join(tmpdir(), 'ccp4i2-timebomb-'));
    writeFileSync(
      join(tasks, 'timebomb.def.xml'),
      `<?xml version='1.0'?>
<ccp4i2><ccp4i2_header><function>DEF</function><pluginName>timebomb</pluginName></ccp4i2_header>
<ccp4i2_body><container id="inputData"/><container id="outputData"/><container id="controlParameters"/></ccp4i2_body></ccp4i2>
`,
    );
    const dist = pathToFileURL(resolve(ROOT, 'dist/index.js')).href;
    writeFileSync(
      join(tasks, 'timebomb.mjs'),
      `import { CPluginScript } from ${JSON.stringify(dist)};
export default class timebomb extends CPluginScript {
  static TASKNAME = 'timebomb';
  static TASKCOMMAND = 'sh';
  makeCommandAndScript() {
    this.appendCommandLine('-c', 'echo $$ > prog.pid; exec sleep 30');
    setTimeout(() => { throw new TypeError('a bug in a plugin timer'); }, 500);
  }
}
`,
    );
    const cwd = mkdtempSync(join(tmpdir(), 'ccp4i2-timebomb-run-'));
    const r = runCli('i2run', ['--task-dir', tasks, 'timebomb'], { cwd });
    expect(r.status).toBe(70);
    expect(r.stderr).toMatch(
      /i2run: error: internal error \(please report\): TypeError: a bug in a plugin timer \[Ccp4i2 1\]/,
    );
    expect(r.stderr).not.toMatch(STACK);
    const pid = Number(readFileSync(join(cwd, 'i2run_projects/timebomb/CCP4_JOBS/job_1/prog.pid'), 'utf8'));
    expect(pid).toBeGreaterThan(1);
    const alive = () => {
      try {
        return !/^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
      } catch {
        return false;
      }
    };
    // SIGKILL is sent on the way out, but the kernel ends the process a moment later (seen under load):
    // wait a bounded time rather than sample once.
    for (const end = Date.now() + 5000; alive() && Date.now() < end; ) await sleep(20);
    expect(alive(), `program ${pid} outlived i2run`).toBe(false);
  });
});

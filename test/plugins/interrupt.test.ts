import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sendSignal } from '../../src/process/signal.js';
import { diagnosticCodes, isRunning, program, read, tempDir, waitFor } from './helpers.js';

// Ctrl-C at the library level, with a real SIGINT sent the way a terminal sends it: to the whole
// foreground process group of a Node program that runs a pipeline through the library (the built
// dist/, as an application uses it; `npm test` builds first).
const DIST = resolve(__dirname, '../../dist/index.js');

const APP = `
import { CPluginScript, TaskRegistry } from ${JSON.stringify(DIST)};
const [work, bin, mode] = process.argv.slice(2);
class Hang extends CPluginScript {
  static TASKNAME = 'hang';
  static TASKCOMMAND = 'hang';
  static ASYNCHRONOUS = true;
}
class InProcess extends CPluginScript {
  static TASKNAME = 'inprocess';
  async startProcess() { return CPluginScript.SUCCEEDED; }
}
class Pipe extends CPluginScript {
  static TASKNAME = 'pipe';
  async process() {
    if ((await this.runChild(this.makePluginObject('inprocess'))) !== 0) return CPluginScript.FAILED;
    const s = await this.runChild(this.makePluginObject('hang'));
    if (s !== 0) return s;
    return (await this.runChild(this.makePluginObject('inprocess')));
  }
}
const registry = new TaskRegistry();
registry.register({ taskName: 'hang', pluginClass: Hang });
registry.register({ taskName: 'inprocess', pluginClass: InProcess });
const pipe = new Pipe({ workDirectory: work, defFile: null, registry, programPath: [bin], forceKillAfterDelay: 300 });
if (mode === 'handled') process.on('SIGINT', () => pipe.cancel());
if (mode === 'exit') pipe.logLine.connect((l) => { if (l.text === 'started') process.exit(3); });
const status = await pipe.process();
console.log('status ' + status);
`;

function startApp(mode: 'default' | 'handled' | 'exit') {
  const root = tempDir();
  const bin = join(root, 'bin');
  // Ignores SIGINT and SIGTERM, as does the child it forks; records both pids.
  program(
    bin,
    'hang',
    "trap '' INT TERM\nsleep 1000 & echo $! >> pids.txt\necho $$ >> pids.txt\necho started\nwait",
    '/bin/bash',
  );
  const app = join(root, 'app.mjs');
  writeFileSync(app, APP);
  const work = join(root, 'job_1');
  // detached: the app leads its own process group, as a shell's foreground job does.
  const child = spawn(process.execPath, [app, work, bin, mode], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
    child.once('close', (code, signal) => r({ code, signal })),
  );
  const pidsFile = join(work, 'job_2', 'pids.txt');
  const pids = () => (existsSync(pidsFile) ? read(pidsFile).split('\n').filter(Boolean).map(Number) : []);
  return { work, child, exited, pids, out: () => stdout, err: () => stderr };
}

/** Ctrl-C: SIGINT to the app's whole process group. */
function ctrlC(child: ChildProcess) {
  sendSignal(-child.pid!, 'SIGINT');
}

describe.skipIf(!existsSync(DIST))('Ctrl-C during a pipeline, at the library level', () => {
  it('without a handler of the application: the jobs end INTERRUPTED, nothing survives, Node ends by SIGINT', async () => {
    const { work, child, exited, pids, out, err } = startApp('default');
    await waitFor(() => pids().length === 2, 20_000);
    ctrlC(child);
    const { code, signal } = await exited;
    expect(err()).toBe('');
    expect([code, signal]).toEqual([null, 'SIGINT']);
    expect(out()).toBe('status 2\n');
    expect(diagnosticCodes(join(work, 'job_2'))).toEqual(['CPluginScript:105']);
    expect(diagnosticCodes(work)).toEqual(['CPluginScript:114', 'CPluginScript:105']);
    expect(read(join(work, 'params.xml'))).toMatch(/<jobStatus>2<\/jobStatus>/);
    expect(read(join(work, 'job_2', 'params.xml'))).toMatch(/<jobStatus>2<\/jobStatus>/);
    expect(existsSync(join(work, 'job_3'))).toBe(false); // nothing started after the interrupt
    for (const pid of pids()) expect(isRunning(pid), `pid ${pid}`).toBe(false);
  });

  it("with the application's own handler (cancel()): it decides, and Node carries on to a normal exit", async () => {
    const { work, child, exited, pids, out, err } = startApp('handled');
    await waitFor(() => pids().length === 2, 20_000);
    ctrlC(child);
    const { code, signal } = await exited;
    expect(err()).toBe('');
    expect([code, signal]).toEqual([0, null]);
    expect(out()).toBe('status 2\n');
    expect(diagnosticCodes(join(work, 'job_2'))).toEqual(['CPluginScript:105']);
    expect(diagnosticCodes(work)).toEqual(['CPluginScript:114', 'CPluginScript:105']);
    for (const pid of pids()) expect(isRunning(pid), `pid ${pid}`).toBe(false);
  });

  it('an application that exits while a program runs (process.exit) leaves no process behind', async () => {
    const { child, exited, pids } = startApp('exit');
    const { code, signal } = await exited;
    expect([code, signal]).toEqual([3, null]);
    expect(pids()).toHaveLength(2);
    // SIGKILL is sent synchronously on the way out, but the kernel ends the processes a moment later
    // (seen under load): wait a bounded time rather than sample once.
    await waitFor(() => pids().every((pid) => !isRunning(pid)), 5_000).catch(() => undefined);
    for (const pid of pids()) expect(isRunning(pid), `pid ${pid}`).toBe(false);
    expect(child.exitCode).toBe(3);
  });
});

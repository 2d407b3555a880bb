import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CDataFile } from '../../src/data/index.js';
import { Severity } from '../../src/errors/severity.js';
import { CPluginScript, TASK_PATH_ENV, TaskRegistry } from '../../src/plugins/index.js';
import { ConcurrencyLimiter } from '../../src/process/index.js';
import { defFile, diagnosticCodes, program, read, tempDir } from './helpers.js';

const PLUGINS = resolve(__dirname, '../../src/plugins/index.js');

describe('task registry: task directories', () => {
  it("finds CCP4i2's layout <dir>/<task>/script/<task>.def.xml with a module exporting the class", async () => {
    const root = tempDir();
    const tasks = join(root, 'tasks');
    const script = join(tasks, 'hello', 'script');
    defFile(script, 'hello', { inputData: [['WHO', 'CString', '<default>world</default>']] });
    writeFileSync(
      join(script, 'hello.mjs'),
      [
        `import { CPluginScript } from ${JSON.stringify(PLUGINS)};`,
        'export default class hello extends CPluginScript {',
        "  static TASKNAME = 'hello';",
        "  static TASKCOMMAND = 'echo';",
        "  static COMLINETEMPLATE = '1 hello $WHO';",
        '}',
      ].join('\n'),
    );
    defFile(tasks, 'defonly', { inputData: [['X', 'CInt']] });
    mkdirSync(join(tasks, 'not-a-task'));
    const reg = new TaskRegistry();
    const found = await reg.addTaskPath(`${join(root, 'missing-is-an-error')}`).catch((e) => e);
    expect(found.code).toBe(115);
    const entries = await reg.addTaskPath(tasks);
    expect(entries.map((e) => [e.taskName, e.pluginClass?.name])).toEqual([
      ['defonly', undefined],
      ['hello', 'hello'],
    ]);
    expect(reg.names()).toEqual(['defonly', 'hello']);

    const parent = new CPluginScript({ workDirectory: join(root, 'job'), defFile: null, registry: reg });
    const child = parent.makePluginObject('hello');
    expect(child).toBeInstanceOf(CPluginScript);
    expect(await child.process()).toBe(CPluginScript.SUCCEEDED);
    expect(read(join(root, 'job', 'job_1', 'log.txt'))).toBe('hello world\n');
    // A def-only task is a plain CPluginScript with the def's container, and no program to run.
    const plain = parent.makePluginObject('defonly');
    expect(plain.inputData.find('X')?.className).toBe('CInt');
    expect(await plain.process()).toBe(CPluginScript.FAILED);
    expect(diagnosticCodes(plain.workDirectory)).toEqual(['CPluginScript:100']);
  });

  it('scans the directories of $CCP4I2_TASK_PATH by default', async () => {
    const root = tempDir();
    const [a, b] = [join(root, 'a'), join(root, 'b')];
    defFile(a, 'first', { inputData: [['X', 'CInt']] });
    defFile(b, 'second', { inputData: [['Y', 'CString']] });
    const saved = process.env[TASK_PATH_ENV];
    process.env[TASK_PATH_ENV] = `${a}:${b}`;
    try {
      const reg = new TaskRegistry();
      expect((await reg.addTaskPath()).map((e) => e.taskName)).toEqual(['first', 'second']);
      expect(reg.require('second').defFile).toBe(join(b, 'second.def.xml'));
    } finally {
      if (saved === undefined) delete process.env[TASK_PATH_ENV];
      else process.env[TASK_PATH_ENV] = saved;
    }
  });

  it('refuses a task module that exports no plugin class (115)', async () => {
    const root = tempDir();
    const script = join(root, 'bad', 'script');
    defFile(script, 'bad', {});
    writeFileSync(join(script, 'bad.mjs'), 'export const x = 1;\n');
    const err = await new TaskRegistry().addTaskDirectory(root).catch((e) => e);
    expect(err.code).toBe(115);
    expect(err.file).toBe(join(script, 'bad.mjs'));
  });
});

describe('running jobs through the concurrency limit', () => {
  it('queues sub-jobs beyond the limit; a pipeline running four at once never exceeds two', async () => {
    const root = tempDir();
    const bin = join(root, 'bin');
    const trace = join(root, 'trace.txt');
    // The first job waits (up to 10 s) until a second has started, so two overlap however loaded the
    // machine is; the limit must keep the others out.
    program(
      bin,
      'slow',
      `echo start >> ${trace}; i=0; while [ "$(grep -c start ${trace})" -lt 2 ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i+1)); done; sleep 0.1; echo end >> ${trace}`,
    );
    class Slow extends CPluginScript {
      static override TASKNAME = 'slow';
      static override TASKCOMMAND = 'slow';
    }
    class Fan extends CPluginScript {
      static override TASKNAME = 'fan';
      override async process(): Promise<number> {
        const kids = [1, 2, 3, 4].map(() => this.makePluginObject('slow'));
        const st = await Promise.all(kids.map((k) => this.runChild(k)));
        return st.every((s) => s === 0) ? CPluginScript.SUCCEEDED : CPluginScript.FAILED;
      }
    }
    const reg = new TaskRegistry();
    reg.register({ taskName: 'slow', pluginClass: Slow });
    const fan = new Fan({
      workDirectory: join(root, 'job'),
      defFile: null,
      registry: reg,
      programPath: [bin],
      limiter: new ConcurrencyLimiter(2),
    });
    expect(await fan.process()).toBe(0);
    let running = 0;
    let peak = 0;
    for (const l of read(trace).trim().split('\n')) {
      running += l === 'start' ? 1 : -1;
      peak = Math.max(peak, running);
    }
    expect(peak).toBe(2);
  });
});

describe('expected outputs', () => {
  /** A task whose program writes nothing; HKLOUT's qualifiers as given. */
  async function lazy(qualifiers?: string, hklout?: string) {
    const root = tempDir();
    const bin = join(root, 'bin');
    program(bin, 'lazy', 'echo did nothing');
    const def = defFile(root, 'lazy', { outputData: [['HKLOUT', 'CMtzDataFile', qualifiers]] });
    class Lazy extends CPluginScript {
      static override TASKNAME = 'lazy';
      static override TASKCOMMAND = 'lazy';
      static override DEF_FILE = def;
    }
    const job = join(root, 'job');
    const p = new Lazy({ workDirectory: job, programPath: [bin] });
    if (hklout) (p.outputData.find('HKLOUT') as CDataFile).setFullPath(join(root, hklout));
    return { p, job, root, status: await p.process() };
  }

  it('a required output the program did not create fails the job with 111 naming it', async () => {
    const { p, job, status } = await lazy('<allowUndefined>False</allowUndefined>');
    expect(status).toBe(CPluginScript.FAILED);
    expect(diagnosticCodes(job)).toEqual(['CPluginScript:111']);
    const e = p.errorReport.entries[0]!;
    expect(e.file).toBe(join(job, 'HKLOUT.mtz'));
    expect(e.objectPath).toBe('container.outputData.HKLOUT');
  });

  it('an output the caller named is expected too (111), optional or not', async () => {
    const { p, root, status } = await lazy(undefined, 'wanted.mtz');
    expect(status).toBe(CPluginScript.FAILED);
    expect(p.errorReport.entries.map((e) => [e.code, e.file])).toEqual([[111, join(root, 'wanted.mtz')]]);
  });

  it('an optional output the program did not create is left unset with warning 122; the job succeeds', async () => {
    const { p, job, status } = await lazy();
    expect(status).toBe(CPluginScript.SUCCEEDED);
    expect(p.outputData.find('HKLOUT')!.isSet()).toBe(false);
    expect(p.errorReport.entries.map((e) => [e.className, e.code, e.severity, e.objectPath, e.file])).toEqual(
      [['CPluginScript', 122, Severity.WARNING, 'container.outputData.HKLOUT', join(job, 'HKLOUT.mtz')]],
    );
    // params.xml records it unset (no path to a file that does not exist).
    expect(read(join(job, 'params.xml'))).not.toContain('HKLOUT.mtz');
  });
});

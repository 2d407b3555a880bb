import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileContext } from '../../src/data/index.js';
import type { FinishedPayload } from '../../src/object/index.js';
import { CPluginScript, type PluginOutputLine, PluginStatus } from '../../src/plugins/index.js';
import { ConcurrencyLimiter } from '../../src/process/index.js';
import { diagnosticCodes, isRunning, read, tempDir, waitFor } from './helpers.js';
import { pipelineFixture } from './pipeline-tasks.js';

for (const style of ['legacy callbacks', 'await'] as const) {
  describe(`pipeline written with ${style}`, () => {
    function make(modes: { MODE1?: string; MODE2?: string } = {}, extra: Record<string, unknown> = {}) {
      const root = tempDir();
      const fx = pipelineFixture(root);
      const Pipe = style === 'await' ? fx.AwaitPipe : fx.LegacyPipe;
      const work = join(root, 'project', 'job_1');
      const pipe = new Pipe({
        workDirectory: work,
        registry: fx.registry(Pipe),
        programPath: [fx.bin],
        forceKillAfterDelay: 200,
        ...extra,
      });
      fx.str(pipe, 'inputData.VALUE').set('x');
      if (modes.MODE1) fx.str(pipe, 'MODE1').set(modes.MODE1);
      if (modes.MODE2) fx.str(pipe, 'MODE2').set(modes.MODE2);
      const finished: FinishedPayload[] = [];
      pipe.finished.connect((p) => finished.push(p));
      return { root, fx, pipe, work, finished };
    }

    it('chains program, in-process and program sub-jobs in job_N directories', async () => {
      const { fx, pipe, work, finished } = make();
      const lines: PluginOutputLine[] = [];
      pipe.logLine.connect((l) => lines.push(l));
      const status = await pipe.process();
      expect(status).toBe(CPluginScript.SUCCEEDED);
      expect(finished).toEqual([{ finishStatus: 0, jobId: null }]);
      expect(fx.str(pipe, 'outputData.RESULT').value).toBe('X-DONE-done');
      const kids = pipe.children() as CPluginScript[];
      expect(kids.map((k) => [k.name, k.taskName, k.workDirectory, k.status])).toEqual([
        [`${pipe.name}_1`, 'step', join(work, 'job_1'), 0],
        [`${pipe.name}_2`, 'upper', join(work, 'job_2'), 0],
        [`${pipe.name}_3`, 'step', join(work, 'job_3'), 0],
      ]);
      expect(read(join(work, 'job_1', 'log.txt'))).toBe('step ok x\nRESULT x-done\n');
      expect(read(join(work, 'job_3', 'log.txt'))).toBe('step ok X-DONE\nRESULT X-DONE-done\n');
      for (const d of ['', 'job_1', 'job_2', 'job_3']) {
        expect(existsSync(join(work, d, 'params.xml')), d).toBe(true);
        expect(existsSync(join(work, d, 'input_params.xml')), d).toBe(true);
        expect(existsSync(join(work, d, 'diagnostic.xml')), d).toBe(false);
      }
      expect(read(join(work, 'params.xml'))).toContain('X-DONE-done');
      // Sub-jobs' output reaches the pipeline's followers, naming the job.
      expect(lines.map((l) => `${l.job.name}:${l.text}`)).toEqual([
        `${pipe.name}_1:step ok x`,
        `${pipe.name}_1:RESULT x-done`,
        `${pipe.name}_3:step ok X-DONE`,
        `${pipe.name}_3:RESULT X-DONE-done`,
      ]);
    });

    it("fails when a sub-job fails, with the sub-job's errors merged into diagnostic.xml", async () => {
      const { pipe, work, finished } = make({ MODE2: 'fail' });
      expect(await pipe.process()).toBe(CPluginScript.FAILED);
      expect(finished).toEqual([{ finishStatus: 1, jobId: null }]);
      expect(diagnosticCodes(join(work, 'job_3'))).toEqual(['CPluginScript:101']);
      expect(diagnosticCodes(work)).toEqual(['CPluginScript:114', 'CPluginScript:101']);
      const merged = pipe.errorReport.entries.find((e) => e.code === 101)!;
      expect(merged.details).toContain('last output line: stepper failed on X-DONE');
      expect(existsSync(join(work, 'job_2', 'diagnostic.xml'))).toBe(false);
    });

    it('cancel stops the running sub-job and its whole process tree, and ends INTERRUPTED', async () => {
      const { fx, pipe, work, finished } = make({ MODE1: 'hang' });
      pipe.logLine.connect((l) => {
        if (l.text === 'started') pipe.cancel();
      });
      expect(await pipe.process()).toBe(CPluginScript.INTERRUPTED);
      expect(finished).toEqual([{ finishStatus: 2, jobId: null }]);
      const kid = pipe.children()[0] as CPluginScript;
      expect(kid.status).toBe(PluginStatus.INTERRUPTED);
      expect(pipe.children()).toHaveLength(1); // nothing started after the cancel
      const pids = fx.recordedPids(work);
      expect(pids).toHaveLength(2);
      for (const pid of pids) expect(isRunning(pid), `pid ${pid}`).toBe(false);
      expect(diagnosticCodes(work)).toContain('CPluginScript:105');
      expect(existsSync(join(work, 'job_1', 'diagnostic.xml'))).toBe(true);
    });

    it('an AbortSignal cancels it the same way', async () => {
      const ac = new AbortController();
      const { fx, pipe, work } = make({ MODE2: 'hang' }, { cancelSignal: ac.signal });
      pipe.logLine.connect((l) => {
        if (l.text === 'started') ac.abort();
      });
      expect(await pipe.process()).toBe(CPluginScript.INTERRUPTED);
      expect(pipe.children().map((k) => (k as CPluginScript).status)).toEqual([0, 0, 2]);
      for (const pid of fx.recordedPids(work)) expect(isRunning(pid)).toBe(false);
    });

    it('its time limit stops everything and fails it with 103', async () => {
      // 2 s: long enough for the hanging step to have recorded its two processes, even under load.
      const { fx, pipe, work } = make({ MODE1: 'hang' }, { timeoutSeconds: 2 });
      expect(await pipe.process()).toBe(CPluginScript.FAILED);
      expect(diagnosticCodes(work)[0]).toBe('CPluginScript:103');
      expect((pipe.children()[0] as CPluginScript).status).toBe(CPluginScript.INTERRUPTED);
      expect(fx.recordedPids(work)).toHaveLength(2);
      for (const pid of fx.recordedPids(work)) expect(isRunning(pid)).toBe(false);
    });
  });
}

describe('legacy pipeline faults', () => {
  it('a pipeline whose process() returns without reporting, with nothing running, fails with 118', async () => {
    const root = tempDir();
    class Forgetful extends CPluginScript {
      static override TASKNAME = 'forgetful';
      override async process(): Promise<number> {
        return CPluginScript.RUNNING;
      }
    }
    const p = new Forgetful({ workDirectory: join(root, 'job'), defFile: null });
    expect(await p.process()).toBe(CPluginScript.FAILED);
    expect(diagnosticCodes(join(root, 'job'))).toEqual(['CPluginScript:118']);
  });

  it('an exception in a finished handler fails the pipeline with the exception (no lost error, no hang)', async () => {
    const root = tempDir();
    const fx = pipelineFixture(root);
    class Broken extends fx.LegacyPipe {
      override process_1() {
        this.makePluginObject('no_such_task');
      }
    }
    const p = new Broken({
      workDirectory: join(root, 'job'),
      registry: fx.registry(Broken),
      programPath: [fx.bin],
    });
    fx.str(p, 'inputData.VALUE').set('x');
    expect(await p.process()).toBe(CPluginScript.FAILED);
    const codes = diagnosticCodes(join(root, 'job'));
    expect(codes).toEqual(['CPluginScript:108']);
    expect(p.errorReport.entries[0]!.details).toBe('known tasks: pipe, step, upper');
  });

  it('finished fires exactly once, before process() resolves, for asynchronous, synchronous and in-process jobs', async () => {
    const root = tempDir();
    const fx = pipelineFixture(root);
    const reg = fx.registry(fx.AwaitPipe);
    class SyncStep extends fx.Step {
      static override ASYNCHRONOUS = false;
    }
    class EarlyReporter extends CPluginScript {
      static override TASKNAME = 'upper';
      // Reports by itself in a step and then also returns a status: still one finished.
      override async startProcess(): Promise<number> {
        await this.reportStatus(CPluginScript.SUCCEEDED);
        return CPluginScript.FAILED;
      }
    }
    const cases: [string, CPluginScript, string | null, number][] = [];
    let n = 0;
    const job = (cls: typeof CPluginScript) =>
      new cls({
        workDirectory: join(root, `job${++n}`),
        programPath: [fx.bin],
        registry: reg,
        defFile: reg.get(cls.TASKNAME!)!.defFile,
      });
    for (const [name, cls, mode, expected] of [
      ['async ok', fx.Step, 'ok', 0],
      ['async fail', fx.Step, 'fail', 1],
      ['sync ok', SyncStep, 'ok', 0],
      ['sync fail', SyncStep, 'fail', 1],
      ['in-process', fx.Upper, null, 0],
      ['reports early', EarlyReporter, null, 0],
    ] as const)
      cases.push([name, job(cls), mode, expected]);
    for (const [name, p, mode, expected] of cases) {
      fx.str(p, 'inputData.VALUE').set('v');
      if (mode) fx.str(p, 'MODE').set(mode);
      const seen: FinishedPayload[] = [];
      p.finished.connect((x) => seen.push(x));
      const status = await p.process();
      expect(seen, name).toEqual([{ finishStatus: expected, jobId: null }]);
      expect(status, name).toBe(expected);
      await p.reportStatus(CPluginScript.FAILED);
      await p.process();
      expect(seen, name).toHaveLength(1);
    }
  });

  it('checkInputData: an unset required input fails with 107 naming it, before anything runs', async () => {
    const root = tempDir();
    const fx = pipelineFixture(root);
    const job = join(root, 'job');
    const p = new fx.Step({ workDirectory: job, programPath: [fx.bin], registry: fx.registry(fx.AwaitPipe) });
    expect(await p.process()).toBe(CPluginScript.FAILED);
    const codes = diagnosticCodes(job);
    expect(codes.at(-1)).toBe('CPluginScript:107');
    expect(p.errorReport.entries.find((e) => e.code === 107)!.details).toContain('inputData.VALUE');
    expect(existsSync(join(job, 'log.txt'))).toBe(false);
    expect(p.processResult).toBeUndefined();
  });

  it('reportStatus twice emits finished once', async () => {
    const root = tempDir();
    const fx = pipelineFixture(root);
    const p = new fx.Upper({ workDirectory: join(root, 'job'), registry: fx.registry(fx.AwaitPipe) });
    let n = 0;
    p.finished.connect(() => n++);
    expect(await p.process()).toBe(0);
    await p.reportStatus(CPluginScript.FAILED);
    expect(n).toBe(1);
    expect(p.status).toBe(0);
  });

  it('a job cancelled before it starts ends INTERRUPTED without running anything', async () => {
    const root = tempDir();
    const fx = pipelineFixture(root);
    const p = new fx.Step({
      workDirectory: join(root, 'job'),
      programPath: [fx.bin],
      registry: fx.registry(fx.AwaitPipe),
    });
    fx.str(p, 'inputData.VALUE').set('x');
    p.cancel();
    expect(await p.process()).toBe(CPluginScript.INTERRUPTED);
    expect(existsSync(join(root, 'job', 'log.txt'))).toBe(false);
    expect(diagnosticCodes(join(root, 'job'))).toEqual(['CPluginScript:105']);
  });

  it('makePluginObject passes options on and numbers sub-jobs', () => {
    const root = tempDir();
    const fx = pipelineFixture(root);
    const reg = fx.registry(fx.AwaitPipe);
    const env = { EXTRA: '1' };
    const limiter = new ConcurrencyLimiter(3);
    const fileContext = { projectDirectory: root } as unknown as FileContext;
    const p = new fx.AwaitPipe({
      workDirectory: join(root, 'job'),
      registry: reg,
      programPath: [fx.bin],
      env,
      forceKillAfterDelay: 123,
      limiter,
      fileContext,
      timeoutSeconds: 50,
      jobId: 'parent-id',
    });
    const a = p.makePluginObject('step');
    // Every option given to makePluginObject reaches the sub-job, overriding what it would inherit.
    const ac = new AbortController();
    const env2 = { OTHER: '2' };
    const b = p.makePluginObject('upper', {
      timeoutSeconds: 5,
      env: env2,
      cancelSignal: ac.signal,
      jobId: 'child-id',
      programPath: ['/elsewhere'],
    });
    // Inherited: everything about how and where programs run.
    expect(a.options.programPath).toEqual([fx.bin]);
    expect(a.options.env).toBe(env);
    expect(a.options.forceKillAfterDelay).toBe(123);
    expect(a.options.limiter).toBe(limiter);
    expect(a.options.fileContext).toBe(fileContext);
    expect(a.container.fileContext).toBe(fileContext);
    expect(a.registry).toBe(reg);
    // Not inherited: the parent's own time limit (it covers its sub-jobs anyway) and identity.
    expect(a.options.timeoutSeconds).toBeUndefined();
    expect(a.jobId).toBeNull();
    expect(b.options.timeoutSeconds).toBe(5);
    expect(b.options.env).toBe(env2);
    expect(b.options.cancelSignal).toBe(ac.signal);
    expect(b.options.programPath).toEqual(['/elsewhere']);
    expect(b.options.forceKillAfterDelay).toBe(123);
    expect(b.jobId).toBe('child-id');
    ac.abort();
    expect(b.cancelled).toBe(true);
    expect([a.jobNumber, b.jobNumber]).toEqual(['1', '2']);
    expect(existsSync(join(root, 'job', 'job_2'))).toBe(true);
    const grandchild = a.makePluginObject('upper');
    expect(grandchild.workDirectory).toBe(join(root, 'job', 'job_1', 'job_1'));
    expect(grandchild.name).toBe(`${a.name}_1`);
    expect(grandchild.jobNumber).toBe('1.1');
  });
});

describe('pipeline slots connected directly to finished', () => {
  it('a throwing slot fails the parent pipeline with Signal 1 instead of stalling', async () => {
    const root = tempDir();
    const fx = pipelineFixture(root);
    class Direct extends CPluginScript {
      static override TASKNAME = 'pipe';
      override async process(): Promise<number> {
        const a = this.makePluginObject('upper');
        a.finished.connect(() => {
          throw new Error('slot bug');
        });
        a.process();
        return CPluginScript.RUNNING;
      }
    }
    const p = new Direct({ workDirectory: join(root, 'job'), registry: fx.registry(Direct) });
    expect(await p.process()).toBe(CPluginScript.FAILED);
    const e = p.errorReport.entries.find((x) => x.className === 'Signal')!;
    expect(e.details).toContain('slot bug');
    expect(diagnosticCodes(join(root, 'job'))).toEqual(['Signal:1']);
    expect(read(join(root, 'job', 'diagnostic.xml'))).not.toMatch(/\n\s+at .*:\d+:\d+/);
  });
});

describe('cancelling a pipeline with several sub-jobs running at once', () => {
  it('cancels every running sub-job (program and in-process), whole trees, and ends INTERRUPTED', async () => {
    const root = tempDir();
    const fx = pipelineFixture(root);
    class Fan extends CPluginScript {
      static override TASKNAME = 'pipe';
      override async process(): Promise<number> {
        const kids = ['a', 'b'].map((v) => {
          const k = this.makePluginObject('step');
          fx.str(k, 'inputData.VALUE').set(v);
          fx.str(k, 'MODE').set('hang');
          return k;
        });
        const st = await Promise.all(kids.map((k) => this.runChild(k)));
        return st.every((s) => s === 0) ? CPluginScript.SUCCEEDED : CPluginScript.INTERRUPTED;
      }
    }
    const p = new Fan({
      workDirectory: join(root, 'job'),
      registry: fx.registry(Fan),
      programPath: [fx.bin],
      forceKillAfterDelay: 200,
    });
    const done = p.process();
    await waitFor(() => fx.recordedPids(join(root, 'job')).length === 4);
    p.cancel();
    expect(await done).toBe(CPluginScript.INTERRUPTED);
    expect((p.children() as CPluginScript[]).map((k) => k.status)).toEqual([2, 2]);
    for (const pid of fx.recordedPids(join(root, 'job'))) expect(isRunning(pid), `pid ${pid}`).toBe(false);
    for (const d of ['job_1', 'job_2'])
      expect(diagnosticCodes(join(root, 'job', d))).toEqual(['CPluginScript:105']);
  });
});

describe('a pipeline that reports before its sub-jobs end', () => {
  it('stops the sub-jobs still running before it finishes: no process outlives it', async () => {
    const root = tempDir();
    const fx = pipelineFixture(root);
    class Parallel extends CPluginScript {
      static override TASKNAME = 'pipe';
      override async process(): Promise<number> {
        const slow = this.makePluginObject('step');
        fx.str(slow, 'inputData.VALUE').set('s');
        fx.str(slow, 'MODE').set('hang');
        const bad = this.makePluginObject('step');
        fx.str(bad, 'inputData.VALUE').set('b');
        fx.str(bad, 'MODE').set('fail');
        this.connectSignal(bad, 'finished', async (status: number) => {
          // Wait until the slow one has recorded its processes, then give up on the pipeline.
          await waitFor(() => fx.recordedPids(join(root, 'job')).length === 2);
          await this.reportStatus(status);
        });
        slow.process();
        bad.process();
        return CPluginScript.RUNNING;
      }
    }
    const p = new Parallel({
      workDirectory: join(root, 'job'),
      registry: fx.registry(Parallel),
      programPath: [fx.bin],
      forceKillAfterDelay: 200,
    });
    expect(await p.process()).toBe(CPluginScript.FAILED);
    const [slow, bad] = p.children() as CPluginScript[];
    expect(bad!.status).toBe(CPluginScript.FAILED);
    expect(slow!.status).toBe(CPluginScript.INTERRUPTED);
    for (const pid of fx.recordedPids(join(root, 'job'))) expect(isRunning(pid)).toBe(false);
  });
});

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CString } from '../../src/data/index.js';
import type { FinishedPayload } from '../../src/object/index.js';
import { CPluginScript, PluginStatus, TaskRegistry } from '../../src/plugins/index.js';
import { defFile, diagnosticCodes, isRunning, program, read, tempDir } from './helpers.js';

/** A wrapper for a stand-in program `copier`: reads its stdin script, copies XYZIN to XYZOUT, logs. */
function setup(body?: string) {
  const root = tempDir();
  const bin = join(root, 'bin');
  program(
    bin,
    'copier',
    body ??
      [
        'echo "args: $*"',
        'while read -r key value; do echo "got $key $value"; done',
        'cp "$1" "$2"',
        'echo "warning text" >&2',
      ].join('\n'),
  );
  const def = defFile(root, 'copier', {
    inputData: [
      ['XYZIN', 'CPdbDataFile', '<mustExist>True</mustExist>'],
      ['TITLE', 'CString'],
    ],
    outputData: [
      ['XYZOUT', 'CPdbDataFile'],
      ['UNUSED_REQUIRED', 'CString', '<allowUndefined>False</allowUndefined>'],
    ],
    controlParameters: [['NCYC', 'CInt', '<default>3</default>']],
  });
  const xyzin = join(root, 'in.pdb');
  writeFileSync(xyzin, 'CRYST1   10.000   20.000   30.000  90.00  90.00  90.00 P 1\nEND\n');
  const steps: string[] = [];
  class Copier extends CPluginScript {
    static override TASKNAME = 'copier';
    static override TASKCOMMAND = 'copier';
    static override COMTEMPLATE = '1 TITLE $TITLE\n1 NCYC $NCYC\n';
    static override COMLINETEMPLATE = '1 $XYZIN $XYZOUT';
    static override DEF_FILE = def;
    static override ERROR_CODES = { 201: { description: 'Copier output is empty' } };
    override checkOutputData() {
      steps.push('checkOutputData');
      super.checkOutputData();
    }
    override processInputFiles() {
      steps.push('processInputFiles');
    }
    override makeCommandAndScript() {
      steps.push('makeCommandAndScript');
      return super.makeCommandAndScript();
    }
    override async startProcess() {
      steps.push('startProcess');
      return super.startProcess();
    }
    override processOutputFiles() {
      steps.push('processOutputFiles');
      const out = this.outputData.find('XYZOUT') as unknown as { getFullPath(): string };
      if (read(out.getFullPath()).length === 0) {
        this.appendErrorReport(201);
        return CPluginScript.FAILED;
      }
    }
    override async reportStatus(s: number | FinishedPayload) {
      if (!this.isFinished) steps.push('reportStatus');
      return super.reportStatus(s);
    }
  }
  return { root, bin, xyzin, Copier, steps, def };
}

describe('CPluginScript wrapper: process() in CCP4i2 order', () => {
  it('runs the program in job_dir with com.txt on stdin and writes every job file', async () => {
    const { root, bin, xyzin, Copier, steps } = setup();
    const job = join(root, 'job');
    const p = new Copier({ workDirectory: job, programPath: [bin] });
    p.inputData.find('XYZIN')!.set(xyzin);
    (p.inputData.find('TITLE') as CString).set('a title');
    const payloads: FinishedPayload[] = [];
    p.finished.connect((x) => payloads.push(x));
    expect(p.status).toBeNull();
    const pending = p.process();
    expect(p.status).toBe(PluginStatus.RUNNING);
    const status = await pending;
    expect(status).toBe(CPluginScript.SUCCEEDED);
    expect(p.status).toBe(0);
    expect(payloads).toEqual([{ finishStatus: 0, jobId: null }]);
    expect(steps).toEqual([
      'checkOutputData',
      'processInputFiles',
      'makeCommandAndScript',
      'startProcess',
      'processOutputFiles',
      'reportStatus',
    ]);
    const xyzout = join(job, 'XYZOUT.pdb');
    expect(read(join(job, 'com.txt'))).toBe('TITLE "a title"\nNCYC 3\n');
    expect(read(join(job, 'log.txt'))).toBe(`args: ${xyzin} ${xyzout}\ngot TITLE "a title"\ngot NCYC 3\n`);
    expect(read(join(job, 'stderr.txt'))).toBe('warning text\n');
    expect(read(xyzout)).toBe(read(xyzin));
    // input_params.xml: the parameters as given, written before running (no default output path yet).
    const input = read(join(job, 'input_params.xml'));
    expect(input).toContain('<pluginName>copier</pluginName>');
    expect(input).toContain('a title');
    expect(input).toContain(`<baseName>in.pdb</baseName>\n        <relPath>${root}</relPath>`);
    expect(input).not.toContain('XYZOUT.pdb');
    expect(input).toMatch(/<jobStatus>5<\/jobStatus>/);
    const params = read(join(job, 'params.xml'));
    expect(params).toContain('<pluginName>copier</pluginName>');
    expect(params).toContain('XYZOUT.pdb');
    expect(params).toMatch(/<jobStatus>0<\/jobStatus>/);
    expect(existsSync(join(job, 'diagnostic.xml'))).toBe(false);
    expect(p.processResult?.exitCode).toBe(0);
    // A second process() does not run again.
    expect(await p.process()).toBe(0);
    expect(payloads).toHaveLength(1);
  });

  it('checks inputs only: a missing mustExist file fails with 107 before anything runs', async () => {
    const { root, bin, Copier, steps } = setup();
    const job = join(root, 'job');
    const p = new Copier({ workDirectory: job, programPath: [bin] });
    p.inputData.find('XYZIN')!.set(join(root, 'missing.pdb'));
    expect(await p.process()).toBe(CPluginScript.FAILED);
    expect(steps).toEqual(['reportStatus']);
    const codes = diagnosticCodes(job);
    expect(codes).toContain('CPdbDataFile:101');
    expect(codes).toContain('CPluginScript:107');
    // The unset required *output* is not an input error (the rewrite counted outputs too).
    expect(p.errorReport.entries.some((e) => e.objectPath.includes('UNUSED_REQUIRED'))).toBe(false);
    expect(existsSync(join(job, 'log.txt'))).toBe(false);
    expect(existsSync(join(job, 'params.xml'))).toBe(true);
  });

  it('fails with 102 naming the places searched when the program is not found', async () => {
    const { root, xyzin, Copier } = setup();
    const job = join(root, 'job');
    const p = new Copier({
      workDirectory: job,
      programPath: [join(root, 'nowhere')],
      env: { PATH: '/usr/bin' },
    });
    p.inputData.find('XYZIN')!.set(xyzin);
    expect(await p.process()).toBe(CPluginScript.FAILED);
    expect(diagnosticCodes(job)).toEqual(['CPluginScript:102']);
    expect(p.errorReport.entries[0]!.details).toContain(`not found in ${join(root, 'nowhere')}, /usr/bin`);
  });

  it('fails with 101 on a non-zero exit and 104 on a signal, with diagnostic.xml', async () => {
    for (const [body, code] of [
      ['echo failing >&2; exit 2', 101],
      ['kill -KILL $$', 104],
    ] as const) {
      const { root, bin, xyzin, Copier } = setup(body);
      const job = join(root, 'job');
      const p = new Copier({ workDirectory: job, programPath: [bin] });
      p.inputData.find('XYZIN')!.set(xyzin);
      expect(await p.process()).toBe(CPluginScript.FAILED);
      expect(diagnosticCodes(job)).toEqual([`CPluginScript:${code}`]);
      // diagnostic.xml holds the report itself: what happened, the exit code or signal, the log file.
      const diag = read(join(job, 'diagnostic.xml'));
      expect(diag).toContain(
        code === 101 ? 'exited with code 2; last output line: failing' : 'killed by SIGKILL',
      );
      expect(diag).toContain(`<file>${join(job, 'log.txt')}</file>`);
      expect(diag).not.toMatch(/\n\s+at .*:\d+:\d+/); // no stack trace
      expect(p.processResult?.[code === 101 ? 'exitCode' : 'signal']).toBe(code === 101 ? 2 : 'SIGKILL');
    }
  });

  it('an exception in processOutputFiles (reading an output the program did not create) fails with 113, no crash', async () => {
    const { root, bin, xyzin, Copier } = setup('cat > /dev/null; true');
    const job = join(root, 'job');
    const p = new Copier({ workDirectory: job, programPath: [bin] });
    p.inputData.find('XYZIN')!.set(xyzin);
    // processOutputFiles reads XYZOUT: it throws (ENOENT), an exception in plugin code (113).
    expect(await p.process()).toBe(CPluginScript.FAILED);
    expect(diagnosticCodes(job)).toEqual(['CPluginScript:113']);
    // The report names the file and quotes the error, without a stack trace.
    const e = p.errorReport.entries[0]!;
    expect(e.file).toBe(join(job, 'XYZOUT.pdb'));
    expect(e.details).toMatch(/^Error: ENOENT: no such file or directory/);
    expect(read(join(job, 'diagnostic.xml'))).not.toMatch(/\n\s+at .*:\d+:\d+/);
  });

  it("uses the task's own ERROR_CODES for its own failures", async () => {
    const { root, bin, xyzin, Copier } = setup('cat >/dev/null; : > "$2"');
    const job = join(root, 'job');
    const p = new Copier({ workDirectory: job, programPath: [bin] });
    p.inputData.find('XYZIN')!.set(xyzin);
    expect(await p.process()).toBe(CPluginScript.FAILED);
    const e = p.errorReport.entries.find((x) => x.code === 201)!;
    expect(e.className).toBe('Copier');
    expect(e.description).toBe('Copier output is empty');
    expect(diagnosticCodes(job)).toEqual(['Copier:201']);
  });

  it('fails with 110 when the command template cannot be rendered', async () => {
    const { root, bin, xyzin, def } = setup();
    class Bad extends CPluginScript {
      static override TASKNAME = 'copier';
      static override TASKCOMMAND = 'copier';
      static override COMTEMPLATE = '1 VALUE $NO_SUCH_PARAMETER\n';
      static override DEF_FILE = def;
    }
    const job = join(root, 'job');
    const p = new Bad({ workDirectory: job, programPath: [bin] });
    p.inputData.find('XYZIN')!.set(xyzin);
    expect(await p.process()).toBe(CPluginScript.FAILED);
    expect(diagnosticCodes(job)).toEqual(['CComTemplate:201', 'CPluginScript:110']);
  });

  it('fails with 100 when there is no TASKCOMMAND', async () => {
    const root = tempDir();
    const p = new CPluginScript({ workDirectory: join(root, 'job'), defFile: null });
    expect(await p.process()).toBe(CPluginScript.FAILED);
    expect(diagnosticCodes(join(root, 'job'))).toEqual(['CPluginScript:100']);
  });

  it('fails cleanly (no crash) when the job directory cannot be created', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'file'), '');
    const p = new CPluginScript({ workDirectory: join(root, 'file', 'job'), defFile: null });
    const payloads: FinishedPayload[] = [];
    p.finished.connect((x) => payloads.push(x));
    expect(await p.process()).toBe(CPluginScript.FAILED);
    expect(p.errorReport.entries.map((e) => e.code)).toContain(106);
    expect(payloads).toEqual([{ finishStatus: 1, jobId: null }]);
  });

  it('fails with 115 when the def file cannot be read, reporting at process()', async () => {
    const root = tempDir();
    const p = new CPluginScript({ workDirectory: join(root, 'job'), defFile: join(root, 'nope.def.xml') });
    expect(await p.process()).toBe(CPluginScript.FAILED);
    expect(diagnosticCodes(join(root, 'job'))).toContain('CPluginScript:115');
  });

  it('loads a params file given as paramsFile (CCP4i2 xmlFile) into the container', async () => {
    const { root, bin, xyzin, Copier } = setup();
    const first = new Copier({ workDirectory: join(root, 'a'), programPath: [bin] });
    first.inputData.find('XYZIN')!.set(xyzin);
    (first.inputData.find('TITLE') as CString).set('from params');
    first.saveParams();
    const second = new Copier({
      workDirectory: join(root, 'b'),
      programPath: [bin],
      paramsFile: join(root, 'a', 'params.xml'),
    });
    expect(await second.process()).toBe(0);
    expect(read(join(root, 'b', 'com.txt'))).toContain('TITLE "from params"');
  });

  it('registers tasks and finds their class and def file by name', () => {
    const { Copier, def } = setup();
    const reg = new TaskRegistry();
    reg.register({ taskName: 'copier', defFile: def, pluginClass: Copier });
    expect(reg.require('copier').pluginClass).toBe(Copier);
    expect(() => reg.require('nope')).toThrow(/unknown task 'nope'/);
    try {
      reg.require('nope');
    } catch (e) {
      expect((e as { code: number; details: string }).code).toBe(108);
      expect((e as { details: string }).details).toBe('known tasks: copier');
    }
    readFileSync(def);
  });
});

describe('CPluginScript wrapper: time limit and large output', () => {
  it('TIMEOUT_PERIOD stops a program tree that ignores SIGTERM and fails the job with 103', async () => {
    const root = tempDir();
    const bin = join(root, 'bin');
    program(
      bin,
      'stuck',
      "trap '' TERM\nsleep 1000 & echo $! > pids.txt\necho $$ >> pids.txt\nwait",
      '/bin/bash',
    );
    class Stuck extends CPluginScript {
      static override TASKNAME = 'stuck';
      static override TASKCOMMAND = 'stuck';
      // Long enough for the tree to exist even on a loaded machine (checked: two pids recorded).
      static override TIMEOUT_PERIOD = 2;
    }
    const job = join(root, 'job');
    const p = new Stuck({ workDirectory: job, defFile: null, programPath: [bin], forceKillAfterDelay: 200 });
    expect(await p.process()).toBe(CPluginScript.FAILED);
    expect(diagnosticCodes(job)).toEqual(['CPluginScript:103']);
    const pids = read(join(job, 'pids.txt')).trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(isRunning(pid)).toBe(false);
  });

  it('streams 100 MB of program output to log.txt, and to a follower line by line', async () => {
    const root = tempDir();
    const bin = join(root, 'bin');
    // 80-byte lines, like a program's log (the process layer's own test covers 2-byte lines).
    program(bin, 'chatty', 'yes "$(printf %079d 0)" | head -c 104857600');
    class Chatty extends CPluginScript {
      static override TASKNAME = 'chatty';
      static override TASKCOMMAND = 'chatty';
    }
    const quiet = new Chatty({ workDirectory: join(root, 'a'), defFile: null, programPath: [bin] });
    expect(await quiet.process()).toBe(0);
    expect(statSync(join(root, 'a', 'log.txt')).size).toBe(104857600);
    const followed = new Chatty({ workDirectory: join(root, 'b'), defFile: null, programPath: [bin] });
    let n = 0;
    followed.logLine.connect(() => {
      n++;
    });
    expect(await followed.process()).toBe(0);
    expect(n).toBe(104857600 / 80);
  });
});

describe('CPluginScript wrapper: job directory not writable', () => {
  it('fails with 106 and finished, without running the program or crashing', async () => {
    const { spawnSync } = await import('node:child_process');
    const { chmodSync, mkdirSync } = await import('node:fs');
    const root = tempDir();
    const bin = join(root, 'bin');
    const marker = join(root, 'ran');
    program(bin, 'toucher', `touch ${marker}`);
    class Toucher extends CPluginScript {
      static override TASKNAME = 'toucher';
      static override TASKCOMMAND = 'toucher';
    }
    let job = join(root, 'job');
    mkdirSync(job);
    chmodSync(job, 0o555);
    // root ignores permission bits: make the directory immutable, or else use sysfs, which no one can
    // write files into.
    const immutable = process.getuid?.() === 0 && spawnSync('chattr', ['+i', job]).status === 0;
    if (process.getuid?.() === 0 && !immutable) job = '/sys/kernel';
    try {
      const p = new Toucher({ workDirectory: job, defFile: null, programPath: [bin] });
      const seen: number[] = [];
      p.finished.connect((x) => seen.push(x.finishStatus));
      expect(await p.process()).toBe(CPluginScript.FAILED);
      expect(seen).toEqual([1]);
      expect(p.errorReport.entries.map((e) => `${e.className}:${e.code}`)).toContain('CPluginScript:106');
      for (const e of p.errorReport.entries) expect(e.details).not.toMatch(/\n\s+at /); // no stack trace
      expect(existsSync(marker)).toBe(false);
    } finally {
      if (immutable) spawnSync('chattr', ['-i', job]);
      if (job !== '/sys/kernel') chmodSync(job, 0o755);
    }
  });
});

describe('status codes (legacy CCP4i2 numbering)', () => {
  it('has SUCCEEDED 0, FAILED 1, INTERRUPTED 2, MARK_TO_DELETE 3, UNSATISFACTORY 4 and a RUNNING state', () => {
    expect([
      CPluginScript.SUCCEEDED,
      CPluginScript.FAILED,
      CPluginScript.INTERRUPTED,
      CPluginScript.MARK_TO_DELETE,
      CPluginScript.UNSATISFACTORY,
    ]).toEqual([0, 1, 2, 3, 4]);
    expect(PluginStatus.RUNNING).toBe(5);
  });

  it.each([
    [CPluginScript.UNSATISFACTORY, 4],
    [CPluginScript.MARK_TO_DELETE, 3],
    [PluginStatus.RUNNING, 1], // not a finish status: FAILED with 113
    [42, 1],
  ])(
    'a task ending with %i finishes with %i, in finished, process() and params.xml',
    async (returned, finish) => {
      const root = tempDir();
      class Ends extends CPluginScript {
        static override TASKNAME = 'ends';
        override async startProcess() {
          await this.reportStatus(returned);
          return returned;
        }
      }
      const job = join(root, 'job');
      const p = new Ends({ workDirectory: job, defFile: null });
      const seen: number[] = [];
      p.finished.connect((x) => seen.push(x.finishStatus));
      expect(await p.process()).toBe(finish);
      expect(seen).toEqual([finish]);
      expect(read(join(job, 'params.xml'))).toContain(`<jobStatus>${finish}</jobStatus>`);
      expect(existsSync(join(job, 'diagnostic.xml'))).toBe(finish === 1);
      if (finish === 1) expect(diagnosticCodes(job)).toEqual(['CPluginScript:113']);
    },
  );
});

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SlurmExecutor } from '../../src/jobs/executors/slurm.js';
import { sendSignal } from '../../src/process/signal.js';
import {
  BATCH_FILES,
  findJobcompRecord,
  jobResult,
  parseStatusFile,
  readStatusFile,
  SlurmMonitor,
  sbatchArgs,
  sbatchOptionArgs,
  writeBatchFiles,
} from '../../src/process/slurm/index.js';
import {
  parseSacct,
  parseScontrolJob,
  parseSlurmTime,
  parseSqueue,
} from '../../src/process/slurm/records.js';
import { watchStatusFile } from '../../src/process/slurm/status-watch.js';
import { outputPattern } from '../../src/process/slurm/submit.js';

// The SLURM client's parts that need no controller: option validation, SLURM's output formats (as the
// real 22.05 commands print them), the combination of SLURM's state and the status file, and the batch
// script itself run by bash as slurmstepd would run it.

const dir = (p: string) => mkdtempSync(join(tmpdir(), `${p} unit `));

describe('sbatch options', () => {
  it('typed options become single argv elements', () => {
    expect(
      sbatchOptionArgs({
        partition: 'gpu,cpu',
        timeLimit: 90.5,
        cpus: 4,
        memory: '4g',
        account: 'mx-1',
        jobName: 'job 7/x',
      }),
    ).toEqual([
      '--partition=gpu,cpu',
      '--time=91',
      '--cpus-per-task=4',
      '--mem=4G',
      '--account=mx-1',
      '--job-name=job_7_x',
    ]);
    expect(sbatchOptionArgs({ timeLimit: '1-12:00:00', memory: 2048 })).toEqual([
      '--time=1-12:00:00',
      '--mem=2048M',
    ]);
  });

  it.each([
    [{ partition: 'a b' }, 'slurm.partition'],
    [{ partition: '$(reboot)' }, 'slurm.partition'],
    [{ timeLimit: 0 }, 'slurm.timeLimit'],
    [{ timeLimit: 'soon' }, 'slurm.timeLimit'],
    [{ cpus: 1.5 }, 'slurm.cpus'],
    [{ memory: '4 GB' }, 'slurm.memory'],
    [{ account: 'a;b' }, 'slurm.account'],
    [{ extraArgs: ['-p', 'x'] }, 'slurm.extraArgs[0]'],
    [{ extraArgs: ['--qos=high', '--output=/etc/passwd'] }, 'slurm.extraArgs[1]'],
    [{ extraArgs: ['--wrap=rm -rf /'] }, 'slurm.extraArgs[0]'],
    [{ extraArgs: ['--partition=x'] }, 'slurm.extraArgs[0]'],
    [{ extraArgs: ['--comment=a\nb'] }, 'slurm.extraArgs[0]'],
  ])('%j is refused (101) naming the option', (opts, path) => {
    expect(() => sbatchOptionArgs(opts as never)).toThrow(
      expect.objectContaining({ code: 101, objectPath: path }),
    );
  });

  it('the full argv: parsable, no requeue, the job directory, the output pattern, then the script', () => {
    expect(sbatchArgs('/p/job 1', '/p/job 1/slurm.sh', { extraArgs: ['--exclusive'] })).toEqual([
      '--parsable',
      '--no-requeue',
      '--chdir=/p/job 1',
      '--output=/p/job 1/slurm-%j.out',
      '--exclusive',
      '/p/job 1/slurm.sh',
    ]);
    expect(outputPattern('/p/100%/j')).toBe('/p/100%%/j/slurm-%j.out');
    expect(outputPattern('/p/a\\b%')).toBe('/p/a\\b%/slurm.out');
  });
});

describe('SLURM output parsing', () => {
  it('squeue rows, with a reason holding spaces; junk lines skipped', () => {
    const rows = parseSqueue(
      '22|PENDING||N/A|ReqNodeNotAvail, UnavailableNodes:vm\n20|RUNNING|vm|2026-12-08T17:39:18|None\n' +
        '19|COMPLETED|vm|2026-12-07T17:39:18|None\nslurm_load_jobs error\n',
    );
    expect(rows).toEqual([
      {
        jobId: '22',
        state: 'PENDING',
        nodes: undefined,
        reason: 'ReqNodeNotAvail, UnavailableNodes:vm',
        source: 'squeue',
      },
      // a running job's end time is SLURM's expectation (its time limit): not kept
      { jobId: '20', state: 'RUNNING', nodes: 'vm', reason: 'None', source: 'squeue' },
      {
        jobId: '19',
        state: 'COMPLETED',
        nodes: 'vm',
        reason: 'None',
        endTime: new Date(2026, 11, 7, 17, 39, 18).getTime() / 1000,
        source: 'squeue',
      },
    ]);
  });

  it("SLURM's times: local time, as its commands print them; Unknown, N/A and junk are no time", () => {
    expect(parseSlurmTime('2026-12-07T17:39:18')).toBe(new Date(2026, 11, 7, 17, 39, 18).getTime() / 1000);
    for (const t of ['Unknown', 'N/A', 'None', '', '2026-12-07 17:39:18', '2026-12-07T17:39:18Z', undefined])
      expect(parseSlurmTime(t)).toBeUndefined();
  });

  it('scontrol -o show job and a jobcomp/filetxt line', () => {
    const line =
      'JobId=20 JobName=wrap UserId=root(0) JobState=CANCELLED Reason=None Dependency=(null) ExitCode=0:15 NodeList=vm WorkDir=/tmp/a b';
    expect(parseScontrolJob(line, '20')).toMatchObject({
      state: 'CANCELLED',
      exitCode: 0,
      exitSignal: 15,
      nodes: 'vm',
    });
    expect(parseScontrolJob(line, '2')).toBeUndefined();
    const ended = parseScontrolJob(`${line} EndTime=2026-12-07T17:39:18`, '20');
    expect(ended?.endTime).toBe(parseSlurmTime('2026-12-07T17:39:18'));
    const running = parseScontrolJob(
      'JobId=21 JobState=RUNNING ExitCode=0:0 NodeList=vm EndTime=2026-12-08T17:39:18',
      '21',
    );
    expect(running?.endTime).toBeUndefined();
    const file = join(dir('jobcomp'), 'jobcomp.txt');
    writeFileSync(
      file,
      'JobId=7 UserId=root(0) Name=wrap JobState=FAILED Partition=debug NodeList=vm ExitCode=2:0\n' +
        'JobId=77 UserId=root(0) Name=wrap JobState=COMPLETED NodeList=vm ExitCode=0:0\n' +
        'JobId=7 UserId=root(0) Name=wrap JobState=TIMEOUT NodeList=vm ExitCode=0:0\n',
    );
    expect(findJobcompRecord(file, '7')).toMatchObject({ state: 'TIMEOUT', source: 'jobcomp' });
    expect(findJobcompRecord(file, '77')).toMatchObject({ state: 'COMPLETED', exitCode: 0 });
    expect(findJobcompRecord(file, '8')).toBeUndefined();
    expect(findJobcompRecord('/nonexistent', '7')).toBeUndefined();
  });

  it('sacct -P lines', () => {
    expect(parseSacct('5|CANCELLED by 0|0:15\n', '5')).toMatchObject({ state: 'CANCELLED', exitSignal: 15 });
    expect(parseSacct('6|FAILED|1:0|2026-12-07T17:39:18\n', '6')?.endTime).toBe(
      parseSlurmTime('2026-12-07T17:39:18'),
    );
  });

  it('status files: only well-formed ones count', () => {
    expect(parseStatusFile('job=3\nnode=vm\nstate=ended\nexit=0\nreceived=\n')).toMatchObject({
      state: 'ended',
      exitCode: 0,
      received: undefined,
    });
    expect(parseStatusFile('')).toBeUndefined();
    expect(parseStatusFile('state=bogus\n')).toBeUndefined();
    expect(parseStatusFile('state=ended\nexit=-1\n')?.exitCode).toBeUndefined();
  });
});

describe('final outcome from SLURM and the status file', () => {
  const rec = (state: string, extra = {}) => ({ jobId: '9', state, source: 'squeue' as const, ...extra });
  const ended = (o: object) => ({ state: 'ended' as const, ...o });

  it.each([
    [rec('COMPLETED'), ended({ exitCode: 0 }), false, 'succeeded', undefined],
    [rec('FAILED'), ended({ exitCode: 2 }), false, 'failed', 106],
    [rec('FAILED'), ended({ signal: 11 }), false, 'signalled', 107],
    [rec('CANCELLED'), ended({ signal: 15, received: 'TERM' }), true, 'interrupted', 109],
    [rec('CANCELLED'), undefined, false, 'interrupted', 109],
    [rec('TIMEOUT'), ended({ signal: 15 }), false, 'timeout', 108],
    [rec('NODE_FAIL'), { state: 'running' as const, node: 'n1' }, false, 'failed', 110],
    [rec('OUT_OF_MEMORY'), ended({ signal: 9 }), false, 'failed', 110],
    [rec('COMPLETED'), undefined, false, 'failed', 111],
    [undefined, ended({ exitCode: 0 }), false, 'succeeded', undefined],
    [undefined, { state: 'running' as const }, false, 'failed', 111],
  ])('%j + %j (cancelled by us: %s) → %s %s', (slurm, status, ours, outcome, code) => {
    const r = jobResult('9', '/p/job', slurm, status, ours);
    expect(r.outcome).toBe(outcome);
    expect(r.error?.code).toBe(code);
    if (r.error)
      expect(r.error).toMatchObject({ className: 'SlurmClient', file: '/p/job', objectPath: 'SLURM job 9' });
  });
});

describe('the batch script, run by bash as on a node', () => {
  const bash = (cwd: string) =>
    spawnSync('bash', [BATCH_FILES.script], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, SLURM_JOB_ID: '42' },
    });

  it('runs the argv exactly (no shell interpretation) with the job’s stdin, stdout, stderr', () => {
    const d = join(dir('script'), "it's %j $HOME");
    const args = ['a b', '$(touch pwned)', '`id`', "'", '"', '\\', '*', ''];
    writeBatchFiles(d, {
      argv: ['/usr/bin/printf', '<%s>\\n', ...args],
      stdin: 'in.txt',
      stdout: 'o.txt',
      stderr: 'e.txt',
    });
    writeFileSync(join(d, 'in.txt'), '');
    const r = bash(d);
    expect(r.status).toBe(0);
    expect(readFileSync(join(d, 'o.txt'), 'utf8')).toBe(args.map((a) => `<${a}>\n`).join(''));
    const status = readStatusFile(d);
    expect(status).toMatchObject({ state: 'ended', exitCode: 0, job: '42', node: hostname().split('.')[0] });
    // bash's clock (no date process): epoch seconds of this run
    const now = Date.now() / 1000;
    expect(status?.start).toBeGreaterThan(now - 30);
    expect(status?.end).toBeGreaterThanOrEqual(status!.start!);
    expect(status?.end).toBeLessThanOrEqual(now + 1);
    expect(spawnSync('ls', [d], { encoding: 'utf8' }).stdout).not.toContain('pwned');
  });

  it('records a non-zero exit and a signal', () => {
    const d = dir('exit');
    writeBatchFiles(d, { argv: ['/bin/sh', '-c', 'echo e >&2; exit 7'] });
    expect(bash(d).status).toBe(7);
    expect(readStatusFile(d)).toMatchObject({ state: 'ended', exitCode: 7 });
    expect(readFileSync(join(d, 'stderr.txt'), 'utf8')).toBe('e\n');
    writeBatchFiles(d, { argv: ['/bin/sh', '-c', 'kill -USR1 $$'] });
    bash(d);
    expect(readStatusFile(d)).toMatchObject({ state: 'ended', signal: 10 });
  });

  it('SIGTERM to the script (scancel, time limit) reaches the command and is recorded', async () => {
    const d = dir('term');
    writeBatchFiles(d, { argv: ['sleep', '30'] });
    const child = spawn('bash', [BATCH_FILES.script], { cwd: d, stdio: 'ignore' });
    const closed = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
    for (let i = 0; i < 100 && readStatusFile(d)?.state !== 'running'; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(readStatusFile(d)?.state).toBe('running');
    expect(sendSignal(child.pid!, 'SIGTERM')).toBe(true);
    expect(await closed).toBe(143);
    expect(readStatusFile(d)).toMatchObject({ state: 'ended', signal: 15, received: 'TERM' });
  });

  it('an unreadable argv file is recorded, not a hang', () => {
    const d = dir('noargv');
    writeBatchFiles(d, { argv: ['true'] });
    writeFileSync(join(d, BATCH_FILES.argv), '');
    expect(bash(d).status).toBe(127);
    expect(readStatusFile(d)).toMatchObject({
      state: 'ended',
      exitCode: 127,
      error: 'cannot read slurm.argv',
    });
  });

  it('a job directory that cannot hold the files is error 105 naming it', () => {
    const file = join(dir('notdir'), 'a file');
    writeFileSync(file, '');
    expect(() => writeBatchFiles(join(file, 'job'), { argv: ['true'] })).toThrow(
      expect.objectContaining({ code: 105, file: join(file, 'job') }),
    );
    expect(() => writeBatchFiles(dir('nul'), { argv: ['a\0b'] })).toThrow(
      expect.objectContaining({ code: 101 }),
    );
  });
});

describe('status file watch: a job’s end seen before the next poll', () => {
  const ended = (d: string) => {
    writeBatchFiles(d, { argv: ['true'] });
    expect(spawnSync('bash', [BATCH_FILES.script], { cwd: d }).status).toBe(0);
  };

  it('watchStatusFile hears the batch script replace slurm.status; a missing directory is no error', async () => {
    const d = dir('watch');
    let heard = 0;
    const stop = watchStatusFile(d, () => heard++);
    ended(d);
    for (let i = 0; i < 100 && heard < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(heard).toBeGreaterThanOrEqual(2); // state=running, then the end
    stop();
    const before = heard;
    ended(d);
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toBe(before);
    expect(watchStatusFile(join(d, 'gone'), () => heard++)).toBeTypeOf('function');
  });

  it('a manual monitor asks its owner for a poll (onWake) when the file says the job ended; no SLURM call', async () => {
    const d = dir('wake');
    let woken = 0;
    const monitor = new SlurmMonitor({ manual: true, onWake: () => woken++ });
    try {
      monitor.follow({ jobId: '777', jobDirectory: d });
      ended(d);
      for (let i = 0; i < 100 && woken === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(woken).toBe(1);
      expect(monitor.stats).toMatchObject({ wakes: 1, squeueCalls: 0 });
    } finally {
      monitor.close();
    }
  });

  it('the slurm executor keeps a wake nobody heard for the next listener (the job service’s wait)', async () => {
    const d = dir('pending');
    const executor = new SlurmExecutor({ nodeCommand: ['node'] });
    try {
      executor.monitor.follow({ jobId: '778', jobDirectory: d });
      ended(d);
      for (let i = 0; i < 100 && executor.monitor.stats.wakes === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      let heard = 0;
      const off = executor.onWake(() => heard++);
      await new Promise((r) => setTimeout(r, 20));
      expect(heard).toBe(1);
      off();
      const again = executor.onWake(() => heard++);
      await new Promise((r) => setTimeout(r, 20));
      expect(heard).toBe(1); // told once only
      again();
    } finally {
      executor.close();
    }
  });
});

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MTZ, PDB } from '../db/helpers.js';
import { startServer, type TestServer, tempDir, until } from '../server/helpers.js';
import { SseClient } from '../server/sse-client.js';
import { holdSlurm, REPO, scontrolJob, slurmUp } from './helpers.js';

// The web server as the coordinator of SLURM jobs, against the real controller: jobs created through the
// API with `executor: 'slurm'` run on the node (`ccp4i2 run-prepared`, the built dist/), the server's
// refresh timer (one squeue per interval) records their states, and the SSE feeds push them.

const up = slurmUp();
const POLL_MS = 400;

/** squeue, counted: a wrapper that notes each call and runs the real one. */
function countingSqueue(dir: string): { path: string; calls(): number } {
  const log = join(dir, 'squeue-calls');
  writeFileSync(log, '');
  const path = join(dir, 'squeue');
  writeFileSync(path, '#!/bin/sh\necho x >> "$SQUEUE_CALLS"\nexec squeue "$@"\n');
  chmodSync(path, 0o755);
  return { path, calls: () => readFileSync(log, 'utf8').length / 2 };
}

function squeueState(jobId: string): string {
  return spawnSync('squeue', ['-h', '-j', jobId, '-o', '%T'], { encoding: 'utf8' }).stdout.trim();
}

describe.runIf(up)('server: jobs on SLURM', () => {
  let release = () => {};
  let s: TestServer;
  let dir: string;
  let squeue: ReturnType<typeof countingSqueue>;
  const clients: SseClient[] = [];
  /** SLURM ids submitted here: cancelled at the end whatever happened, so no test job outlives the file. */
  const submitted: string[] = [];

  const serverOptions = () => ({
    slurmPollMs: POLL_MS,
    executors: {
      slurm: {
        statusGraceMs: 3000,
        commands: { squeue: squeue.path },
        env: { ...process.env, SQUEUE_CALLS: join(dir, 'squeue-calls') },
      },
    },
  });

  beforeAll(async () => {
    release = await holdSlurm();
    dir = tempDir('ccp4i2 server slurm ');
    squeue = countingSqueue(dir);
    s = await startServer(serverOptions());
  }, 900_000);

  /** POSTs that may submit: their SLURM ids are remembered for the clean-up. */
  async function post(path: string, body: unknown) {
    const r = await s.json(path, { method: 'POST', body });
    const id = r.body?.externalId ?? r.body?.job?.externalId;
    if (typeof id === 'string') submitted.push(id);
    return r;
  }

  /** Jobs of every project still Queued or Running. */
  async function active(): Promise<number> {
    let n = 0;
    for (const p of (await s.json('/api/projects')).body.projects)
      n += (await s.json(`/api/projects/${p.id}/jobs`)).body.jobs.filter(
        (j: { status: number }) => j.status === 2 || j.status === 3,
      ).length;
    return n;
  }
  afterAll(async () => {
    for (const c of clients) await c.close();
    if (submitted.length) spawnSync('scancel', submitted);
    release();
  });

  function sse(path: string): SseClient {
    const c = new SseClient(s.base + path);
    clients.push(c);
    return c;
  }

  async function project(name: string): Promise<string> {
    const r = await s.json('/api/projects', { method: 'POST', body: { name } });
    expect(r.status).toBe(201);
    return r.body.id;
  }

  /** The statuses the project feed pushed for a job, in order, without repeats. */
  function statuses(feed: SseClient, jobId: string): number[] {
    const out: number[] = [];
    for (const e of feed.events) {
      const jobs = e.event === 'snapshot' ? e.json.jobs : e.event === 'job' ? [e.json] : [];
      for (const j of jobs) if (j.id === jobId && out.at(-1) !== j.status) out.push(j.status);
    }
    return out;
  }

  it('offers slurm beside local when sbatch is found', async () => {
    const r = await s.json('/api/executors');
    expect(r.body).toEqual({ executors: ['local', 'slurm'], default: 'local' });
  });

  it('demo_copycell through SLURM via the API: Queued then Finished pushed by SSE, output file present', {
    timeout: 120_000,
  }, async () => {
    const pid = await project('copycell');
    const feed = sse(`/api/projects/${pid}/events`);
    await feed.waitFor('snapshot', (e) => e.event === 'snapshot');
    const r = await post(`/api/projects/${pid}/jobs`, {
      taskName: 'demo_copycell',
      params: { 'inputData.HKLIN': MTZ, 'inputData.XYZIN': PDB },
      run: true,
      executor: 'slurm',
      slurm: { timeLimit: 5, cpus: 1, memory: '500M' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.statusName).toBe('Queued');
    expect(r.body.executor).toBe('slurm');
    expect(r.body.externalId).toMatch(/^\d+$/);
    const jobId = r.body.id;
    // SLURM was given the run's options.
    const sc = spawnSync('scontrol', ['-o', 'show', 'job', r.body.externalId], { encoding: 'utf8' }).stdout;
    expect(sc).toMatch(/TimeLimit=00:05:00/);

    await feed.waitFor(
      'Finished',
      (e) => e.event === 'job' && e.json.id === jobId && e.json.status === 6,
      90_000,
    );
    const seen = statuses(feed, jobId);
    expect(seen[0]).toBe(2);
    expect(seen.at(-1)).toBe(6);
    expect(seen.filter((x) => x !== 2 && x !== 3 && x !== 6)).toEqual([]);

    const job = (await s.json(`/api/jobs/${jobId}`)).body;
    expect(job.statusName).toBe('Finished');
    expect(job.executorState).toBeNull();
    const out = join(job.directory, 'XYZOUT.pdb');
    const files = (await s.json(`/api/jobs/${jobId}/files`)).body.directory.map(
      (f: { name: string }) => f.name,
    );
    expect(files).toContain('slurm.status');
    const pdb = files.find((f: string) => /\.pdb$/.test(f) && f !== 'gamma_model.pdb');
    expect(pdb, files.join(' ')).toBeDefined();
    const text = readFileSync(existsSync(out) ? out : join(job.directory, pdb), 'utf8');
    expect(text).toMatch(/^CRYST1 {3}34\.089 {3}54\.816 {3}68\.011/m);
  });

  it("a SLURM job's state goes Queued → Running → Finished by SSE; the job page's log stream carries its log", {
    timeout: 120_000,
  }, async () => {
    const pid = await project('sleeper');
    const feed = sse(`/api/projects/${pid}/events`);
    await feed.waitFor('snapshot', (e) => e.event === 'snapshot');
    const r = await post(`/api/projects/${pid}/jobs`, {
      taskName: 'test_sleeper',
      params: { 'controlParameters.STEPS': 30, 'controlParameters.DELAY': 0.1 },
      run: true,
      executor: 'slurm',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const jobId = r.body.id;
    const stream = sse(`/api/jobs/${jobId}/events`);
    // While it waits or runs, the job page shows SLURM's word on it (state, reason, node).
    const running = await feed.waitFor(
      'Running',
      (e) => e.event === 'job' && e.json.id === jobId && e.json.status === 3,
      60_000,
    );
    expect(running.json.executorState).toMatch(new RegExp(`^SLURM job ${r.body.externalId} RUNNING`));
    await stream.waitFor('log-end', (e) => e.event === 'log-end', 90_000);
    expect(statuses(feed, jobId)).toEqual([2, 3, 6]);

    const logged = stream
      .of('log')
      .map((e) => e.json.text)
      .join('');
    const job = (await s.json(`/api/jobs/${jobId}`)).body;
    expect(logged).toBe(readFileSync(join(job.directory, 'log.txt'), 'utf8'));
    const steps = [...logged.matchAll(/^ {2}(\d+) /gm)].map((m) => Number(m[1]));
    expect(steps).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(logged).toMatch(/test_sleeper: done/);
    // The live log came while it ran: log events before the stream's Finished job event.
    const firstLog = stream.events.findIndex((e) => e.event === 'log');
    const finished = stream.events.findIndex((e) => e.event === 'job' && e.json.status === 6);
    expect(firstLog).toBeGreaterThanOrEqual(0);
    expect(firstLog).toBeLessThan(finished);
    expect(stream.of('report').at(-1)?.json.final).toBe(true);
  });

  it("a job run with no executor named takes its project's defaults: SLURM, with the project's partition and time limit", {
    timeout: 120_000,
  }, async () => {
    const pid = await project('defaults');
    // set by an administrator with the CLI, in the server's database, while it runs
    const set = spawnSync(
      process.execPath,
      [
        join(REPO, 'dist/bin/ccp4i2.cjs'),
        'projects',
        'set',
        'defaults',
        '--executor',
        'slurm',
        '--slurm-partition',
        'short',
        '--slurm-time',
        '1',
        '--db',
        s.dbFile,
      ],
      { encoding: 'utf8' },
    );
    expect(set.status, set.stderr).toBe(0);
    const r = await post(`/api/projects/${pid}/jobs`, {
      taskName: 'test_sleeper',
      params: { 'controlParameters.STEPS': 2, 'controlParameters.DELAY': 0.1 },
      run: true,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ executor: 'slurm', statusName: 'Queued' });
    expect(scontrolJob(r.body.externalId)).toMatchObject({ Partition: 'short', TimeLimit: '00:01:00' });
    await until(
      'the job to finish',
      async () => (await s.json(`/api/jobs/${r.body.id}`)).body.statusName === 'Finished',
      90_000,
    );
    // a run naming its executor and options: those win over the project's
    const own = await post(`/api/projects/${pid}/jobs`, {
      taskName: 'test_sleeper',
      params: { 'controlParameters.STEPS': 1, 'controlParameters.DELAY': 0.1 },
      run: true,
      executor: 'slurm',
      slurm: { partition: 'debug', timeLimit: 3 },
    });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(scontrolJob(own.body.externalId)).toMatchObject({ Partition: 'debug', TimeLimit: '00:03:00' });
    const local = await post(`/api/projects/${pid}/jobs`, {
      taskName: 'test_sleeper',
      params: { 'controlParameters.STEPS': 1, 'controlParameters.DELAY': 0.1 },
      run: true,
      executor: 'local',
    });
    expect(local.status, JSON.stringify(local.body)).toBe(201);
    expect(local.body.executor).toBe('local');
    for (const id of [own.body.id, local.body.id])
      expect(
        await until(
          'the jobs to end',
          async () => {
            const name = (await s.json(`/api/jobs/${id}`)).body.statusName;
            return ['Finished', 'Failed', 'Interrupted'].includes(name) && name;
          },
          90_000,
        ),
      ).toBe('Finished');
  });

  it('cancel from the API calls scancel: the job ends Interrupted and leaves the queue', {
    timeout: 120_000,
  }, async () => {
    const pid = await project('cancel');
    const created = await post(`/api/projects/${pid}/jobs`, {
      taskName: 'test_sleeper',
      params: { 'controlParameters.STEPS': 100000 },
    });
    expect(created.body.statusName).toBe('Pending');
    const r = await post(`/api/jobs/${created.body.id}/run`, {
      executor: 'slurm',
      slurm: { timeLimit: '0:10:00' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const slurmId = r.body.externalId;
    await until('Running', async () => (await s.json(`/api/jobs/${r.body.id}`)).body.status === 3, 60_000);
    const job = (await s.json(`/api/jobs/${r.body.id}`)).body;
    await until(
      'a log line',
      () => {
        const log = join(job.directory, 'log.txt');
        return existsSync(log) && /^ {2}3 /m.test(readFileSync(log, 'utf8'));
      },
      30_000,
    );

    const c = await s.json(`/api/jobs/${r.body.id}/cancel`, { method: 'POST' });
    expect(c.status).toBe(200);
    expect(c.body.statusName).toBe('Interrupted');
    await until(
      'SLURM to end the job',
      () => !/PENDING|RUNNING|COMPLETING/.test(squeueState(slurmId)),
      30_000,
    );
    // Later refreshes keep it Interrupted (not the node's own view of its end).
    await sleep(POLL_MS * 4);
    expect((await s.json(`/api/jobs/${r.body.id}`)).body.statusName).toBe('Interrupted');
    expect((await s.json(`/api/jobs/${r.body.id}/cancel`, { method: 'POST' })).status).toBe(409);
  });

  it("a partition SLURM refuses: the job is Failed with SLURM's message, and the API says so", async () => {
    const pid = await project('badpartition');
    const r = await post(`/api/projects/${pid}/jobs`, {
      taskName: 'test_sleeper',
      run: true,
      executor: 'slurm',
      slurm: { partition: 'no_such_partition' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ class: 'SlurmClient', code: 103 });
    expect(r.body.error.message).toMatch(/invalid partition/i);
    expect(r.body.job.statusName).toBe('Failed');
    expect(r.body.job.diagnostic).toMatch(/slurm could not start the job: .*invalid partition/i);
    const jobs = (await s.json(`/api/projects/${pid}/jobs`)).body.jobs;
    expect(jobs.map((j: { statusName: string }) => j.statusName)).toEqual(['Failed']);
  });

  it('bad SLURM options and executors are a coded 400 naming the field; no job is made', async () => {
    const pid = await project('badoptions');
    const run = (body: Record<string, unknown>) =>
      post(`/api/projects/${pid}/jobs`, { taskName: 'test_sleeper', run: true, ...body });
    const cases: [Record<string, unknown>, RegExp, string][] = [
      [{ executor: 'slurm', slurm: { cpus: 0 } }, /cpus/, 'CServer'],
      [{ executor: 'slurm', slurm: { timeLimit: 'soon' } }, /time limit/i, 'SlurmClient'],
      [{ executor: 'slurm', slurm: { memory: '4 GB' } }, /memory/i, 'SlurmClient'],
      [{ executor: 'slurm', slurm: { partition: 'a;b' } }, /partition/i, 'SlurmClient'],
      [{ executor: 'slurm', slurm: { extraArgs: ['--chdir=/'] } }, /chdir/, 'SlurmClient'],
      [{ executor: 'slurm', slurm: { gpus: 1 } }, /additional properties/, 'CServer'],
      [{ executor: 'pbs' }, /executor/, 'CServer'],
      [{ executor: 'local', slurm: { cpus: 2 } }, /SLURM options/, 'CServer'],
      [{ run: false, executor: 'slurm' }, /run: true/, 'CServer'],
    ];
    for (const [body, message, cls] of cases) {
      const r = await run(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.class, JSON.stringify(r.body)).toBe(cls);
      expect(`${r.body.error.message} ${r.body.error.objectPath ?? ''}`).toMatch(message);
    }
    const time = await run({ executor: 'slurm', slurm: { timeLimit: 'soon' } });
    expect(time.body.error).toMatchObject({ code: 101, objectPath: 'slurm.timeLimit' });
    expect((await s.json(`/api/projects/${pid}/jobs`)).body.jobs).toEqual([]);
  });

  it('a restarted server re-attaches to the SLURM jobs in its database and follows them to the end', {
    timeout: 120_000,
  }, async () => {
    const pid = await project('restart');
    const r = await post(`/api/projects/${pid}/jobs`, {
      taskName: 'test_sleeper',
      params: { 'controlParameters.STEPS': 40, 'controlParameters.DELAY': 0.1 },
      run: true,
      executor: 'slurm',
    });
    expect(r.status).toBe(201);
    const projectsDir = join(r.body.directory, '../../..');
    for (const c of clients.splice(0)) await c.close();
    await s.close(); // jobs keep running (--on-exit keep)
    await sleep(500);
    s = await startServer({ ...serverOptions(), db: s.dbFile, projectsDir });
    const feed = sse(`/api/projects/${pid}/events`);
    await feed.waitFor(
      'Finished',
      (e) =>
        (e.event === 'snapshot' ? e.json.jobs : [e.json]).some(
          (j: { id: string; status: number }) => j.id === r.body.id && j.status === 6,
        ),
      90_000,
    );
    const job = (await s.json(`/api/jobs/${r.body.id}`)).body;
    expect(job.statusName).toBe('Finished');
    expect(readFileSync(join(job.directory, 'log.txt'), 'utf8')).toMatch(/^ {2}40 /m);
  });

  it('polls SLURM once per interval for all its jobs, and not at all without SLURM jobs', {
    timeout: 120_000,
  }, async () => {
    await until('no SLURM job of the earlier tests active', async () => (await active()) === 0, 60_000);
    await sleep(POLL_MS * 2);
    const idle = squeue.calls();
    await sleep(POLL_MS * 5);
    expect(squeue.calls()).toBe(idle);

    const pid = await project('batch');
    const t0 = Date.now();
    const before = squeue.calls();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await post(`/api/projects/${pid}/jobs`, {
        taskName: 'test_sleeper',
        params: { 'controlParameters.STEPS': 10, 'controlParameters.DELAY': 0.2 },
        run: true,
        executor: 'slurm',
      });
      ids.push(r.body.id);
    }
    await until(
      'all four Finished',
      async () => {
        const jobs = (await s.json(`/api/projects/${pid}/jobs`)).body.jobs as { status: number }[];
        return jobs.length === 4 && jobs.every((j) => j.status === 6);
      },
      90_000,
    );
    const calls = squeue.calls() - before;
    const intervals = (Date.now() - t0) / POLL_MS;
    console.info(`4 SLURM jobs: ${calls} squeue calls in ${intervals.toFixed(1)} poll intervals`);
    // One squeue per interval (plus one soon after each submission and one when each ends), never one per job.
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(Math.ceil(intervals) + 2 + 2 * ids.length);
    const after = squeue.calls();
    await sleep(POLL_MS * 5);
    expect(squeue.calls()).toBe(after);
  });
});

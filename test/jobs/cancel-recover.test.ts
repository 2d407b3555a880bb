import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobService, JobStatus, jobLeftovers, thisRunner } from '../../src/index.js';
import { readProc } from '../../src/process/proc-table.js';
import { sendSignal } from '../../src/process/signal.js';
import { tempDb, tempDir } from '../db/helpers.js';
import { sleeperRegistry, startRunner, treeProgram, until } from './helpers.js';

function project() {
  const dir = tempDir();
  const db = tempDb(dir);
  const p = db.projects.create('p', join(dir, 'p'));
  mkdirSync(p.directory);
  return { dir, db, project: p };
}

describe('cancel from another process', () => {
  it('stops the running job’s whole process tree and marks it Interrupted', async () => {
    const { dir, db, project: p } = project();
    const r = startRunner(db, p, treeProgram(dir));
    await r.started();
    await until('Running', () => db.jobs.get(r.job.id)!.status === JobStatus.RUNNING);
    const row = db.jobs.get(r.job.id)!;
    expect(row.pid).toBe(r.child.pid);
    expect(row.pidStartTime).toBe(readProc(r.child.pid!)!.startTime);
    expect(jobLeftovers(r.job.id).length).toBeGreaterThanOrEqual(3); // runner, program, children

    const service = new JobService({ db, registry: sleeperRegistry() });
    const after = await service.cancel(row);
    expect(after.status).toBe(JobStatus.INTERRUPTED);
    expect(await r.exited).not.toBe(0);
    expect(jobLeftovers(r.job.id)).toEqual([]);
    // the runner itself recorded the interruption (params.xml and diagnostic.xml written)
    expect(db.jobs.get(r.job.id)!.diagnostic).toMatch(/105/);

    // cancelling it again: a clear error, nothing changes
    await expect(service.cancel(after)).rejects.toMatchObject({ code: 12 });
    await expect(service.cancel(after)).rejects.toThrow(/already ended \(Interrupted\)/);
    expect(db.jobs.get(r.job.id)).toEqual(after);
  });
});

describe('crash recovery', () => {
  it('marks the job of a SIGKILLed runner Failed and stops what it left running', async () => {
    const { dir, db, project: p } = project();
    const r = startRunner(db, p, treeProgram(dir));
    await r.started();
    await until('Running', () => db.jobs.get(r.job.id)!.status === JobStatus.RUNNING);
    sendSignal(r.child.pid!, 'SIGKILL');
    await r.exited;
    // the program and its children survive the runner (they run in their own session)
    expect(jobLeftovers(r.job.id).length).toBeGreaterThanOrEqual(2);
    expect(db.jobs.get(r.job.id)!.status).toBe(JobStatus.RUNNING);

    const service = new JobService({ db, registry: sleeperRegistry() });
    const dead = await service.reconcile();
    expect(dead.map((d) => d.job.id)).toEqual([r.job.id]);
    const row = db.jobs.get(r.job.id)!;
    expect(row.status).toBe(JobStatus.FAILED);
    expect(row.diagnostic).toMatch(new RegExp(`runner \\(pid ${r.child.pid} on .*\\) died; last seen 20`));
    expect(jobLeftovers(r.job.id)).toEqual([]);
    expect(db.integrityCheck()).toBe('ok');
  });

  it('counts a live pid with another start time as gone, and leaves other hosts and executors alone', async () => {
    const { db, project: p } = project();
    const service = new JobService({ db, registry: sleeperRegistry() });
    const me = thisRunner();
    const mk = (fields: Parameters<typeof db.jobs.update>[1]) => {
      const j = service.createJob({ project: p, taskName: 'sleeper' });
      db.jobs.update(j.id, { status: JobStatus.RUNNING, started: new Date().toISOString(), ...fields });
      return j.id;
    };
    const reused = mk({ host: me.host, pid: process.ppid, pidStartTime: 12345 }); // alive, another start time
    const alive = mk({ host: me.host, pid: process.ppid, pidStartTime: readProc(process.ppid)!.startTime });
    const otherHost = mk({ host: 'elsewhere.example', pid: 4242, pidStartTime: 1 });
    const slurm = mk({ executor: 'slurm', externalId: '991', host: me.host, pid: 999_999, pidStartTime: 1 });
    const queued = mk({ status: JobStatus.QUEUED }); // no runner ever recorded
    const dead = await service.reconcile();
    expect(dead.map((d) => d.job.id).sort()).toEqual([reused, queued].sort());
    expect(db.jobs.get(reused)!.status).toBe(JobStatus.FAILED);
    expect(db.jobs.get(queued)!.diagnostic).toMatch(/never started/);
    for (const id of [alive, otherHost, slurm]) expect(db.jobs.get(id)!.status).toBe(JobStatus.RUNNING);
  });
});

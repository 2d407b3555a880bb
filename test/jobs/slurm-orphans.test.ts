import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobService, JobStatus, thisRunner } from '../../src/index.js';
import { sendSignal } from '../../src/process/signal.js';
import { tempDb, tempDir } from '../db/helpers.js';
import { sleeperRegistry, until } from './helpers.js';

// A SLURM job whose coordinator died during sbatch has no SLURM id in the database. Recovery finds it
// again by what the node wrote (slurm.status) or by its job directory in SLURM's queue (each job runs in
// its own: sbatch --chdir), and follows it; only a job SLURM does not know is failed, and nothing is judged
// while SLURM cannot be asked. SLURM's queue here is a FAKE squeue printing what each case needs; the
// same recovery against the real controller: test/slurm/orphans.test.ts.

const FAKE_SQUEUE = resolve(__dirname, '../fixtures/slurm/FAKE-squeue');

/** A pid that no process has now (a child that has exited). */
function deadPid(): number {
  const r = spawnSync('true');
  return r.pid!;
}

function setup(
  queue: (dirs: string[]) => { output?: string; error?: string; exit?: number; sleep?: number },
  n: number,
  squeue = FAKE_SQUEUE,
) {
  const dir = tempDir('ccp4i2 orphans ');
  const db = tempDb(dir);
  const project = db.projects.create('p', join(dir, 'my project'));
  mkdirSync(project.directory);
  const me = thisRunner();
  const jobs = Array.from({ length: n }, () => {
    const bare = new JobService({ db, registry: sleeperRegistry() });
    const j = bare.createJob({ project, taskName: 'sleeper' });
    // as JobService.start leaves it during sbatch, its coordinator (this host) since gone
    db.jobs.update(j.id, {
      executor: 'slurm',
      status: JobStatus.QUEUED,
      externalId: null,
      host: me.host,
      pid: deadPid(),
      pidStartTime: 1,
    });
    return db.jobs.get(j.id)!;
  });
  const q = queue(jobs.map((j) => j.directory));
  const env = {
    ...process.env,
    FAKE_SQUEUE_OUTPUT: q.output ?? '',
    FAKE_SQUEUE_ERROR: q.error ?? '',
    FAKE_SQUEUE_EXIT: String(q.exit ?? 0),
    FAKE_SQUEUE_LOG: join(dir, 'squeue-calls'),
    FAKE_SQUEUE_SLEEP: q.sleep === undefined ? '' : String(q.sleep),
  };
  const service = new JobService({
    db,
    registry: sleeperRegistry(),
    executorOptions: { slurm: { commands: { squeue }, env } },
  });
  const calls = () => readFileSync(env.FAKE_SQUEUE_LOG, 'utf8').split('\n').filter(Boolean).length;
  return { db, jobs, service, calls, dir };
}

describe('recovery of SLURM jobs whose coordinator died during sbatch', () => {
  it('found again by the id in slurm.status, or the one SLURM job in the job directory: its id recorded, so it is followed', async () => {
    const s = setup((dirs) => ({ output: `4711|${dirs[1]}\n4712|/elsewhere/job_9\n` }), 2);
    writeFileSync(join(s.jobs[0]!.directory, 'slurm.status'), 'job=4700\nnode=n1\nstart=1\nstate=running\n');
    try {
      expect(await s.service.reconcile()).toEqual([]);
      expect(s.db.jobs.get(s.jobs[0]!.id)).toMatchObject({ status: JobStatus.QUEUED, externalId: '4700' });
      expect(s.db.jobs.get(s.jobs[1]!.id)).toMatchObject({ status: JobStatus.QUEUED, externalId: '4711' });
    } finally {
      s.service.close();
    }
  });

  it('failed when SLURM has no job in its directory, or several; the diagnostic says which', async () => {
    const s = setup((dirs) => ({ output: `12|${dirs[1]}\n13|${dirs[1]}/\n` }), 2);
    try {
      const dead = await s.service.reconcile();
      expect(dead.map((d) => d.job.id).sort()).toEqual(s.jobs.map((j) => j.id).sort());
      const [none, two] = s.jobs.map((j) => s.db.jobs.get(j.id)!);
      expect(none).toMatchObject({ status: JobStatus.FAILED, externalId: null });
      expect(none!.diagnostic).toMatch(
        /died while submitting it to SLURM, before SLURM's job id was recorded; SLURM has no job in its directory/,
      );
      expect(two).toMatchObject({ status: JobStatus.FAILED, externalId: null });
      expect(two!.diagnostic).toMatch(/SLURM has 2 jobs in its directory \(12, 13\)/);
      expect(s.calls()).toBe(1); // one squeue for recover and reconcile
    } finally {
      s.service.close();
    }
  });

  it('one squeue for recover and reconcile, even when it answers slowly', async () => {
    const s = setup(() => ({ sleep: 1.3 }), 1);
    try {
      expect((await s.service.reconcile()).map((d) => d.job.id)).toEqual([s.jobs[0]!.id]);
      expect(s.calls()).toBe(1);
    } finally {
      s.service.close();
    }
  });

  it('not judged while an sbatch given its directory still runs (its coordinator killed mid-submission)', async () => {
    const s = setup(() => ({}), 1);
    // A process with `--chdir=DIR` among its arguments, as the coordinator's sbatch has.
    const sbatch = spawn(
      process.execPath,
      ['-e', 'setTimeout(() => {}, 60000)', `--chdir=${s.jobs[0]!.directory}`],
      {
        stdio: 'ignore',
      },
    );
    try {
      await until('the sbatch to start', () => {
        try {
          return readFileSync(`/proc/${sbatch.pid}/cmdline`, 'latin1').includes('--chdir=');
        } catch {
          return false;
        }
      });
      expect(await s.service.reconcile()).toEqual([]);
      expect(s.db.jobs.get(s.jobs[0]!.id)).toMatchObject({ status: JobStatus.QUEUED, externalId: null });
      expect(existsSync(join(s.dir, 'squeue-calls'))).toBe(false); // SLURM not even asked
    } finally {
      sendSignal(sbatch.pid!, 'SIGKILL');
    }
    await new Promise((r) => sbatch.once('exit', r));
    try {
      // sbatch has ended without queueing it: now it is judged
      expect((await s.service.reconcile()).map((d) => d.job.id)).toEqual([s.jobs[0]!.id]);
    } finally {
      s.service.close();
    }
  });

  it("failed when SLURM's commands are gone from this host: nothing here can follow them", async () => {
    const s = setup(() => ({}), 1, join(tempDir(), 'no-squeue-here'));
    try {
      expect((await s.service.reconcile()).map((d) => d.job.id)).toEqual([s.jobs[0]!.id]);
      expect(s.db.jobs.get(s.jobs[0]!.id)!.diagnostic).toMatch(
        /died while submitting it to SLURM, before SLURM's job id was recorded; .*squeue not found .*\[SlurmClient 102\]/,
      );
    } finally {
      s.service.close();
    }
  });

  it('left as they are while SLURM cannot be asked (slurmctld down)', async () => {
    const s = setup(
      () => ({ error: 'squeue: error: Unable to contact slurm controller (connect failure)', exit: 1 }),
      1,
    );
    try {
      expect(await s.service.reconcile()).toEqual([]);
      expect(s.db.jobs.get(s.jobs[0]!.id)).toMatchObject({ status: JobStatus.QUEUED, externalId: null });
    } finally {
      s.service.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { startServer, until } from './helpers.js';

// Executor choice without SLURM: a server that does not offer slurm refuses it with a coded 400 before
// anything is made. (Runs on SLURM are tested against the real controller in test/slurm/server.test.ts.)

describe('server executors', () => {
  it('lists what it offers, refuses an executor it does not offer, and runs local by default', async () => {
    const s = await startServer({ executors: { available: ['local'] } });
    expect((await s.json('/api/executors')).body).toEqual({ executors: ['local'], default: 'local' });
    const p = (await s.json('/api/projects', { method: 'POST', body: { name: 'x' } })).body;
    const body = { taskName: 'test_sleeper', params: { 'controlParameters.STEPS': 1 } };
    const bad = await s.json(`/api/projects/${p.id}/jobs`, {
      method: 'POST',
      body: { ...body, run: true, executor: 'slurm', slurm: { cpus: 2 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ class: 'CServer', code: 1, objectPath: 'executor' });
    expect(bad.body.error.message).toMatch(/executor 'slurm' is not available on this server/);
    expect((await s.json(`/api/projects/${p.id}/jobs`)).body.jobs).toEqual([]);

    const pending = await s.json(`/api/projects/${p.id}/jobs`, { method: 'POST', body });
    expect(pending.status).toBe(201);
    const run = `/api/jobs/${pending.body.id}/run`;
    for (const b of [{ executor: 'slurm' }, { executor: 'nope' }, { slurm: { cpus: 1 } }, { other: 1 }]) {
      const r = await s.json(run, { method: 'POST', body: b });
      expect(r.status, JSON.stringify(b)).toBe(400);
      expect(r.body.error.class).toBe('CServer');
    }
    const ok = await s.json(run, { method: 'POST', body: {} });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ executor: 'local', externalId: null, executorState: null });
    // Jobs outlive the server by design: let this one end before the test removes its directories
    // (a runner left behind in deleted directories is a process leaked by the test run).
    const end = await until('the job to end', async () => {
      const j = await s.json(`/api/jobs/${pending.body.id}`);
      return [4, 5, 6].includes(j.body.status) ? j.body : undefined;
    });
    expect(end.status).toBe(6);
  });

  it('refuses to start with a default executor it cannot offer', async () => {
    await expect(
      startServer({ executors: { available: ['local'], defaultExecutor: 'slurm' } }),
    ).rejects.toMatchObject({ className: 'CServer', code: 1 });
  });
});

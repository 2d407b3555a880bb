import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser, uploadCopycellFiles } from '../e2e/browser.js';
import { startServer, type TestServer } from '../server/helpers.js';
import { holdSlurm, scontrolJob, slurmUp } from './helpers.js';

// The browser UI with SLURM: Debian's Chromium (playwright-core) fills the demo_copycell form, chooses the
// SLURM executor and its options, runs it, and sees the job finish on the job page without a reload.

const up = slurmUp() && browserAvailable();

const text = async (l: { textContent(): Promise<string | null> }) => (await l.textContent()) ?? '';

describe.runIf(up)('browser UI: a job on SLURM (Chromium)', () => {
  let release = () => {};
  let s: TestServer;
  let context: BrowserContext;
  let close: () => Promise<void>;

  beforeAll(async () => {
    release = await holdSlurm();
    s = await startServer({
      uiDirectory: undefined,
      slurmPollMs: 500,
      executors: { slurm: { statusGraceMs: 3000 } },
    });
    ({ context, close } = await launchBrowser());
  }, 900_000);
  afterAll(async () => {
    await close?.();
    release();
  });

  it('starts demo_copycell on SLURM from the form and sees it finish without a reload', {
    timeout: 120_000,
  }, async () => {
    const p = (await s.json('/api/projects', { method: 'POST', body: { name: 'e2e_slurm' } })).body;
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${s.base}/projects/${p.id}/new/demo_copycell`);
    await uploadCopycellFiles(page);

    // SLURM is offered (sbatch is on this machine); its options show once it is chosen.
    await page.getByLabel('Executor').selectOption('slurm');
    await page.getByLabel('Time limit').fill('7');
    await page.getByLabel('CPUs').fill('1');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}\?tab=log$/);
    await page.evaluate(() => {
      (globalThis as unknown as { marker: number }).marker = 42;
    });

    const executor = page.getByTestId('executor');
    await expect.poll(() => text(executor), { timeout: 20_000 }).toMatch(/^slurm job \d+$/);
    const slurmId = /(\d+)$/.exec(await text(executor))![1]!;
    expect(scontrolJob(slurmId).TimeLimit).toBe('00:07:00');

    await page.locator('h1').getByText('Finished').waitFor({ timeout: 90_000 });
    expect(await page.evaluate(() => (globalThis as unknown as { marker: number }).marker)).toBe(42);
    expect(await text(page.getByTestId('log'))).toMatch(/\S/);
    const jid = /jobs\/([0-9a-f-]{36})/.exec(page.url())![1];
    const job = (await s.json(`/api/jobs/${jid}`)).body;
    expect(job).toMatchObject({ statusName: 'Finished', executor: 'slurm', externalId: slurmId });
    await page.getByRole('tab', { name: 'Report' }).click();
    expect(await text(page.getByLabel('Key values'))).toMatch(/P 21 21 21/);
    // The job list marks it as a SLURM job.
    await page.goto(`${s.base}/projects/${p.id}`);
    await expect
      .poll(() => text(page.locator('tr[data-job="1"]')), { timeout: 10_000 })
      .toMatch(/Finished SLURM/);
    await page.close();
  });

  it("shows SLURM's state and reason while the job waits, and Cancel takes it out of the queue (Interrupted)", {
    timeout: 120_000,
  }, async () => {
    const p = (await s.json('/api/projects', { method: 'POST', body: { name: 'e2e_slurm_wait' } })).body;
    // --begin holds it in the queue (reason BeginTime) for as long as the test needs.
    const r = await s.json(`/api/projects/${p.id}/jobs`, {
      method: 'POST',
      body: {
        taskName: 'test_sleeper',
        run: true,
        executor: 'slurm',
        slurm: { extraArgs: ['--begin=now+600'] },
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const page = await context.newPage();
    await page.goto(`${s.base}/projects/${p.id}/jobs/${r.body.id}?tab=log`);
    const state = page.getByTestId('executor-state');
    await expect
      .poll(() => text(state), { timeout: 20_000 })
      .toBe(`SLURM job ${r.body.externalId} PENDING (BeginTime)`);
    await page.locator('h1').getByText('Queued').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('h1').getByText('Interrupted').waitFor({ timeout: 20_000 });
    expect(await state.count()).toBe(0);
    await expect.poll(() => scontrolJob(r.body.externalId).JobState, { timeout: 20_000 }).toBe('CANCELLED');
    await page.close();
  });
});

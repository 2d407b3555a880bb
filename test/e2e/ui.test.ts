import { existsSync, readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../server/helpers.js';
import { browserAvailable, launchBrowser, uploadCopycellFiles } from './browser.js';

// The browser side of page.evaluate (this project's tsconfig has no DOM types).
declare const document: {
  querySelector(s: string): { getAttribute(n: string): string | null } | null;
  body: Node;
};
type Node = object;
declare const MutationObserver: new (
  f: () => void,
) => { observe(n: Node, o: { subtree: boolean; childList: boolean; attributes: boolean }): void };

/** A locator's text (textContent: the log is a <pre>, so nothing is lost to layout). */
const text = async (l: { textContent(): Promise<string | null> }) => (await l.textContent()) ?? '';
const run = browserAvailable();

function alive(pid: number): boolean {
  return existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

describe.runIf(run)('browser UI (Chromium)', () => {
  let s: TestServer;
  let context: BrowserContext;
  let close: () => Promise<void>;
  const external: string[] = [];

  beforeAll(async () => {
    s = await startServer({ uiDirectory: undefined });
    ({ context, close } = await launchBrowser());
    // Nothing may leave the server: every request of every page is checked.
    context.on('request', (r) => {
      if (!r.url().startsWith(s.base) && !r.url().startsWith('data:')) external.push(r.url());
    });
  }, 60_000);
  afterAll(async () => {
    await close?.();
  });

  async function newPage(): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    return page;
  }

  it('creates a project, runs demo_copycell with files uploaded through the form, sees it finish live, opens its report', async () => {
    const page = await newPage();
    await page.goto(`${s.base}/`);
    await page.getByLabel('New project').fill('e2e');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    const projectUrl = page.url();

    // A second tab keeps the job list open; it records every status its row shows, without reloading.
    const list = await newPage();
    await list.goto(projectUrl);
    await list.getByText('● live').waitFor();
    await list.evaluate(() => {
      const w = globalThis as unknown as { seen: string[]; marker: number };
      w.marker = 42;
      w.seen = [];
      new MutationObserver(() => {
        const row = document.querySelector('tr[data-job="1"]');
        const st = row?.getAttribute('data-status');
        if (st && w.seen.at(-1) !== st) w.seen.push(st);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });

    await page.getByRole('button', { name: 'New job…' }).click();
    await page.getByLabel('Find a task').fill('copy cell');
    await page.locator('button[data-task="demo_copycell"]').click();
    await page.waitForURL(/\/new\/demo_copycell$/);
    await uploadCopycellFiles(page);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}\?tab=log$/);

    await list.locator('tr[data-job="1"][data-status="6"]').waitFor({ timeout: 30_000 });
    const seen = await list.evaluate(() => (globalThis as unknown as { seen: string[] }).seen);
    expect(seen).toContain('3');
    expect(seen.indexOf('3')).toBeLessThan(seen.indexOf('6'));
    expect(await list.evaluate(() => (globalThis as unknown as { marker: number }).marker)).toBe(42); // no reload
    await expect(text(list.locator('tr[data-job="1"]'))).resolves.toMatch(/Finished/);

    await page.getByRole('tab', { name: 'Report' }).click();
    const kv = page.getByLabel('Key values');
    await kv.waitFor();
    expect(await text(kv)).toMatch(/P 21 21 21/);
    await page.getByRole('tab', { name: 'Files' }).click();
    await page.getByRole('link', { name: 'log.txt' }).waitFor();
    expect(await text(page.getByLabel('Data files'))).toMatch(/XYZOUT/);
    await page.close();
    await list.close();
  });

  it('follows a long job live, continues its log after a reload, and cancels it from the page', async () => {
    const p = (await s.json('/api/projects', { method: 'POST', body: { name: 'e2e_long' } })).body;
    const page = await newPage();
    await page.goto(`${s.base}/projects/${p.id}/new/test_sleeper`);
    await page.getByLabel('Delay (s)').fill('0.05');
    await page.getByText('Parameters are valid').waitFor();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForURL(/\?tab=log$/);
    const log = page.getByTestId('log');
    await expect.poll(() => text(log), { timeout: 20_000 }).toMatch(/test_sleeper: pid \d+/);
    const pid = Number(/pid (\d+)/.exec(await text(log))![1]);
    expect(alive(pid)).toBe(true);
    await expect.poll(async () => /^ {2}20 /m.test(await text(log)), { timeout: 20_000 }).toBe(true);
    const lastStep = (t: string) => Math.max(...[...t.matchAll(/^ {2}(\d+) /gm)].map((m) => Number(m[1])));
    const before = lastStep(await text(log));

    await page.reload();
    await expect.poll(async () => lastStep(await text(log)), { timeout: 20_000 }).toBeGreaterThan(before + 5);
    const after = await text(log);
    expect(after).toMatch(/test_sleeper: pid \d+/); // from where it was: the start is still there
    const steps = [...after.matchAll(/^ {2}(\d+) /gm)].map((m) => Number(m[1]));
    expect(steps).toEqual(steps.map((_, i) => i + 1)); // no gap, no repeat

    await page.getByRole('tab', { name: 'Report' }).click();
    await page.locator('section[data-table="Progress"] canvas').first().waitFor();

    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Interrupted').first().waitFor({ timeout: 20_000 });
    expect(alive(pid)).toBe(false);
    const jid = /jobs\/([0-9a-f-]{36})/.exec(page.url())![1];
    expect((await s.json(`/api/jobs/${jid}`)).body.statusName).toBe('Interrupted');
    await page.close();
  });

  it('renders titles and log text as text (no HTML injection) and made no external request', async () => {
    const p = (await s.json('/api/projects', { method: 'POST', body: { name: 'e2e_text' } })).body;
    const j = await s.json(`/api/projects/${p.id}/jobs`, {
      method: 'POST',
      body: { taskName: 'test_sleeper', title: '<img src=x onerror="window.pwned=1"><b>bold</b>' },
    });
    const page = await newPage();
    await page.goto(`${s.base}/projects/${p.id}`);
    await page.getByText('<img src=x onerror="window.pwned=1"><b>bold</b>').waitFor();
    expect(await page.locator('table.jobs img, table.jobs b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await page.goto(`${s.base}/projects/${p.id}/jobs/${j.body.id}`);
    await page.getByRole('heading', { name: /Job 1/ }).waitFor();
    expect(await page.locator('h1 img, h1 b').count()).toBe(0);
    // Delete (after the confirmation dialog): back to the list, which no longer has the job.
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(new RegExp(`/projects/${p.id}$`));
    await page.getByText('No jobs yet.').waitFor();
    expect((await s.json(`/api/jobs/${j.body.id}`)).status).toBe(404);
    await page.close();
    expect(external).toEqual([]);
  });
});

// Takes docs/ui-job-page.png: the job page of a job replaying a real ctruncate log (the TEST ONLY task
// test_replay_log of test/fixtures/server/tasks), report tab, in Debian's Chromium. Usage, after
// `npm run build`: node bench/screenshot.mjs [OUT.png]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { listen } from '../dist/server/index.js';

const here = new URL('.', import.meta.url).pathname;
const out = process.argv[2] ?? join(here, '../docs/ui-job-page.png');
const root = mkdtempSync(join(tmpdir(), 'ccp4i2-screenshot-'));
const s = await listen({
  port: 0,
  db: join(root, 'db.sqlite'),
  projectsDir: join(root, 'projects'),
  taskDirs: [join(here, '../test/fixtures/server/tasks')],
});
const base = s.url.replace(/\/$/, '');
const post = async (path, body) =>
  (
    await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  ).json();
const profile = mkdtempSync(join(tmpdir(), 'ccp4i2-chromium-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const p = await post('/api/projects', { name: 'nt5073' });
  const job = await post(`/api/projects/${p.id}/jobs`, {
    taskName: 'test_replay_log',
    title: 'Intensity statistics (ctruncate log)',
    params: {
      'controlParameters.LOG': 'nt5073v16_xBAZ2BAx8281_SAD_truncate.log',
      'controlParameters.EVERY': 40,
      'controlParameters.PAUSE': 0.05,
    },
    run: true,
  });
  const page = await ctx.newPage();
  await page.goto(`${base}/projects/${p.id}/jobs/${job.id}?tab=report`);
  await page.locator('.report[data-final="true"]').waitFor({ timeout: 60_000 });
  await page.locator('section.report-table canvas').first().waitFor();
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await ctx.close();
  await s.close();
  rmSync(profile, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
}

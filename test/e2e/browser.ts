import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's browser, driven by playwright-core (never a downloaded browser). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether browser tests can run here. Absent chromium: skipped with a message, but a failure under CI
 * (`.ci/run` installs it), so that a green CI always means the browser tests ran.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true')
    throw new Error(`${CHROMIUM} is missing under CI=true (.ci/run installs chromium)`);
  console.warn(`skipping browser tests: ${CHROMIUM} is not installed (apt-get install chromium)`);
  return false;
}

/** A fresh headless profile (launchPersistentContext: --user-data-dir is refused by launch()). */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'ccp4i2-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 860 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const EXAMPLES = join(__dirname, '../../examples');

/** On the demo_copycell form: uploads the bundled example files through its inputs, until it is valid. */
export async function uploadCopycellFiles(page: Page): Promise<void> {
  await page
    .locator('input[data-upload="inputData.HKLIN"]')
    .setInputFiles(join(EXAMPLES, 'merged_intensities_native.mtz'));
  await page.locator('input[data-upload="inputData.XYZIN"]').setInputFiles(join(EXAMPLES, 'gamma_model.pdb'));
  await page.getByText('Parameters are valid').waitFor();
}

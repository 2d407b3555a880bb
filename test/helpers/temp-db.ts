import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Every test process (and the CLIs it starts, which inherit the environment) records into a database
// file of its own, never into the user's ~/.ccp4i2-ts/db.sqlite. A test that needs a particular file
// passes --db or its own CCP4I2_DB. Removed when the process that made it exits.
if (!process.env.CCP4I2_TEST_DB) {
  const dir = mkdtempSync(join(tmpdir(), 'ccp4i2-test-db-'));
  process.env.CCP4I2_DB = process.env.CCP4I2_TEST_DB = join(dir, 'db.sqlite');
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}

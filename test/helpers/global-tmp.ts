import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// vitest globalSetup: every temporary file of a run (the tests' own, and those of the CLIs, servers and
// SLURM jobs they start, which inherit TMPDIR) goes under one directory that is removed when the run
// ends, so a test run never leaves thousands of directories in /tmp, whatever a test forgets or a
// killed process leaves. Machine-wide things (the SLURM tests' lock) use CCP4I2_MACHINE_TMPDIR, the
// real temporary directory.
export default function setup(): () => void {
  const machine = process.env.CCP4I2_MACHINE_TMPDIR ?? tmpdir();
  const root = mkdtempSync(join(machine, 'ccp4i2-test-run-'));
  process.env.CCP4I2_MACHINE_TMPDIR = machine;
  process.env.TMPDIR = root;
  return () => {
    try {
      rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    } catch (e) {
      // A process still writing there (it will be gone soon): say so, never fail the run for it.
      console.warn(`could not remove the test run's temporary directory ${root}: ${(e as Error).message}`);
    }
  };
}

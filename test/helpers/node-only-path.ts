import { mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A PATH for "a machine with nothing but Node": one directory holding only a `node` link, so that neither
 * gemmi nor CCP4's programs (nor anything else) can be found. Returns the directory.
 */
export function nodeOnlyPath(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'ccp4i2-node-only-')));
  symlinkSync(process.execPath, join(dir, 'node'));
  return dir;
}

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers.js';

// The bundle carries better-sqlite3's JavaScript in its db chunk and hands it the addon's path where the
// package's install builds it (build/Release). An install whose addon is elsewhere must still open
// databases: the package itself is loaded then, whose own search finds the addon in its own folder (from
// the bundle it would search ours). `npm test` builds dist/ first.

/** A copy of the package whose better-sqlite3 keeps its addon in build/Debug (bindings looks there too). */
function installWithAddonIn(sub: string): string {
  const root = tempDir('ccp4i2-sqlite-layout-');
  cpSync(join(ROOT, 'dist'), join(root, 'dist'), { recursive: true });
  symlinkSync(join(ROOT, 'assets'), join(root, 'assets'));
  cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  const nm = join(root, 'node_modules');
  mkdirSync(nm);
  for (const name of readdirSync(join(ROOT, 'node_modules')))
    if (name !== 'better-sqlite3') symlinkSync(join(ROOT, 'node_modules', name), join(nm, name));
  const pkg = join(nm, 'better-sqlite3');
  cpSync(join(ROOT, 'node_modules/better-sqlite3/package.json'), join(pkg, 'package.json'));
  cpSync(join(ROOT, 'node_modules/better-sqlite3/lib'), join(pkg, 'lib'), { recursive: true });
  mkdirSync(join(pkg, sub), { recursive: true });
  cpSync(
    join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'),
    join(pkg, sub, 'better_sqlite3.node'),
  );
  return root;
}

describe('better-sqlite3 in the bundle', () => {
  it('an addon outside build/Release: databases still open (the package searches its own folder)', () => {
    const root = installWithAddonIn('build/Debug');
    const db = join(root, 'db.sqlite');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [join(root, 'dist/bin/ccp4i2.cjs'), ...args, '--db', db], {
        encoding: 'utf8',
        env: { ...process.env, CCP4I2_COMPILE_CACHE: join(root, 'cache') }, // not the user's, for a copy
      });
    const made = run('projects', 'create', 'p1', '--directory', join(root, 'p1'));
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    const listed = run('projects', 'list', '--json');
    expect(listed.status, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((p) => p.name)).toEqual(['p1']);
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { nodeOnlyPath } from '../helpers/node-only-path.js';

// The README's quick start on "a machine with nothing but Node": the command is taken from the README
// itself and run with a PATH holding only node (no gemmi, no CCP4). `npm ci && npm run build` are not
// rerun here (npm test has built dist/); everything after them is.

function quickStartCommand(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /## Quick start[\s\S]*?```sh\n([^\n]+)\n```/.exec(readme);
  expect(block, 'README has a quick start ```sh block').toBeTruthy();
  const steps = block![1]!.split('&&').map((s) => s.trim());
  expect(steps.slice(0, 2)).toEqual(['npm ci', 'npm run build']);
  const words = steps[2]!.split(/\s+/);
  expect(words.slice(0, 2)).toEqual(['node', 'dist/bin/i2run.cjs']);
  return words.slice(1);
}

describe('README quick start, Node alone (gemmi hidden from PATH)', () => {
  it('succeeds, prints the in-process route and writes the right CRYST1', () => {
    const args = quickStartCommand();
    // A fresh checkout's layout: dist/ and examples/ beside the user's files.
    const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'ccp4i2-quick-start-')));
    for (const d of ['dist', 'examples']) symlinkSync(join(ROOT, d), join(cwd, d));
    const path = nodeOnlyPath();
    expect(spawnSync('gemmi', ['--version'], { env: { PATH: path } }).error).toBeDefined();
    const r = spawnSync(join(path, 'node'), args, { cwd, env: { PATH: path, HOME: cwd }, encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^status: SUCCEEDED$/m);
    expect(r.stdout).toMatch(/^route: in-process \(/m);
    const out = join(cwd, args[args.indexOf('--XYZOUT') + 1]!);
    const cryst1 = readFileSync(out, 'latin1')
      .split('\n')
      .find((l) => l.startsWith('CRYST1'));
    expect(cryst1?.slice(6, 54)).toBe('   34.089   54.816   68.011  90.00  90.00  90.00');
    expect(readFileSync(join(cwd, 'i2run_projects/demo_copycell/CCP4_JOBS/job_1/log.txt'), 'utf8')).toMatch(
      /^demo_copycell: route in-process: /,
    );
    // the README's next step: the job list, from the default database (~/.ccp4i2-ts/db.sqlite)
    const list = /```sh\n(node dist\/bin\/ccp4i2\.cjs jobs list)\n```/.exec(
      readFileSync(join(ROOT, 'README.md'), 'utf8'),
    );
    expect(list).toBeTruthy();
    const jobs = spawnSync(join(path, 'node'), list![1]!.split(' ').slice(1), {
      cwd,
      env: { PATH: path, HOME: cwd },
      encoding: 'utf8',
    });
    expect(jobs.status, jobs.stderr).toBe(0);
    expect(jobs.stdout).toMatch(
      /^JOB\s+TASK\s+STATUS\s+STARTED\s+SECONDS\s+TITLE\n1\s+demo_copycell\s+Finished\s/,
    );
    expect(existsSync(join(cwd, '.ccp4i2-ts/db.sqlite'))).toBe(true);
  });
});

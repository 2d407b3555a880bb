import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobDatabase } from '../../src/db/index.js';
import { FIXTURES, ROOT, runCli } from '../helpers/cli.js';
import { nodeOnlyPath } from '../helpers/node-only-path.js';
import { workDir } from './i2run-tasks.js';

// Issue 9's frictions of the two command lines, each as a real process on the built CLI.

const MTZ = join(ROOT, 'examples/merged_intensities_native.mtz');
const PDB = join(ROOT, 'examples/gamma_model.pdb');
const FAKES = join(ROOT, 'test/fakes/bin');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** Node alone: no gemmi, no CCP4. */
const nodeOnly = () => ({ PATH: nodeOnlyPath(), HOME: workDir() });

describe('--version', () => {
  it.each(['ccp4i2', 'i2run'] as const)('%s --version prints the package version and exits 0', (bin) => {
    for (const flag of ['--version', '-V']) {
      const r = runCli(bin, [flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${VERSION}\n`);
    }
  });
});

describe('exit codes agree (docs/cli.md)', () => {
  it.each([
    ['ccp4i2', ['no-such-command']],
    ['ccp4i2', ['mtz', 'info']],
    ['ccp4i2', ['mtz', 'info', '--no-such-option', 'x.mtz']],
    ['ccp4i2', []],
    ['i2run', []],
    ['i2run', ['--no-such-option']],
    ['i2run', ['no_such_task']],
    ['i2run', ['demo_copycell', '--NO_SUCH_PARAMETER', 'x']],
  ] as const)('%s %j is a usage error: exit 2', (bin, args) => {
    const r = runCli(bin, [...args], { cwd: workDir() });
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('help is not an error: exit 0', () => {
    for (const [bin, args] of [
      ['ccp4i2', ['--help']],
      ['ccp4i2', ['help']],
      ['ccp4i2', ['mtz', '--help']],
      ['i2run', ['--help']],
      ['i2run', ['demo_copycell', '--help']],
    ] as const)
      expect(runCli(bin, [...args]).status, `${bin} ${args.join(' ')}`).toBe(0);
  });

  it('docs/cli.md has one table with the exit codes of both CLIs', () => {
    const doc = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8');
    for (const code of ['0', '1', '2', '70', '130']) expect(doc).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
    // No second table to drift from it (docs/i2run.md once had one that said otherwise about 70).
    for (const other of ['docs/i2run.md', 'docs/process.md', 'README.md'])
      expect(readFileSync(join(ROOT, other), 'utf8'), other).not.toMatch(/^\| 130 \|/m);
  });
});

describe('i2run --dry-run', () => {
  it('a pipeline shows the sub-jobs it would run and what each would run (CCP4 route, FAKE programs)', () => {
    const cwd = workDir();
    const r = runCli('i2run', ['demo_copycell', '--HKLIN', MTZ, '--XYZIN', PDB, '--dry-run'], {
      cwd,
      env: { PATH: `${FAKES}:${nodeOnlyPath()}`, HOME: cwd },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/demo_copycell would run 2 sub-job\(s\):\n {2}job_1: mtzdump\n/);
    expect(r.stdout).toContain(`    argv: ${JSON.stringify(['mtzdump', 'HKLIN', MTZ])}`);
    expect(r.stdout).toMatch(/ {4}stdin \(com\.txt\):\n {6}HEADER\n {6}NREF -1\n {6}END\n/);
    expect(r.stdout).toMatch(/ {2}job_2: pdbset\n {4}known only at run time: CELL/);
    expect(r.stdout).toContain(`    program: pdbset (${join(FAKES, 'pdbset')})`);
    expect(r.stderr).not.toMatch(/warning/);
    expect(existsSync(join(cwd, 'i2run_projects'))).toBe(false);
  });

  it('on Node alone the pipeline shows the in-process route', () => {
    const cwd = workDir();
    const r = runCli('i2run', ['demo_copycell', '--HKLIN', MTZ, '--XYZIN', PDB, '--dry-run'], {
      cwd,
      env: nodeOnly(),
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      / {2}job_1: mtz_cell\n {4}mtz_cell runs no program of its own \(an in-process task\)/,
    );
    expect(r.stdout).toMatch(/ {2}job_2: cell_writer\n/);
  });

  it('warns that the program is not installed', () => {
    const cwd = workDir();
    const r = runCli('i2run', ['mtzdump', '--HKLIN', MTZ, '--dry-run'], { cwd, env: nodeOnly() });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('program: mtzdump (NOT FOUND)');
    expect(r.stderr).toMatch(
      /^i2run: warning: program 'mtzdump' of task mtzdump is not installed: the job would fail/m,
    );
  });

  it('warns that a task has no TASKCOMMAND (a def file alone)', () => {
    const cwd = workDir();
    const tasks = join(cwd, 'tasks');
    mkdirSync(tasks);
    writeFileSync(join(tasks, 'defonly.def.xml'), DEF('defonly', 'A task with only a def file'));
    const r = runCli('i2run', ['defonly', '--task-dir', tasks, '--dry-run'], { cwd });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^i2run: warning: task defonly has no TASKCOMMAND: .*\(CPluginScript 100\)/m);
  });
});

const DEF = (name: string, title: string) => `<?xml version='1.0'?>
<ccp4i2>
  <ccp4i2_header><function>DEF</function><pluginName>${name}</pluginName><pluginTitle>${title}</pluginTitle></ccp4i2_header>
  <ccp4i2_body><container id="inputData"/><container id="outputData"/><container id="controlParameters"/></ccp4i2_body>
</ccp4i2>
`;

describe('i2run refuses before creating a job', () => {
  it('demo_copycell with no inputs: exit 1 naming both, no job directory, no project folder', () => {
    const cwd = workDir();
    const r = runCli('i2run', ['demo_copycell'], { cwd });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/inputData\.HKLIN: Required value is not set \[CMtzDataFile 100\]/);
    expect(r.stderr).toMatch(/inputData\.XYZIN: Required value is not set \[CPdbDataFile 100\]/);
    expect(existsSync(join(cwd, 'i2run_projects'))).toBe(false);
  });
});

describe('i2run --help uses the def file pluginTitle', () => {
  it('in the task list and in the task help', () => {
    const cwd = workDir();
    const tasks = join(cwd, 'tasks');
    mkdirSync(tasks);
    writeFileSync(join(tasks, 'titled.def.xml'), DEF('titled', 'Title from the def file'));
    writeFileSync(
      join(tasks, 'titled.mjs'),
      "import { CPluginScript } from 'ccp4i2-ts';\nexport default class titled extends CPluginScript { static TASKNAME = 'titled'; static TASKCOMMAND = 'true'; }\n",
    );
    const list = runCli('i2run', ['--task-dir', tasks, '--help'], { cwd });
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^ {2}titled +Title from the def file/m);
    const help = runCli('i2run', ['titled', '--task-dir', tasks, '--help'], { cwd });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('titled — Title from the def file');
  });
});

describe('i2run --json', () => {
  it('prints the final result as one JSON object: status, job directory, outputs, notes, errors', () => {
    const cwd = workDir();
    const r = runCli(
      'i2run',
      ['demo_copycell', '--HKLIN', MTZ, '--XYZIN', PDB, '--XYZOUT', 'out.pdb', '--json'],
      {
        cwd,
        env: nodeOnly(),
      },
    );
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toEqual({
      status: 'SUCCEEDED',
      exitCode: 0,
      jobDirectory: join(cwd, 'i2run_projects/demo_copycell/CCP4_JOBS/job_1'),
      outputs: { XYZOUT: join(cwd, 'out.pdb') },
      notes: { route: expect.stringMatching(/^in-process \(/) },
      errors: [],
    });
  });

  it('a failed job: FAILED, exit 1, the diagnostic and the error entries', () => {
    const cwd = workDir();
    const garbage = join(cwd, 'garbage.mtz');
    writeFileSync(garbage, 'not an MTZ file\n'.repeat(10));
    const r = runCli('i2run', ['demo_copycell', '--HKLIN', garbage, '--XYZIN', PDB, '--json'], {
      cwd,
      env: nodeOnly(),
    });
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.status).toBe('FAILED');
    expect(j.exitCode).toBe(1);
    expect(j.diagnostic).toBe(join(j.jobDirectory, 'diagnostic.xml'));
    expect(j.outputs).toEqual({});
    expect(j.errors.map((e: { className: string; code: number }) => `${e.className} ${e.code}`)).toContain(
      'CPluginScript 114',
    );
  });

  it('refused before running: NOT_RUN with the errors (usage exit 2, invalid values exit 1)', () => {
    const cwd = workDir();
    const usage = runCli('i2run', ['demo_copycell', '--NOPE', '1', '--json'], { cwd });
    expect(usage.status).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({
      status: 'NOT_RUN',
      exitCode: 2,
      errors: [{ className: 'i2run', code: 2 }],
    });
    const invalid = runCli('i2run', ['demo_copycell', '--json'], { cwd });
    expect(invalid.status).toBe(1);
    const j = JSON.parse(invalid.stdout);
    expect(j.status).toBe('NOT_RUN');
    expect(j.errors.map((e: { objectPath: string }) => e.objectPath)).toEqual([
      'container.inputData.HKLIN',
      'container.inputData.XYZIN',
    ]);
  });
});

describe('ccp4i2 params check on a params.xml that i2run wrote', () => {
  it('is valid with no warning about <guiAdmin>', () => {
    const cwd = workDir();
    expect(
      runCli('i2run', ['demo_copycell', '--HKLIN', MTZ, '--XYZIN', PDB], { cwd, env: nodeOnly() }).status,
    ).toBe(0);
    const params = join(cwd, 'i2run_projects/demo_copycell/CCP4_JOBS/job_1/params.xml');
    expect(readFileSync(params, 'utf8')).toContain('<guiAdmin>');
    const def = join(ROOT, 'assets/ccp4i2/wrappers2/demo_copycell/script/demo_copycell.def.xml');
    const r = runCli('ccp4i2', ['params', 'check', def, params]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${params}: valid for task demo_copycell\n`);
  });
});

describe('ccp4i2 convert with several anomalous datasets', () => {
  const DERIVS = join(FIXTURES, 'data/rnase/rnase25_Nat_Derivs.mtz');

  it('refuses to choose: coded error listing every dataset, exit 2, nothing written', () => {
    const cwd = workDir();
    const out = join(cwd, 'out.mtz');
    const r = runCli('ccp4i2', ['convert', DERIVS, '--to', 'FMEAN', '-o', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/3 datasets hold observations; choose one with columns/);
    for (const d of [
      'FHG(+),SIGFHG(+),FHG(-),SIGFHG(-) (FPAIR, dataset 2 DERIV_HG)',
      'dataset 3 DERIV_I',
      'dataset 4 DERIV_PT',
    ])
      expect(r.stderr).toContain(d);
    expect(r.stderr).toMatch(/\[ObsDataConverter 8\]/);
    expect(existsSync(out)).toBe(false);
  });

  it('converts the dataset chosen with --columns', () => {
    const out = join(workDir(), 'out.mtz');
    const r = runCli('ccp4i2', [
      'convert',
      DERIVS,
      '--to',
      'FMEAN',
      '-o',
      out,
      '--columns',
      'FI(+),SIGFI(+),FI(-),SIGFI(-)',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('FI(+),SIGFI(+),FI(-),SIGFI(-) -> F,SIGF');
  });
});

describe('a pipe closed early (`ccp4i2 ... | head`)', () => {
  it('is not an error: the command ends as usual, without an internal error', async () => {
    // 400 jobs: their JSON is larger than a pipe's buffer, so writes fail once the reader has gone.
    const dir = workDir();
    const file = join(dir, 'db.sqlite');
    const db = JobDatabase.open(file);
    const project = db.projects.create('pipe', join(dir, 'pipe'));
    for (let i = 0; i < 400; i++)
      db.jobs.create({ projectId: project.id, taskName: 'demo_copycell', directory: join(dir, `j${i}`) });
    db.close();
    const child = spawn(
      process.execPath,
      [join(ROOT, 'dist/bin/ccp4i2.cjs'), 'jobs', 'list', '--all', '--json', '--db', file],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // Read the first piece, then close the pipe as `head` does.
    await new Promise<void>((r) => child.stdout.once('data', () => r()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(stderr).not.toMatch(/internal error|EPIPE/);
    expect(code, stderr).toBe(0);
  });
});

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runCli } from '../helpers/cli.js';
import { requireTool } from '../helpers/tools.js';
import { makeTaskDir, SLEEP_MARK, workDir } from './i2run-tasks.js';

// i2run running real programs: Ctrl-C (SIGINT) on a job and on a pipeline, and the shipped tasks.
let taskDir: string;
beforeAll(() => {
  taskDir = makeTaskDir();
});

/** Pids of live processes whose command line holds `mark` (zombies excluded). */
function processesWith(mark: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${d}/status`, 'utf8'))?.[1];
      if (cmd.includes(mark) && state !== 'Z') out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 15000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(25);
  }
}

function start(
  args: string[],
  cwd: string,
): { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [resolve(ROOT, 'dist/bin/i2run.cjs'), ...args], {
    cwd,
    env: { ...process.env, CCP4I2_TASK_PATH: taskDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (b) => {
    out += b;
  });
  child.stderr!.on('data', (b) => {
    err += b;
  });
  const exit = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, out: () => out, err: () => err, exit };
}

describe('i2run Ctrl-C', () => {
  it('SIGINT cancels the job and its process tree: INTERRUPTED, exit 130, nothing left running', async () => {
    const cwd = workDir();
    const run = start(['sleeper'], cwd);
    await until(() => processesWith(SLEEP_MARK).length >= 2);
    await until(() => run.err().includes('sleeper started'));
    run.child.kill('SIGINT');
    const code = await run.exit;
    expect(code).toBe(130);
    expect(run.out()).toMatch(/^status: INTERRUPTED$/m);
    expect(run.err()).toMatch(/interrupt: cancelling the job/);
    expect(run.err()).toMatch(/\[CPluginScript 105\]/);
    expect(processesWith(SLEEP_MARK)).toEqual([]);
    const diag = join(cwd, 'i2run_projects/sleeper/CCP4_JOBS/job_1/diagnostic.xml');
    expect(readFileSync(diag, 'utf8')).toMatch(/<code>105<\/code>/);
  });

  it('SIGINT during a pipeline cancels the running sub-job; the next one never starts', async () => {
    const cwd = workDir();
    const run = start(['sleepipe'], cwd);
    await until(() => processesWith(SLEEP_MARK).length >= 2);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(run.out()).toMatch(/^status: INTERRUPTED$/m);
    expect(processesWith(SLEEP_MARK)).toEqual([]);
    const job = join(cwd, 'i2run_projects/sleepipe/CCP4_JOBS/job_1');
    expect(existsSync(join(job, 'job_1/diagnostic.xml'))).toBe(true);
    expect(existsSync(join(job, 'job_2'))).toBe(false);
  });

  it('Ctrl-C at any moment (start-up, loading, preparing, running) ends i2run and leaves nothing running', async () => {
    const outcomes: string[] = [];
    for (const delay of [0, 60, 120, 200, 300, 450, 650, 900, 1200, 1600]) {
      const cwd = workDir();
      const child = spawn(process.execPath, [resolve(ROOT, 'dist/bin/i2run.cjs'), 'sleeper'], {
        cwd,
        env: { ...process.env, CCP4I2_TASK_PATH: taskDir },
        stdio: 'ignore',
      });
      const closed = new Promise<string>((r) => child.on('close', (code, signal) => r(`${code ?? signal}`)));
      await sleep(delay);
      child.kill('SIGINT');
      const ended = await Promise.race([closed, sleep(20_000).then(() => 'hung')]);
      if (ended === 'hung') child.kill('SIGKILL');
      // 130: i2run's handler stopped the job; SIGINT: Node's default, before i2run listens
      outcomes.push(`${delay} ms: ${ended}`);
      expect(['130', 'SIGINT'], outcomes.join(', ')).toContain(ended);
      await until(() => processesWith(SLEEP_MARK).length === 0, 5000);
    }
    console.log(`i2run Ctrl-C: ${outcomes.join(', ')}`);
  }, 300_000);

  it('SIGTERM is handled the same way', async () => {
    const cwd = workDir();
    const run = start(['sleeper'], cwd);
    await until(() => processesWith(SLEEP_MARK).length >= 2);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(130);
    expect(processesWith(SLEEP_MARK)).toEqual([]);
  });
});

describe('i2run jobs in one project', () => {
  it('concurrent runs get distinct job directories', async () => {
    const cwd = workDir();
    const runs = Array.from({ length: 4 }, () => start(['slowcat', '--project_name', 'shared'], cwd));
    const codes = await Promise.all(runs.map((r) => r.exit));
    expect(codes).toEqual([0, 0, 0, 0]);
    const dirs = runs.map((r) => /^job directory: (.*)$/m.exec(r.out())?.[1]);
    expect(new Set(dirs).size).toBe(4);
    expect(readdirSync(join(cwd, 'i2run_projects/shared/CCP4_JOBS')).sort()).toEqual([
      'job_1',
      'job_2',
      'job_3',
      'job_4',
    ]);
  });
});

describe.runIf(requireTool('script', ['--version']))('i2run on a terminal', () => {
  it('redraws one status line in place (task, job, elapsed, last log line), then the summary', () => {
    // util-linux script(1) gives i2run a pseudo-terminal.
    const cwd = workDir();
    const cmd = [process.execPath, resolve(ROOT, 'dist/bin/i2run.cjs'), 'slowcat'].join(' ');
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      cwd,
      env: { ...process.env, CCP4I2_TASK_PATH: taskDir, COLUMNS: '100' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const frames = r.stdout.split('\r\x1b[2K').slice(1);
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(frames[0]).toMatch(/^slowcat job 1 0\.\ds \| running$/);
    expect(frames.some((f) => /^slowcat job 1 \d+\.\ds \| line 2$/.test(f))).toBe(true);
    expect(r.stdout).not.toMatch(/\ni2run: slowcat/); // no plain lines on a terminal
    expect(frames.at(-1)).toMatch(/^job directory: .*job_1\r?\nstatus: SUCCEEDED/);
  });
});

describe.runIf(requireTool('gemmi'))('i2run with the shipped tasks', () => {
  const MTZ = join(FIXTURES, 'data/gamma/merged_intensities_native.mtz');
  const PDB = join(FIXTURES, 'data/gamma/gamma_model.pdb');

  it('demo_copycell copies the MTZ cell into out.pdb (exit 0)', () => {
    const cwd = workDir();
    const r = runCli('i2run', ['demo_copycell', '--HKLIN', MTZ, '--XYZIN', PDB, '--XYZOUT', 'out.pdb'], {
      cwd,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^status: SUCCEEDED$/m);
    expect(r.stdout).toMatch(new RegExp(`XYZOUT +${join(cwd, 'out.pdb')}`));
    const cryst1 = readFileSync(join(cwd, 'out.pdb'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('CRYST1'));
    expect(cryst1?.slice(6, 54).trim().split(/\s+/)).toEqual([
      '34.089',
      '54.816',
      '68.011',
      '90.00',
      '90.00',
      '90.00',
    ]);
    expect(existsSync(join(cwd, 'i2run_projects/demo_copycell/CCP4_JOBS/job_1/job_1/log.txt'))).toBe(true);
    // Not a terminal: plain lines, a sub-job's output named by its task.
    expect(r.stderr).toMatch(/^i2run: demo_copycell job 1 running in /m);
    expect(r.stderr).toMatch(/^i2run: demo_copycell job 1 [\d.]+s \| gemmi_cell: /m);
  });

  it("starts from CCP4i2's own demo_copycell test params file (CCP4I2_TOP paths); outputs renamed for the job", () => {
    const top = workDir();
    mkdirSync(join(top, 'wrappers/mtzdump/test_data'), { recursive: true });
    mkdirSync(join(top, 'wrappers/pdbset/test_data'), { recursive: true });
    copyFileSync(MTZ, join(top, 'wrappers/mtzdump/test_data/gere_nat.mtz'));
    copyFileSync(PDB, join(top, 'wrappers/pdbset/test_data/1df7.pdb'));
    const params = join(FIXTURES, 'ccp4i2/wrappers2/demo_copycell/test_data/test_1.params.xml');
    const cwd = workDir();
    const r = runCli('i2run', ['demo_copycell', '--params', params], {
      cwd,
      env: { ...process.env, CCP4I2_TOP: top },
    });
    expect(r.stderr).not.toMatch(/ERROR/);
    expect(r.status).toBe(0);
    const out = join(cwd, 'i2run_projects/demo_copycell/CCP4_JOBS/job_1/XYZOUT.pdb');
    expect(r.stdout).toMatch(new RegExp(`XYZOUT +${out}`));
    expect(readFileSync(out, 'utf8')).toMatch(
      /^CRYST1 {3}34\.089 {3}54\.816 {3}68\.011 {2}90\.00 {2}90\.00 {2}90\.00/m,
    );
    // Without CCP4I2_TOP the params file's inputs cannot be found: reported before running.
    const bad = runCli('i2run', ['demo_copycell', '--params', params], {
      cwd,
      env: { ...process.env, CCP4I2_TOP: '' },
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/inputData\.HKLIN: .*\[CMtzDataFile 101\]/);
  });

  it('gemmi_cell prints the CELL it found among the outputs', () => {
    const r = runCli('i2run', ['gemmi_cell', '--HKLIN', MTZ], { cwd: workDir() });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}CELL +a=34\.0887 b=54\.8162 c=68\.0108 alpha=90 beta=90 gamma=90$/m);
  });

  it('mtzdump --dry-run shows the CCP4 command line and keyword script', () => {
    const r = runCli('i2run', ['mtzdump', '--HKLIN', MTZ, '--dry-run'], { cwd: workDir() });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`argv: ${JSON.stringify(['mtzdump', 'HKLIN', MTZ])}`);
    expect(r.stdout).toMatch(/stdin \(com\.txt\):\n(?: {2}.+\n)+/);
  });

  it('a missing input file is reported before anything runs (exit 1)', () => {
    const cwd = workDir();
    const r = runCli('i2run', ['demo_copycell', '--HKLIN', 'missing.mtz', '--XYZIN', PDB], { cwd });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/inputData\.HKLIN: .*missing\.mtz.*\[CMtzDataFile 101\]/);
    expect(existsSync(join(cwd, 'i2run_projects'))).toBe(false);
  });
});

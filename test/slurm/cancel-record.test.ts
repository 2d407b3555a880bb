import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTaskDir } from '../cli/i2run-tasks.js';
import { tempDir } from '../db/helpers.js';
import { runCli } from '../helpers/cli.js';
import { normal } from './compare.js';
import { holdSlurmWithCoordinators, i2runBackground, jobRows } from './coordinator.js';
import { sleepers, slurmUp, waitFor } from './helpers.js';

// A cancelled SLURM job records what it had produced, as a local one does: its sub-jobs with their
// statuses and files. The coordinator (here `ccp4i2 jobs cancel` from another terminal) waits for SLURM
// to end the job, then reads its directory as for a job that ended by itself.

const up = slurmUp();
let taskDir: string;
beforeAll(() => {
  taskDir = makeTaskDir();
  // A pipeline: cattask (a file out), then a sleeper that runs until cancelled.
  writeFileSync(
    join(taskDir, 'catsleep.def.xml'),
    readFileSync(join(taskDir, 'cattask.def.xml'), 'utf8').replaceAll('cattask', 'catsleep'),
  );
  const dist = /^import .*$/m.exec(readFileSync(join(taskDir, 'sleepipe.mjs'), 'utf8'))![0];
  writeFileSync(
    join(taskDir, 'catsleep.mjs'),
    `${dist}
export default class catsleep extends CPluginScript {
  static TASKNAME = 'catsleep';
  async process() {
    const cat = this.makePluginObject('cattask');
    cat.inputData.find('TEXTIN').set(this.inputData.find('TEXTIN'));
    if ((await this.runChild(cat)) !== CPluginScript.SUCCEEDED) return CPluginScript.FAILED;
    return this.runChild(this.makePluginObject('sleeper'));
  }
}
`,
  );
});

const env = () => ({ ...process.env, CCP4I2_TASK_PATH: taskDir, CCP4I2_SLURM_POLL_MS: '250' });
function json(cwd: string, db: string, args: string[]): unknown {
  const r = runCli('ccp4i2', [...args, '--db', db, '--json'], { cwd, env: env() });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe.runIf(up)('a cancelled SLURM job', () => {
  holdSlurmWithCoordinators();

  it('records its sub-jobs with their statuses and its files, as the same pipeline cancelled locally', {
    timeout: 180_000,
  }, async () => {
    const cwd = tempDir('ccp4i2 slurm cancel ');
    const db = join(cwd, 'db.sqlite');
    const text = join(cwd, 'in.txt');
    writeFileSync(text, 'one\ntwo\n');
    // job 1 locally, job 2 through SLURM: each cancelled from another terminal while its sleeper runs
    for (const [n, extra] of [
      ['1', []],
      ['2', ['--executor', 'slurm']],
    ] as const) {
      const run = i2runBackground(cwd, ['catsleep', '--TEXTIN', text, '--db', db, ...extra], env());
      await waitFor(() => sleepers() > 0, 60_000, `job ${n}'s sleeper to start`);
      const cancel = runCli('ccp4i2', ['jobs', 'cancel', n, '--db', db], { cwd, env: env() });
      expect(cancel.status, cancel.stderr).toBe(0);
      expect(cancel.stdout).toBe(`job ${n} Interrupted\n`);
      expect(await run.exit, run.stderr()).toBe(130);
      await waitFor(() => sleepers() === 0, 30_000, `job ${n}'s sleeper to stop`);
    }

    const all = jobRows(db);
    const slurm = all.find((j) => j.number === '2')!;
    expect(slurm.executor).toBe('slurm');
    // its sub-jobs ran in its SLURM job: recorded so (not 'local'), with its SLURM job id
    const subs = all.filter((j) => j.parentId === slurm.id).sort((a, b) => a.number.localeCompare(b.number));
    expect(subs.map((j) => [j.number, j.executor, j.externalId])).toEqual([
      ['2.1', 'slurm', slurm.externalId],
      ['2.2', 'slurm', slurm.externalId],
    ]);
    expect(all.filter((j) => j.number.startsWith('1.')).map((j) => j.executor)).toEqual(['local', 'local']);

    type Shown = { job: { diagnostic: string | null }; subJobs: unknown[]; inputs: unknown[] };
    const show = (n: string) => {
      const s = json(cwd, db, ['jobs', 'show', n]) as Shown;
      return {
        s,
        norm: normal({ ...s, job: { ...s.job, diagnostic: undefined } }, n, n === '1' ? '2' : '1'),
      };
    };
    const local = show('1');
    const remote = show('2');
    expect(local.s.subJobs.length).toBe(2);
    expect(local.s.inputs.length).toBeGreaterThan(0);
    // statuses (1 Interrupted, 1.1 Finished, 1.2 Interrupted), inputs, outputs, values: the same
    expect(remote.norm).toEqual(local.norm);
    expect(remote.s.job.diagnostic).toMatch(/SLURM job \d+ was cancelled/);
    expect(remote.s.job.diagnostic).not.toMatch(/outside/);

    // the file the first step made: recorded for both, with the same content
    const files = json(cwd, db, ['files', 'list']) as { producedBy: string | null }[];
    const of = (n: string) =>
      files.filter((f) => f.producedBy?.startsWith(`${n}.`)).map((f) => normal(f, n, n === '1' ? '2' : '1'));
    expect(of('1').length).toBeGreaterThan(0);
    expect(of('2')).toEqual(of('1'));
  });
});

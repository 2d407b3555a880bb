import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertMtz } from '../../src/conversions/index.js';
import { readMtz } from '../../src/formats/mtz/index.js';
import { FIXTURES, ROOT, runCli } from '../helpers/cli.js';
import { nodeOnlyPath } from '../helpers/node-only-path.js';

// docs/plugins.md's walk-through, run as written: the ctruncate module is taken from the page, put beside
// CCP4i2's real def file in a task directory, and run by the built i2run against the FAKE ctruncate.

const MTZ = join(ROOT, 'examples/merged_intensities_native.mtz');
const FAKES = join(ROOT, 'test/fakes/bin');

function walkthroughModule(): string {
  const doc = readFileSync(join(ROOT, 'docs/plugins.md'), 'utf8');
  const m = /<!-- walkthrough: ctruncate\.mjs -->\n```js\n([\s\S]*?)\n```/.exec(doc);
  expect(m, 'docs/plugins.md has the ctruncate module').toBeTruthy();
  return `${m![1]}\n`;
}

function setup() {
  const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'ccp4i2-walkthrough-')));
  const script = join(cwd, 'mytasks/ctruncate/script');
  mkdirSync(script, { recursive: true });
  copyFileSync(
    join(FIXTURES, 'ccp4i2/wrappers/ctruncate/script/ctruncate.def.xml'),
    join(script, 'ctruncate.def.xml'),
  );
  writeFileSync(join(script, 'ctruncate.mjs'), walkthroughModule());
  const env = { PATH: `${FAKES}:${nodeOnlyPath()}`, HOME: cwd };
  const i2run = (...args: string[]) =>
    runCli('i2run', ['ctruncate', '--task-dir', 'mytasks', ...args], { cwd, env });
  return { cwd, i2run };
}

const labelsOf = (file: string) => readMtz(file).columns.map((c) => c.label);

describe('docs/plugins.md: porting ctruncate end to end', () => {
  it('step 1: the task directory registers the task with its def file title', () => {
    const { cwd } = setup();
    const r = runCli('i2run', ['--task-dir', 'mytasks', '--help'], { cwd });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}ctruncate +Convert intensities to amplitudes/m);
  });

  it('step 3: the dry run shows the CCP4 command line made from the merged HKLIN', () => {
    const { cwd, i2run } = setup();
    const r = i2run('--OBSIN', MTZ, '--OUTPUTMINIMTZ', 'True', '--dry-run');
    // makeHklin runs in processInputFiles, which a dry run does not call; planHklin names the same file
    // and labels from the input's header, and nothing is written.
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    const job = join(cwd, 'i2run_projects/ctruncate/CCP4_JOBS/job_1');
    expect(r.stdout).toContain(`program: ctruncate (${join(FAKES, 'ctruncate')})`);
    expect(r.stdout).toContain(
      `command: ctruncate -hklin ${join(job, 'hklin.mtz')} -colano '/*/*/[OBSIN_Iplus,OBSIN_SIGIplus,OBSIN_Iminus,OBSIN_SIGIminus]' -hklout ${join(job, 'HKLOUT.mtz')}`,
    );
    expect(existsSync(job)).toBe(false);
  });

  it('anomalous intensities (IPAIR): -colano on the merged HKLIN, HKLOUT split into FMEAN and FPAIR mini-MTZ files', () => {
    const { cwd, i2run } = setup();
    const r = i2run('--OBSIN', MTZ, '--OUTPUTMINIMTZ', 'True', '--NRES', '150', '--json');
    expect(r.stderr).not.toMatch(/ERROR/);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    const job = join(cwd, 'i2run_projects/ctruncate/CCP4_JOBS/job_1');
    expect(j).toMatchObject({ status: 'SUCCEEDED', jobDirectory: job, errors: [] });
    expect(j.notes['L statistic']).toBe('0.49 (untwinned 0.5, perfect twin 0.375); twin fraction 0.039');
    // The program's command line (the FAKE echoes it as ctruncate does, under USER SUPPLIED INPUT).
    const log = readFileSync(join(job, 'log.txt'), 'latin1');
    expect(log).toContain(`hklin \t${join(job, 'hklin.mtz')}\n`);
    expect(log).toContain('colano \t/*/*/[OBSIN_Iplus,OBSIN_SIGIplus,OBSIN_Iminus,OBSIN_SIGIminus]\n');
    expect(log).toContain('nres \t150\n');
    expect(log).toContain('$TABLE: L test for twinning:'); // the real log's loggraph tables
    expect(labelsOf(join(job, 'hklin.mtz'))).toEqual([
      'H',
      'K',
      'L',
      'OBSIN_Iplus',
      'OBSIN_SIGIplus',
      'OBSIN_Iminus',
      'OBSIN_SIGIminus',
    ]);
    // The split files hold HKLOUT's columns under the standard labels.
    const hklout = readMtz(j.outputs.HKLOUT);
    expect(j.outputs.OBSOUT).toBe(join(job, 'OBSOUT.mtz'));
    const obsout = readMtz(j.outputs.OBSOUT);
    expect(obsout.columns.map((c) => c.label)).toEqual(['H', 'K', 'L', 'F', 'SIGF']);
    expect(obsout.column('F').data).toEqual(hklout.column('F').data);
    const obsout1 = readMtz(j.outputs.OBSOUT1);
    expect(obsout1.columns.map((c) => c.label)).toEqual([
      'H',
      'K',
      'L',
      'Fplus',
      'SIGFplus',
      'Fminus',
      'SIGFminus',
    ]);
    expect(obsout1.column('Fminus').data).toEqual(hklout.column('F(-)').data);
    // Content flags recorded in params.xml: OBSOUT FMEAN (4), OBSOUT1 FPAIR (2).
    const params = readFileSync(join(job, 'params.xml'), 'utf8');
    expect(params).toMatch(/<OBSOUT>[\s\S]*?<contentFlag>4<\/contentFlag>[\s\S]*?<\/OBSOUT>/);
    expect(params).toMatch(/<OBSOUT1>[\s\S]*?<contentFlag>2<\/contentFlag>[\s\S]*?<\/OBSOUT1>/);
  });

  it('mean intensities (IMEAN): -colin, and OBSOUT1, not produced, is left unset with warning 122', () => {
    const { cwd, i2run } = setup();
    const imean = join(cwd, 'imean.mtz');
    convertMtz(MTZ, 'IMEAN', { out: imean });
    expect(labelsOf(imean)).toEqual(['H', 'K', 'L', 'I', 'SIGI']);
    const r = i2run('--OBSIN', imean, '--OUTPUTMINIMTZ', 'True', '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.status).toBe('SUCCEEDED');
    expect(readFileSync(join(j.jobDirectory, 'log.txt'), 'latin1')).toContain(
      'colin \t/*/*/[OBSIN_I,OBSIN_SIGI]\n',
    );
    expect(Object.keys(j.outputs).sort()).toEqual(['HKLOUT', 'OBSOUT', 'XMLOUT']);
    expect(j.errors).toEqual([
      expect.objectContaining({
        className: 'CPluginScript',
        code: 122,
        objectPath: 'container.outputData.OBSOUT1',
      }),
    ]);
  });

  it('a ctruncate that fails (an MTZ it cannot use) fails the job with CPluginScript 101', () => {
    const { cwd, i2run } = setup();
    const fmean = join(cwd, 'fmean.mtz');
    convertMtz(MTZ, 'FMEAN', { out: fmean });
    // Amplitudes given as intensities: the def's requiredContentFlag 1,3 refuses them before anything runs.
    const refused = i2run('--OBSIN', fmean);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/OBSIN/);
    // With --AMPLITUDES the FAKE ctruncate wants F-type columns for -colin and finds J: it stops with status 1.
    const r = i2run('--OBSIN', MTZ, '--AMPLITUDES', 'True', '--json');
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.status).toBe('FAILED');
    expect(j.errors.map((e: { className: string; code: number }) => `${e.className} ${e.code}`)).toContain(
      'CPluginScript 101',
    );
  });
});

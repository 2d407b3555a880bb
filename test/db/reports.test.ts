import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CData } from '../../src/data/index.js';
import type { ProjectRecord } from '../../src/db/index.js';
import { JobService } from '../../src/jobs/index.js';
import { CPluginScript } from '../../src/plugins/index.js';
import { type JobReport, readReport } from '../../src/reports/index.js';
import { runCli } from '../helpers/cli.js';
import { FAKES, MTZ, PDB, tempDb, tempDir } from './helpers.js';

function setup() {
  const dir = tempDir();
  const db = tempDb(dir);
  const project: ProjectRecord = db.projects.create('gamma', join(dir, 'gamma'));
  mkdirSync(project.directory, { recursive: true });
  const service = new JobService({ db });
  const job = service.createJob({
    project,
    taskName: 'demo_copycell',
    configure: (p) => {
      (p.inputData.find('HKLIN') as CData).set(MTZ);
      (p.inputData.find('XYZIN') as CData).set(PDB);
    },
  });
  return { dir, db, project, service, job };
}

const kv = (r: JobReport) => Object.fromEntries(r.keyValues.map((k) => [k.name, k.text]));

describe('job reports in the database', () => {
  it("a job run by the job service keeps its report (and each sub-job's) in job_reports, as report.json", async () => {
    const { db, service, job } = setup();
    const { status } = await service.run(job, { pluginOptions: { programPath: [FAKES] }, heartbeatMs: 0 });
    expect(status).toBe(CPluginScript.SUCCEEDED);
    const stored = db.jobs.report(job.id);
    expect(stored?.format).toBe('json');
    const report = JSON.parse(stored!.content) as JobReport;
    expect(report).toEqual(readReport(job.directory));
    expect(report).toMatchObject({ task: 'demo_copycell', status: 'SUCCEEDED', final: true, jobNumber: '1' });
    expect(kv(report)).toMatchObject({
      CELL: '34.089 54.816 68.011 90 90 90',
      SPACEGROUP: 'P 21 21 21 (19)',
    });
    const [dump, set] = db.jobs.subtree(job.id).slice(1);
    const sub = JSON.parse(db.jobs.report(dump!.id)!.content) as JobReport;
    expect(sub).toMatchObject({ task: 'mtzdump', jobNumber: '1.1', status: 'SUCCEEDED' });
    expect(sub).toEqual(readReport(dump!.directory));
    expect(JSON.parse(db.jobs.report(set!.id)!.content)).toMatchObject({ task: 'pdbset', jobNumber: '1.2' });
  });

  it('a report that cannot be stored is a warning (JobReport 107), not a failed job; report.json is still written', async () => {
    const { db, service, job } = setup();
    db.connection.write('breaking the report table', () => {
      db.connection.stmt('DROP TABLE job_reports').run();
    });
    const { status, plugin } = await service.run(job, {
      pluginOptions: { programPath: [FAKES] },
      heartbeatMs: 0,
    });
    expect(status).toBe(CPluginScript.SUCCEEDED);
    const warnings = plugin.errorReport.entries.filter((e) => e.className === 'JobReport');
    expect(warnings.map((e) => [e.code, e.description, e.file])).toEqual([
      [107, 'The job report could not be stored in the database', db.file],
    ]);
    expect(readReport(job.directory).status).toBe('SUCCEEDED');
  });

  it('ccp4i2 report --job N reads it from the database; --project names the project; errors are coded', async () => {
    const { db, service, job } = setup();
    await service.run(job, { pluginOptions: { programPath: [FAKES] }, heartbeatMs: 0 });
    const json = runCli('ccp4i2', ['report', '--job', '1', '--db', db.file, '--json']);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(db.jobs.report(job.id)!.content));
    const text = runCli('ccp4i2', ['report', '--job', '1.1', '--project', 'gamma', '--db', db.file]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^mtzdump \(.*\): SUCCEEDED/);
    expect(text.stdout).toMatch(/^ {2}Space group +P 21 21 21 \(19\)$/m);

    db.projects.create('other', join(tempDir(), 'other'));
    const which = runCli('ccp4i2', ['report', '--job', '1', '--db', db.file]);
    expect(which.status).toBe(2);
    expect(which.stderr).toMatch(/name one with --project \[JobReport 108\]/);
    const none = runCli('ccp4i2', ['report', '--job', '9', '--project', 'gamma', '--db', db.file]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/\[JobDatabase 8\]/);
    const both = runCli('ccp4i2', ['report', job.directory, '--job', '1', '--db', db.file]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/\[JobReport 109\]/);
  });
});

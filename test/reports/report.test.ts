import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CData } from '../../src/data/index.js';
import { isCcp4Error } from '../../src/errors/ccp4-error.js';
import { CPluginScript, type demo_copycell, taskRegistry } from '../../src/plugins/index.js';
import {
  attachReporter,
  type JobReport,
  keyValue,
  REPORT_FILE,
  readReport,
  registerKeyValues,
  reportOfDirectory,
  tableValue,
} from '../../src/reports/index.js';
import { nodeOnlyPath } from '../helpers/node-only-path.js';
import { requireTool } from '../helpers/tools.js';
import { defFile, program, tempDir } from '../plugins/helpers.js';

const ROOT = resolve(__dirname, '../..');
const FAKES = join(ROOT, 'test/fakes/bin');
const MTZ = join(ROOT, 'test/fixtures/data/gamma/merged_intensities_native.mtz');
const PDB = join(ROOT, 'test/fixtures/data/gamma/gamma_model.pdb');
const NO_CCP4 = { PATH: '/usr/local/bin:/usr/bin:/bin', CCP4: undefined };
const haveGemmi = requireTool('gemmi', ['--version']);

function copycell(work: string, ccp4: boolean, env?: Record<string, string | undefined>): demo_copycell {
  const cls = taskRegistry.require('demo_copycell').pluginClass!;
  const p = new cls(
    ccp4
      ? { workDirectory: work, programPath: [FAKES] }
      : { workDirectory: work, env: { ...NO_CCP4, ...env } },
  ) as demo_copycell;
  (p.inputData.find('HKLIN') as CData).set(MTZ);
  (p.inputData.find('XYZIN') as CData).set(PDB);
  (p.outputData.find('XYZOUT') as CData).set(join(work, 'out.pdb'));
  return p;
}

const kv = (r: JobReport) => Object.fromEntries(r.keyValues.map((k) => [k.name, k.text]));

describe('job reports of the shipped tasks', () => {
  it('demo_copycell (CCP4 route, FAKE mtzdump and pdbset): report.json with the cell read, the file written, sub-job reports', async () => {
    const work = tempDir();
    const job = copycell(work, true);
    const reporter = attachReporter(job);
    expect(await job.process()).toBe(CPluginScript.SUCCEEDED);
    // written before process() resolved
    const report = readReport(work);
    expect(report).toEqual(JSON.parse(JSON.stringify(reporter.report)));
    expect(report).toMatchObject({ task: 'demo_copycell', status: 'SUCCEEDED', statusCode: 0, final: true });
    expect(Date.parse(report.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(report.startedAt!));
    expect(report.elapsedSeconds).toBeGreaterThan(0);
    expect(kv(report)).toMatchObject({
      CELL: '34.089 54.816 68.011 90 90 90',
      SPACEGROUP: 'P 21 21 21 (19)',
      ROUTE: "ccp4 (CCP4's mtzdump and pdbset)",
    });
    expect(report.outputs).toEqual([
      {
        name: 'XYZOUT',
        className: 'CPdbDataFile',
        path: join(work, 'out.pdb'),
        exists: true,
        size: statSync(join(work, 'out.pdb')).size,
      },
    ]);
    expect(report.children.map((c) => [c.task, c.status])).toEqual([
      ['mtzdump', 'SUCCEEDED'],
      ['pdbset', 'SUCCEEDED'],
    ]);
    const mtzdump = report.children[0];
    expect(kv(mtzdump)).toMatchObject({
      CELL: '34.089 54.816 68.011 90 90 90',
      SPACEGROUP: 'P 21 21 21 (19)',
      NREF: '11947',
    });
    expect(mtzdump.keyValues.find((k) => k.name === 'RESOLUTION')).toMatchObject({
      value: [26.635, 1.815],
      unit: 'Å',
    });
    expect(mtzdump.keyValues.find((k) => k.name === 'COLUMNS')?.value).toEqual({
      H: 'H',
      K: 'H',
      L: 'H',
      Iplus: 'K',
      SIGIplus: 'M',
      Iminus: 'K',
      SIGIminus: 'M',
    });
    // each sub-job directory has its own report.json
    expect(readReport(mtzdump.directory)).toEqual(mtzdump);
    expect(report.messages.filter((m) => m.severity === 'error')).toEqual([]);
  });

  // The other two routes give the same key values; the in-process one runs on Node alone, never skipped.
  const routes = [
    {
      route: 'gemmi',
      reader: 'gemmi_cell',
      ROUTE: 'gemmi (gemmi mtz and the in-process cell writer)',
      skip: !haveGemmi,
    },
    {
      route: 'in-process, Node alone',
      reader: 'mtz_cell',
      ROUTE: 'in-process (the in-process MTZ cell reader and cell writer (neither CCP4 nor gemmi found))',
      skip: false,
      env: { PATH: nodeOnlyPath(), CCP4: undefined },
    },
  ];
  for (const r of routes)
    it.skipIf(r.skip)(`demo_copycell (${r.route} route): the same key values from ${r.reader}`, async () => {
      const work = tempDir();
      const job = copycell(work, false, r.env);
      attachReporter(job);
      expect(await job.process()).toBe(CPluginScript.SUCCEEDED);
      const report = readReport(work);
      expect(kv(report)).toMatchObject({
        CELL: '34.089 54.816 68.011 90 90 90',
        SPACEGROUP: 'P 21 21 21 (19)',
        ROUTE: r.ROUTE,
      });
      expect(report.children.map((c) => c.task)).toEqual([r.reader, 'cell_writer']);
      expect(kv(report.children[0])).toMatchObject({ NREF: '11947' });
    });

  it('a failed job: status FAILED, the error with its code, report.json still written', async () => {
    const work = tempDir();
    const job = copycell(work, true);
    (job.inputData.find('HKLIN') as CData).set(join(work, 'missing.mtz'));
    attachReporter(job);
    expect(await job.process()).toBe(CPluginScript.FAILED);
    const report = readReport(work);
    expect(report.status).toBe('FAILED');
    expect(report.messages.some((m) => m.severity === 'error' && m.code === 107)).toBe(true);
  });
});

/** A task whose program prints a loggraph table slowly, as a refinement program would. */
function slowTableTask(dir: string, rows: number, delay: number): typeof CPluginScript {
  const bin = program(
    join(dir, 'bin'),
    'refine',
    `echo '$TABLE: Rfactor analysis, stats vs cycle:'
echo '$GRAPHS:<Rfactor> vs cycle:N:1,2,3:'
echo '$$ Ncyc Rfact Rfree $$'
echo '$$'
i=1
while [ $i -le ${rows} ]; do
  echo "$i 0.$((40 - i)) 0.$((45 - i))"
  sleep ${delay}
  i=$((i + 1))
done
echo '$$'
echo '$TEXT:Warning: $$ $$'
echo 'WARNING: this is only a test'
echo '$$'`,
  );
  const def = defFile(dir, 'slow_refine', { inputData: [], outputData: [] });
  return class slow_refine extends CPluginScript {
    static override TASKNAME = 'slow_refine';
    static override TASKCOMMAND = bin;
    static override DEF_FILE = def;
  };
}

describe('live reports', () => {
  it('report.json grows while the job runs, at a bounded rate; tables need no code of the task', async () => {
    const dir = tempDir();
    const Task = slowTableTask(dir, 6, 0.25);
    const unregister = registerKeyValues('slow_refine', ({ tables }) => {
      const r = tableValue(tables, /Rfactor analysis/, 'Rfree');
      return r === null ? [] : [keyValue('RFREE', 'R-free', r)];
    });
    try {
      const job = new Task({ workDirectory: join(dir, 'job') });
      const reporter = attachReporter(job, { intervalMs: 300 });
      const seen: { rows: number; final: boolean; at: number }[] = [];
      reporter.updated.connect((r) =>
        seen.push({ rows: r.tables[0]?.rows.length ?? 0, final: r.final, at: Date.now() }),
      );
      const onDisk: number[] = [];
      const poll = setInterval(() => {
        const f = join(dir, 'job', REPORT_FILE);
        if (existsSync(f)) onDisk.push(JSON.parse(readFileSync(f, 'utf8')).tables[0]?.rows.length ?? 0);
      }, 100);
      const status = await job.process();
      clearInterval(poll);
      expect(status).toBe(CPluginScript.SUCCEEDED);
      // live reports with part of the table, then the final one with all of it
      expect(seen.at(-1)).toMatchObject({ rows: 6, final: true });
      const live = seen.filter((s) => !s.final);
      expect(live.length).toBeGreaterThanOrEqual(2);
      expect(live.some((s) => s.rows > 0 && s.rows < 6)).toBe(true);
      expect(onDisk.some((n) => n > 0 && n < 6)).toBe(true);
      // bounded rate: live writes at least intervalMs apart (less a little timer slack)
      for (let i = 1; i < live.length; i++) expect(live[i].at - live[i - 1].at).toBeGreaterThanOrEqual(280);
      const report = readReport(join(dir, 'job'));
      expect(report.tables[0]).toMatchObject({
        title: 'Rfactor analysis, stats vs cycle',
        columns: ['Ncyc', 'Rfact', 'Rfree'],
      });
      expect(report.tables[0].graphs[0]).toMatchObject({ title: '<Rfactor> vs cycle', columns: [0, 1, 2] });
      expect(report.keyValues).toEqual([{ name: 'RFREE', label: 'R-free', value: 0.39, text: '0.39' }]);
      expect(report.messages).toContainEqual(
        expect.objectContaining({
          severity: 'warning',
          source: 'program',
          text: 'WARNING: this is only a test',
        }),
      );
    } finally {
      unregister();
    }
  });
});

describe('reading reports', () => {
  it('a job directory without report.json: tables from its log.txt', () => {
    const dir = tempDir();
    const log = readFileSync(join(ROOT, 'test/fixtures/logs/nt5073v16_xBAZ2BAx8281_pointless.log'));
    writeFileSync(join(dir, 'log.txt'), log);
    const r = reportOfDirectory(dir);
    expect(r.status).toBe('UNKNOWN');
    expect(r.tables.map((t) => t.title)).toEqual([
      'L-test for twinning, twin fraction 0.024',
      'Axial reflections, axis c (lattice frame) screw axis 2(1)',
    ]);
  });

  it('a broken report.json is a coded error naming the file and the field', () => {
    const dir = tempDir();
    const f = join(dir, REPORT_FILE);
    for (const [text, path] of [
      ['{', undefined],
      ['[]', undefined],
      [
        '{"schema":"ccp4i2-ts/job-report","version":1,"task":"t","status":"SUCCEEDED","directory":"/","keyValues":[],"tables":[{}],"texts":[],"outputs":[],"messages":[],"children":[]}',
        'tables[0]',
      ],
    ] as const) {
      writeFileSync(f, text);
      try {
        readReport(dir);
        expect.unreachable();
      } catch (e) {
        expect(isCcp4Error(e)).toBe(true);
        if (isCcp4Error(e))
          expect([e.className, e.code, e.file, e.objectPath]).toEqual(['JobReport', 103, f, path]);
      }
    }
  });
});

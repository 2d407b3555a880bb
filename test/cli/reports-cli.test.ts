import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runCli } from '../helpers/cli.js';
import { nodeOnlyPath } from '../helpers/node-only-path.js';

// `ccp4i2 loggraph`, `ccp4i2 report` and i2run's report summary, as real processes on real files.
const LOGS = join(FIXTURES, 'logs');
const AIMLESS = join(LOGS, 'nt5073v16_xBAZ2BAx8281_aimless.log');
const reference = JSON.parse(readFileSync(join(LOGS, 'reference.json'), 'utf8')) as Record<
  string,
  { title: string; columns: string[]; graphs: { title: string; columns: number[] }[]; rows: unknown[][] }[]
>;
const tmp = () => realpathSync(mkdtempSync(join(tmpdir(), 'ccp4i2-reports-cli-')));

/** smartie turns integer cells into numbers (`-0` into 0); we print cells as written (docs/reports.md). */
const sameCell = (ours: string, ref: unknown) =>
  typeof ref === 'number' ? /^[-+]?\d+$/.test(ours) && Number(ours) === ref : ours === ref;

function wellFormed(svg: string): void {
  new SaxesParser().write(svg).close();
}

describe('ccp4i2 loggraph', () => {
  for (const name of Object.keys(reference))
    it(`--json on ${name} prints reference.json's tables (title, columns, graphs, rows)`, () => {
      const r = runCli('ccp4i2', ['loggraph', join(LOGS, name), '--json']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const tables = JSON.parse(r.stdout) as {
        title: string;
        columns: string[];
        graphs: { title: string; columns: number[] }[];
        rows: string[][];
      }[];
      expect(tables.map((t) => ({ title: t.title, columns: t.columns, graphs: t.graphs }))).toEqual(
        reference[name]!.map((t) => ({
          title: t.title,
          columns: t.columns,
          graphs: t.graphs.map((g) => expect.objectContaining(g)),
        })),
      );
      tables.forEach((t, i) => {
        const ref = reference[name]![i]!.rows;
        expect(t.rows.length).toBe(ref.length);
        const differing = t.rows.flatMap((row, k) =>
          row.length === ref[k]!.length && row.every((c, j) => sameCell(c, ref[k]![j])) ? [] : [k],
        );
        expect(differing).toEqual([]);
      });
    });

  it('--graphs DIR writes every graph of the real aimless log as a standalone SVG', () => {
    const dir = join(tmp(), 'graphs');
    const r = runCli('ccp4i2', ['loggraph', AIMLESS, '--graphs', dir, '--plot', 'none']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`26 graphs written to ${dir}\n`);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(26);
    expect(files[0]).toBe('01-01-mn-k-0k-theta-0-v-batch.svg');
    for (const f of files) wellFormed(readFileSync(join(dir, f), 'utf8'));
    expect(r.stdout).toMatch(/^.*aimless\.log: 10 tables, 26 graphs$/m);
    expect(r.stdout).toMatch(/^== Correlations CC\(1\/2\) within dataset, SAD \(20 rows\)$/m);
  });

  it('prints tables as aligned text with sparklines, or ASCII levels without a UTF-8 locale', () => {
    const utf8 = runCli('ccp4i2', ['loggraph', AIMLESS, '--rows', '4'], {
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
    });
    expect(utf8.status).toBe(0);
    expect(utf8.stdout).toMatch(/^ {2}CMlplc +▁[▁-█]+█ +0\.\.6\.83$/m);
    expect(utf8.stdout).toMatch(/^ {2}\.\.\. 1796 more rows \.\.\.$/m);
    const ascii = runCli('ccp4i2', ['loggraph', AIMLESS], {
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    });
    expect(ascii.stdout).toMatch(/^ {2}CMlplc +_[_.\-:=+*#]+# +0\.\.6\.83$/m);
    expect(ascii.stdout).not.toMatch(/[▁-█⠀-⣿]/);
  });

  it('warnings with line numbers on stderr; a missing file is a coded error, exit 2, no stack', () => {
    const dir = tmp();
    const log = join(dir, 'died.log');
    const text = readFileSync(AIMLESS, 'utf8').split('\n').slice(0, 260).join('\n');
    spawnSync('sh', ['-c', 'cat > "$0"', log], { input: text });
    const r = runCli('ccp4i2', ['loggraph', log, '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(
        `^${log}:228: warning: table '>>> Scales v rotation range, SAD' \\(line 228\\) is not closed`,
        'm',
      ),
    );
    expect(JSON.parse(r.stdout)[0].complete).toBe(false);
    const missing = runCli('ccp4i2', ['loggraph', join(dir, 'nope.log')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.log/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('ccp4i2 report and i2run', () => {
  it("i2run prints the report summary; ccp4i2 report prints and exports the job's report", () => {
    // Node alone: demo_copycell's in-process route, so that this runs anywhere.
    const cwd = tmp();
    const path = nodeOnlyPath();
    const mtz = join(FIXTURES, 'data/gamma/merged_intensities_native.mtz');
    const pdb = join(FIXTURES, 'data/gamma/gamma_model.pdb');
    const run = spawnSync(
      join(path, 'node'),
      [
        resolve(ROOT, 'dist/bin/i2run.cjs'),
        'demo_copycell',
        '--HKLIN',
        mtz,
        '--XYZIN',
        pdb,
        '--XYZOUT',
        'out.pdb',
      ],
      { cwd, env: { PATH: path, HOME: cwd }, encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    const job = join(cwd, 'i2run_projects/demo_copycell/CCP4_JOBS/job_1');
    expect(run.stdout).toContain(`report: ${job}/report.json\n`);
    expect(run.stdout).toMatch(/^ {2}Cell +34\.089 54\.816 68\.011 90 90 90$/m);
    expect(run.stdout).toMatch(/^ {2}Space group +P 21 21 21 \(19\)$/m);

    const text = runCli('ccp4i2', ['report', job]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^demo_copycell \(Demo copy cell\): SUCCEEDED in [\d.]+ s$/m);
    expect(text.stdout).toMatch(new RegExp(`^ {2}XYZOUT +${join(cwd, 'out.pdb')}$`, 'm'));
    expect(text.stdout).toMatch(/^ {4}Resolution +26\.6\d* 1\.81\d* Å$/m);

    const json = runCli('ccp4i2', ['report', job, '--json']);
    const report = JSON.parse(json.stdout);
    expect(report).toEqual(JSON.parse(readFileSync(join(job, 'report.json'), 'utf8')));
    expect(report).toMatchObject({ task: 'demo_copycell', status: 'SUCCEEDED', final: true });

    // i2run recorded the job in the database (HOME's default one here) with its report, sub-jobs too.
    const db = join(cwd, '.ccp4i2-ts/db.sqlite');
    const stored = runCli('ccp4i2', ['report', '--job', '1', '--db', db, '--json']);
    expect(stored.stderr).toBe('');
    expect(JSON.parse(stored.stdout)).toEqual(report);
    const sub = runCli('ccp4i2', ['report', '--job', '1.1', '--db', db, '--json']);
    expect(JSON.parse(sub.stdout)).toEqual(report.children[0]);
  });

  it('a job directory with only a log.txt: its tables; --graphs writes them; a bad directory is coded', () => {
    const job = join(tmp(), 'job_7');
    mkdirSync(job);
    copyFileSync(AIMLESS, join(job, 'log.txt'));
    const graphs = join(job, 'graphs');
    const r = runCli('ccp4i2', ['report', job, '--plot', 'none', '--rows', '2', '--graphs', graphs]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^unknown: UNKNOWN$/m);
    expect(r.stdout).toMatch(/^ {2}tables +10 \(26 graphs\)$/m);
    expect(readdirSync(graphs)).toHaveLength(26);
    const bad = runCli('ccp4i2', ['report', join(job, 'nope')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/JobReport 101/);
  });
});

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { makeTaskDir, workDir } from './i2run-tasks.js';

// i2run as a real process against a task directory of test tasks running coreutils (cat, false).
let taskDir: string;
let TEXT: string;
beforeAll(() => {
  taskDir = makeTaskDir();
  TEXT = join(workDir(), 'hello.txt');
  writeFileSync(TEXT, 'hello\nworld\n');
});

const env = () => ({ ...process.env, CCP4I2_TASK_PATH: taskDir });
const i2run = (args: string[], cwd = workDir()) => ({ cwd, ...runCli('i2run', args, { cwd, env: env() }) });
const jobDir = (cwd: string, task: string, n: number) =>
  join(cwd, 'i2run_projects', task, 'CCP4_JOBS', `job_${n}`);

describe('i2run help', () => {
  it('--help lists the registered tasks, built-in and from task directories', () => {
    const r = i2run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: i2run TASK/);
    for (const t of ['demo_copycell', 'gemmi_cell', 'mtzdump', 'cattask', 'sleeper'])
      expect(r.stdout).toMatch(new RegExp(`^  ${t}\\b`, 'm'));
    expect(r.stdout).toMatch(/cattask +Test task running cat/);
  });

  it('--task-dir adds a task directory without the environment variable', () => {
    const cwd = workDir();
    const r = runCli('i2run', ['--task-dir', taskDir, '--help'], { cwd });
    expect(r.stdout).toMatch(/^ {2}cattask\b/m);
    const plain = runCli('i2run', ['--help'], { cwd, env: { ...process.env, CCP4I2_TASK_PATH: '' } });
    expect(plain.stdout).not.toMatch(/cattask/);
  });

  it('no task is a usage error (exit 2)', () => {
    const r = i2run([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Usage: i2run/);
  });

  it('TASK --help lists the parameters: option, path, class, default, guiLabel', () => {
    const r = i2run(['cattask', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--TEXTIN +CDataFile +inputData\.TEXTIN +required, must exist +"Text to print"/);
    expect(r.stdout).toMatch(/--NCYC +CInt +controlParameters\.NCYC +default 5 +"Number of cycles"/);
    expect(r.stdout).toMatch(/--FILES +CList<CDataFile>/);
    // XNAME is in two containers: its shortest unique names are the dotted ones.
    expect(r.stdout).toMatch(/--inputData\.XNAME +CString/);
    expect(r.stdout).toMatch(/--controlParameters\.XNAME +CString/);
    expect(r.stdout).toMatch(/def file: .*cattask\.def\.xml/);
  });

  it('a def file with errors: TASK --help lists what loaded and the errors (exit 2); the task does not run', () => {
    const dir = workDir();
    writeFileSync(
      join(dir, 'broken.def.xml'),
      `<ccp4i2><ccp4i2_header><pluginName>broken</pluginName></ccp4i2_header><ccp4i2_body>
      <container id="inputData"><content id="GOOD"><className>CInt</className></content>
      <content id="BAD"><className>CNoSuchClass</className></content></container></ccp4i2_body></ccp4i2>`,
    );
    const h = i2run(['--task-dir', dir, 'broken', '--help']);
    expect(h.status).toBe(2);
    expect(h.stdout).toMatch(/--GOOD +CInt/);
    expect(h.stderr).toMatch(/CNoSuchClass.*\[CContainer 103\]/);
    const r = i2run(['--task-dir', dir, 'broken', '--GOOD', '1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the task definition has errors/);
    // A task with a def file and no module is a plain CPluginScript: no program to run.
    writeFileSync(
      join(dir, 'plain.def.xml'),
      '<ccp4i2><ccp4i2_header><pluginName>plain</pluginName></ccp4i2_header><ccp4i2_body><container id="inputData"/></ccp4i2_body></ccp4i2>',
    );
    const p = i2run(['--task-dir', dir, 'plain']);
    expect(p.status).toBe(1);
    expect(p.stderr).toMatch(/\[CPluginScript 100\]/);
  });

  it('a task directory with a module that does not load is a warning; the other tasks still work', () => {
    const dir = workDir();
    writeFileSync(
      join(dir, 'bad.def.xml'),
      '<ccp4i2><ccp4i2_header><pluginName>bad</pluginName></ccp4i2_header><ccp4i2_body/></ccp4i2>',
    );
    writeFileSync(join(dir, 'bad.mjs'), 'export default class {'); // a syntax error
    const h = i2run(['--task-dir', dir, '--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/^ {2}cattask\b/m);
    expect(h.stdout).toMatch(/bad\.mjs: task module cannot be loaded.*\[CPluginScript 115\]/);
    const r = i2run(['--task-dir', dir, 'cattask', '--TEXTIN', TEXT]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/i2run: warning: .*bad\.mjs.*\[CPluginScript 115\]/);
  });

  it('an unknown task is exit 2 and lists the known ones', () => {
    const r = i2run(['nosuchtask', '--X', '1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown task 'nosuchtask' \[CPluginScript 108\]/);
    expect(r.stderr).toMatch(/known tasks: .*cattask/);
  });
});

describe('i2run parameters', () => {
  it('runs a task: job directory, status, outputs with full paths and values, exit 0', () => {
    const r = i2run(['cattask', '--TEXTIN', TEXT, '--TITLE', 'my', 'title', '--NCYC', '7']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    const job = jobDir(r.cwd, 'cattask', 1);
    expect(r.stdout).toContain(`job directory: ${job}\n`);
    expect(r.stdout).toMatch(/^status: SUCCEEDED$/m);
    expect(r.stdout).toMatch(new RegExp(`TEXTOUT +${join(job, 'TEXTOUT.txt')}`));
    expect(r.stdout).toMatch(/NLINES +5$/m);
    // A value with a space is quoted for CCP4's keyword parser (one token, not two).
    expect(readFileSync(join(job, 'com.txt'), 'utf8')).toBe('TITLE "my title"\nNCYC 7\nEND\n');
    expect(readFileSync(join(job, 'log.txt'), 'utf8')).toBe('TITLE "my title"\nNCYC 7\nEND\nhello\nworld\n');
    for (const f of ['params.xml', 'input_params.xml', 'stderr.txt'])
      expect(existsSync(join(job, f))).toBe(true);
    expect(existsSync(join(r.cwd, 'i2run_projects/cattask/CCP4_IMPORTED_FILES'))).toBe(true);
    // Not a terminal: plain status lines on stderr.
    expect(r.stderr).toMatch(/^i2run: cattask job 1 running in /m);
  });

  it('numbers jobs with the next free N in the project', () => {
    const cwd = workDir();
    expect(i2run(['cattask', '--TEXTIN', TEXT], cwd).status).toBe(0);
    expect(i2run(['cattask', '--TEXTIN', TEXT], cwd).status).toBe(0);
    const r = i2run(['cattask', '--TEXTIN', TEXT, '--project_name', 'p2'], cwd);
    expect(r.status).toBe(0);
    expect(readdirSync(join(cwd, 'i2run_projects/cattask/CCP4_JOBS')).sort()).toEqual(['job_1', 'job_2']);
    expect(r.stdout).toContain(jobDir(cwd, 'p2', 1));
    const p = join(cwd, 'elsewhere');
    const r2 = i2run(['cattask', '--project_path', p, '--TEXTIN', TEXT], cwd);
    expect(r2.stdout).toContain(join(p, 'CCP4_JOBS', 'job_1'));
  });

  it('accepts dotted paths, fullPath= and sub-fields, cells, lists, boolean flags, --NAME=value', () => {
    const r = i2run([
      'cattask',
      '--inputData.TEXTIN',
      `fullPath=${TEXT}`,
      'annotation=some text',
      '--CELL',
      'a=34.089',
      'b=54.816',
      'c=68.011',
      '--FILES',
      TEXT,
      '--FILES',
      `fullPath=${TEXT}`,
      '--FLAG',
      '--controlParameters.XNAME=x1',
      '--NCYC=3',
    ]);
    expect(r.stderr).toBe(r.stderr.replace(/error/gi, ''));
    expect(r.status).toBe(0);
    const job = jobDir(r.cwd, 'cattask', 1);
    expect(readFileSync(join(job, 'com.txt'), 'utf8')).toBe(
      'TITLE \nNCYC 3\nFLAG\nCELL 34.089 54.816 68.011\nEND\n',
    );
    const params = readFileSync(join(job, 'params.xml'), 'utf8');
    expect(params).toMatch(/<annotation>some text<\/annotation>/);
    expect(params.match(/<CDataFile>/g)?.length).toBe(2); // two FILES items
    expect(params).toMatch(/<controlParameters>[\s\S]*<XNAME>x1<\/XNAME>/);
  });

  it("nested sub-fields of a file in CCP4i2's a/b form; explicit members win over detection", () => {
    const pdb = join(FIXTURES, 'data/gamma/gamma_model.pdb');
    const r = i2run([
      'cattask',
      '--TEXTIN',
      TEXT,
      '--XYZIN',
      `fullPath=${pdb}`,
      'selection/text=A/',
      'subType=1',
    ]);
    expect(r.status).toBe(0);
    const params = readFileSync(join(jobDir(r.cwd, 'cattask', 1), 'params.xml'), 'utf8');
    const xyzin = /<XYZIN>[\s\S]*?<\/XYZIN>/.exec(params)?.[0] ?? '';
    expect(xyzin).toMatch(/<selection>\s*<text>A\/<\/text>\s*<\/selection>/);
    expect(xyzin).toMatch(/<subType>1<\/subType>/);
    expect(xyzin).toMatch(/<contentFlag>1<\/contentFlag>/); // PDB format, detected
    const bad = i2run(['cattask', '--TEXTIN', TEXT, '--XYZIN', `fullPath=${pdb}`, 'subType=9']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/inputData\.XYZIN\.subType: .*\[CInt 103\]/);
  });

  it('a cell as six words in member order', () => {
    const r = i2run(['cattask', '--TEXTIN', TEXT, '--CELL', '10', '20', '30', '90', '90', '90']);
    expect(r.status).toBe(0);
    expect(readFileSync(join(jobDir(r.cwd, 'cattask', 1), 'com.txt'), 'utf8')).toMatch(
      /^CELL 10\.0 20\.0 30\.0$/m,
    );
  });

  it('unknown parameter: exit 2, coded, with candidates; nothing created', () => {
    const r = i2run(['cattask', '--TEXTIM', TEXT]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/task cattask has no parameter 'TEXTIM' \[i2run 2\]/);
    expect(r.stderr).toMatch(/did you mean: --TEXTIN/);
    expect(existsSync(join(r.cwd, 'i2run_projects'))).toBe(false); // no job, no project made
  });

  it('ambiguous parameter: exit 2 listing the full paths', () => {
    const r = i2run(['cattask', '--TEXTIN', TEXT, '--XNAME', 'a']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--XNAME matches 2 parameters \[i2run 3\]/);
    expect(r.stderr).toMatch(/--inputData\.XNAME, --controlParameters\.XNAME/);
  });

  it('bad values: exit 1, every error printed, naming the parameter', () => {
    const r = i2run(['cattask', '--TEXTIN', TEXT, '--NCYC', 'abc', '--CELL', 'a=1', 'q=2']);
    expect(r.status).toBe(2); // unknown member of a cell is a usage error
    expect(r.stderr).toMatch(/CCell has no member 'q' \[i2run 7\]/);
    const b = i2run(['cattask', '--TEXTIN', TEXT, '--NCYC', 'abc', '--CELL', 'a=x']);
    expect(b.status).toBe(1);
    expect(b.stderr).toMatch(/controlParameters\.NCYC: bad value for --NCYC: .*\[i2run 4\]/);
    expect(b.stderr).toMatch(/inputData\.CELL: bad value for --CELL: .*'x'.*\[i2run 4\]/);
    expect(existsSync(join(b.cwd, 'i2run_projects'))).toBe(false); // no job, no project made
  });

  it('validation before running: out of range, missing required input, missing file (exit 1)', () => {
    const r = i2run(['cattask', '--TEXTIN', TEXT, '--NCYC', '500']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/controlParameters\.NCYC: .*\[CInt 102\]/);
    const m = i2run(['cattask']);
    expect(m.status).toBe(1);
    expect(m.stderr).toMatch(/inputData\.TEXTIN: .*\[CDataFile 100\]/);
    const f = i2run(['cattask', '--TEXTIN', 'no/such/file.txt']);
    expect(f.status).toBe(1);
    expect(f.stderr).toMatch(/no\/such\/file\.txt does not exist\) \[CDataFile 101\]/);
    expect(existsSync(join(f.cwd, 'i2run_projects'))).toBe(false); // no job, no project made
  });

  it('an output in a directory that does not exist is refused before running', () => {
    const r = i2run(['cattask', '--TEXTIN', TEXT, '--TEXTOUT', 'no/such/dir/out.txt']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /outputData\.TEXTOUT: the directory of output TEXTOUT does not exist: .*no\/such\/dir \[i2run 4\]/,
    );
    expect(existsSync(join(r.cwd, 'i2run_projects'))).toBe(false); // no job, no project made
  });

  it('usage errors: stray words, an option without its value, a value missing', () => {
    expect(i2run(['cattask', 'stray']).status).toBe(2);
    expect(i2run(['cattask', '--TEXTIN', TEXT, '--project_path']).status).toBe(2);
    const r = i2run(['cattask', '--TEXTIN', TEXT, '--NCYC']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--NCYC needs a value \[i2run 5\]/);
    expect(i2run(['cattask', '--TEXTIN', TEXT, '--project_name', '../x']).status).toBe(2);
    const cwd = workDir();
    writeFileSync(join(cwd, 'afile'), '');
    const p = i2run(['cattask', '--TEXTIN', TEXT, '--project_path', 'afile/p'], cwd);
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(
      /cannot create the project directory .*afile\/p: .*afile is not a directory: a file is in the way \[i2run 8\]/,
    );
  });

  it('--dry-run prints the argv and the stdin script, runs nothing, creates nothing', () => {
    const r = i2run(['cattask', '--TEXTIN', TEXT, '--TITLE', 'dry', '--dry-run']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`argv: ${JSON.stringify(['cat', '-', TEXT])}`);
    expect(r.stdout).toMatch(/stdin \(com\.txt\):\n {2}TITLE dry\n {2}NCYC 5\n {2}END\n/);
    expect(existsSync(join(r.cwd, 'i2run_projects'))).toBe(false);
  });

  it('--params starts from a CCP4i2 params file; the command line overrides it', () => {
    const cwd = workDir();
    expect(
      i2run(['cattask', '--TEXTIN', TEXT, '--TITLE', 'first', '--NCYC', '9', '--FILES', TEXT], cwd).status,
    ).toBe(0);
    const params = join(jobDir(cwd, 'cattask', 1), 'params.xml');
    const r = i2run(['cattask', '--params', params, '--TITLE', 'second'], cwd);
    expect(r.status).toBe(0);
    const job2 = jobDir(cwd, 'cattask', 2);
    expect(readFileSync(join(job2, 'com.txt'), 'utf8')).toBe('TITLE second\nNCYC 9\nEND\n');
    // Outputs of the old job are not reused: the new job names its own.
    expect(r.stdout).toContain(join(job2, 'TEXTOUT.txt'));
    // A list on the command line replaces the params file's items.
    const r3 = i2run(['cattask', '--params', params, '--FILES', TEXT, '--FILES', TEXT], cwd);
    expect(r3.status).toBe(0);
    expect(
      readFileSync(join(jobDir(cwd, 'cattask', 3), 'params.xml'), 'utf8').match(/<CDataFile>/g)?.length,
    ).toBe(2);
  });

  it("--params: an unreadable file is exit 2, another task's file is refused", () => {
    const cwd = workDir();
    const bad = join(cwd, 'bad.params.xml');
    writeFileSync(bad, '<ccp4i2><ccp4i2_body>');
    const r = i2run(['cattask', '--params', bad, '--TEXTIN', TEXT], cwd);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.params\.xml.*\[CXmlParser 1\]/);
    expect(i2run(['cattask', '--params', join(cwd, 'missing.xml')], cwd).status).toBe(2);
    // params.xml of a falsetask job given to cattask: CCP4i2's check of the header's pluginName.
    const f = i2run(['falsetask'], cwd);
    expect(f.status).toBe(1);
    const other = join(jobDir(cwd, 'falsetask', 1), 'params.xml');
    const o = i2run(['cattask', '--params', other, '--TEXTIN', TEXT], cwd);
    expect(o.status).toBe(1);
    expect(o.stderr).toMatch(/\[CContainer 111\]/);
  });

  it('UNSATISFACTORY is not success: exit 1', () => {
    const r = i2run(['unsat']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^status: UNSATISFACTORY$/m);
  });

  it('a program that fails: exit 1, FAILED, the error report and diagnostic.xml', () => {
    const r = i2run(['falsetask']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^status: FAILED$/m);
    expect(r.stderr).toMatch(/\[CPluginScript 101\]/);
    const diag = join(jobDir(r.cwd, 'falsetask', 1), 'diagnostic.xml');
    expect(r.stdout).toContain(`diagnostic: ${diag}`);
    expect(readFileSync(diag, 'utf8')).toMatch(/<code>101<\/code>/);
  });
});

describe('i2run columnLabels', () => {
  const mtz = join(FIXTURES, 'data/rnase/rnase18_Nat_Complexes.mtz');

  it('imports the chosen columns into CCP4_IMPORTED_FILES with the standard labels', async () => {
    const r = i2run([
      'cattask',
      '--TEXTIN',
      TEXT,
      '--F_SIGF',
      `fullPath=${mtz}`,
      'columnLabels=/*/*/[FNAT,SIGFNAT]',
    ]);
    expect(r.stderr).not.toMatch(/ERROR/);
    expect(r.status).toBe(0);
    const imported = join(r.cwd, 'i2run_projects/cattask/CCP4_IMPORTED_FILES');
    const files = readdirSync(imported);
    expect(files).toHaveLength(1);
    const { readMtz } = await import('../../src/index.js');
    const out = readMtz(join(imported, files[0]!));
    const src = readMtz(mtz);
    expect(out.columns.map((c) => c.label)).toEqual(['H', 'K', 'L', 'F', 'SIGF']);
    expect(Array.from(out.column('F').data)).toEqual(Array.from(src.column('FNAT').data));
    expect(Array.from(out.column('SIGF').data)).toEqual(Array.from(src.column('SIGFNAT').data));
    expect(out.cell).toEqual(src.cell);
    const params = readFileSync(join(jobDir(r.cwd, 'cattask', 1), 'params.xml'), 'utf8');
    expect(params).toMatch(/<F_SIGF>[\s\S]*<contentFlag>4<\/contentFlag>/);
  });

  it('a refused run removes the columns it imported, with the project it made', () => {
    const r = i2run([
      'cattask',
      '--TEXTIN',
      TEXT,
      '--NCYC',
      '500', // out of range: refused after the import
      '--F_SIGF',
      `fullPath=${mtz}`,
      'columnLabels=/*/*/[FNAT,SIGFNAT]',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/controlParameters\.NCYC: .*\[CInt 102\]/);
    expect(existsSync(join(r.cwd, 'i2run_projects'))).toBe(false);
  });

  it('--dry-run with columnLabels creates nothing in the project', () => {
    const r = i2run([
      'cattask',
      '--TEXTIN',
      TEXT,
      '--F_SIGF',
      `fullPath=${mtz}`,
      'columnLabels=[FNAT,SIGFNAT]',
      '--dry-run',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/dry run: imported columns are in /);
    expect(existsSync(join(r.cwd, 'i2run_projects'))).toBe(false);
  });

  it('refuses missing columns and columns that fit no content of the class', () => {
    const r = i2run([
      'cattask',
      '--TEXTIN',
      TEXT,
      '--F_SIGF',
      `fullPath=${mtz}`,
      'columnLabels=/*/*/[FX,SIGFNAT]',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no column FX in rnase18_Nat_Complexes\.mtz \[i2run 10\]/);
    expect(r.stderr).toMatch(/FNAT\(F\)/);
    const t = i2run([
      'cattask',
      '--TEXTIN',
      TEXT,
      '--F_SIGF',
      `fullPath=${mtz}`,
      'columnLabels=[FNAT,FreeR_flag]',
    ]);
    expect(t.status).toBe(2);
    expect(t.stderr).toMatch(/fit no content of CObsDataFile/);
    const c = i2run(['cattask', '--TEXTIN', `fullPath=${TEXT}`, 'columnLabels=[A,B]']);
    expect(c.status).toBe(2);
    expect(c.stderr).toMatch(/CDataFile has no columns/);
  });
});

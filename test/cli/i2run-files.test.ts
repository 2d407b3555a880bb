import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMtz, readMtz, writeMtz } from '../../src/index.js';
import { fullDevice, mkfifo, unixSocket } from '../files/helpers.js';
import { FIXTURES, ROOT } from '../helpers/cli.js';
import { makeTaskDir, workDir } from './i2run-tasks.js';

// Issue 10's reproductions, through the built i2run as a real process. Each run has a deadline: before
// the fixes a FIFO as XYZIN blocked i2run forever, and --project_path /proc/x spun at 100% CPU.

const I2RUN = resolve(ROOT, 'dist/bin/i2run.cjs');
const EXAMPLES = resolve(ROOT, 'examples');
let taskDir: string;

/** A task copying its (imported) F_SIGF to HKLOUT with coreutils' cp: the output shows what the job read. */
const MTZCOPY_DEF = `<?xml version='1.0'?>
<ccp4i2>
  <ccp4i2_header><function>DEF</function><pluginName>mtzcopy</pluginName></ccp4i2_header>
  <ccp4i2_body>
    <container id="inputData">
      <content id="F_SIGF"><className>CObsDataFile</className><qualifiers><mustExist>True</mustExist></qualifiers></content>
    </container>
    <container id="outputData">
      <content id="HKLOUT"><className>CDataFile</className><qualifiers><fileExtensions>mtz</fileExtensions></qualifiers></content>
    </container>
    <container id="controlParameters"/>
  </ccp4i2_body>
</ccp4i2>
`;
const mtzcopyModule = (dist: string) => `import { CPluginScript } from ${JSON.stringify(dist)};
export default class mtzcopy extends CPluginScript {
  static TASKNAME = 'mtzcopy';
  static TASKCOMMAND = 'cp';
  static COMLINETEMPLATE = '1 $F_SIGF $HKLOUT';
}
`;

beforeAll(() => {
  taskDir = makeTaskDir();
  writeFileSync(join(taskDir, 'mtzcopy.def.xml'), MTZCOPY_DEF);
  writeFileSync(join(taskDir, 'mtzcopy.mjs'), mtzcopyModule(pathToFileURL(join(ROOT, 'dist/index.js')).href));
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const env = () => ({ ...process.env, CCP4I2_TASK_PATH: taskDir });

/** i2run with a deadline (SIGKILL after it: a hang is a failure, not a stuck test run). */
function i2run(args: string[], cwd: string, seconds = 60): Run {
  const r = spawnSync(process.execPath, [I2RUN, ...args], {
    cwd,
    env: env(),
    encoding: 'utf8',
    timeout: seconds * 1000,
    killSignal: 'SIGKILL',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, timedOut: r.status === null };
}

/** The same, asynchronously: many at once. */
function i2runAsync(args: string[], cwd: string, seconds = 240): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [I2RUN, ...args], {
      cwd,
      env: env(),
      timeout: seconds * 1000,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('close', (status) => done({ status, stdout, stderr, timedOut: status === null }));
  });
}

/** A working directory holding copies of the example files. */
function examples(): string {
  const d = workDir();
  for (const f of ['merged_intensities_native.mtz', 'gamma_model.pdb'])
    copyFileSync(join(EXAMPLES, f), join(d, f));
  return d;
}

const copycell = (xyzin: string, xyzout: string, ...more: string[]) => [
  'demo_copycell',
  '--HKLIN',
  'merged_intensities_native.mtz',
  '--XYZIN',
  xyzin,
  '--XYZOUT',
  xyzout,
  ...more,
];

// A refused i2run leaves nothing: no job, and no project it made.
const noJob = (cwd: string) => expect(existsSync(join(cwd, 'i2run_projects'))).toBe(false);

describe('i2run: inputs that are not regular files', () => {
  it('a FIFO as XYZIN is a coded error, with and without --dry-run (it blocked forever)', () => {
    const cwd = examples();
    mkfifo(join(cwd, 'fifo.pdb'));
    for (const extra of [['--dry-run'], []]) {
      const r = i2run(copycell('fifo.pdb', 'out.pdb', ...extra), cwd, 30);
      expect(r.timedOut).toBe(false);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/XYZIN: .*fifo\.pdb is a FIFO, not a regular file.*\[CPdbDataFile 101\]/);
    }
  });

  it('a FIFO as --params is a coded error', () => {
    const cwd = examples();
    mkfifo(join(cwd, 'in.params.xml'));
    const r = i2run(['demo_copycell', '--params', 'in.params.xml'], cwd, 30);
    expect(r.timedOut).toBe(false);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/a FIFO, not a regular file \[CXmlParser 6\]/);
  });
});

describe('i2run: outputs are refused before anything runs', () => {
  it('a character device, a FIFO, a directory and a socket as XYZOUT: FileAccess 1, left as they were', async () => {
    const cwd = examples();
    mkfifo(join(cwd, 'fifo.pdb'));
    mkdirSync(join(cwd, 'dir.pdb'));
    const sock = await unixSocket(join(cwd, 'sock.pdb'));
    const device = fullDevice(cwd);
    try {
      for (const [out, kind] of [
        [device, 'a character device'],
        ['fifo.pdb', 'a FIFO'],
        ['dir.pdb', 'a directory'],
        ['sock.pdb', 'a socket'],
      ] as const) {
        const r = i2run(copycell('gamma_model.pdb', out), cwd, 30);
        expect(r.timedOut).toBe(false);
        expect(r.status).toBe(1);
        expect(r.stderr).toContain(`XYZOUT: cannot write: it is ${kind}, not a regular file [FileAccess 1]`);
      }
    } finally {
      sock.close();
    }
    expect(statSync(device).isCharacterDevice()).toBe(true);
    expect(statSync(join(cwd, 'fifo.pdb')).isFIFO()).toBe(true);
    noJob(cwd);
  });

  it("the job's own input as output (HKLIN in.mtz --XYZOUT in.mtz, also through a link or ..): FileAccess 5", () => {
    const cwd = examples();
    const before = readFileSync(join(cwd, 'merged_intensities_native.mtz'));
    mkdirSync(join(cwd, 'sub'));
    symlinkSync('merged_intensities_native.mtz', join(cwd, 'alias.mtz'));
    for (const out of [
      'merged_intensities_native.mtz',
      'sub/../merged_intensities_native.mtz',
      'gamma_model.pdb',
    ]) {
      const r = i2run(copycell('gamma_model.pdb', out), cwd, 30);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(
        /XYZOUT: will not write: it is the input container\.inputData\.(HKLIN|XYZIN) .*\[FileAccess 5\]/,
      );
    }
    // Through a link, even when links are allowed: the link's target is the input.
    const r = i2run(copycell('gamma_model.pdb', 'alias.mtz', '--write-through-symlinks'), cwd, 30);
    expect(r.stderr).toMatch(
      /will not write: it is the input container\.inputData\.HKLIN .*\[FileAccess 5\]/,
    );
    expect(readFileSync(join(cwd, 'merged_intensities_native.mtz')).equals(before)).toBe(true);
    noJob(cwd);
  });

  it('a symbolic link as output: FileAccess 4, unless --write-through-symlinks (then its target is written)', () => {
    const cwd = workDir();
    writeFileSync(join(cwd, 'in.txt'), 'some text\n');
    writeFileSync(join(cwd, 'target.txt'), 'old\n');
    symlinkSync('target.txt', join(cwd, 'link.txt'));
    const args = ['cattask', '--TEXTIN', 'in.txt', '--TEXTOUT', 'link.txt'];
    const refused = i2run(args, cwd, 30);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /TEXTOUT: will not write: it is a symbolic link \(to target\.txt\).*\[FileAccess 4\]/,
    );
    expect(readFileSync(join(cwd, 'target.txt'), 'utf8')).toBe('old\n');
    const allowed = i2run([...args, '--write-through-symlinks'], cwd, 60);
    expect(allowed.stderr).not.toMatch(/ERROR/);
    expect(allowed.status).toBe(0);
    expect(readFileSync(join(cwd, 'target.txt'), 'utf8')).toMatch(/some text/);
  });
});

describe('i2run: project paths are checked before mkdir', () => {
  it('--project_path under /proc or /sys, or below a file: i2run 8 at once (it spun at 100% CPU)', () => {
    const cwd = examples();
    writeFileSync(join(cwd, 'afile'), '');
    for (const [path, why] of [
      ['/proc/x', /in \/proc, a kernel file system/],
      ['/sys/x/y', /in \/sys, a kernel file system/],
      ['afile/project', /afile is not a directory/],
    ] as const) {
      for (const extra of [[], ['--dry-run']]) {
        const r = i2run(copycell('gamma_model.pdb', 'out.pdb', '--project_path', path, ...extra), cwd, 30);
        expect(r.timedOut).toBe(false);
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(why);
        expect(r.stderr).toMatch(/\[i2run 8\]/);
      }
    }
    expect(existsSync('/proc/x')).toBe(false);
  });
});

describe('i2run: concurrent column imports', () => {
  it('20 i2runs at once into one project, A/data.mtz and B/data.mtz alternating: each job gets its own file', async () => {
    const cwd = workDir();
    const src = readMtz(join(FIXTURES, 'data/rnase/rnase18_Nat_Complexes.mtz'));
    // Two crystals' data under one base name: B's FNAT is A's doubled.
    const make = (scale: number) =>
      createMtz({
        title: `crystal x${scale}`,
        cell: src.cell,
        spaceGroup: src.spaceGroup,
        datasets: src.datasets,
        columns: ['H', 'K', 'L', 'FNAT', 'SIGFNAT'].map((l) => {
          const c = src.column(l);
          return {
            label: l,
            type: c.type,
            datasetId: c.datasetId,
            data: l === 'FNAT' ? c.data.map((v) => v * scale) : Float32Array.from(c.data),
          };
        }),
      });
    const sources = { A: make(1), B: make(2) };
    for (const [k, m] of Object.entries(sources)) {
      mkdirSync(join(cwd, k));
      writeMtz(m, join(cwd, k, 'data.mtz'));
    }
    const jobs = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 'A' : 'B') as 'A' | 'B');
    const runs = await Promise.all(
      jobs.map((k, i) =>
        i2runAsync(
          [
            'mtzcopy',
            '--F_SIGF',
            `fullPath=${k}/data.mtz`,
            'columnLabels=/*/*/[FNAT,SIGFNAT]',
            '--HKLOUT',
            `out_${i}.mtz`,
            '--project_name',
            'shared',
          ],
          cwd,
        ),
      ),
    );
    for (const [i, r] of runs.entries()) {
      expect(r.timedOut, `job ${i}`).toBe(false);
      expect(r.stderr, `job ${i}`).not.toMatch(/ERROR/);
      expect(r.status, `job ${i}`).toBe(0);
      // What the job's program read is in its output: the F column of the right crystal.
      const out = readMtz(join(cwd, `out_${i}.mtz`));
      expect(out.title).toBe(sources[jobs[i]!].title);
      expect(Array.from(out.column('F').data)).toEqual(Array.from(sources[jobs[i]!].column('FNAT').data));
    }
    // One imported file per distinct source, complete, and no temporary files left.
    const imported = readdirSync(join(cwd, 'i2run_projects/shared/CCP4_IMPORTED_FILES')).sort();
    expect(imported).toHaveLength(2);
    for (const f of imported) expect(f).toMatch(/^data_F_SIGF_FNAT_SIGFNAT_[0-9a-f]{12}\.mtz$/);
    const titles = imported.map(
      (f) => readMtz(join(cwd, 'i2run_projects/shared/CCP4_IMPORTED_FILES', f)).title,
    );
    expect(titles.sort()).toEqual(['crystal x1', 'crystal x2']);
    expect(readdirSync(join(cwd, 'i2run_projects/shared/CCP4_JOBS'))).toHaveLength(20);
  }, 300_000);
});

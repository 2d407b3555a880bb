// Projects and jobs database, each figure beside a baseline measured in the same run (docs/benchmarks.md):
// (a) recording cost: 200 CPluginScript jobs running `true` recorded in a database (row created, started,
//     finished, heartbeat off) vs the same jobs unrecorded, interleaved one by one;
// (b) `ccp4i2 jobs list --json` on a project of 10,000 jobs (a fresh node each time, start-up included)
//     vs `sqlite3 -json` reading the same rows, and vs a bare `node -e 0`; medians of 7;
// (c) 20 concurrent `i2run demo_copycell` into one project of one database vs 20 concurrent i2runs each
//     into a database of its own (no shared lock, no shared numbering); medians of 3.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JobDatabase, JobStatus, recordJob } from '../dist/db/index.js';
import { CPluginScript } from '../dist/plugins/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

class TrueTask extends CPluginScript {
  static TASKNAME = 'true_task';
  static TASKCOMMAND = 'true';
}

function timed(cmd, args, env = process.env) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return { ms: performance.now() - t0, out: r.stdout };
}

function run(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { cwd, stdio: 'ignore' });
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')}: exit ${code}`))));
  });
}

export default async function bench() {
  const root = mkdtempSync(join(tmpdir(), 'ccp4i2-bench-db-'));
  try {
    // (a)
    const db = JobDatabase.open(join(root, 'a.sqlite'));
    const project = db.projects.create('a', join(root, 'a'));
    await new TrueTask({ workDirectory: join(root, 'warm'), defFile: null }).process();
    const N = 200;
    let bare = 0;
    let recorded = 0;
    for (let i = 0; i < N; i++) {
      let t0 = performance.now();
      await new TrueTask({ workDirectory: join(root, 'bare', `job_${i}`), defFile: null }).process();
      bare += performance.now() - t0;
      t0 = performance.now();
      const dir = join(root, 'a', `job_${i}`);
      const job = db.jobs.create({
        projectId: project.id,
        taskName: 'true_task',
        directory: dir,
        status: JobStatus.PENDING,
      });
      const plugin = new TrueTask({ workDirectory: dir, defFile: null });
      const stop = recordJob(db, plugin, { project, job, heartbeatMs: 0 });
      const s = await plugin.process();
      stop();
      recorded += performance.now() - t0;
      if (s !== 0) throw new Error(`job ${i} ended ${s}`);
    }
    if (db.jobs.count({ projectId: project.id, status: JobStatus.FINISHED }) !== N)
      throw new Error('jobs lost');
    db.close();
    console.log(
      `(a) CPluginScript of true, no database: ${(bare / N).toFixed(3)} ms/job (${N} jobs, interleaved)`,
    );
    console.log(`    recorded in the database:           ${(recorded / N).toFixed(3)} ms/job`);
    console.log(
      `    ratio ${(recorded / bare).toFixed(3)}, added ${((recorded - bare) / N).toFixed(3)} ms/job (target < 0.5)`,
    );

    // (b)
    const file = join(root, 'b.sqlite');
    const big = JobDatabase.open(file);
    const p = big.projects.create('big', join(root, 'big'));
    big.transaction('filling', () => {
      for (let i = 1; i <= 10_000; i++)
        big.jobs.create({
          projectId: p.id,
          taskName: 'mtzdump',
          number: String(i),
          directory: join(root, 'big', `job_${i}`),
          status: JobStatus.FINISHED,
        });
    });
    big.close();
    const cli = join(ROOT, 'dist/bin/ccp4i2.cjs');
    const sql = `SELECT * FROM jobs WHERE project_id = '${p.id}' AND parent_id IS NULL ORDER BY created, rowid`;
    const list = [];
    const sqlite = [];
    const node = [];
    for (let i = 0; i < 7; i++) {
      const r = timed(process.execPath, [cli, 'jobs', 'list', '--json', '-p', 'big', '--db', file]);
      if (JSON.parse(r.out).length !== 10_000) throw new Error('jobs list lost rows');
      list.push(r.ms);
      sqlite.push(timed('sqlite3', ['-json', file, sql]).ms);
      node.push(timed(process.execPath, ['-e', '0']).ms);
    }
    console.log(
      `(b) jobs list --json, 10,000 jobs: ${median(list).toFixed(0)} ms (target < 100 ms, node start-up included)`,
    );
    console.log(
      `    sqlite3 -json, same rows:       ${median(sqlite).toFixed(0)} ms; node -e 0: ${median(node).toFixed(0)} ms`,
    );
    console.log(
      `    ratio list/sqlite3 ${(median(list) / median(sqlite)).toFixed(2)}, list/(node -e 0) ${(median(list) / median(node)).toFixed(2)}`,
    );

    // (c)
    const i2run = join(ROOT, 'dist/bin/i2run.cjs');
    const args = [
      'demo_copycell',
      '--HKLIN',
      join(ROOT, 'examples/merged_intensities_native.mtz'),
      '--XYZIN',
      join(ROOT, 'examples/gamma_model.pdb'),
    ];
    const shared = [];
    const separate = [];
    for (let r = 0; r < 3; r++) {
      const dir = join(root, `c${r}`);
      let t0 = performance.now();
      await Promise.all(
        Array.from({ length: 20 }, () =>
          run(
            process.execPath,
            [i2run, ...args, '--db', join(dir, 'one.sqlite'), '--project_path', join(dir, 'shared')],
            root,
          ),
        ),
      );
      shared.push(performance.now() - t0);
      t0 = performance.now();
      await Promise.all(
        Array.from({ length: 20 }, (_, k) =>
          run(
            process.execPath,
            [i2run, ...args, '--db', join(dir, `own${k}.sqlite`), '--project_path', join(dir, `own${k}`)],
            root,
          ),
        ),
      );
      separate.push(performance.now() - t0);
    }
    console.log(`(c) 20 concurrent i2runs, one project and database: ${median(shared).toFixed(0)} ms`);
    console.log(
      `    20 concurrent i2runs, a database each:          ${median(separate).toFixed(0)} ms; ratio ${(median(shared) / median(separate)).toFixed(2)}`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

// SLURM (issue 14), against the machine's real controller (.ci/slurm-up.sh), each figure beside a
// baseline of the same run:
// (a) submit-to-finished of a job running `true`: `i2run truetask --executor slurm` (registration,
//     input_params.xml, sbatch, the node's `ccp4i2 run-prepared`, polling every 250 ms, recording) against
//     raw `sbatch --wrap true` + `squeue -j` every 250 ms until it is gone; interleaved, medians. Where the
//     time goes, from the job directory's file times: the coordinator until slurm.argv is written (start-up,
//     database, input_params.xml), SLURM until the node's runner starts (runner.txt made: sbatch,
//     scheduling, slurmstepd), the runner (until slurm.status says it ended), then the coordinator seeing
//     the end and exiting. CCP4I2_BENCH_OTHER_DIST=/path/to/dist also times another build (e.g. main's) of
//     i2run and its node runner in the same interleaved run.
// (b) 200 held (queued) jobs followed by one SlurmMonitor for a minute at the default 5 s interval: squeue
//     calls per minute and the coordinator's CPU, beside one squeue for one job.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SlurmMonitor, submitJob } from '../dist/process/slurm/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const POLL_MS = 250;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function rawTrue(dir) {
  const t0 = performance.now();
  const id = execFileSync(
    'sbatch',
    ['--parsable', `--chdir=${dir}`, '--output=/dev/null', '--wrap', 'true'],
    {
      encoding: 'utf8',
    },
  ).trim();
  for (;;) {
    const q = spawnSync('squeue', ['-h', '-j', id], { encoding: 'utf8' });
    if (q.status === 0 && q.stdout.trim() === '') break;
    if (q.status !== 0 && !/Invalid job id/.test(q.stderr)) throw new Error(q.stderr);
    const t = performance.now();
    while (performance.now() - t < POLL_MS)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, POLL_MS);
  }
  return performance.now() - t0;
}

/** One i2run of truetask through SLURM with `dist`'s build; its total and the parts (ms, from file times). */
function i2runTrue(cwd, tasks, dist) {
  const wall0 = Date.now();
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      join(dist, 'bin/i2run.cjs'),
      'truetask',
      '--executor',
      'slurm',
      '--db',
      join(cwd, 'db.sqlite'),
      '--json',
    ],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, CCP4I2_TASK_PATH: tasks, CCP4I2_SLURM_POLL_MS: String(POLL_MS) },
    },
  );
  const total = performance.now() - t0;
  if (r.status !== 0) throw new Error(`i2run failed: ${r.stderr}${r.stdout}`);
  const dir = JSON.parse(r.stdout).jobDirectory;
  const t = (f, k = 'mtimeMs') => statSync(join(dir, f))[k];
  const submitted = t('slurm.argv');
  const started = t('runner.txt', 'birthtimeMs');
  const ended = t('slurm.status');
  return {
    total,
    coordinator: submitted - wall0,
    slurm: started - submitted,
    runner: ended - started,
    end: wall0 + total - ended,
    ours: total - (started - submitted),
  };
}

function taskDir(root, distDir = join(ROOT, 'dist')) {
  const d = mkdtempSync(join(root, 'tasks-'));
  const dist = pathToFileURL(join(distDir, 'index.js')).href;
  writeFileSync(
    join(d, 'truetask.def.xml'),
    `<?xml version='1.0'?><ccp4i2><ccp4i2_header><function>DEF</function><pluginName>truetask</pluginName></ccp4i2_header><ccp4i2_body><container id="inputData"/><container id="outputData"/><container id="controlParameters"/></ccp4i2_body></ccp4i2>\n`,
  );
  writeFileSync(
    join(d, 'truetask.mjs'),
    `import { CPluginScript } from ${JSON.stringify(dist)};\nexport default class truetask extends CPluginScript {\n  static TASKNAME = 'truetask';\n  static TASKCOMMAND = 'true';\n}\n`,
  );
  return d;
}

export default async function bench() {
  if (spawnSync('scontrol', ['--version']).error) {
    console.log('slurm: skipped (no SLURM commands; start a controller with .ci/slurm-up.sh)');
    return;
  }
  // The SLURM tests' machine-wide lock (test/slurm/helpers.ts): no fault test restarts slurmctld meanwhile.
  // A lock whose holder is dead is taken over.
  const lock = join(process.env.CCP4I2_MACHINE_TMPDIR ?? tmpdir(), 'ccp4i2-slurm-tests.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      let holder = '';
      try {
        holder = readFileSync(join(lock, 'pid'), 'utf8').trim();
      } catch {}
      if (/^\d+$/.test(holder) && !existsSync(`/proc/${holder}`))
        rmSync(lock, { recursive: true, force: true });
      else await sleep(500);
    }
  }
  // A controller being restarted by a test that just ended gets a minute.
  let up = false;
  for (let i = 0; i < 30 && !up; i++) {
    up = /UP/.test(spawnSync('scontrol', ['ping'], { encoding: 'utf8' }).stdout ?? '');
    if (!up) await sleep(2000);
  }
  if (!up) {
    rmSync(lock, { recursive: true, force: true });
    console.log('slurm: skipped (no SLURM controller answering; start one with .ci/slurm-up.sh)');
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'ccp4i2-bench-slurm-'));
  try {
    // (a)
    const builds = [['this build', join(ROOT, 'dist')]];
    const other = process.env.CCP4I2_BENCH_OTHER_DIST;
    if (other) builds.push([`other build (${other})`, other]);
    const runs = builds.map(([name, dist]) => ({ name, dist, tasks: taskDir(root, dist), times: [] }));
    const N = 11;
    const raw = [];
    rawTrue(root); // warm up
    // The order turns each round: a job submitted right after another ended may wait for SLURM's cleanup.
    const steps = [() => raw.push(rawTrue(root))];
    for (const b of runs)
      steps.push(() => b.times.push(i2runTrue(mkdtempSync(join(root, 'run-')), b.tasks, b.dist)));
    for (let i = 0; i < N; i++) for (let k = 0; k < steps.length; k++) steps[(i + k) % steps.length]();
    const r = median(raw);
    console.log(
      `(a) submit to finished, median of ${N} interleaved: raw sbatch+squeue ${r.toFixed(0)} ms; target ${(1.2 * r + POLL_MS).toFixed(0)} ms (1.2 x raw + poll ${POLL_MS} ms)`,
    );
    for (const b of runs) {
      const m = (k) => median(b.times.map((x) => x[k])).toFixed(0);
      console.log(
        `    i2run --executor slurm, ${b.name}: ${m('total')} ms, ratio ${(Number(m('total')) / r).toFixed(2)}; medians of the parts: coordinator until sbatch ${m('coordinator')} ms, SLURM until the node's runner starts ${m('slurm')} ms, runner ${m('runner')} ms, end seen and i2run exits ${m('end')} ms; ours (all but SLURM's part) ${m('ours')} ms`,
      );
    }

    if (process.env.CCP4I2_BENCH_SLURM_ONLY_A) return;
    // (b)
    const jobs = [];
    for (let i = 0; i < 200; i++) {
      const dir = join(root, `held ${i}`);
      jobs.push(
        await submitJob({
          jobDirectory: dir,
          command: { argv: ['true'] },
          slurm: { extraArgs: ['--hold'], jobName: 'bench-held' },
        }),
      );
    }
    const one = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      execFileSync('squeue', [
        '--noheader',
        '--states=all',
        `--jobs=${jobs[0].jobId}`,
        '--format=%i|%T|%N|%r',
      ]);
      one.push(performance.now() - t0);
    }
    const all = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      execFileSync('squeue', [
        '--noheader',
        '--states=all',
        `--jobs=${jobs.map((j) => j.jobId).join(',')}`,
        '--format=%i|%T|%N|%r',
      ]);
      all.push(performance.now() - t0);
    }
    const monitor = new SlurmMonitor({ pollIntervalMs: 5000 });
    for (const j of jobs) monitor.follow(j);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await sleep(60_000);
    const minutes = (performance.now() - t0) / 60_000;
    const cpu = process.cpuUsage(cpu0);
    monitor.close();
    const pending = jobs.filter((j) => monitor.state(j.jobId)?.phase === 'pending').length;
    console.log(
      `(b) 200 queued jobs, one coordinator, 5 s interval: ${(monitor.stats.squeueCalls / minutes).toFixed(1)} squeue calls/min (target 12; one call per job would be 2400), ${monitor.stats.scontrolCalls} scontrol calls, ${pending}/200 seen pending; coordinator CPU ${((cpu.user + cpu.system) / 1000 / minutes).toFixed(0)} ms per minute; one squeue for 200 jobs ${median(all).toFixed(0)} ms vs for 1 job ${median(one).toFixed(0)} ms (ratio ${(median(all) / median(one)).toFixed(2)})`,
    );
    spawnSync('scancel', ['--name=bench-held']);
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(lock, { recursive: true, force: true });
  }
}

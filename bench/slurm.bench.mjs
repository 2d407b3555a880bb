// SLURM (issue 14), against the machine's real controller (.ci/slurm-up.sh), each figure beside a
// baseline of the same run:
// (a) submit-to-finished of a job running `true`: `i2run truetask --executor slurm` (registration,
//     input_params.xml, sbatch, the node's `ccp4i2 run-prepared`, polling every 250 ms, recording) against
//     raw `sbatch --wrap true` + `squeue -j` every 250 ms until it is gone; interleaved, medians.
// (b) 200 held (queued) jobs followed by one SlurmMonitor for a minute at the default 5 s interval: squeue
//     calls per minute and the coordinator's CPU, beside one squeue for one job.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

function i2runTrue(cwd, tasks) {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'dist/cli/i2run.js'), 'truetask', '--executor', 'slurm', '--db', join(cwd, 'db.sqlite')],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, CCP4I2_TASK_PATH: tasks, CCP4I2_SLURM_POLL_MS: String(POLL_MS) },
    },
  );
  if (r.status !== 0) throw new Error(`i2run failed: ${r.stderr}${r.stdout}`);
  return performance.now() - t0;
}

function taskDir(root) {
  const d = join(root, 'tasks');
  mkdirSync(d);
  const dist = pathToFileURL(join(ROOT, 'dist/index.js')).href;
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
  const ping = spawnSync('scontrol', ['ping'], { encoding: 'utf8' });
  if (ping.error || !/UP/.test(ping.stdout)) {
    console.log('slurm: skipped (no SLURM controller answering; start one with .ci/slurm-up.sh)');
    return;
  }
  // The SLURM tests' machine-wide lock (test/slurm/helpers.ts): no fault test restarts slurmctld meanwhile.
  const lock = join(process.env.CCP4I2_MACHINE_TMPDIR ?? tmpdir(), 'ccp4i2-slurm-tests.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      await sleep(500);
    }
  }
  const root = mkdtempSync(join(tmpdir(), 'ccp4i2-bench-slurm-'));
  try {
    // (a)
    const tasks = taskDir(root);
    const N = 5;
    const raw = [];
    const ours = [];
    rawTrue(root); // warm up
    for (let i = 0; i < N; i++) {
      raw.push(rawTrue(root));
      ours.push(i2runTrue(root, tasks));
    }
    const r = median(raw);
    const o = median(ours);
    console.log(
      `(a) submit to finished, median of ${N}: raw sbatch+squeue ${r.toFixed(0)} ms, i2run --executor slurm ${o.toFixed(0)} ms, ratio ${(o / r).toFixed(2)}; target ${(1.2 * r + POLL_MS).toFixed(0)} ms (1.2 x raw + poll ${POLL_MS} ms)`,
    );

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

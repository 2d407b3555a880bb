// Plugin runtime overhead, each figure beside raw child_process spawns measured in the same run:
// (a) 200 CPluginScript jobs running `true` (job directory, input_params.xml, params.xml, log files,
//     finished signal) vs 200 raw spawns of `true`, interleaved one by one;
// (b) a 10-step pipeline of `true` sub-jobs (await style) vs 10 raw spawns, 20 rounds; interleaved with
// (c) the same pipeline recorded in a projects database (src/db: a row per sub-job, its start and end
//     written in a transaction each, as `JobService.runPlugin` does);
// (d, through the API) demo_copycell, gemmi route, in this process (no node start-up), vs a raw spawn of
//     its only program `gemmi mtz FILE`, interleaved, and vs that program's run time inside the job
//     (processResult.durationMs); i2run's end-to-end figure is in bench/i2run.bench.mjs.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CPluginScript,
  JobDatabase,
  JobStatus,
  recordJob,
  TaskRegistry,
  taskRegistry,
} from '../dist/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MTZ = join(ROOT, 'test/fixtures/data/gamma/merged_intensities_native.mtz');
const PDB = join(ROOT, 'test/fixtures/data/gamma/gamma_model.pdb');

/** CPU time (user + system) of this process since `c0`, in ms: unlike wall time, barely moved by load. */
const cpuSince = (c0) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};

function rawTrue(cmd = 'true', args = []) {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: 'ignore' });
    c.on('error', reject);
    c.on('close', resolve);
  });
}

class TrueTask extends CPluginScript {
  static TASKNAME = 'true_task';
  static TASKCOMMAND = 'true';
}

class TenSteps extends CPluginScript {
  static TASKNAME = 'ten_steps';
  async process() {
    for (let i = 0; i < 10; i++) {
      const s = await this.runChild(this.makePluginObject('true_task'));
      if (s !== CPluginScript.SUCCEEDED) return CPluginScript.FAILED;
    }
    return CPluginScript.SUCCEEDED;
  }
}

export default async function bench() {
  const root = mkdtempSync(join(tmpdir(), 'ccp4i2-bench-plugins-'));
  const registry = new TaskRegistry();
  registry.register({ taskName: 'true_task', pluginClass: TrueTask });
  try {
    await rawTrue();
    await new TrueTask({ workDirectory: join(root, 'warm'), defFile: null }).process();
    const N = 200;
    let raw = 0;
    let plug = 0;
    let rawCpu = 0;
    let plugCpu = 0;
    for (let i = 0; i < N; i++) {
      let t0 = performance.now();
      let c0 = process.cpuUsage();
      await rawTrue();
      raw += performance.now() - t0;
      rawCpu += cpuSince(c0);
      t0 = performance.now();
      c0 = process.cpuUsage();
      const s = await new TrueTask({ workDirectory: join(root, `job_${i}`), defFile: null }).process();
      plug += performance.now() - t0;
      plugCpu += cpuSince(c0);
      if (s !== 0) throw new Error(`job ${i} ended ${s}`);
    }
    console.log(`(a) raw spawn of true:      ${(raw / N).toFixed(3)} ms/job (${N} jobs, interleaved)`);
    console.log(`    CPluginScript of true:  ${(plug / N).toFixed(3)} ms/job`);
    console.log(
      `    ratio plugin/raw:       ${(plug / raw).toFixed(2)}  (overhead ${((plug - raw) / N).toFixed(3)} ms/job)`,
    );
    console.log(
      `    CPU time of this process: raw ${(rawCpu / N).toFixed(3)} ms/job, plugin ${(plugCpu / N).toFixed(3)} ms/job`,
    );
    // A job creates five files and directories (a raw spawn none); what one costs here varies by orders of
    // magnitude with the file system's state (ext4 skipping recently deleted inodes: 0.03-1 ms each).
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) closeSync(openSync(join(root, `job_0/creat_${i}`), 'wx'));
    console.log(`    creating a file in ${root}: ${((performance.now() - t0) / 50).toFixed(3)} ms`);

    const R = 20;
    const db = JobDatabase.open(join(root, 'db.sqlite'));
    const project = db.projects.create('bench', join(root, 'project'));
    const pipeline = (dir, recorded) => {
      const workDirectory = join(root, dir);
      if (!recorded) return new TenSteps({ workDirectory, defFile: null, registry }).process();
      const job = db.jobs.create({ projectId: project.id, taskName: 'ten_steps', directory: workDirectory });
      const p = new TenSteps({ workDirectory, defFile: null, registry, jobNumber: job.number });
      const stop = recordJob(db, p, { project, job, heartbeatMs: 0 });
      return p.process().finally(stop);
    };
    await pipeline('pipe_warm', true);
    let raw10 = 0;
    let pipe10 = 0;
    let db10 = 0;
    const cpu = { raw: 0, pipe: 0, db: 0 };
    for (let r = 0; r < R; r++) {
      let t0 = performance.now();
      let c0 = process.cpuUsage();
      for (let i = 0; i < 10; i++) await rawTrue();
      raw10 += performance.now() - t0;
      cpu.raw += cpuSince(c0);
      for (const recorded of r % 2 ? [false, true] : [true, false]) {
        t0 = performance.now();
        c0 = process.cpuUsage();
        const s = await pipeline(`pipe_${r}_${recorded}`, recorded);
        if (recorded) db10 += performance.now() - t0;
        else pipe10 += performance.now() - t0;
        cpu[recorded ? 'db' : 'pipe'] += cpuSince(c0);
        if (s !== 0) throw new Error(`pipeline ${r} ended ${s}`);
      }
    }
    const steps = db.jobs.list({ projectId: project.id }).filter((j) => j.status === JobStatus.FINISHED);
    db.close();
    if (steps.length !== (R + 1) * 11) throw new Error(`${steps.length} finished job rows recorded`);
    const perStep = (t) => ((t - raw10) / (R * 10)).toFixed(3);
    console.log(`(b) 10 raw spawns of true:  ${(raw10 / R).toFixed(2)} ms (${R} rounds, interleaved)`);
    console.log(`    10-step pipeline:       ${(pipe10 / R).toFixed(2)} ms`);
    console.log(
      `    ratio pipeline/raw:     ${(pipe10 / raw10).toFixed(2)}  (overhead ${perStep(pipe10)} ms/step)`,
    );
    console.log(`(c) recorded in a database: ${(db10 / R).toFixed(2)} ms (${steps.length} job rows)`);
    console.log(
      `    ratio recorded/raw:     ${(db10 / raw10).toFixed(2)}  (overhead ${perStep(db10)} ms/step)`,
    );
    const cpuStep = (k) => (cpu[k] / (R * 10)).toFixed(3);
    console.log(
      `    CPU time of this process per step: raw ${cpuStep('raw')} ms, pipeline ${cpuStep('pipe')} ms, recorded ${cpuStep('db')} ms`,
    );

    const gemmiOk = await rawTrue('gemmi', ['--version']).then(
      (code) => code === 0,
      () => false,
    );
    if (!gemmiOk) {
      console.log('(d) skipped: gemmi not on PATH');
      return;
    }
    const Copy = taskRegistry.require('demo_copycell').pluginClass;
    const env = { PATH: '/usr/local/bin:/usr/bin:/bin', CCP4: undefined }; // no CCP4: the gemmi route
    const copycell = async (dir) => {
      const p = new Copy({ workDirectory: dir, env });
      p.inputData.find('HKLIN').set(MTZ);
      p.inputData.find('XYZIN').set(PDB);
      p.outputData.find('XYZOUT').set(join(dir, 'out.pdb'));
      const s = await p.process();
      if (s !== 0 || p.route !== 'gemmi') throw new Error(`demo_copycell ended ${s} (${p.route})`);
      return p.children()[0].processResult.durationMs;
    };
    await copycell(join(root, 'copy_warm'));
    const D = 15;
    let rawGemmi = 0;
    let inJob = 0;
    let wall = 0;
    for (let r = 0; r < D; r++) {
      let t0 = performance.now();
      await rawTrue('gemmi', ['mtz', MTZ]);
      rawGemmi += performance.now() - t0;
      t0 = performance.now();
      inJob += await copycell(join(root, `copy_${r}`));
      wall += performance.now() - t0;
    }
    console.log(`(d) raw spawn gemmi mtz FILE: ${(rawGemmi / D).toFixed(2)} ms (${D} rounds, interleaved)`);
    console.log(`    its run time in the job:  ${(inJob / D).toFixed(2)} ms (processResult.durationMs)`);
    console.log(`    demo_copycell wall time:  ${(wall / D).toFixed(2)} ms (API, gemmi route, 2 sub-jobs)`);
    console.log(
      `    ratio wall/raw program:   ${(wall / rawGemmi).toFixed(2)}  (runtime's own cost ${((wall - rawGemmi) / D).toFixed(2)} ms)`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CString } from '../../src/data/index.js';
import { CPluginScript, TaskRegistry } from '../../src/plugins/index.js';
import { defFile, program, read } from './helpers.js';

export const str = (p: CPluginScript, path: string) => p.container.find(path) as CString;

export class Step extends CPluginScript {
  static override TASKNAME = 'step';
  static override TASKCOMMAND = 'stepper';
  static override COMLINETEMPLATE = '1 $MODE $VALUE';
  static override ASYNCHRONOUS = true;
  override processOutputFiles() {
    const m = /^RESULT (.*)$/m.exec(this.logFileText());
    if (!m) {
      this.appendErrorReport(112, 'no RESULT line in log.txt');
      return CPluginScript.FAILED;
    }
    str(this, 'RESULT').set(m[1]);
  }
}

export class Upper extends CPluginScript {
  static override TASKNAME = 'upper';
  static override ASYNCHRONOUS = false;
  override startProcess() {
    str(this, 'RESULT').set(String(str(this, 'inputData.VALUE').value ?? '').toUpperCase());
    return Promise.resolve(CPluginScript.SUCCEEDED);
  }
}

function configure(child: CPluginScript, value: string | null, mode?: string | null) {
  str(child, 'inputData.VALUE').set(value);
  if (mode) str(child, 'MODE').set(mode);
}

/** The await style. */
export class AwaitPipe extends CPluginScript {
  static override TASKNAME = 'pipe';
  override async process(): Promise<number> {
    const a = this.makePluginObject('step');
    configure(a, str(this, 'inputData.VALUE').value as string, str(this, 'MODE1').value as string);
    if ((await this.runChild(a)) !== CPluginScript.SUCCEEDED) return CPluginScript.FAILED;
    const b = this.makePluginObject('upper');
    configure(b, str(a, 'RESULT').value as string);
    if ((await this.runChild(b)) !== CPluginScript.SUCCEEDED) return CPluginScript.FAILED;
    const c = this.makePluginObject('step');
    configure(c, str(b, 'RESULT').value as string, str(this, 'MODE2').value as string);
    const s = await this.runChild(c);
    if (s !== CPluginScript.SUCCEEDED) return s;
    str(this, 'outputData.RESULT').set(str(c, 'RESULT').value);
    return CPluginScript.SUCCEEDED;
  }
}

/** CCP4i2's legacy style: connectSignal(child, 'finished', this.process_N) ... postProcessWrapper. */
export class LegacyPipe extends CPluginScript {
  static override TASKNAME = 'pipe';
  a!: CPluginScript;
  b!: CPluginScript;
  c!: CPluginScript;
  override async process(): Promise<number> {
    this.a = this.makePluginObject('step');
    configure(this.a, str(this, 'inputData.VALUE').value as string, str(this, 'MODE1').value as string);
    this.connectSignal(this.a, 'finished', this.process_1);
    this.a.process();
    return CPluginScript.RUNNING;
  }
  process_1(status: number) {
    if (status !== CPluginScript.SUCCEEDED) {
      this.reportStatus(CPluginScript.FAILED);
      return;
    }
    this.b = this.makePluginObject('upper');
    configure(this.b, str(this.a, 'RESULT').value as string);
    this.connectSignal(this.b, 'finished', this.process_2);
    this.b.process();
  }
  process_2(status: number) {
    if (status !== CPluginScript.SUCCEEDED) {
      this.reportStatus(CPluginScript.FAILED);
      return;
    }
    this.c = this.makePluginObject('step');
    configure(this.c, str(this.b, 'RESULT').value as string, str(this, 'MODE2').value as string);
    this.connectSignal(this.c, 'finished', this.process_3, 'payload');
    this.c.process();
  }
  process_3(payload: { finishStatus: number }) {
    if (payload.finishStatus === CPluginScript.SUCCEEDED)
      str(this, 'outputData.RESULT').set(str(this.c, 'RESULT').value);
    this.postProcessWrapper(payload);
  }
}

/**
 * Test tasks: `step` runs a stand-in program (MODE ok: prints RESULT <value>-done; fail: exits 3;
 * hang: ignores SIGTERM, forks a child that ignores it too, records both pids in pids.txt); `upper` is
 * an in-process task (no program) upper-casing its VALUE. Two pipelines chain step -> upper -> step,
 * one in CCP4i2's legacy callback style, one with await.
 */
export function pipelineFixture(root: string): {
  bin: string;
  Step: typeof Step;
  Upper: typeof Upper;
  AwaitPipe: typeof AwaitPipe;
  LegacyPipe: typeof LegacyPipe;
  registry: (pipe: typeof CPluginScript) => TaskRegistry;
  recordedPids: (dir: string) => number[];
  pipeDef: string;
  str: typeof str;
} {
  const bin = join(root, 'bin');
  program(
    bin,
    'stepper',
    [
      'mode=$1; value=$2',
      'echo "step $mode $value"',
      'case $mode in',
      '  ok) echo "RESULT $value-done" ;;',
      '  fail) echo "stepper failed on $value" >&2; exit 3 ;;',
      "  hang) trap '' TERM; sleep 1000 & echo $! >> pids.txt; echo $$ >> pids.txt; echo started; wait ;;",
      'esac',
    ].join('\n'),
  );
  const defs = join(root, 'defs');
  const stepDef = defFile(defs, 'step', {
    inputData: [['VALUE', 'CString', '<allowUndefined>False</allowUndefined>']],
    outputData: [['RESULT', 'CString']],
    controlParameters: [['MODE', 'CString', '<default>ok</default>']],
  });
  const upperDef = defFile(defs, 'upper', {
    inputData: [['VALUE', 'CString']],
    outputData: [['RESULT', 'CString']],
  });
  const pipeDef = defFile(defs, 'pipe', {
    inputData: [['VALUE', 'CString']],
    outputData: [['RESULT', 'CString']],
    controlParameters: [
      ['MODE1', 'CString', '<default>ok</default>'],
      ['MODE2', 'CString', '<default>ok</default>'],
    ],
  });

  function registry(pipe: typeof CPluginScript) {
    const reg = new TaskRegistry();
    reg.register({ taskName: 'step', defFile: stepDef, pluginClass: Step });
    reg.register({ taskName: 'upper', defFile: upperDef, pluginClass: Upper });
    reg.register({ taskName: 'pipe', defFile: pipeDef, pluginClass: pipe });
    return reg;
  }

  /** Every pid a `hang` step recorded under a job directory. */
  function recordedPids(dir: string): number[] {
    const out: number[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d, { withFileTypes: true })) {
        if (n.isDirectory()) walk(join(d, n.name));
        else if (n.name === 'pids.txt' && existsSync(join(d, n.name)))
          out.push(...read(join(d, n.name)).split('\n').filter(Boolean).map(Number));
      }
    };
    walk(dir);
    return out;
  }

  return { bin, Step, Upper, AwaitPipe, LegacyPipe, registry, recordedPids, pipeDef, str };
}

import { appendFileSync } from 'node:fs';
import type { CData } from '../../../data/index.js';
import { isCcp4Error } from '../../../errors/ccp4-error.js';
import { buildEnvironment, findProgram } from '../../../process/index.js';
import { assetPath } from '../../assets.js';
import { type DryRunStep, dryRunChild } from '../../dry-run-plan.js';
import { PLUGIN_CLASS } from '../../plugin-errors.js';
import { CPluginScript, type PluginOptions } from '../../plugin-script.js';
import { coordOutputExtension } from '../cell-writer/cell-writer.js';

/** Which programs demo_copycell uses, in order of preference. */
export type CopyCellRoute = 'ccp4' | 'gemmi' | 'in-process';

/** The sub-tasks (cell reader, cell writer) of each route, and how the job log names the route. */
const ROUTES: Record<CopyCellRoute, { reader: string; writer: string; says: string }> = {
  ccp4: { reader: 'mtzdump', writer: 'pdbset', says: "CCP4's mtzdump and pdbset" },
  gemmi: { reader: 'gemmi_cell', writer: 'cell_writer', says: 'gemmi mtz and the in-process cell writer' },
  'in-process': {
    reader: 'mtz_cell',
    writer: 'cell_writer',
    says: 'the in-process MTZ cell reader and cell writer (neither CCP4 nor gemmi found)',
  },
};

/**
 * CCP4i2's demo_copycell pipeline, ported in its own legacy callback style: copies the cell of an MTZ
 * file into a coordinate file. With CCP4's programs on the path it runs mtzdump then pdbset, as CCP4i2;
 * else, with gemmi, the gemmi cell reader then the in-process cell writer; else (Node alone) the
 * in-process MTZ cell reader and writer. `route`, a line in the pipeline's log.txt and `summaryItems`
 * (printed by i2run) say which.
 */
export class demo_copycell extends CPluginScript {
  static override TASKNAME = 'demo_copycell';
  static override TASKTITLE = 'Demo copy cell';
  static override TASKMODULE = 'test';
  static override TASKVERSION = 0.0;
  static override ASYNCHRONOUS = true;
  static override DEF_FILE = assetPath('ccp4i2/wrappers2/demo_copycell/script/demo_copycell.def.xml');

  route: CopyCellRoute | undefined;
  mtzdump: CPluginScript | undefined;
  pdbset: CPluginScript | undefined;

  constructor(options: PluginOptions = {}) {
    super(options);
    // CCP4i2's def file leaves both inputs optional, yet the pipeline cannot run without them: saying so
    // here lets i2run refuse before it creates a job, instead of a sub-job failing inside it.
    for (const name of ['HKLIN', 'XYZIN']) this.inputData.find(name)?.setQualifier('allowUndefined', false);
  }

  /** 'ccp4' when mtzdump and pdbset are found where this job would run them, else 'gemmi' when gemmi is. */
  chooseRoute(): CopyCellRoute {
    const env = buildEnvironment({ env: this.options.env });
    const found = (...programs: string[]) => {
      try {
        for (const p of programs)
          findProgram(p, { cwd: this.workDirectory, extra: this.options.programPath, path: env.PATH });
        return true;
      } catch (e) {
        if (isCcp4Error(e)) return false;
        throw e;
      }
    };
    if (found('mtzdump', 'pdbset')) return 'ccp4';
    return found('gemmi') ? 'gemmi' : 'in-process';
  }

  /** What i2run prints in its summary: the route taken. */
  get summaryItems(): [string, string][] {
    return this.route ? [['route', `${this.route} (${ROUTES[this.route].says})`]] : [];
  }

  /** The two sub-jobs of the route this job would take, inputs set (the cell is known only at run time). */
  dryRunPlan(): DryRunStep[] {
    this.route = this.chooseRoute();
    const { reader, writer } = ROUTES[this.route];
    const read = dryRunChild(this, reader, 1);
    (read.inputData.find('HKLIN') as CData).set(this.inputData.find('HKLIN'));
    const write = dryRunChild(this, writer, 2);
    (write.inputData.find('XYZIN') as CData).set(this.inputData.find('XYZIN'));
    (write.outputData.find('XYZOUT') as CData).set(this.outputData.find('XYZOUT'));
    return [{ plugin: read }, { plugin: write, note: `CELL: the cell ${reader} reads (job_1)` }];
  }

  override checkOutputData(): void {
    coordOutputExtension(this);
    super.checkOutputData();
  }

  override async process(): Promise<number> {
    const invalid = this.checkInputData();
    if (invalid.hasErrors()) {
      this.errorReport.extend(invalid.errors());
      this.errorReport.append(PLUGIN_CLASS, 107, {
        details: invalid
          .errors()
          .map((e) => e.objectPath)
          .join(', '),
      });
      await this.reportStatus(CPluginScript.FAILED);
      return CPluginScript.FAILED;
    }
    this.checkOutputData();
    this.route = this.chooseRoute();
    appendFileSync(
      this.makeFileName('LOG'),
      `demo_copycell: route ${this.route}: using ${ROUTES[this.route].says}\n`,
    );
    this.mtzdump = this.makePluginObject(ROUTES[this.route].reader);
    (this.mtzdump.inputData.find('HKLIN') as CData).set(this.inputData.find('HKLIN'));
    this.connectSignal(this.mtzdump, 'finished', this.process_1);
    this.mtzdump.process();
    return CPluginScript.RUNNING;
  }

  process_1(status: number): void {
    if (status !== CPluginScript.SUCCEEDED) {
      this.reportStatus(status);
      return;
    }
    this.pdbset = this.makePluginObject(ROUTES[this.route!].writer);
    (this.pdbset.inputData.find('XYZIN') as CData).set(this.inputData.find('XYZIN'));
    (this.pdbset.inputData.find('CELL') as CData).set(this.mtzdump!.outputData.find('CELL'));
    (this.pdbset.outputData.find('XYZOUT') as CData).set(this.outputData.find('XYZOUT'));
    this.connectSignal(this.pdbset, 'finished', this.postProcessWrapper);
    this.pdbset.process();
  }
}

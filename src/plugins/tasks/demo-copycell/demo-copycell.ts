import { appendFileSync } from 'node:fs';
import type { CData } from '../../../data/index.js';
import { isCcp4Error } from '../../../errors/ccp4-error.js';
import { buildEnvironment, findProgram } from '../../../process/index.js';
import { assetPath } from '../../assets.js';
import { PLUGIN_CLASS } from '../../plugin-errors.js';
import { CPluginScript } from '../../plugin-script.js';
import { coordOutputExtension } from '../cell-writer/cell-writer.js';

/** Which programs demo_copycell uses. */
export type CopyCellRoute = 'ccp4' | 'gemmi';

/**
 * CCP4i2's demo_copycell pipeline, ported in its own legacy callback style: copies the cell of an MTZ
 * file into a coordinate file. With CCP4's programs on the path it runs mtzdump then pdbset, as CCP4i2;
 * otherwise the gemmi cell reader then the in-process cell writer. `route` and a line in the
 * pipeline's log.txt say which.
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

  /** 'ccp4' when both mtzdump and pdbset are found where this job would run them. */
  chooseRoute(): CopyCellRoute {
    const env = buildEnvironment({ env: this.options.env });
    try {
      for (const p of ['mtzdump', 'pdbset'])
        findProgram(p, { cwd: this.workDirectory, extra: this.options.programPath, path: env.PATH });
      return 'ccp4';
    } catch (e) {
      if (isCcp4Error(e)) return 'gemmi';
      throw e;
    }
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
      this.route === 'ccp4'
        ? "demo_copycell: using CCP4's mtzdump and pdbset\n"
        : "demo_copycell: CCP4's mtzdump/pdbset not found: using gemmi mtz and the in-process cell writer\n",
    );
    this.mtzdump = this.makePluginObject(this.route === 'ccp4' ? 'mtzdump' : 'gemmi_cell');
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
    this.pdbset = this.makePluginObject(this.route === 'ccp4' ? 'pdbset' : 'cell_writer');
    (this.pdbset.inputData.find('XYZIN') as CData).set(this.inputData.find('XYZIN'));
    (this.pdbset.inputData.find('CELL') as CData).set(this.mtzdump!.outputData.find('CELL'));
    (this.pdbset.outputData.find('XYZOUT') as CData).set(this.outputData.find('XYZOUT'));
    this.connectSignal(this.pdbset, 'finished', this.postProcessWrapper);
    this.pdbset.process();
  }
}

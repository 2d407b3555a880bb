import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(__dirname, '../..');

/**
 * A number in the sleeper's command line, so that /proc can be searched for its processes; unique to this
 * test process (other worktrees and test files run sleepers of their own on the same machine at the same time).
 */
export const SLEEP_MARK = `271.${String(process.pid).padStart(8, '0')}1`;

const header = (name: string, title: string) => `<?xml version='1.0'?>
<ccp4i2>
  <ccp4i2_header><function>DEF</function><pluginName>${name}</pluginName><pluginTitle>${title}</pluginTitle></ccp4i2_header>
  <ccp4i2_body>`;

const CATTASK_DEF = `${header('cattask', 'Test task running cat')}
    <container id="inputData">
      <content id="TEXTIN"><className>CDataFile</className>
        <qualifiers><mustExist>True</mustExist><allowUndefined>False</allowUndefined><guiLabel>Text to print</guiLabel></qualifiers></content>
      <content id="FILES"><className>CList</className><subItem><className>CDataFile</className></subItem></content>
      <content id="CELL"><className>CCell</className></content>
      <content id="F_SIGF"><className>CObsDataFile</className></content>
      <content id="XNAME"><className>CString</className></content>
      <content id="XYZIN"><className>CPdbDataFile</className></content>
    </container>
    <container id="controlParameters">
      <content id="NCYC"><className>CInt</className>
        <qualifiers><default>5</default><min>1</min><max>100</max><guiLabel>Number of cycles</guiLabel></qualifiers></content>
      <content id="TITLE"><className>CString</className></content>
      <content id="FLAG"><className>CBoolean</className><qualifiers><default>False</default></qualifiers></content>
      <content id="XNAME"><className>CString</className></content>
    </container>
    <container id="outputData">
      <content id="TEXTOUT"><className>CDataFile</className><qualifiers><fileExtensions>txt</fileExtensions></qualifiers></content>
      <content id="NLINES"><className>CInt</className></content>
    </container>
  </ccp4i2_body>
</ccp4i2>
`;

/** A task whose program is coreutils' cat: stdin script then TEXTIN; counts the lines it printed. */
const cattaskModule = (dist: string) => `import { copyFileSync } from 'node:fs';
import { CPluginScript } from ${JSON.stringify(dist)};
export default class cattask extends CPluginScript {
  static TASKNAME = 'cattask';
  static TASKTITLE = 'Test task running cat';
  static TASKCOMMAND = 'cat';
  static COMLINETEMPLATE = '1 - $TEXTIN';
  static COMTEMPLATE = ['1 TITLE $TITLE', '1 NCYC $NCYC', '$FLAG FLAG', '$CELL CELL $CELL.a $CELL.b $CELL.c', '1 END'].join('\\n');
  processOutputFiles() {
    const log = this.logFileText();
    this.outputData.find('NLINES').set(log.split('\\n').filter((l) => l.length > 0).length);
    copyFileSync(this.makeFileName('LOG'), this.outputData.find('TEXTOUT').getFullPath());
  }
}
`;

const simpleDef = (name: string) => `${header(name, `Test task ${name}`)}
    <container id="inputData"/><container id="outputData"/><container id="controlParameters"/>
  </ccp4i2_body>
</ccp4i2>
`;

/** A program tree that ignores nothing in particular: sh with two sleeps (one in the background). */
const sleeperModule = (dist: string) => `import { CPluginScript } from ${JSON.stringify(dist)};
export default class sleeper extends CPluginScript {
  static TASKNAME = 'sleeper';
  static TASKCOMMAND = 'sh';
  makeCommandAndScript() {
    this.appendCommandLine('-c', 'echo sleeper started; sleep ${SLEEP_MARK} & sleep ${SLEEP_MARK}; wait');
  }
}
`;

/** A pipeline of two sleepers (Ctrl-C during a pipeline). */
const sleepipeModule = (dist: string) => `import { CPluginScript } from ${JSON.stringify(dist)};
export default class sleepipe extends CPluginScript {
  static TASKNAME = 'sleepipe';
  async process() {
    for (let i = 0; i < 2; i++)
      if ((await this.runChild(this.makePluginObject('sleeper'))) !== CPluginScript.SUCCEEDED) return CPluginScript.FAILED;
    return CPluginScript.SUCCEEDED;
  }
}
`;

/** Three lines a third of a second apart (the live status line). */
const slowcatModule = (dist: string) => `import { CPluginScript } from ${JSON.stringify(dist)};
export default class slowcat extends CPluginScript {
  static TASKNAME = 'slowcat';
  static TASKCOMMAND = 'sh';
  makeCommandAndScript() {
    this.appendCommandLine('-c', 'for i in 1 2 3; do echo line $i; sleep 0.3; done');
  }
}
`;

/** Runs `true`, then judges the result unsatisfactory (CCP4i2's status 4). */
const unsatModule = (dist: string) => `import { CPluginScript } from ${JSON.stringify(dist)};
export default class unsat extends CPluginScript {
  static TASKNAME = 'unsat';
  static TASKCOMMAND = 'true';
  processOutputFiles() {
    return CPluginScript.UNSATISFACTORY;
  }
}
`;

const falsetaskModule = (dist: string) => `import { CPluginScript } from ${JSON.stringify(dist)};
export default class falsetask extends CPluginScript {
  static TASKNAME = 'falsetask';
  static TASKCOMMAND = 'false';
}
`;

/** Writes the test task directory (def files + plugin modules importing the built dist) and returns it. */
export function makeTaskDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'i2run-tasks-'));
  const dist = pathToFileURL(join(ROOT, 'dist/index.js')).href;
  writeFileSync(join(dir, 'cattask.def.xml'), CATTASK_DEF);
  writeFileSync(join(dir, 'cattask.mjs'), cattaskModule(dist));
  for (const [name, mod] of [
    ['sleeper', sleeperModule],
    ['sleepipe', sleepipeModule],
    ['falsetask', falsetaskModule],
    ['slowcat', slowcatModule],
    ['unsat', unsatModule],
  ] as const) {
    writeFileSync(join(dir, `${name}.def.xml`), simpleDef(name));
    writeFileSync(join(dir, `${name}.mjs`), mod(dist));
  }
  return dir;
}

/** A fresh working directory for one i2run invocation. */
export function workDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'i2run-work-'));
  mkdirSync(d, { recursive: true });
  return d;
}

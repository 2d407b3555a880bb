import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CPluginScript, PluginStatus } from '../../src/plugins/index.js';
import { readDiagnosticXml } from '../../src/report/index.js';
import { tinyTmpfs } from '../files/helpers.js';
import { defFile, tempDir } from './helpers.js';

// Issue 10 item 7: a full disk left a `.params.tmp` file and an empty diagnostic.xml in the job.
describe('a job on a full disk', () => {
  it('leaves no temporary file and no empty diagnostic.xml; the error report says ENOSPC', async () => {
    const fs = tinyTmpfs('64k');
    if (!fs) return;
    try {
      const def = defFile(tempDir(), 'filler', { inputData: [['TITLE', 'CString']], outputData: [] });
      // The program fills the file system, as a program writing a large output would.
      class Filler extends CPluginScript {
        static override TASKNAME = 'filler';
        static override TASKCOMMAND = 'sh';
        override makeCommandAndScript() {
          this.appendCommandLine('-c', 'head -c 1000000 /dev/zero > big; exit 0');
          // A stdin script large enough that com.txt cannot be written either once the disk is full.
          return PluginStatus.SUCCEEDED;
        }
      }
      const job = new Filler({ workDirectory: join(fs.dir, 'job_1'), defFile: def });
      job.inputData.find('TITLE')?.set('x'.repeat(200));
      const status = await job.process();
      expect(status).toBe(PluginStatus.FAILED);
      const left = readdirSync(join(fs.dir, 'job_1'));
      expect(left.filter((f) => f.endsWith('.tmp'))).toEqual([]);
      // params.xml could not be saved: CPluginScript 120 with CContainer 23 ENOSPC in the report.
      const codes = job.errorReport.entries.map((e) => `${e.className} ${e.code}`);
      expect(codes).toContain('CPluginScript 120');
      expect(job.errorReport.entries.some((e) => /ENOSPC/.test(e.description))).toBe(true);
      // diagnostic.xml is either absent (no room) or whole: never empty or cut.
      if (left.includes('diagnostic.xml')) {
        expect(readFileSync(join(fs.dir, 'job_1/diagnostic.xml'), 'utf8').length).toBeGreaterThan(0);
        expect(readDiagnosticXml(join(fs.dir, 'job_1/diagnostic.xml')).length).toBeGreaterThan(0);
      }
    } finally {
      fs.unmount();
    }
  });
});

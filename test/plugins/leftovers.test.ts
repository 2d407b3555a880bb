import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Severity } from '../../src/errors/severity.js';
import { CPluginScript, PluginStatus } from '../../src/plugins/index.js';
import { readDiagnosticXml } from '../../src/report/index.js';
import { defFile, isRunning, program, tempDir } from './helpers.js';

// A job whose program leaves a daemon behind (setsid) and exits 0: the job still succeeds (the program
// did its work), the daemon is stopped, and the job's report says so in diagnostic.xml, naming it.
describe('a job whose program leaves processes running', () => {
  it('succeeds, stops them and warns in diagnostic.xml with pid and command', async () => {
    const root = tempDir();
    const bin = join(root, 'bin');
    program(
      bin,
      'daemoniser',
      [
        'setsid sleep 1000 & echo $! > escaped.txt',
        'until [ "$(cat /proc/$(cat escaped.txt)/comm 2>/dev/null)" = sleep ]; do :; done',
      ].join('\n'),
    );
    const def = defFile(root, 'daemoniser', { inputData: [['TITLE', 'CString']] });
    class Daemoniser extends CPluginScript {
      static override TASKNAME = 'daemoniser';
      static override TASKCOMMAND = 'daemoniser';
      static override DEF_FILE = def;
    }
    const job = join(root, 'job');
    const p = new Daemoniser({ workDirectory: job, programPath: [bin] });
    expect(await p.process()).toBe(PluginStatus.SUCCEEDED);
    const pid = Number(readFileSync(join(job, 'escaped.txt'), 'utf8'));
    expect(pid).toBeGreaterThan(1);
    expect(isRunning(pid)).toBe(false);
    const entries = readDiagnosticXml(join(job, 'diagnostic.xml')).entries;
    expect(entries.map((e) => `${e.className}:${e.code}`)).toEqual(['CPluginScript:121']);
    expect(entries[0]!.details).toContain(`pid ${pid}: sleep 1000`);
    expect(entries[0]!.severity).toBe(Severity.WARNING);
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { mkfifo, scratch } from './helpers.js';

/**
 * Runs `body` (an async function of the built modules) in a child process with a time limit: an open()
 * that blocks on a FIFO would hang the test worker itself, beyond any vitest timeout.
 */
function inChild(body: string): { out: string; timedOut: boolean } {
  const dist = (p: string) => JSON.stringify(pathToFileURL(join(ROOT, 'dist', p)).href);
  const script = `
    const loggraph = await import(${dist('formats/loggraph/index.js')});
    const reports = await import(${dist('reports/index.js')});
    const db = await import(${dist('db/index.js')});
    const proc = await import(${dist('process/index.js')});
    try { await (${body})(loggraph, reports, db, proc); console.log('no error'); }
    catch (e) { console.log(e.name === 'Ccp4Error' ? e.describe?.() ?? e.message : 'uncoded ' + e); }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });
  return { out: r.stdout.trim(), timedOut: r.error !== undefined || r.signal === 'SIGKILL' };
}

describe('the database directory is checked before mkdir', () => {
  it('a database under /proc is JobDatabase 2 at once (a recursive mkdir spun there forever)', () => {
    const r = inChild(`async (_lg, _rp, db) => db.JobDatabase.open('/proc/ccp4i2-x/y/db.sqlite')`);
    expect(r.timedOut).toBe(false);
    expect(r.out).toMatch(/cannot create the database directory: .*\/proc/);
  });
});

describe('the log files of a program are regular files or nothing', () => {
  it('log.txt or stderr.txt existing as a FIFO is a coded error before the program starts (was a hang)', () => {
    for (const which of ['logFile', 'stderrFile']) {
      const d = scratch();
      const fifo = mkfifo(join(d, 'out.fifo'));
      const r = inChild(
        `async (_lg, _rp, _db, proc) => { const r = await proc.runProgram({ program: 'touch', args: ['ran'], cwd: ${JSON.stringify(d)}, ${which}: ${JSON.stringify(fifo)} }); if (r.error) throw r.error; }`,
      );
      expect(r.timedOut, which).toBe(false);
      expect(r.out, which).toMatch(/cannot create output file: it is a FIFO/);
      expect(existsSync(join(d, 'ran')), which).toBe(false);
    }
  });
});

describe('readers of job files never block on a FIFO', () => {
  it('a log given to the loggraph parser is LoggraphParser 102, at once', () => {
    const d = scratch();
    const fifo = mkfifo(join(d, 'log.txt'));
    const r = inChild(`async (lg) => lg.parseLoggraphFile(${JSON.stringify(fifo)})`);
    expect(r.timedOut).toBe(false);
    expect(r.out).toMatch(/LoggraphParser.*102|Not a regular file/);
  });

  it('a report.json that is a FIFO is JobReport 102 naming what it is', () => {
    const d = scratch();
    mkdirSync(join(d, 'job_1'));
    mkfifo(join(d, 'job_1', 'report.json'));
    writeFileSync(join(d, 'job_1', 'log.txt'), 'hello\n');
    const r = inChild(`async (_lg, rp) => rp.readReport(${JSON.stringify(join(d, 'job_1'))})`);
    expect(r.timedOut).toBe(false);
    expect(r.out).toMatch(/102/);
    expect(r.out).toMatch(/a FIFO/);
  });
});

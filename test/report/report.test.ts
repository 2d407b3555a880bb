import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ccp4Error } from '../../src/errors/ccp4-error.js';
import { Severity } from '../../src/errors/severity.js';
import {
  CErrorReport,
  errorCodesOf,
  lookupErrorCode,
  readDiagnosticXml,
  registerErrorCodes,
  writeDiagnosticXml,
} from '../../src/report/index.js';

registerErrorCodes('TBase', { 1: { description: 'base one' }, 2: { description: 'warn two', severity: 2 } });
registerErrorCodes('TDerived', { 3: { description: 'derived three', severity: 5 } }, 'TBase');

describe('CErrorReport', () => {
  it('looks up description and severity through the class chain', () => {
    expect(lookupErrorCode('TDerived', 2)).toEqual({ description: 'warn two', severity: 2 });
    expect(Object.keys(errorCodesOf('TDerived'))).toEqual(['1', '2', '3']);
    const r = new CErrorReport();
    r.append('TDerived', 2, { objectPath: 'container.inputData.X', details: 'd' });
    expect(r.maxSeverity()).toBe(Severity.WARNING);
    r.append('TDerived', 1);
    expect(r.maxSeverity()).toBe(Severity.ERROR);
    r.append('Unknown', 9);
    expect(r.entries[2]!.description).toBe('error 9');
    const other = new CErrorReport();
    other.append('TDerived', 3);
    r.extend(other);
    expect([...r].map((e) => e.code)).toEqual([2, 1, 9, 3]);
    expect(r.maxSeverity()).toBe(Severity.CRITICAL);
    expect(r.report()).toContain('WARNING container.inputData.X: warn two (d) [TDerived 2]');
    expect(new CErrorReport().maxSeverity()).toBe(Severity.OK);
  });

  it('converts exceptions', () => {
    const r = CErrorReport.fromCcp4Error(
      new Ccp4Error({ className: 'CInt', code: 101, message: 'below minimum', objectPath: 'a.b', file: 'f' }),
    );
    expect(r.entries[0]).toMatchObject({
      className: 'CInt',
      code: 101,
      objectPath: 'a.b',
      file: 'f',
      severity: 4,
    });
    const r2 = CErrorReport.fromCcp4Error(new TypeError('oops'));
    expect(r2.entries[0]).toMatchObject({ className: 'CErrorReport', code: 10, severity: Severity.CRITICAL });
    expect(() => r.throwIfErrors()).toThrow(Ccp4Error);
  });

  it('round-trips through diagnostic.xml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'diag-'));
    const r = new CErrorReport();
    r.append('TBase', 2, { objectPath: 'container.x', details: 'a < b & "c"' });
    r.append('TDerived', 3, { file: '/tmp/f.xml', line: 4 });
    const path = join(dir, 'diagnostic.xml');
    writeDiagnosticXml(r, path);
    const back = readDiagnosticXml(path);
    expect(back.entries).toEqual(r.entries);
  });

  it('reads legacy diagnostic.xml and rejects malformed ones with codes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'diag-'));
    const legacy = join(dir, 'legacy.xml');
    writeFileSync(
      legacy,
      `<errorReportList><errorReport><className>CPluginScript</className><code>15</code>
       <description>Error running program</description><severity>4</severity><details>exit 1</details>
       <time>12:00</time><stack>ignored</stack></errorReport></errorReportList>`,
    );
    const r = readDiagnosticXml(legacy);
    expect(r.entries[0]).toMatchObject({
      className: 'CPluginScript',
      code: 15,
      severity: 4,
      details: 'exit 1',
    });
    const bad = join(dir, 'bad.xml');
    writeFileSync(bad, '<errorReportList><errorReport><code>x</code></errorReport></errorReportList>');
    expect(() => readDiagnosticXml(bad)).toThrow(/not an integer/);
    writeFileSync(bad, '<other/>');
    expect(() => readDiagnosticXml(bad)).toThrow(/errorReportList/);
  });
});

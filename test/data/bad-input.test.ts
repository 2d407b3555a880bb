import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefFile, loadParamsFile } from '../../src/data/index.js';
import { Ccp4Error } from '../../src/errors/ccp4-error.js';
import { Severity } from '../../src/errors/severity.js';

const BAD = resolve(__dirname, '../fixtures/bad');

/** [className, code, objectPath (or undefined when the problem is about the file), severity]. */
type Coded = [string, number, string?, Severity?];

interface Case {
  /** Loading throws this (unreadable or malformed file). */
  throws?: [string, number];
  /** The load report holds this entry. */
  report?: Coded;
  /** validity() after loading holds this entry. */
  validity?: Coded;
}

const DEF_CASES: Record<string, Case> = {
  'xia2_ssx_reduce.def.xml': { throws: ['CXmlParser', 7] },
  'invalid-utf8.def.xml': { throws: ['CXmlParser', 7] },
  'malformed-unclosed.def.xml': { throws: ['CXmlParser', 1] },
  'doctype-billion-laughs.def.xml': { throws: ['CXmlParser', 2] },
  'doctype-external-entity.def.xml': { throws: ['CXmlParser', 2] },
  'undefined-entity.def.xml': { throws: ['CXmlParser', 3] },
  'wrong-root.def.xml': { throws: ['CContainer', 101] },
  'no-body.def.xml': { throws: ['CContainer', 102] },
  'empty.def.xml': { throws: ['CXmlParser', 5] },
  'deep-nesting.def.xml': { throws: ['CXmlParser', 4] },
  'unknown-class.def.xml': { report: ['CContainer', 103, 'container.inputData.XYZIN'] },
  'qualifier-int-wrong.def.xml': {
    report: ['CData', 18, 'container.controlParameters.NCYCLES', Severity.WARNING],
  },
  'qualifier-bool-wrong.def.xml': { report: ['CData', 18, 'container.inputData.XYZIN', Severity.WARNING] },
  'qualifier-list-int-wrong.def.xml': {
    report: ['CData', 18, 'container.inputData.HKLIN', Severity.WARNING],
  },
  'qualifier-dict-text.def.xml': { report: ['CData', 18, 'container.inputData.HKLIN', Severity.WARNING] },
  'qualifier-float-enumerators.def.xml': {
    report: ['CData', 18, 'container.controlParameters.RES', Severity.WARNING],
  },
  'qualifier-elements-in-scalar.def.xml': {
    report: ['CData', 18, 'container.controlParameters.N', Severity.WARNING],
  },
  'missing-include.def.xml': { report: ['CContainer', 106, 'container'] },
  'include-cycle-a.def.xml': { report: ['CContainer', 106, 'container'] },
  'include-cycle-b.def.xml': { report: ['CContainer', 106, 'container'] },
  'include-malformed.def.xml': { report: ['CContainer', 106, 'container'] },
  'include-unknown-project.def.xml': { report: ['CContainer', 106, 'container'] },
  'include-no-basename.def.xml': { report: ['CContainer', 106, 'container'] },
  'container-without-id.def.xml': { report: ['CContainer', 102, 'container'] },
  'content-without-id.def.xml': { report: ['CContainer', 102, 'container.inputData'] },
  'container-name-clash.def.xml': { report: ['CContainer', 115, 'container.inputData'] },
  'subitem-unknown-class.def.xml': { report: ['CList', 109, 'container.inputData.LIST'] },
  'function-params.def.xml': { report: ['CContainer', 107, undefined, Severity.WARNING] },
  'duplicate-content.def.xml': {
    report: ['CContainer', 115, 'container.inputData.NCYCLES', Severity.WARNING],
  },
};

const PARAMS_CASES: Record<string, Case> = {
  'int-abc.params.xml': { report: ['CInt', 5, 'container.controlParameters.NCYCLES'] },
  'float-bad.params.xml': { report: ['CFloat', 5, 'container.controlParameters.RATIO'] },
  'bool-bad.params.xml': { report: ['CBoolean', 5, 'container.controlParameters.FLAG'] },
  'out-of-range.params.xml': { validity: ['CInt', 102, 'container.controlParameters.NCYCLES'] },
  'not-an-enumerator.params.xml': { validity: ['CString', 103, 'container.controlParameters.MODE'] },
  'other-task.params.xml': { report: ['CContainer', 111, 'container'] },
  'def-function.params.xml': { report: ['CContainer', 107] },
  'malformed.params.xml': { throws: ['CXmlParser', 1] },
  'wrong-root.params.xml': { throws: ['CContainer', 101] },
  'duplicate-element.params.xml': {
    report: ['CContainer', 115, 'container.controlParameters.NCYCLES', Severity.WARNING],
  },
  'entity-expansion.params.xml': { throws: ['CXmlParser', 2] },
  'no-body.params.xml': { report: ['CContainer', 102] },
  'unknown-element.params.xml': { report: ['CData', 16, 'container.controlParameters', Severity.WARNING] },
  'list-wrong-item.params.xml': {
    report: ['CList', 110, 'container.inputData.HKLIN_LIST', Severity.WARNING],
  },
  'file-missing.params.xml': { validity: ['CPdbDataFile', 101, 'container.inputData.XYZIN'] },
  'required-unset.params.xml': { validity: ['CString', 100, 'container.controlParameters.TITLE'] },
  'cell-angle.params.xml': { validity: ['CCellAngle', 102, 'container.inputData.CELL.beta'] },
  'spacegroup.params.xml': { validity: ['CSpaceGroup', 101, 'container.inputData.SG'] },
  'file-member-wrong.params.xml': { report: ['CInt', 5, 'container.inputData.XYZIN.subType'] },
  'file-as-text.params.xml': { report: ['CData', 12, 'container.inputData.XYZIN'] },
  'value-with-elements.params.xml': { report: ['CData', 12, 'container.controlParameters.NCYCLES'] },
};

function expectThrows(f: () => unknown, [className, code]: [string, number], file: string): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a Ccp4Error').toBeInstanceOf(Ccp4Error);
  const e = err as Ccp4Error;
  expect([e.className, e.code], e.describe()).toEqual([className, code]);
  expect(e.file).toBe(file);
  expect(e.describe()).toContain(file);
}

function expectEntry(
  entries: { className: string; code: number; objectPath: string; severity: number; file?: string }[],
  [className, code, path, severity]: Coded,
  file?: string,
): void {
  const hit = entries.find((e) => e.className === className && e.code === code);
  expect(hit, `${className} ${code} in ${JSON.stringify(entries)}`).toBeDefined();
  if (path !== undefined) expect(hit!.objectPath).toBe(path);
  expect(hit!.severity).toBe(severity ?? Severity.ERROR);
  if (file) expect(hit!.file).toBe(file);
}

describe('bad-input corpus', () => {
  it('holds at least 30 bad files, each with an expectation', () => {
    const files = readdirSync(BAD).filter((f) => f !== 'target.def.xml');
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(files.sort()).toEqual([...Object.keys(DEF_CASES), ...Object.keys(PARAMS_CASES)].sort());
  });

  it('the target definition used by the params cases is itself clean', () => {
    expect(loadDefFile(join(BAD, 'target.def.xml')).report.entries).toEqual([]);
  });

  it.each(Object.entries(DEF_CASES))('%s', (name, c) => {
    const file = join(BAD, name);
    const saved = process.env.CCP4I2_TOP;
    delete process.env.CCP4I2_TOP;
    try {
      if (c.throws) {
        expectThrows(() => loadDefFile(file), c.throws, file);
        return;
      }
      const { report } = loadDefFile(file);
      const entry = report.entries.find((e) => e.className === c.report![0] && e.code === c.report![1]);
      expectEntry(report.entries, c.report!);
      expect(entry!.file).toMatch(/\/test\/fixtures\/bad\/.+\.def\.xml$/);
      expect(entry!.line ?? 1).toBeGreaterThan(0);
    } finally {
      if (saved !== undefined) process.env.CCP4I2_TOP = saved;
    }
  });

  it.each(Object.entries(PARAMS_CASES))('%s', (name, c) => {
    const file = join(BAD, name);
    const { container } = loadDefFile(join(BAD, 'target.def.xml'));
    if (c.throws) {
      expectThrows(() => loadParamsFile(container, file), c.throws, file);
      return;
    }
    const { report } = loadParamsFile(container, file);
    if (c.report) expectEntry(report.entries, c.report, file);
    else expect(report.errors()).toEqual([]);
    if (c.validity) expectEntry(container.validity().entries, c.validity);
  });
});

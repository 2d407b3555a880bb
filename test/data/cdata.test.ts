import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allSpaceGroups,
  CBoolean,
  CContainer,
  type CData,
  type CDataFile,
  CFloat,
  CInt,
  type CList,
  CMiniMtzDataFile,
  CPdbDataFile,
  type CSpaceGroup,
  type CString,
  classContentFlags,
  isKnownClass,
  lookupSpaceGroup,
  makeCData,
  ValueState,
} from '../../src/data/index.js';
import { Ccp4Error } from '../../src/errors/ccp4-error.js';
import { Severity } from '../../src/errors/severity.js';

const TOP = resolve(__dirname, '../fixtures/ccp4i2');
const codes = (d: CData) => d.validity().entries.map((e) => [e.className, e.code]);

describe('value types', () => {
  it('track NOT_SET / DEFAULT / EXPLICITLY_SET; equal values still count as set', () => {
    const f = makeCData('CFloat', 'X', { default: 0 }) as CFloat;
    expect(f.value).toBe(0);
    expect(f.valueState).toBe(ValueState.DEFAULT);
    expect(f.isSet()).toBe(true);
    expect(f.isSet({ allowDefault: false })).toBe(false);
    f.value = 0;
    expect(f.valueState).toBe(ValueState.EXPLICITLY_SET);
    f.unSet();
    expect(f.valueState).toBe(ValueState.NOT_SET);
    expect(f.get()).toBeNull();
    const b = makeCData('CBoolean', 'B') as CBoolean;
    b.set(false);
    expect(b.isSet()).toBe(true);
    expect(b.valueState).toBe(ValueState.EXPLICITLY_SET);
  });

  it('coerce where CCP4i2 coerces and refuse the rest with code 5', () => {
    const i = makeCData('CInt', 'NCYCLES') as CInt;
    i.set('12');
    expect(i.value).toBe(12);
    expect(() => i.set(2.5)).toThrow(Ccp4Error);
    expect(() => i.set('abc')).toThrow(/not an integer/);
    try {
      i.set('abc');
    } catch (e) {
      expect((e as Ccp4Error).code).toBe(5);
      expect((e as Ccp4Error).objectPath).toBe('NCYCLES');
    }
    expect(i.value).toBe(12); // unchanged by a refused assignment
    const b = makeCData('CBoolean') as CBoolean;
    for (const [v, want] of [
      ['yes', true],
      ['False', false],
      ['1', true],
      [0, false],
      ['TRUE', true],
    ] as const) {
      b.set(v);
      expect(b.value).toBe(want);
    }
    expect(() => b.set('maybe')).toThrow(Ccp4Error);
    const s = makeCData('CString') as CString;
    s.set(5);
    expect(s.value).toBe('5');
    expect(() => s.set({})).toThrow(Ccp4Error);
    s.set('');
    expect(s.isSet()).toBe(false);
    // Tab, LF and CR are kept; characters no XML file can hold are refused (a saved params.xml would not load).
    s.set('a\tb\r\nc');
    expect(s.value).toBe('a\tb\r\nc');
    for (const bad of ['a\u0001b', 'x\u001b[0m', '\uFFFE', 'lone \uD800 surrogate']) {
      expect(() => s.set(bad), JSON.stringify(bad)).toThrow(/cannot store/);
    }
    expect(s.value).toBe('a\tb\r\nc');
    s.set('emoji \u{1F600} is fine');
    expect(s.value).toContain('\u{1F600}');
    const f = makeCData('CFloat') as CFloat;
    f.set('1e-3');
    expect(f.value).toBe(0.001);
    expect(() => f.set('1.2.3')).toThrow(Ccp4Error);
  });

  it('validity gives each problem once with CCP4i2 codes', () => {
    const i = makeCData('CInt', 'N', { min: 1, max: 10, allowUndefined: false }) as CInt;
    expect(codes(i)).toEqual([['CInt', 100]]);
    i.set(0);
    expect(codes(i)).toEqual([['CInt', 101]]);
    i.set(11);
    expect(codes(i)).toEqual([['CInt', 102]]);
    const e = makeCData('CInt', 'E', { enumerators: [1, 2], onlyEnumerators: true }) as CInt;
    e.set(3);
    expect(codes(e)).toEqual([['CInt', 103]]);
    e.setQualifier('onlyEnumerators', false);
    expect(codes(e)).toEqual([]);
    const s = makeCData('CString', 'S', {
      minLength: 2,
      maxLength: 3,
      enumerators: ['ab', 'abcd'],
      onlyEnumerators: true,
    });
    s.set('a');
    expect(codes(s)).toEqual([
      ['CString', 101],
      ['CString', 103],
    ]);
    s.set('abcd');
    expect(codes(s)).toEqual([['CString', 102]]);
    const r = s.validity().entries[0]!;
    expect(r.description).toBe('String too long');
    expect(r.objectPath).toBe('S');
    // allowedCharsCode > 0 limits the text to one safe word (CCP4i2 checks it as code 104).
    const word = makeCData('CString', 'W', { allowedCharsCode: 1 });
    word.set('crystal_1-a');
    expect(codes(word)).toEqual([]);
    for (const bad of ['my crystal', 'x/y', 'a.b', 'é']) {
      word.set(bad);
      expect(codes(word), bad).toEqual([['CString', 104]]);
    }
    expect(word.validity().entries[0]!.description).toBe('Contains disallowed characters');
    word.setQualifier('allowedCharsCode', 0);
    expect(codes(word)).toEqual([]);
    // A CCP4i2 class whose member declares it: CImportUnmerged.crystalName.
    const imp = makeCData('CImportUnmerged', 'UNMERGED');
    imp.find('crystalName')!.set('two words');
    expect(
      imp
        .validity()
        .entries.filter((e) => e.code === 104)
        .map((e) => e.objectPath),
    ).toEqual(['UNMERGED.crystalName']);
  });

  it('an unset optional skips its checks; a nested container reports once', () => {
    const top = new CContainer('CContainer', 'container');
    const inner = top.addObject(new CContainer('CContainer', 'inputData'));
    const deeper = inner.addObject(new CContainer('CContainer', 'more'));
    deeper.addContent('CInt', 'N', { allowUndefined: false });
    deeper.addContent('CInt', 'OPT', { min: 5 });
    const rep = top.validity();
    expect(rep.entries.map((e) => [e.objectPath, e.code])).toEqual([['container.inputData.more.N', 100]]);
  });
});

describe('structures, lists, containers', () => {
  it('CCell: members, set(dict) copies in place, get() returns plain values, validity of lengths and angles', () => {
    const cell = makeCData('CCell', 'CELL');
    expect(cell.contents().map((c) => c.name)).toEqual(['a', 'b', 'c', 'alpha', 'beta', 'gamma']);
    expect(cell.isSet()).toBe(false);
    expect(codes(cell)).toEqual([]);
    cell.set({ a: 10, b: '20', c: 30, alpha: 90, beta: 90, gamma: 200 });
    expect(cell.get()).toEqual({ a: 10, b: 20, c: 30, alpha: 90, beta: 90, gamma: 200 });
    expect(codes(cell)).toEqual([['CCellAngle', 102]]);
    const other = makeCData('CCell', 'C2');
    other.set(cell);
    expect(other.get()).toEqual(cell.get());
    cell.set({ a: 5 });
    expect(cell.get()).toMatchObject({ a: 5, b: null });
    expect(codes(cell).map((c) => c[1])).toEqual([100, 100]); // b and c are required once a cell is given
    expect(() => cell.set({ zz: 1 })).toThrow(Ccp4Error);
    expect(() => cell.set(5)).toThrow(Ccp4Error);
  });

  it('CList: sub-item class, makeItem, append, LIST[i] paths and length limits', () => {
    const c = new CContainer('CContainer', 'container');
    const list = c.addContent('CList', 'XYZIN_LIST', { listMinLength: 2, listMaxLength: 3 }) as CList;
    list.subItem = { className: 'CPdbDataFile', qualifiers: { mustExist: true } };
    const item = list.makeItem();
    expect(item).toBeInstanceOf(CPdbDataFile);
    expect(item.qualifier('mustExist')).toBe(true);
    item.destroy();
    list.append('/nonexistent/a.pdb');
    expect(list.item(0)!.objectPath()).toBe('container.XYZIN_LIST[0]');
    expect(c.find('XYZIN_LIST[0]')).toBe(list.item(0));
    expect(codes(list)).toEqual([
      ['CList', 101],
      ['CPdbDataFile', 101],
    ]);
    list.set(['/x/1.pdb', '/x/2.pdb', '/x/3.pdb', '/x/4.pdb']);
    expect(list.length).toBe(4);
    expect(codes(list).filter((x) => x[0] === 'CList')).toEqual([['CList', 102]]);
    list.remove(0);
    expect(list.items().map((i) => i.name)).toEqual(['[0]', '[1]', '[2]']);
    expect((list.item(0) as CDataFile).baseName).toBe('2.pdb');
    expect(() => list.set([{ nonsense: 1 }])).toThrow(Ccp4Error);
    expect(list.length).toBe(3); // a failed set leaves the list as it was
    const inc = makeCData('CList', 'INC', { listCompare: 1 }) as CList;
    inc.subItem = { className: 'CFloat', qualifiers: {} };
    inc.set([1, 2, 2, 5]);
    expect(inc.validity().entries.map((e) => [e.code, e.details])).toEqual([
      [103, 'item 2 (2) is not greater than item 1 (2)'],
    ]);
    const ens = makeCData('CEnsembleList', 'E') as CList;
    expect(ens.subItem.className).toBe('CEnsemble');
  });

  it('CContainer: ordered contents, addContent, duplicate names refused, merge-set, find', () => {
    const c = new CContainer('CContainer', 'container');
    const ctrl = c.addObject(new CContainer('CContainer', 'controlParameters'));
    ctrl.addContent('CInt', 'NCYCLES', { default: 10 });
    ctrl.addContent('CBoolean', 'FLAG');
    expect(() => ctrl.addContent('CInt', 'NCYCLES')).toThrow(/already/);
    expect(ctrl.dataOrder()).toEqual(['NCYCLES', 'FLAG']);
    c.set({ controlParameters: { FLAG: 'yes' } });
    expect(c.get()).toEqual({ controlParameters: { NCYCLES: 10, FLAG: true } });
    expect((c.find('NCYCLES') as CInt).value).toBe(10);
    expect(c.find('controlParameters.FLAG')).toBeInstanceOf(CBoolean);
    expect(() => c.set({ nope: 1 })).toThrow(Ccp4Error);
    ctrl.deleteObject('FLAG');
    expect(ctrl.dataOrder()).toEqual(['NCYCLES']);
  });

  it('find does not descend into structures (a cell length is not found by its bare name)', () => {
    const c = new CContainer('CContainer', 'container');
    c.addContent('CCell', 'CELL');
    expect(c.find('a')).toBeUndefined();
    expect(c.find('CELL.a')?.className).toBe('CCellLength');
    // A file's string members (annotation...) never stop or change a search (the rewrite returned -1 there).
    const inner = c.addObject(new CContainer('CContainer', 'inputData'));
    inner.addContent('CPdbDataFile', 'XYZIN');
    const target = c
      .addObject(new CContainer('CContainer', 'controlParameters'))
      .addContent('CString', 'annotation');
    for (let i = 0; i < 5; i++) expect(c.find('annotation')).toBe(target);
    expect(c.find('XYZIN.annotation')?.className).toBe('CString');
    expect(c.find('XYZIN.annotation')).not.toBe(target);
  });
});

describe('files', () => {
  it('resolve CCP4I2_TOP, project directories, absolute paths and $VAR relPaths', () => {
    const f = makeCData('CMtzDataFile', 'HKLIN') as CDataFile;
    expect(f.getFullPath()).toBeNull();
    f.set({ project: 'CCP4I2_TOP', relPath: 'wrappers/mtzdump/test_data', baseName: 'gere_nat.mtz' });
    expect(f.getFullPath({ ccp4i2Top: TOP })).toBe(join(TOP, 'wrappers/mtzdump/test_data/gere_nat.mtz'));
    const env = process.env.CCP4I2_TOP;
    process.env.CCP4I2_TOP = '/opt/ccp4i2';
    expect(f.getFullPath()).toBe('/opt/ccp4i2/wrappers/mtzdump/test_data/gere_nat.mtz');
    if (env === undefined) delete process.env.CCP4I2_TOP;
    else process.env.CCP4I2_TOP = env;
    f.set({ project: 'P1', relPath: 'CCP4_JOBS/job_3', baseName: 'x.mtz' });
    expect(f.getFullPath({ resolveProject: (p) => (p === 'P1' ? '/projects/p1' : undefined) })).toBe(
      '/projects/p1/CCP4_JOBS/job_3/x.mtz',
    );
    f.setFullPath('/data/abs/y.mtz');
    expect([f.project, f.relPath, f.baseName]).toEqual([null, '/data/abs', 'y.mtz']);
    expect(f.getFullPath()).toBe('/data/abs/y.mtz');
    f.fileContext = { projectDirectory: '/projects/p2', projectId: 'P2' };
    f.setFullPath('/projects/p2/CCP4_JOBS/job_1/z.mtz');
    expect([f.project, f.relPath, f.baseName]).toEqual(['P2', 'CCP4_JOBS/job_1', 'z.mtz']);
    expect(f.getFullPath()).toBe('/projects/p2/CCP4_JOBS/job_1/z.mtz');
  });

  it('mustExist gives CDataFile 101; an unset required file 100', () => {
    const f = makeCData('CPdbDataFile', 'XYZIN', { mustExist: true, allowUndefined: false }) as CDataFile;
    expect(codes(f)).toEqual([['CPdbDataFile', 100]]);
    f.setFullPath('/nonexistent/model.pdb');
    expect(codes(f)).toEqual([['CPdbDataFile', 101]]);
    expect(f.validity().entries[0]!.description).toBe('File does not exist');
    f.setFullPath(join(TOP, 'wrappers2/demo_copycell/test_data/test_1.params.xml'));
    expect(codes(f)).toEqual([]);
  });

  it('CPdbDataFile content flag: 1 PDB, 2 mmCIF, detected on setFullPath', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdb-'));
    writeFileSync(
      join(dir, 'a.pdb'),
      'CRYST1   10.000   10.000   10.000  90.00  90.00  90.00 P 1\nATOM      1  N   ALA A   1\n',
    );
    writeFileSync(join(dir, 'a.cif'), 'data_x\nloop_\n_atom_site.id\n1\n');
    const f = makeCData('CPdbDataFile', 'XYZIN') as CDataFile;
    f.setFullPath(join(dir, 'a.pdb'));
    expect(f.contentFlag).toBe(1);
    f.setFullPath(join(dir, 'a.cif'));
    expect(f.contentFlag).toBe(2);
  });

  it('mini-MTZ classes keep CCP4i2 CONTENT_SIGNATURE_LIST and pick the first complete signature', () => {
    const obs = makeCData('CObsDataFile', 'F_SIGF') as CMiniMtzDataFile;
    expect(obs.contentSignatureList()).toEqual([
      ['Iplus', 'SIGIplus', 'Iminus', 'SIGIminus'],
      ['Fplus', 'SIGFplus', 'Fminus', 'SIGFminus'],
      ['I', 'SIGI'],
      ['F', 'SIGF'],
    ]);
    expect(obs.contentFlagFromColumns(['H', 'K', 'L', 'F', 'SIGF', 'I', 'SIGI'])).toBe(3);
    expect(obs.contentFlagFromColumns(['H', 'K', 'L', 'FP', 'SIGFP'])).toBeUndefined();
    const phs = makeCData('CPhsDataFile', 'PHS') as CMiniMtzDataFile;
    expect(phs.contentFlagFromColumns(['PHI', 'FOM'])).toBe(2);
    expect(classContentFlags('CFreeRDataFile').map((f) => f.columns)).toEqual([['FREER']]);
    // The label reader can be replaced (here: a fake) ...
    const real = CMiniMtzDataFile.readColumnLabels;
    CMiniMtzDataFile.readColumnLabels = () => ['H', 'K', 'L', 'FREER'];
    try {
      const free = makeCData('CFreeRDataFile', 'FREE') as CMiniMtzDataFile;
      free.setFullPath(join(TOP, 'cdata.json'));
      expect(free.contentFlag).toBe(1);
    } finally {
      CMiniMtzDataFile.readColumnLabels = real;
    }
  });

  it('setFullPath detects content flags of real MTZ files from their column labels', () => {
    const DATA = resolve(__dirname, '../fixtures/data');
    const cases: [string, string, number | null][] = [
      ['CObsDataFile', 'rnase_mini/rnase25_fsigf.mtz', 4],
      ['CObsDataFile', 'gamma/merged_intensities_native.mtz', 1],
      ['CMapCoeffsDataFile', 'rnase_mini/FPHIOUT.mtz', 1],
      ['CFreeRDataFile', 'rnase_mini/rnase25_freer.mtz', 1],
      ['CPhsDataFile', 'gamma/initial_phases.mtz', 1],
      ['CPhsDataFile', 'gamma/initial_phases_as_PHIFOM.mtz', 2],
      ['CFreeRDataFile', 'gamma/freeR.mtz', 1],
      ['CFreeRDataFile', 'gamma/merged_intensities_native.mtz', null], // no FREER column: flag left unset
    ];
    for (const [cls, file, flag] of cases) {
      const f = makeCData(cls, 'F') as CMiniMtzDataFile;
      f.setFullPath(join(DATA, file));
      expect(f.contentFlag, `${cls} ${file}`).toBe(flag);
    }
    // A file that is not an MTZ leaves the flag unset rather than failing.
    const bad = makeCData('CObsDataFile', 'F') as CMiniMtzDataFile;
    bad.setFullPath(join(TOP, 'cdata.json'));
    expect(bad.contentFlag).toBeNull();
  });

  it('a string assigned to a file is a path; other types are refused', () => {
    const f = makeCData('CDataFile', 'F') as CDataFile;
    f.set('/tmp/q.txt');
    expect(f.baseName).toBe('q.txt');
    expect(() => f.set(5)).toThrow(Ccp4Error);
  });
});

describe('domain classes', () => {
  it('space groups: table of 230 groups, standard names, alternatives warned, nonsense refused', () => {
    expect(new Set(allSpaceGroups().map((s) => s.number)).size).toBe(230);
    expect(lookupSpaceGroup('P 21 21 21')).toMatchObject({ standard: true, setting: { number: 19 } });
    expect(lookupSpaceGroup('P212121')).toMatchObject({ standard: false, setting: { number: 19 } });
    expect(lookupSpaceGroup('P 21')?.setting.hm).toBe('P 1 21 1');
    expect(lookupSpaceGroup('H 3')?.setting.hm).toBe('R 3:H');
    const sg = makeCData('CSpaceGroup', 'SG') as CSpaceGroup;
    sg.set('P 21 21 21');
    expect(codes(sg)).toEqual([]);
    sg.set('P212121');
    expect(sg.validity().entries.map((e) => [e.code, e.severity])).toEqual([[103, Severity.WARNING]]);
    expect(sg.standardName()).toBe('P 21 21 21');
    sg.set('P 99');
    expect(codes(sg)).toEqual([['CSpaceGroup', 101]]);
    sg.set('P -1');
    expect(sg.validity().entries.map((e) => [e.code, e.severity])).toEqual([[102, Severity.WARNING]]);
  });

  it('CSpaceGroupCell: the cell must fit the crystal system', () => {
    const sgc = makeCData('CSpaceGroupCell', 'SPACEGROUPCELL');
    sgc.set({ spaceGroup: 'P 21 21 21', cell: { a: 50, b: 60, c: 70, alpha: 90, beta: 90, gamma: 90 } });
    expect(codes(sgc)).toEqual([]);
    sgc.set({ spaceGroup: 'P 1 21 1', cell: { a: 50, b: 60, c: 70, alpha: 90, beta: 101.5, gamma: 90 } });
    expect(codes(sgc)).toEqual([]);
    sgc.set({ spaceGroup: 'P 21 21 21', cell: { a: 50, b: 60, c: 70, alpha: 90, beta: 101.5, gamma: 90 } });
    expect(codes(sgc)).toEqual([['CSpaceGroupCell', 103]]);
    sgc.set({ spaceGroup: 'P 43 21 2', cell: { a: 50, b: 51, c: 70, alpha: 90, beta: 90, gamma: 90 } });
    expect(codes(sgc)).toEqual([['CSpaceGroupCell', 105]]);
    sgc.set({ spaceGroup: 'P 32 2 1', cell: { a: 50, b: 50, c: 70, alpha: 90, beta: 90, gamma: 90 } });
    expect(codes(sgc)).toEqual([['CSpaceGroupCell', 106]]);
    sgc.set({ spaceGroup: 'R 3:R', cell: { a: 50, b: 50, c: 50, alpha: 80, beta: 80, gamma: 81 } });
    expect(codes(sgc)).toEqual([['CSpaceGroupCell', 107]]);
  });

  it('performance classes, ranges, column groups and every class used by the fixtures exist', () => {
    const perf = makeCData('CRefinementPerformance', 'PERFORMANCE');
    expect(perf.contents().map((c) => c.name)).toEqual([
      'RFactor',
      'RFree',
      'RMSBond',
      'RMSAngle',
      'weightUsed',
      'annotation',
    ]);
    perf.set({ RFactor: 0.2, RFree: -1 });
    expect(codes(perf)).toEqual([['CFloat', 101]]);
    const range = makeCData('CFloatRange', 'R');
    range.set({ start: 5, end: 1 });
    expect(codes(range)).toEqual([['CFloatRange', 101]]);
    const cg = makeCData('CProgramColumnGroup', 'FSIGF', {
      columnGroup: {
        columnGroupItem: [
          { '@id': 'F', columnType: 'F' },
          { '@id': 'SIGF', columnType: 'Q' },
        ],
      },
    });
    expect(cg.contents().map((c) => [c.name, c.qualifier('columnType')])).toEqual([
      ['F', 'F'],
      ['SIGF', 'Q'],
    ]);
    expect(() => makeCData('CNoSuchThing')).toThrow(/unknown data class/);
    for (const n of [
      'CAsuDataFile',
      'CSeqDataFile',
      'CDictDataFile',
      'CXmlDataFile',
      'CMapDataFile',
      'CUnmergedDataFile',
      'CMapCoeffsDataFile',
      'CExpPhasPerformance',
      'CSpaceGroupCell',
      'CMiniMtzDataFile',
    ]) {
      expect(isKnownClass(n), n).toBe(true);
      expect(makeCData(n).className).toBe(n);
    }
    expect(makeCData('CMapCoeffsDataFile')).toBeInstanceOf(CMiniMtzDataFile);
    expect(makeCData('CInt')).toBeInstanceOf(CInt);
    expect(makeCData('CWavelength')).toBeInstanceOf(CFloat);
  });
});

describe('accepted sub-types and content flags', () => {
  it('requiredSubType and requiredContentFlag give CDataFile 107 and 106', () => {
    const f = makeCData('CObsDataFile', 'F', {
      requiredContentFlag: [1, 3],
      requiredSubType: [1],
    }) as CDataFile;
    f.set({ baseName: '/x/a.mtz', contentFlag: 4, subType: 2 });
    expect(codes(f)).toEqual([
      ['CObsDataFile', 106],
      ['CObsDataFile', 107],
    ]);
    f.set({ baseName: '/x/a.mtz', contentFlag: 3, subType: 1 });
    expect(codes(f)).toEqual([]);
  });
});

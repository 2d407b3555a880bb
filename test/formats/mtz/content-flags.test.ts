import { readFileSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_FILE_CLASSES,
  contentFlagFromLabels,
  contentFlagFromTypes,
  contentFlags,
  getColumnGroups,
  readMtzHeader,
  scanColumnGroups,
} from '../../../src/formats/mtz/index.js';
import { FIXTURES } from '../../helpers/cli.js';
import { dataMtzFiles } from './gemmi.js';

/** Flags the reference inventory (python3-gemmi + CCP4i2's rules) gives each data file. */
const reference = JSON.parse(readFileSync(resolve(FIXTURES, 'mtz/content_flags.json'), 'utf8')) as Record<
  string,
  { byLabels: Record<string, number>; byTypesAllColumns: Record<string, number> }
>;

describe('content flags from a file header', () => {
  const files = dataMtzFiles();

  it.each(files)('%s: label rule and type rule agree with the reference inventory', (file) => {
    const ref = reference[relative(resolve(FIXTURES, 'data'), file)];
    expect(ref).toBeDefined();
    const h = readMtzHeader(file);
    const labels = h.columns.map((c) => c.label);
    for (const cls of CONTENT_FILE_CLASSES) {
      expect(contentFlagFromLabels(cls, labels), `${cls} by labels`).toBe(ref.byLabels[cls]);
      expect(contentFlagFromTypes(cls, h.columns), `${cls} by types`).toBe(ref.byTypesAllColumns[cls]);
    }
  });

  it('label rule: first signature in list order wins, extra columns ignored, case-sensitive', () => {
    expect(contentFlagFromLabels('CObsDataFile', ['H', 'K', 'L', 'F', 'SIGF', 'I', 'SIGI'])).toBe(3);
    expect(contentFlagFromLabels('CObsDataFile', ['H', 'K', 'L', 'f', 'sigf'])).toBeUndefined();
    expect(contentFlagFromLabels('CMapCoeffsDataFile', ['F', 'PHI', 'FOM'])).toBe(1);
    expect(contentFlagFromLabels('CFreeRDataFile', ['FreeR_flag'])).toBeUndefined();
  });

  it('getColumnGroups on the data files', () => {
    const groups = (name: string) =>
      getColumnGroups(readMtzHeader(files.find((f) => basename(f) === name) as string)).map(
        (g) => `${g.fileClass}:${g.contentFlag}:${g.columns.map((c) => c.label).join(',')}`,
      );
    expect(groups('4hg7-sf.mtz')).toEqual(['CFreeRDataFile:1:FreeR_flag', 'CMapCoeffsDataFile:1:FC,PHIC']);
    expect(groups('rnase25_Nat_Derivs.mtz')).toEqual([
      'CObsDataFile:2:FHG(+),SIGFHG(+),FHG(-),SIGFHG(-)',
      'CObsDataFile:2:FI(+),SIGFI(+),FI(-),SIGFI(-)',
      'CObsDataFile:2:FPTNCD25(+),SIGFPTNCD25(+),FPTNCD25(-),SIGFPTNCD25(-)',
    ]);
    expect(groups('FPHIOUT.mtz')).toEqual(['CMapCoeffsDataFile:1:F,PHI']);
    expect(groups('initial_phases.mtz')).toEqual(['CPhsDataFile:1:HLA,HLB,HLC,HLD']);
    expect(groups('merged_intensities_native.mtz')).toEqual([
      'CObsDataFile:1:Iplus,SIGIplus,Iminus,SIGIminus',
    ]);
    expect(groups('brap_pk_6A.mtz')).toEqual([]);
  });

  it('special groups FPW, PWF and FQDQ; FreeR only for a column named free', () => {
    const cols = (types: string, labels?: string[]) =>
      types
        .split('')
        .map((type, i) => ({ label: labels?.[i] ?? `C${i}`, type, datasetId: 1, min: 0, max: 1 }));
    const g = (types: string, labels?: string[]) =>
      getColumnGroups({ columns: cols(types, labels) }).map(
        (x) => `${x.contentName}:${x.columns.map((c) => c.type).join('')}`,
      );
    expect(g('FPW')).toEqual(['PHIFOM:PW', 'FPHI:FP']);
    expect(g('PWF')).toEqual(['PHIFOM:PW']);
    expect(g('FQDQ')).toEqual(['FMEAN:FQ']);
    expect(g('I')).toEqual([]);
    expect(g('I', ['FreeRflag'])).toEqual(['FREER:I']);
    expect(g('FQP')).toEqual(['FPHI:FQP']);
  });

  it('contentFlags() reports both rules per class', () => {
    const h = readMtzHeader(files.find((f) => basename(f) === 'brap_pk_6A.mtz') as string);
    // the unmerged file has I and SIGI: CCP4i2's label rule calls it IMEAN, the type rule nothing
    expect(contentFlags(h.columns).CObsDataFile).toEqual({ byLabels: 3 });
  });
});

describe('scanColumnGroups (the current CCP4i2 Python rule)', () => {
  const files = dataMtzFiles();
  const scan = (name: string) =>
    scanColumnGroups(readMtzHeader(files.find((f) => basename(f) === name) as string)).map(
      (g) => `${g.contentName}:${g.columns.map((c) => c.label).join(',')}`,
    );

  it('splits datasets into groups and finds observations next to phases', () => {
    expect(scan('4hg7-sf.mtz')).toEqual(['FREER:FreeR_flag', 'FMEAN:FP,SIGFP', 'FPHI:FC,PHIC']);
    expect(scan('rnase25_Nat_Derivs.mtz')).toEqual([
      'FMEAN:FNAT,SIGFNAT',
      'FREER:FreeR_flag',
      'FPAIR:FHG(+),SIGFHG(+),FHG(-),SIGFHG(-)',
      'FPAIR:FI(+),SIGFI(+),FI(-),SIGFI(-)',
      'FPAIR:FPTNCD25(+),SIGFPTNCD25(+),FPTNCD25(-),SIGFPTNCD25(-)',
    ]);
    expect(scan('brap_pk_6A_scaled2.mtz')).toEqual([
      'IMEAN:IMEAN,SIGIMEAN',
      'IPAIR:I(+),SIGI(+),I(-),SIGI(-)',
    ]);
    expect(scan('brap_pk_6A.mtz')).toEqual(['IMEAN:I,SIGI', 'IMEAN:IPR,SIGIPR']);
    expect(scan('initial_phases_as_PHIFOM.mtz')).toEqual(['PHIFOM:PHI,FOM']);
  });

  it('keeps Obs groups inside one dataset', () => {
    const cols = [
      { label: 'F', type: 'F', datasetId: 1, min: 0, max: 1 },
      { label: 'SIGF', type: 'Q', datasetId: 2, min: 0, max: 1 },
    ];
    expect(scanColumnGroups({ columns: cols })).toEqual([]);
  });
});

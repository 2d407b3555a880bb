import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CObsDataFile, CPhsDataFile, isCcp4Error, makeCData, readMtzHeader } from '../../src/index.js';

const DATA = resolve(__dirname, '../fixtures/data');

function fileParam<T>(className: string, path: string): T {
  const f = makeCData(className, 'F');
  f.set(path);
  return f as unknown as T;
}

function labels(path: string): string[] {
  return readMtzHeader(path).columns.map((c) => c.label);
}

describe('as_*() on observation and phase files', () => {
  it('CObsDataFile: content flag from the file, then IMEAN -> FMEAN by French-Wilson into the work directory', () => {
    const work = mkdtempSync(join(tmpdir(), 'asfmean-'));
    const obs = fileParam<CObsDataFile>('CObsDataFile', join(DATA, 'rnase_mini/rnase25_fsigf.mtz'));
    expect(obs).toBeInstanceOf(CObsDataFile);
    expect(obs.detectContentFlag()).toBe(4); // F, SIGF: FMEAN
    // An FMEAN file converts to itself; to IMEAN it cannot (amplitudes do not give intensities).
    expect(() => obs.as_IMEAN({ workDirectory: work })).toThrowError(/IMEAN/);
    const src = join(work, 'native.mtz');
    copyFileSync(join(DATA, 'gamma/merged_intensities_native.mtz'), src);
    const native = fileParam<CObsDataFile>('CObsDataFile', src);
    const flag = native.detectContentFlag();
    expect([1, 3]).toContain(flag); // anomalous or mean intensities
    const out = native.as_FMEAN({ workDirectory: work });
    expect(out).toBe(join(work, 'native_asFMEAN.mtz'));
    expect(existsSync(out)).toBe(true);
    expect(labels(out)).toEqual(expect.arrayContaining(['F', 'SIGF']));
    const back = fileParam<CObsDataFile>('CObsDataFile', out);
    expect(back.detectContentFlag()).toBe(4);
  });

  it('CPhsDataFile: HL -> PHIFOM and back, written beside the input by default', () => {
    const work = mkdtempSync(join(tmpdir(), 'asphifom-'));
    const src = join(work, 'phases.mtz');
    copyFileSync(join(DATA, 'gamma/initial_phases.mtz'), src);
    const phs = fileParam<CPhsDataFile>('CPhsDataFile', src);
    expect(phs).toBeInstanceOf(CPhsDataFile);
    const out = phs.as_PHIFOM();
    expect(out).toBe(join(work, 'phases_asPHIFOM.mtz'));
    expect(labels(out)).toEqual(expect.arrayContaining(['PHI', 'FOM']));
    const hl = fileParam<CPhsDataFile>('CPhsDataFile', out).as_HL({ out: join(work, 'hl.mtz') });
    expect(labels(hl)).toEqual(expect.arrayContaining(['HLA', 'HLB', 'HLC', 'HLD']));
  });

  it('an unset file is a coded error naming the object', () => {
    const obs = makeCData('CObsDataFile', 'HKLIN') as unknown as CObsDataFile;
    try {
      obs.as_FMEAN();
      expect.unreachable();
    } catch (e) {
      expect(isCcp4Error(e)).toBe(true);
      expect((e as Error).message).toMatch(/not set/);
    }
  });
});

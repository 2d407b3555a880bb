import { basename, extname, join } from 'node:path';
import { type ConversionReport, convertMtz } from '../conversions/convert-mtz.js';
import type { DataType } from '../conversions/representations.js';
import { Ccp4Error } from '../errors/ccp4-error.js';
import { CMiniMtzDataFile } from './domain.js';

export interface AsTypeOptions {
  /** Output path; wins over `workDirectory`. */
  out?: string;
  /** Directory for `<stem>_as<TYPE>.mtz` (CCP4i2 writes converted files into the job's directory). */
  workDirectory?: string;
}

/**
 * Observation and phase files that CCP4i2 converts before handing them to a program (as_FMEAN() ...). The
 * conversion itself is src/conversions; these methods resolve the file's path, choose the output name and
 * return the written path. The columns used are those of the file's content flag when it is known.
 */
abstract class CConvertibleMtzDataFile extends CMiniMtzDataFile {
  protected convertTo(to: DataType, opts: AsTypeOptions = {}): ConversionReport & { path: string } {
    const path = this.getFullPath();
    if (!path) {
      throw new Ccp4Error({
        className: this.className,
        code: 101,
        message: `cannot convert to ${to}: the file is not set`,
        objectPath: this.objectPath(),
      });
    }
    const stem = basename(path, extname(path));
    const out =
      opts.out ?? (opts.workDirectory ? join(opts.workDirectory, `${stem}_as${to}.mtz`) : undefined);
    const flag = this.contentFlag ?? this.detectContentFlag();
    const columns = flag ? this.contentSignatureList()[flag - 1] : undefined;
    const report = convertMtz(path, to, { out, columns: columns?.length ? columns : undefined });
    return report as ConversionReport & { path: string };
  }
}

/** Observed data (content flags 1 IPAIR, 2 FPAIR, 3 IMEAN, 4 FMEAN). */
export class CObsDataFile extends CConvertibleMtzDataFile {
  as_IPAIR(opts?: AsTypeOptions): string {
    return this.convertTo('IPAIR', opts).path;
  }
  as_FPAIR(opts?: AsTypeOptions): string {
    return this.convertTo('FPAIR', opts).path;
  }
  as_IMEAN(opts?: AsTypeOptions): string {
    return this.convertTo('IMEAN', opts).path;
  }
  as_FMEAN(opts?: AsTypeOptions): string {
    return this.convertTo('FMEAN', opts).path;
  }
}

/** Phases (content flags 1 HL, 2 PHIFOM). */
export class CPhsDataFile extends CConvertibleMtzDataFile {
  as_HL(opts?: AsTypeOptions): string {
    return this.convertTo('HL', opts).path;
  }
  as_PHIFOM(opts?: AsTypeOptions): string {
    return this.convertTo('PHIFOM', opts).path;
  }
}

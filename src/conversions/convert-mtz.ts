import { basename, dirname, extname, join } from 'node:path';
import { fileError, outputTarget, sameFile } from '../files/index.js';
import { createMtz, isUnmerged, type Mtz, type MtzDataset, readMtz, writeMtz } from '../formats/mtz/index.js';
import { anomalousMean, type CentricDuplicates } from './anomalous-mean.js';
import { CONVERSION_ERRORS, conversionError } from './errors.js';
import { frenchWilson } from './french-wilson.js';
import { type PriorOptions, shellPrior } from './fw-prior.js';
import { hlToPhiFom } from './hl-to-phifom.js';
import { phiFomToHl } from './phifom-to-hl.js';
import { type ReflectionContext, reflectionContext } from './reflection-context.js';
import { DATA_TYPES, type DataType, isPhaseType, isPossible, OUTPUT_COLUMNS } from './representations.js';
import { type Source, selectSource } from './select-source.js';

export interface ConvertOptions {
  /** Output path; default `<input dir>/<stem>_as<TYPE>.mtz`. */
  out?: string;
  /** Input column labels in CCP4i2's signature order (e.g. `Iplus,SIGIplus,Iminus,SIGIminus`). */
  columns?: readonly string[];
  /** How centric reflections stored in both (+) and (-) enter means (default 'once'; see anomalous-mean.ts). */
  centricDuplicates?: CentricDuplicates;
  /** Shells of the French–Wilson prior (default ≤ 20 shells of ≥ 100 reflections). */
  prior?: PriorOptions;
}

export interface ConversionReport {
  /** Path written (convertMtz only). */
  path?: string;
  from: DataType;
  to: DataType;
  sourceColumns: string[];
  outputColumns: string[];
  nref: number;
  /** Reflections with a value in at least one output column. */
  nvalid: number;
  /** What was done, one line (also appended to the file's history). */
  method: string;
}

/** `<dir>/<stem>_as<TYPE>.mtz`, CCP4i2's name for a converted file. */
export function convertedPath(inPath: string, to: DataType): string {
  const ext = extname(inPath);
  return join(dirname(inPath), `${basename(inPath, ext)}_as${to}.mtz`);
}

export function parseDataType(s: string, phases = false): DataType {
  const t = s.toUpperCase();
  if ((DATA_TYPES as readonly string[]).includes(t)) return t as DataType;
  throw conversionError(
    phases,
    CONVERSION_ERRORS.BAD_TARGET,
    `unknown data type '${s}' (expected one of ${DATA_TYPES.join(', ')})`,
  );
}

/** Reads `inPath`, converts its observations or phases to `to`, writes the result; see convertMtzData. */
export function convertMtz(inPath: string, to: DataType, opts: ConvertOptions = {}): ConversionReport {
  const path = opts.out ?? convertedPath(inPath, to);
  // the output holds H K L and the converted columns only: written over the input, the rest would be lost
  if (sameFile(outputTarget(path), inPath))
    throw fileError(5, `will not write: it is the input file ${inPath}`, path);
  const mtz = readMtz(inPath);
  const { mtz: out, report } = convertMtzData(mtz, to, opts);
  writeMtz(out, path);
  return { ...report, path };
}

/**
 * In-memory conversion: a new MTZ holding H, K, L and the `to` columns with CCP4i2's labels (see
 * representations.ts), every reflection of the input kept (missing values NaN), the cell, symmetry, source
 * dataset and history of the input plus one history line naming the method.
 */
export function convertMtzData(
  mtz: Mtz,
  to: DataType,
  opts: ConvertOptions = {},
): { mtz: Mtz; report: ConversionReport } {
  const phases = isPhaseType(to);
  if (isUnmerged(mtz))
    throw conversionError(
      phases,
      CONVERSION_ERRORS.UNMERGED,
      'the file holds unmerged data (M/ISYM column); merge it (e.g. with aimless) before converting',
      mtz.file,
    );
  const src = selectSource(mtz, to, opts.columns);
  if (!isPossible(src.type, to))
    throw conversionError(
      phases,
      CONVERSION_ERRORS.UNSUPPORTED,
      `cannot convert ${src.type} (${src.columns.map((c) => c.label).join(',')}) to ${to}` +
        (isPhaseType(src.type) !== phases ? ': observations and phases are different kinds of data' : ''),
      mtz.file,
    );
  const hkl = mtz.columns.filter((c) => c.type === 'H').slice(0, 3);
  if (hkl.length !== 3)
    throw conversionError(phases, CONVERSION_ERRORS.BAD_COLUMNS, 'the file has no H, K, L columns', mtz.file);
  let ctx: ReflectionContext | undefined;
  const context = () => {
    ctx ??= reflectionContext(hkl[0].data, hkl[1].data, hkl[2].data, mtz.cell, mtz.spaceGroup.symops);
    return ctx;
  };
  const { values, method } = compute(src, to, context, opts);
  const nvalid = countValid(values);
  if (!phases && src.type !== to && nvalid === 0)
    throw conversionError(
      phases,
      CONVERSION_ERRORS.NO_USABLE_DATA,
      `no usable observation in ${src.columns.map((c) => c.label).join(',')} (all missing, or every sigma NaN or <= 0)`,
      mtz.file,
    );
  const datasetId = src.columns[0].datasetId;
  const datasets: MtzDataset[] = mtz.datasets.filter((d) => d.id === 0 || d.id === datasetId);
  const out = createMtz({
    title: mtz.title,
    cell: mtz.cell,
    spaceGroup: mtz.spaceGroup,
    datasets: datasets.length > 0 ? datasets : undefined,
    history: [...mtz.history.slice(-29), `ccp4i2-ts convert: ${method}`.slice(0, 80)],
    // only H, K, L survive, so a sort key on any other column is dropped
    sortOrder: mtz.sortOrder.map((c) => (c >= 1 && c <= 3 ? c : 0)),
    columns: [
      ...hkl.map((c) => ({ label: c.label, type: 'H', datasetId: 0, data: Float32Array.from(c.data) })),
      ...OUTPUT_COLUMNS[to].map(([label, type], i) => ({
        label,
        type,
        datasetId: datasets.some((d) => d.id === datasetId) ? datasetId : 0,
        data: values[i],
      })),
    ],
  });
  return {
    mtz: out,
    report: {
      from: src.type,
      to,
      sourceColumns: src.columns.map((c) => c.label),
      outputColumns: OUTPUT_COLUMNS[to].map(([l]) => l),
      nref: mtz.nref,
      nvalid,
      method,
    },
  };
}

/** Reflections with a value in any output column. */
function countValid(cols: Float32Array[]): number {
  let n = 0;
  for (let i = 0; i < cols[0].length; i++) if (cols.some((c) => !Number.isNaN(c[i]))) n++;
  return n;
}

const f32 = (a: ArrayLike<number>) => Float32Array.from(a);

function compute(
  src: Source,
  to: DataType,
  context: () => ReflectionContext,
  opts: ConvertOptions,
): { values: Float32Array[]; method: string } {
  const d = src.columns.map((c) => c.data);
  const dup = opts.centricDuplicates ?? 'once';
  const label = `${src.type} -> ${to}`;
  if (src.type === to) return { values: d.map(f32), method: `${label} (copy, CCP4i2 labels)` };
  const pairMean = () => anomalousMean(d[0], d[1], d[2], d[3], context().centric, dup);
  // French–Wilson with the prior from the mean intensities of each resolution shell
  const fw = (
    I: ArrayLike<number>,
    sig: ArrayLike<number>,
    priorFrom: { I: ArrayLike<number>; sig: ArrayLike<number> },
  ) => {
    const c = context();
    const prior = shellPrior(c.invD2, priorFrom.I, priorFrom.sig, c.epsilon, opts.prior);
    return { prior, r: frenchWilson(I, sig, prior.sigma, c.centric) };
  };
  switch (`${src.type}>${to}`) {
    case 'IPAIR>IMEAN':
    case 'FPAIR>FMEAN': {
      const m = pairMean();
      return {
        values: [f32(m.mean), f32(m.sigma)],
        method: `${label} (inverse-variance mean, centric duplicates ${dup})`,
      };
    }
    case 'IPAIR>FMEAN': {
      const m = pairMean();
      const { r } = fw(m.mean, m.sigma, { I: m.mean, sig: m.sigma });
      return {
        values: [f32(r.F), f32(r.sigF)],
        method: `${label} (French-Wilson of the inverse-variance mean)`,
      };
    }
    case 'IMEAN>FMEAN': {
      const { r } = fw(d[0], d[1], { I: d[0], sig: d[1] });
      return { values: [f32(r.F), f32(r.sigF)], method: `${label} (French-Wilson)` };
    }
    case 'IPAIR>FPAIR': {
      const m = pairMean();
      const p = fw(d[0], d[1], { I: m.mean, sig: m.sigma });
      const minus = frenchWilson(d[2], d[3], p.prior.sigma, context().centric);
      return {
        values: [f32(p.r.F), f32(p.r.sigF), f32(minus.F), f32(minus.sigF)],
        method: `${label} (French-Wilson of each, prior from the mean)`,
      };
    }
    case 'HL>PHIFOM': {
      const c = context();
      const r = hlToPhiFom(d[0], d[1], d[2], d[3], c.centric, c.allowedDeg);
      return { values: [f32(r.phi), f32(r.fom)], method: `${label} (clipper 72-step integration)` };
    }
    case 'PHIFOM>HL': {
      const r = phiFomToHl(d[0], d[1], context().centric);
      return {
        values: [f32(r.hla), f32(r.hlb), f32(r.hlc), f32(r.hld)],
        method: `${label} (clipper invsim)`,
      };
    }
  }
  // isPossible() has already refused everything else
  throw new Error(`unhandled conversion ${label}`);
}

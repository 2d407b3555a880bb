import type { Cell } from '../symmetry/cell.js';
import type { SymOp } from '../symmetry/symop.js';

/** Space group as the MTZ file states it (SYMINF and SYMM records). */
export interface MtzSpaceGroup {
  /** Hermann–Mauguin name as written in SYMINF, e.g. `P 65 2 2`. */
  name: string;
  /** CCP4 space-group number. */
  number: number;
  /** All operators from the SYMM records, centring included, in file order (M/ISYM indexes them). */
  symops: SymOp[];
  /** Number of primitive operators (SYMINF). */
  nprim: number;
  /** Lattice letter (SYMINF), e.g. `P`, `C`, `R`. */
  lattice: string;
  /** Point group as written after the name (`PG622`, `mmm`, ...). */
  pointGroup: string;
}

export interface MtzDataset {
  id: number;
  project: string;
  crystal: string;
  dataset: string;
  cell: Cell;
  wavelength: number;
}

/** A column group record (COLGRP), kept so that files round-trip. */
export interface MtzColumnGroup {
  name: string;
  type: string;
  position: number;
}

/** One batch header of an unmerged file: BH record, title, binary integers and reals, BHCH axes. */
export interface MtzBatch {
  number: number;
  title: string;
  ints: Int32Array;
  floats: Float32Array;
  axes: string[];
}

/** Header facts of a column; the data are on MtzColumn. */
export interface MtzColumnInfo {
  label: string;
  /** One-letter CCP4 column type (H, J, F, D, Q, G, L, K, M, E, P, W, A, B, Y, I, R). */
  type: string;
  datasetId: number;
  /** Minimum and maximum from the COLUMN record (written by us from the data, NaN ignored). */
  min: number;
  max: number;
  source?: string;
  group?: MtzColumnGroup;
}

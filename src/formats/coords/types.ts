import type { Transform, UnitCell } from './cell.js';
import type { Edit } from './edits.js';

export type CoordFormat = 'pdb' | 'mmcif';

/** What a coordinate file says about its crystal. */
export interface CoordCellInfo {
  format: CoordFormat;
  cell: UnitCell;
  /** Space group name as written (CRYST1 columns 56-66 trimmed, or the CIF H-M item); absent when blank. */
  spaceGroup?: string;
  /** International Tables number (mmCIF only; CRYST1 has none). */
  spaceGroupNumber?: number;
  /** Z: CRYST1 columns 67-70 or `_cell.Z_PDB`. */
  z?: number;
  /** SCALE1-3 or `_atom_sites.fract_transf_*` when the file has all of them. */
  fractionalisation?: Transform;
  /** 1-based line of CRYST1 or of `_cell.length_a`. */
  line: number;
}

/** A new cell (and optionally a new space group) to write into a coordinate file. */
export interface CellUpdate {
  cell: UnitCell;
  /** New space group name; when absent the file's own is kept. */
  spaceGroup?: string;
  /** International Tables number to write with a new name (mmCIF only). */
  spaceGroupNumber?: number;
}

export interface CellEditResult extends CellEditSummary {
  /** The whole new file text (latin1: one char per byte). */
  text: string;
}

/** The replacements that write the cell, in offsets of the input text. */
export interface CellEditPlan extends CellEditSummary {
  edits: Edit[];
}

export interface CellEditSummary {
  format: CoordFormat;
  /** True when the file had no cell record and one was inserted. */
  cellInserted: boolean;
  /** True when SCALE1-3 / fract_transf were recomputed. */
  fractionalisationRewritten: boolean;
}

export { MTZ_ERRORS } from './errors.js';
export { createMtz, Mtz, MtzColumn, type MtzHeader, type MtzInit, minMax } from './mtz.js';
export { type ReadMtzOptions, readMtz, readMtzHeader } from './read.js';
export { type ColumnStats, columnStats } from './stats.js';
export type { MtzBatch, MtzColumnGroup, MtzColumnInfo, MtzDataset, MtzSpaceGroup } from './types.js';
export { isUnmerged, originalHkl } from './unmerged.js';
export { COLUMN_TYPES, encodeMtz, type WriteMtzOptions, writeMtz } from './write.js';

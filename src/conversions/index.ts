// Public surface of the conversions layer (re-exported from src/index.ts).
export { anomalousMean, type CentricDuplicates, type MeanColumns } from './anomalous-mean.js';
export {
  type ConversionReport,
  type ConvertOptions,
  convertedPath,
  convertMtz,
  convertMtzData,
  parseDataType,
} from './convert-mtz.js';
export { CONVERSION_ERRORS } from './errors.js';
export { type FwColumns, type FwResult, frenchWilson, frenchWilsonOne } from './french-wilson.js';
export { type PriorOptions, type ShellPrior, shellPrior } from './fw-prior.js';
export { hlToPhiFom, type PhiFomColumns } from './hl-to-phifom.js';
export { type HlColumns, invsim, phiFomToHl } from './phifom-to-hl.js';
export { type ReflectionContext, reflectionContext } from './reflection-context.js';
export { DATA_TYPES, type DataType, isPossible, OUTPUT_COLUMNS } from './representations.js';

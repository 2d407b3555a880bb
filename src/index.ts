// Public API of ccp4i2-ts. Each layer exports its own surface here; see docs/architecture.md.

export { type I2runIo, runTask as runI2run } from './cli/i2run/run.js';
export * from './conversions/index.js';
export * from './data/index.js';
export * from './db/index.js';
export type { Ccp4ErrorInit, ErrorLocation } from './errors/ccp4-error.js';
export { Ccp4Error, isCcp4Error } from './errors/ccp4-error.js';
export {
  asCcp4Error,
  EXIT_INTERNAL,
  FATAL_CLASS,
  fatalMessage,
  installCrashHandlers,
} from './errors/fatal.js';
export { Severity, severityName } from './errors/severity.js';
export type {
  CellEditPlan,
  CellEditResult,
  CellEditSummary,
  CellUpdate,
  CoordCellInfo,
  CoordFormat,
  UnitCell,
} from './formats/coords/index.js';
export {
  COORD_ERROR_CLASS,
  CoordErrorCode,
  detectCoordFormat,
  fractionalisationMatrix,
  orthogonalisationMatrix,
  parseCoordCell,
  planCoordCell,
  readCoordCell,
  replaceCoordCell,
  writeCoordCell,
} from './formats/coords/index.js';
export * from './formats/loggraph/index.js';
export * from './formats/mtz/index.js';
export * from './formats/symmetry/index.js';
export * from './jobs/index.js';
export * from './object/index.js';
export * from './plugins/index.js';
export type { GemmiMtzHeader } from './plugins/tasks/gemmi-cell/parse.js';
export { GEMMI_CELL_ERROR_CODES, parseGemmiMtzHeader } from './plugins/tasks/gemmi-cell/parse.js';
export type { MtzdumpHeader } from './plugins/tasks/mtzdump/log-parser.js';
export { MTZDUMP_ERROR_CODES, parseMtzdumpLog } from './plugins/tasks/mtzdump/log-parser.js';
export * from './process/index.js';
export * from './report/index.js';
export * from './reports/index.js';
export type {
  ParsedTemplate,
  RenderOptions,
  RenderResult,
  ScopeRecord,
  ScopeValue,
  TemplateErrorKind,
  TemplateNode,
  TemplateScope,
  TemplateValue,
} from './templates/index.js';
export {
  loadTemplateFile,
  parseTemplate,
  printValue,
  pythonFloatStr,
  renderTemplate,
  scopeFromContainer,
  scopeFromObject,
  TEMPLATE_CLASS,
  TEMPLATE_ERRORS,
  templateVariables,
  toTemplateValue,
  truthy,
  tv,
} from './templates/index.js';
export * from './xml/index.js';

// Public API of ccp4i2-ts. Each layer exports its own surface here; see docs/architecture.md.

export type { Ccp4ErrorInit, ErrorLocation } from './errors/ccp4-error.js';
export { Ccp4Error, isCcp4Error } from './errors/ccp4-error.js';
export { Severity, severityName } from './errors/severity.js';
export * from './object/index.js';
export * from './process/index.js';
export * from './report/index.js';
export * from './xml/index.js';
export * from './formats/mtz/index.js';
export * from './formats/symmetry/index.js';
export * from './conversions/index.js';
export * from './data/index.js';

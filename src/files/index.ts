export { checkDirectoryPath, makeDirectories } from './directory.js';
export { errnoOf, FILE_CLASS, FILE_ERRORS, type FileErrorCode, fileError } from './errors.js';
export { fileIdentity, sameFile } from './identity.js';
export { kindOf } from './kind.js';
export { openRegularSync, readHeadSync, readRegularFile, readRegularFileSync } from './read.js';
export {
  claimFreeName,
  type OutputOptions,
  outputTarget,
  writeFileAtomicSync,
  writeStreamAtomic,
} from './write.js';

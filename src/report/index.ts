export { errorReportFromXml, errorReportToXml, readDiagnosticXml, writeDiagnosticXml } from './diagnostic.js';
export type { ErrorCodeInfo, ErrorCodeTable } from './error-codes.js';
export { errorCodesOf, hasErrorCodes, lookupErrorCode, registerErrorCodes } from './error-codes.js';
export type { AppendOptions, ErrorEntry, ErrorReportOptions } from './error-report.js';
export { CErrorReport, entryToError, formatEntry } from './error-report.js';

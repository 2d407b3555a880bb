// CCP4's loggraph format ($TABLE / $GRAPHS / $$ blocks, $TEXT, summaries) in program logs.
export { graphSpecs, parseScaling } from './graphs.js';
export { SUMMARY_BEGIN, SUMMARY_END, stripMarkup } from './markup.js';
export { DEFAULT_LIMITS, LoggraphParser } from './parser.js';
export {
  collector,
  LOGGRAPH_ERROR_CLASS,
  LOGGRAPH_ERROR_CODES,
  parseLoggraph,
  parseLoggraphFile,
} from './read.js';
export type {
  GraphScaling,
  LoggraphGraph,
  LoggraphHandlers,
  LoggraphLimits,
  LoggraphLog,
  LoggraphTable,
  LoggraphText,
  LoggraphWarning,
  LoggraphWarningCode,
} from './types.js';
export { cellNumber, type LoggraphTableJson, tableJson } from './values.js';

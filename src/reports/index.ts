// Job reports: what a job produced (status, timing, loggraph tables, key values, outputs, messages), as
// JSON in report.json. See docs/reports.md.

export { type GraphData, graphData, type Series, tickLabel, ticks } from './axes.js';
export { type BuildOptions, buildReport } from './build.js';
export {
  type ExtractorContext,
  type KeyValueExtractor,
  keyValue,
  keyValueExtractors,
  mtzHeaderValues,
  outputValues,
  registerKeyValues,
  summaryItemValues,
  tableValue,
} from './key-values.js';
export type {
  JobReport,
  KeyValue,
  KeyValueValue,
  ReportMessage,
  ReportOutput,
  ReportStatus,
  ReportTable,
  ReportText,
} from './model.js';
export { REPORT_FILE, REPORT_SCHEMA, REPORT_VERSION } from './model.js';
export { reportOutputs } from './outputs.js';
export { braillePlot, graphText, sparklines, type TextGraphStyle } from './plot-text.js';
export {
  REPORTS_ERROR_CLASS,
  REPORTS_ERROR_CODES,
  readReport,
  reportOfDirectory,
  validateReport,
} from './read.js';
export { attachReporter, JobReporter, type ReporterOptions } from './reporter.js';
export { escapeXml, graphFileName, graphSvg } from './svg.js';
export { writeGraphFiles } from './svg-files.js';
export {
  reportSummaryLines,
  reportText,
  summaryLines,
  type TextOptions,
  tablesText,
  tableText,
} from './text.js';
export { writeReport } from './write.js';

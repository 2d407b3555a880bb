/** How a graph's axes are scaled: `A` automatic, `N` automatic with y from 0, or fixed limits. */
export interface GraphScaling {
  mode: 'auto' | 'nought' | 'fixed';
  /** The scaling field as written in the log (`A`, `N`, `0|0.277x0|5`). */
  raw: string;
  xmin?: number;
  xmax?: number;
  ymin?: number;
  ymax?: number;
}

/** One graph of a table: the first column is x, the others are y series. */
export interface LoggraphGraph {
  /** As written (CCP4 logs often start it with a space). */
  title: string;
  scaling: GraphScaling;
  /** Zero-based column indices (the log counts from 1); columns that do not exist are dropped, with a warning. */
  columns: number[];
}

/** A `$TABLE` block. Cells are kept as text, exactly as written (`-`, `*`, `NaN` mark missing values). */
export interface LoggraphTable {
  title: string;
  /** `GRAPHS`, or `SCATTER` (points, not lines). */
  type: 'GRAPHS' | 'SCATTER';
  columns: string[];
  graphs: LoggraphGraph[];
  rows: string[][];
  /** Free text between the column headers and the data (rarely used). */
  text: string;
  /** 1-based line of `$TABLE`. */
  line: number;
  /** 1-based line of the closing `$$`; undefined while the table is open or when it never closed. */
  endLine?: number;
  /** False when the log ended (or another block began) before the closing `$$`. */
  complete: boolean;
}

/** A `$TEXT :title: $$ ... $$ text $$` block, or a `<!--SUMMARY_BEGIN-->...<!--SUMMARY_END-->` region. */
export interface LoggraphText {
  kind: 'text' | 'summary';
  /** The `$TEXT` title (`Warning`, `Result`...); empty for summaries. */
  title: string;
  /** Lines with CCP4's HTML markup removed. */
  lines: string[];
  line: number;
  endLine?: number;
  complete: boolean;
}

export type LoggraphWarningCode =
  | 'unterminated-table'
  | 'unterminated-text'
  | 'no-graphs'
  | 'no-columns'
  | 'ragged-row'
  | 'missing-column'
  | 'bad-graph'
  | 'bad-scaling'
  | 'too-many-rows'
  | 'too-many-columns'
  | 'too-many-lines'
  | 'line-too-long'
  | 'too-many-warnings';

/** Something in the log that does not follow the format; the parser goes on. */
export interface LoggraphWarning {
  code: LoggraphWarningCode;
  /** 1-based line of the log. */
  line: number;
  message: string;
}

/** Everything a log holds, as `parseLoggraph` collects it. */
export interface LoggraphLog {
  tables: LoggraphTable[];
  texts: LoggraphText[];
  warnings: LoggraphWarning[];
  /** Lines read. */
  lines: number;
}

/** Limits that keep memory bounded whatever the log holds. */
export interface LoggraphLimits {
  /** Rows kept per table (default 200,000); later rows are counted and dropped with one warning. */
  maxRows?: number;
  /** Columns kept per table (default 2,000). */
  maxColumns?: number;
  /** Characters kept per line (default 1 MiB); the rest of a longer line is dropped with a warning. */
  maxLineLength?: number;
  /** Lines kept per text block (default 10,000). */
  maxTextLines?: number;
  /** Warnings kept (default 1,000); then one `too-many-warnings`, and a count. */
  maxWarnings?: number;
}

/** What the incremental parser reports as it reads. */
export interface LoggraphHandlers {
  /** A table's header has been read: title, columns and graphs are final, rows follow. */
  table?(table: LoggraphTable): void;
  /** A row was added to `table.rows`. */
  row?(table: LoggraphTable, row: string[]): void;
  /** The table closed (`complete`), or was cut short (`!complete`, with a warning). */
  tableEnd?(table: LoggraphTable): void;
  /** A text block or summary ended. */
  text?(block: LoggraphText): void;
  warning?(warning: LoggraphWarning): void;
}

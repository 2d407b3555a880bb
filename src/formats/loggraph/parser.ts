import { type GraphProblem, type GraphSpec, graphSpecs, resolveGraph } from './graphs.js';
import { SUMMARY_BEGIN, SUMMARY_END, stripMarkup } from './markup.js';
import type {
  LoggraphHandlers,
  LoggraphLimits,
  LoggraphTable,
  LoggraphText,
  LoggraphWarning,
  LoggraphWarningCode,
} from './types.js';

export const DEFAULT_LIMITS: Required<LoggraphLimits> = {
  maxRows: 200_000,
  maxColumns: 2_000,
  maxLineLength: 1 << 20,
  maxTextLines: 10_000,
  maxWarnings: 1_000,
};

/** Header sections of a table are short; one that grows past this never closed (binary garbage, a dead program). */
const MAX_SECTION_CHARS = 1 << 20;

const BLOCK_START = /\$(TABLE|TEXT|SUMMARY)\s*:/;
const GRAPHS_KEYWORD = /\$(GRAPHS|SCATTER)/;

/** Where a table is: before `$GRAPHS`, in the graph definitions, the column headers, the free text, the data. */
type TableStage = 'header' | 'graphs' | 'columns' | 'text' | 'data';

interface OpenTable {
  table: LoggraphTable;
  stage: TableStage;
  /** Text of the section being read (graph definitions, headers, free text). */
  section: string;
  specs: GraphSpec[];
  graphsLine: number;
  /** Columns the header declared (the table keeps at most maxColumns of them). */
  declared: number;
  dropped: number;
  /** Emitted through `handlers.table` (its header was read). */
  emitted: boolean;
}

/** Where a text block is: before its first `$$`, in the ignored text, in the body. */
type TextStage = 'open' | 'junk' | 'body';

interface OpenText {
  block: LoggraphText;
  stage: TextStage;
  dropped: number;
}

/**
 * Incremental parser of CCP4's loggraph format: feed it the log line by line (`push`) or in chunks of any
 * size (`write`) as the program writes it, then call `end()`. It reports a table as soon as its header
 * has been read and each row as it arrives, so a report can grow while the job runs; whole-file parsing is
 * the same calls, so both give the same result. Nothing in the log can make it throw: what does not follow
 * the format is a warning with its line number, and the limits bound what it keeps.
 *
 * Hand-written: no maintained JavaScript library reads this format (CCP4's own readers are smartie and
 * CCP4i2's parseLoggraph, both Python), and a line-driven state machine is what incremental reading needs.
 */
export class LoggraphParser {
  readonly limits: Required<LoggraphLimits>;
  #handlers: LoggraphHandlers;
  #line = 0;
  #table: OpenTable | undefined;
  #text: OpenText | undefined;
  #summary: { block: LoggraphText; hasText: boolean; dropped: number } | undefined;
  #pending = '';
  #warnings = 0;
  #ended = false;

  constructor(handlers: LoggraphHandlers = {}, limits: LoggraphLimits = {}) {
    this.#handlers = handlers;
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Lines read so far. */
  get lineNumber(): number {
    return this.#line;
  }

  /** Warnings found so far, including those beyond maxWarnings that were only counted. */
  get warningCount(): number {
    return this.#warnings;
  }

  /** Text of any size, cut anywhere: complete lines are parsed, the last partial line waits for the next call. */
  write(chunk: string): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl < 0) break;
      const piece = chunk.slice(start, nl);
      this.push(this.#pending === '' ? piece : this.#pending + piece);
      this.#pending = '';
      start = nl + 1;
    }
    if (start < chunk.length) {
      // One char beyond the limit is kept so that push() sees the line was too long.
      const room = this.limits.maxLineLength + 1 - this.#pending.length;
      if (room > 0) this.#pending += chunk.slice(start, start + room);
    }
  }

  /** One line of the log (without its newline). */
  push(raw: string): void {
    if (this.#ended) return;
    this.#line++;
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length > this.limits.maxLineLength) {
      this.#warn(
        'line-too-long',
        this.#line,
        `line longer than ${this.limits.maxLineLength} characters; the rest is ignored`,
      );
      line = line.slice(0, this.limits.maxLineLength);
    }
    const inTable = this.#table !== undefined;
    if (this.#table) this.#tableLine(line);
    else if (this.#text) this.#textLine(line);
    else this.#outside(line);
    if (this.#summary || line.includes('<!--SUMMARY'))
      this.#summaryLine(line, inTable || this.#table !== undefined);
  }

  /** The log has ended: a pending partial line is parsed, blocks still open are reported as cut short. */
  end(): void {
    if (this.#ended) return;
    if (this.#pending !== '') {
      const p = this.#pending;
      this.#pending = '';
      this.push(p);
    }
    this.#ended = true;
    if (this.#table) this.#cutTable(this.#line, 'the log ended');
    if (this.#text) this.#cutText('the log ended');
    const s = this.#summary;
    if (s) {
      this.#warnAlways('unterminated-text', s.block.line, `summary begun at line ${s.block.line} never ends`);
      this.#summary = undefined;
      if (!s.hasText) this.#emitText(s.block);
    }
  }

  // ---- outside any block ------------------------------------------------------------------------------

  #outside(line: string): void {
    if (!line.includes('$')) return;
    const m = BLOCK_START.exec(line);
    if (!m) return;
    const rest = line.slice(m.index + m[0].length);
    if (m[1] === 'TABLE') this.#startTable(rest);
    else this.#startText(rest, m[1] === 'SUMMARY' ? 'summary' : 'text');
  }

  // ---- tables -----------------------------------------------------------------------------------------

  #startTable(rest: string): void {
    const g = rest.search(GRAPHS_KEYWORD);
    let title: string;
    let tail = '';
    if (g >= 0) {
      const head = rest.slice(0, g);
      const c = head.indexOf(':');
      title = (c >= 0 ? head.slice(0, c) : head).trim();
      tail = rest.slice(g);
    } else {
      title = rest.trim();
      if (title.endsWith(':')) title = title.slice(0, -1).trim();
    }
    this.#table = {
      table: {
        title,
        type: 'GRAPHS',
        columns: [],
        graphs: [],
        rows: [],
        text: '',
        line: this.#line,
        complete: false,
      },
      stage: 'header',
      section: '',
      specs: [],
      graphsLine: this.#line,
      declared: 0,
      dropped: 0,
      emitted: false,
    };
    if (tail) this.#tableSections(tail);
  }

  #tableLine(line: string): void {
    const t = this.#table as OpenTable;
    // A new block before this one closed: the program died or wrote a broken table.
    if (line.includes('$')) {
      const m = BLOCK_START.exec(line);
      if (m) {
        const close = t.stage === 'header' ? -1 : line.indexOf('$$');
        if (close < 0 || m.index < close) {
          this.#cutTable(this.#line, `a new block begins at line ${this.#line}`);
          this.#outside(line);
          return;
        }
      }
    }
    this.#tableSections(line);
  }

  /** Reads a line (or the rest of one) through the table's `$$`-separated sections. */
  #tableSections(text: string): void {
    let rest = text;
    for (;;) {
      const t = this.#table;
      if (!t) return;
      if (t.stage === 'header') {
        const m = GRAPHS_KEYWORD.exec(rest);
        if (!m) {
          if (rest.trim() === '') return;
          this.#warn(
            'no-graphs',
            t.table.line,
            `table '${t.table.title}' (line ${t.table.line}): no $GRAPHS line follows $TABLE; table ignored`,
          );
          this.#table = undefined;
          this.#outside(rest);
          return;
        }
        t.table.type = m[1] as 'GRAPHS' | 'SCATTER';
        t.graphsLine = this.#line;
        rest = rest.slice(m.index + m[0].length);
        const c = rest.indexOf(':');
        const d = rest.indexOf('$$');
        rest = c >= 0 && (d < 0 || c < d) ? rest.slice(c) : d >= 0 ? rest.slice(d) : '';
        t.stage = 'graphs';
        continue;
      }
      if (t.stage === 'data') {
        const i = rest.indexOf('$$');
        const seg = i < 0 ? rest : rest.slice(0, i);
        this.#row(t, seg);
        if (i < 0) return;
        t.table.endLine = this.#line;
        t.table.complete = true;
        this.#table = undefined;
        this.#handlers.tableEnd?.(t.table);
        const tail = rest.slice(i + 2);
        if (tail.trim() !== '') this.#outside(tail);
        return;
      }
      const i = rest.indexOf('$$');
      if (i < 0) {
        t.section += `${rest}\n`;
        if (t.section.length > MAX_SECTION_CHARS)
          this.#cutTable(this.#line, `its ${t.stage} section never closes`);
        return;
      }
      t.section += rest.slice(0, i);
      rest = rest.slice(i + 2);
      this.#closeSection(t);
    }
  }

  #closeSection(t: OpenTable): void {
    const section = t.section;
    t.section = '';
    if (t.stage === 'graphs') {
      t.specs = graphSpecs(section);
      if (t.specs.length === 0)
        this.#warn('no-graphs', t.graphsLine, `table '${t.table.title}': $GRAPHS declares no graph`);
      t.stage = 'columns';
      return;
    }
    if (t.stage === 'columns') {
      const names = section.split(/\s+/).filter((s) => s !== '');
      t.declared = names.length;
      if (names.length === 0)
        this.#warn(
          'no-columns',
          this.#line,
          `table '${t.table.title}': no column headers between $$ markers; its rows are ignored`,
        );
      if (names.length > this.limits.maxColumns) {
        this.#warn(
          'too-many-columns',
          this.#line,
          `table '${t.table.title}': ${names.length} columns; the first ${this.limits.maxColumns} are kept`,
        );
        names.length = this.limits.maxColumns;
      }
      t.table.columns = names;
      const problems: GraphProblem[] = [];
      t.table.graphs = t.specs.map((s) => resolveGraph(s, names.length, problems));
      for (const p of problems) this.#warn(p.code, t.graphsLine, `table '${t.table.title}': ${p.message}`);
      t.stage = 'text';
      t.emitted = true;
      this.#handlers.table?.(t.table);
      return;
    }
    // the free text between the headers and the data
    t.table.text = section.trim();
    t.stage = 'data';
  }

  #row(t: OpenTable, seg: string): void {
    const ncol = t.table.columns.length;
    if (ncol === 0) return;
    const cells = splitCells(seg);
    if (cells.length === 0) return;
    const d = t.declared;
    // The format is a stream of whitespace-separated cells: a line holding several whole rows (one-line
    // tables) is those rows. Any other count is a ragged row.
    if (cells.length > d && cells.length % d === 0) {
      for (let k = 0; k < cells.length; k += d) this.#addRow(t, cells.slice(k, k + d));
      return;
    }
    if (cells.length !== d) {
      this.#warn(
        'ragged-row',
        this.#line,
        `table '${t.table.title}': row of ${cells.length} cells under ${d} column headers${cells.length < d ? '; missing cells left empty' : '; extra cells dropped'}`,
      );
      while (cells.length < ncol) cells.push('');
    }
    this.#addRow(t, cells);
  }

  #addRow(t: OpenTable, cells: string[]): void {
    if (t.table.rows.length >= this.limits.maxRows) {
      if (t.dropped++ === 0)
        this.#warn(
          'too-many-rows',
          this.#line,
          `table '${t.table.title}': more than ${this.limits.maxRows} rows; later rows are dropped`,
        );
      return;
    }
    const ncol = t.table.columns.length;
    if (cells.length > ncol) cells.length = ncol;
    t.table.rows.push(cells);
    this.#handlers.row?.(t.table, cells);
  }

  #cutTable(line: number, why: string): void {
    const t = this.#table as OpenTable;
    this.#table = undefined;
    const title = t.table.title;
    if (!t.emitted) {
      this.#warnAlways(
        'unterminated-table',
        t.table.line,
        `table '${title}' (line ${t.table.line}) ends before its column headers (${why}); table ignored`,
      );
      return;
    }
    this.#warnAlways(
      'unterminated-table',
      t.table.line,
      `table '${title}' (line ${t.table.line}) is not closed by $$ (${why} at line ${line}); its ${t.table.rows.length} rows are kept`,
    );
    this.#handlers.tableEnd?.(t.table);
  }

  // ---- text blocks and summaries ------------------------------------------------------------------------

  #startText(rest: string, kind: 'text' | 'summary'): void {
    const c = rest.indexOf(':');
    const title = (c >= 0 ? rest.slice(0, c) : rest.replace(/\$\$.*$/, '')).trim();
    this.#text = {
      block: { kind, title, lines: [], line: this.#line, complete: false },
      stage: 'open',
      dropped: 0,
    };
    if (this.#summary) this.#summary.hasText = true;
    this.#textSections(c >= 0 ? rest.slice(c + 1) : rest, true);
  }

  #textLine(line: string): void {
    if (line.includes('$')) {
      const m = BLOCK_START.exec(line);
      const close = line.indexOf('$$');
      if (m && (close < 0 || m.index < close)) {
        this.#cutText(`a new block begins at line ${this.#line}`);
        this.#outside(line);
        return;
      }
    }
    this.#textSections(line, false);
  }

  #textSections(text: string, first: boolean): void {
    let rest = text;
    let firstSeg = first;
    for (;;) {
      const x = this.#text;
      if (!x) return;
      const i = rest.indexOf('$$');
      const seg = i < 0 ? rest : rest.slice(0, i);
      if (x.stage === 'body' && !(firstSeg && seg.trim() === '')) this.#textBodyLine(x, seg);
      if (i < 0) return;
      rest = rest.slice(i + 2);
      firstSeg = false;
      if (x.stage === 'open') x.stage = 'junk';
      else if (x.stage === 'junk') {
        x.stage = 'body';
        firstSeg = true; // the rest of the line that ends the junk text: kept only when it holds text
      } else {
        x.block.endLine = this.#line;
        x.block.complete = true;
        this.#text = undefined;
        trimBlank(x.block.lines);
        this.#emitText(x.block);
        if (rest.trim() !== '') this.#outside(rest);
        return;
      }
    }
  }

  #textBodyLine(x: OpenText, seg: string): void {
    if (x.block.lines.length >= this.limits.maxTextLines) {
      if (x.dropped++ === 0)
        this.#warn(
          'too-many-lines',
          this.#line,
          `text '${x.block.title}': more than ${this.limits.maxTextLines} lines; the rest is dropped`,
        );
      return;
    }
    x.block.lines.push(stripMarkup(seg).trimEnd());
  }

  #cutText(why: string): void {
    const x = this.#text as OpenText;
    this.#text = undefined;
    this.#warnAlways(
      'unterminated-text',
      x.block.line,
      `text '${x.block.title}' (line ${x.block.line}) is not closed by $$ (${why})`,
    );
    trimBlank(x.block.lines);
    this.#emitText(x.block);
  }

  /** `<!--SUMMARY_BEGIN-->` ... `<!--SUMMARY_END-->` regions; one holding a $TEXT block is that block. */
  #summaryLine(line: string, inTable: boolean): void {
    let text = line;
    const b = text.indexOf(SUMMARY_BEGIN);
    if (b >= 0 && !this.#summary) {
      this.#summary = {
        block: { kind: 'summary', title: '', lines: [], line: this.#line, complete: false },
        hasText: this.#text !== undefined && this.#text.block.line === this.#line,
        dropped: 0,
      };
      text = text.slice(b + SUMMARY_BEGIN.length);
    }
    const s = this.#summary;
    if (!s) return;
    const e = text.indexOf(SUMMARY_END);
    const seg = e >= 0 ? text.slice(0, e) : text;
    if (!inTable && !s.hasText) {
      const clean = stripMarkup(seg).trimEnd();
      if (s.block.lines.length < this.limits.maxTextLines) {
        if (clean !== '' || s.block.lines.length > 0) s.block.lines.push(clean);
      } else if (s.dropped++ === 0)
        this.#warn(
          'too-many-lines',
          this.#line,
          `summary (line ${s.block.line}): more than ${this.limits.maxTextLines} lines; the rest is dropped`,
        );
    }
    if (e < 0) return;
    this.#summary = undefined;
    s.block.endLine = this.#line;
    s.block.complete = true;
    trimBlank(s.block.lines);
    if (!s.hasText && s.block.lines.length > 0) this.#emitText(s.block);
  }

  #emitText(block: LoggraphText): void {
    this.#handlers.text?.(block);
  }

  // ---- warnings ---------------------------------------------------------------------------------------

  #warn(code: LoggraphWarningCode, line: number, message: string): void {
    const n = ++this.#warnings;
    const max = this.limits.maxWarnings;
    if (n <= max) this.#handlers.warning?.({ code, line, message });
    else if (n === max + 1)
      this.#handlers.warning?.({
        code: 'too-many-warnings',
        line,
        message: `more than ${max} warnings; later ones are only counted`,
      });
  }

  /** Block-level warnings (a cut table) are always reported, even past maxWarnings. */
  #warnAlways(code: LoggraphWarningCode, line: number, message: string): void {
    // ...up to twice the limit, so that a log of nothing but broken blocks stays bounded too.
    if (++this.#warnings <= 2 * this.limits.maxWarnings)
      this.#handlers.warning?.({ code, line, message } satisfies LoggraphWarning);
  }
}

function trimBlank(lines: string[]): void {
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  let k = 0;
  while (k < lines.length && lines[k].trim() === '') k++;
  if (k > 0) lines.splice(0, k);
}

/**
 * The whitespace-separated cells of a data line: `s.trim().split(/\s+/)` without the regular expression
 * (the parser's hot path: a third of its time on the aimless log). An empty or blank line has none.
 */
export function splitCells(s: string): string[] {
  const out: string[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(s.charCodeAt(i))) i++;
    out.push(s.slice(start, i));
  }
  return out;
}

/** As `\s` in a regular expression (ASCII fast, the rest by the regular expression itself). */
function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  return c > 127 && /\s/.test(String.fromCharCode(c));
}

import { CoordErrorCode, coordError } from './errors.js';

/** A CIF value token: where it is in the text (so it can be replaced in place) and what it says. */
export interface CifValue {
  /** Unquoted value (quotes and text-field delimiters removed). */
  value: string;
  /** True for `?` and `.` written bare: unknown / inapplicable. */
  missing: boolean;
  start: number;
  end: number;
  line: number;
}

/** An item of the first data block: its value (the first row's, for a loop) and where its tag is. */
export interface CifItem {
  tag: string;
  value: CifValue;
  tagLine: number;
  inLoop: boolean;
  /** Number of rows of its loop (1 for a key-value pair). */
  rows: number;
}

export interface CifBlock {
  name: string;
  /** Offset just past the `data_` header token, and its line. */
  headerEnd: number;
  headerLine: number;
  /** Items by lower-case tag. */
  items: Map<string, CifItem>;
  /** Offset just past the last value of each category (lower case, without the dot): where to add items. */
  categoryEnd: Map<string, { offset: number; line: number }>;
}

enum Kind {
  EOF = 0,
  TAG = 1,
  VALUE = 2,
  LOOP = 3,
  DATA = 4,
  OTHER = 5,
}

enum C {
  TAB = 9,
  LF = 10,
  CR = 13,
  SPACE = 32,
  DQUOTE = 34,
  HASH = 35,
  SQUOTE = 39,
  SEMI = 59,
  UNDERSCORE = 95,
}

function isSpace(c: number): boolean {
  return c === C.SPACE || c === C.TAB || c === C.LF || c === C.CR;
}

/**
 * CIF 1.1 tokens: comments, quoted strings (closed by the quote followed by white space), text fields
 * (`;` at a line start up to the next line starting with `;`), reserved words and bare words. `next()`
 * sets the current token's fields instead of allocating one object per token: coordinate files hold
 * millions of tokens and only a handful are kept.
 */
class Scanner {
  kind: Kind = Kind.EOF;
  start = 0;
  end = 0;
  line = 1;
  /** Offsets of the value inside the token (without quotes or `;` delimiters). */
  valueStart = 0;
  valueEnd = 0;
  private pos = 0;
  private curLine = 1;

  constructor(
    readonly b: Buffer,
    readonly file?: string,
  ) {}

  next(): Kind {
    const b = this.b;
    const n = b.length;
    let i = this.pos;
    for (;;) {
      if (i >= n) {
        this.pos = i;
        return (this.kind = Kind.EOF);
      }
      const c = b[i];
      if (c === C.LF) {
        this.curLine++;
        i++;
      } else if (c === C.SPACE || c === C.TAB || c === C.CR) i++;
      else if (c === C.HASH) {
        const nl = b.indexOf(C.LF, i);
        i = nl < 0 ? n : nl;
      } else break;
    }
    const c = b[i];
    this.start = i;
    this.line = this.curLine;
    if (c === C.SEMI && (i === 0 || b[i - 1] === C.LF)) {
      const close = b.indexOf('\n;', i, 'latin1');
      if (close < 0)
        throw coordError(CoordErrorCode.CIF_SYNTAX, 'text field (;) is never closed: truncated file?', {
          file: this.file,
          line: this.line,
        });
      for (let k = b.indexOf(C.LF, i); k >= 0 && k <= close; k = b.indexOf(C.LF, k + 1)) this.curLine++;
      this.valueStart = i + 1;
      this.valueEnd = b[close - 1] === C.CR ? close - 1 : close;
      this.pos = this.end = close + 2;
      return (this.kind = Kind.VALUE);
    }
    if (c === C.SQUOTE || c === C.DQUOTE) {
      let j = i + 1;
      for (;;) {
        const d = j < n ? b[j] : C.LF;
        if (d === C.LF || d === C.CR)
          throw coordError(CoordErrorCode.CIF_SYNTAX, 'quoted string is never closed on its line', {
            file: this.file,
            line: this.line,
          });
        if (d === c && (j + 1 >= n || isSpace(b[j + 1]))) break;
        j++;
      }
      this.valueStart = i + 1;
      this.valueEnd = j;
      this.pos = this.end = j + 1;
      return (this.kind = Kind.VALUE);
    }
    let j = i + 1;
    while (j < n && !isSpace(b[j])) j++;
    this.pos = this.end = this.valueEnd = j;
    this.valueStart = i;
    if (c === C.UNDERSCORE) return (this.kind = Kind.TAG);
    // Reserved words start with d/D, l/L, s/S or g/G; test the rest only then.
    const lc = c | 0x20;
    if (lc === 100 /* d */ && j - i >= 5 && b.toString('latin1', i, i + 5).toLowerCase() === 'data_')
      return (this.kind = Kind.DATA);
    if (lc === 108 /* l */ && j - i === 5 && b.toString('latin1', i, j).toLowerCase() === 'loop_')
      return (this.kind = Kind.LOOP);
    if ((lc === 115 || lc === 103) && /^(save_.*|global_|stop_)$/i.test(b.toString('latin1', i, j)))
      return (this.kind = Kind.OTHER);
    return (this.kind = Kind.VALUE);
  }

  text(): string {
    return this.b.toString('latin1', this.start, this.end);
  }

  value(): CifValue {
    const value = this.b.toString('latin1', this.valueStart, this.valueEnd);
    const bare = this.valueStart === this.start;
    return {
      value,
      missing: bare && (value === '?' || value === '.'),
      start: this.start,
      end: this.end,
      line: this.line,
    };
  }
}

function category(tag: string): string {
  const dot = tag.indexOf('.');
  return dot < 0 ? tag : tag.slice(0, dot);
}

/**
 * Parses the whole text (so that a truncated or ragged file is caught) and returns the items of its
 * first data block. Later blocks are syntax-checked but not kept.
 */
export function parseCifBlock(bytes: Buffer, file?: string): CifBlock {
  const s = new Scanner(bytes, file);
  let block: CifBlock | undefined;
  let blocks = 0;
  const keep = (tag: string) => blocks === 1 && !block!.items.has(tag);
  let k = s.next();
  while (k !== Kind.EOF) {
    if (k === Kind.DATA) {
      blocks++;
      if (blocks === 1)
        block = {
          name: bytes.toString('latin1', s.start + 5, s.end),
          headerEnd: s.end,
          headerLine: s.line,
          items: new Map(),
          categoryEnd: new Map(),
        };
      k = s.next();
    } else if (k === Kind.TAG) {
      const tagText = s.text();
      const tagLine = s.line;
      if (s.next() !== Kind.VALUE)
        throw coordError(CoordErrorCode.CIF_SYNTAX, `tag ${tagText} has no value: truncated file?`, {
          file,
          line: tagLine,
        });
      const tag = tagText.toLowerCase();
      if (keep(tag)) {
        const value = s.value();
        block!.items.set(tag, { tag: tagText, value, tagLine, inLoop: false, rows: 1 });
        block!.categoryEnd.set(category(tag), { offset: value.end, line: value.line });
      }
      k = s.next();
    } else if (k === Kind.LOOP) {
      const loopLine = s.line;
      const tags: { text: string; line: number }[] = [];
      k = s.next();
      while (k === Kind.TAG) {
        tags.push({ text: s.text(), line: s.line });
        k = s.next();
      }
      if (tags.length === 0)
        throw coordError(CoordErrorCode.CIF_SYNTAX, 'loop_ without tags', { file, line: loopLine });
      const first: CifValue[] = [];
      let count = 0;
      let lastEnd = 0;
      let lastLine = 0;
      while (k === Kind.VALUE) {
        if (count < tags.length && blocks === 1) first.push(s.value());
        lastEnd = s.end;
        lastLine = s.line;
        count++;
        k = s.next();
      }
      if (count === 0 || count % tags.length !== 0)
        throw coordError(
          CoordErrorCode.CIF_SYNTAX,
          `loop of ${tags[0].text} has ${count} values for ${tags.length} tags: truncated or ragged`,
          { file, line: tags[0].line },
        );
      if (blocks === 1)
        tags.forEach((tg, k) => {
          const tag = tg.text.toLowerCase();
          if (keep(tag))
            block!.items.set(tag, {
              tag: tg.text,
              value: first[k],
              tagLine: tg.line,
              inLoop: true,
              rows: count / tags.length,
            });
          block!.categoryEnd.set(category(tag), { offset: lastEnd, line: lastLine });
        });
    } else if (k === Kind.VALUE) {
      throw coordError(CoordErrorCode.CIF_SYNTAX, `value '${s.text().slice(0, 40)}' without a tag`, {
        file,
        line: s.line,
      });
    } else {
      k = s.next();
    }
  }
  if (!block) throw coordError(CoordErrorCode.FORMAT, 'no data_ block: not an mmCIF file', { file });
  return block;
}

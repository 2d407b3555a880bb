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
  /** Offset just past the tag name, and whether the item is in a loop (and how many rows the loop has). */
  inLoop: boolean;
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

type TokenKind = 'tag' | 'value' | 'loop' | 'data' | 'other';

interface Token {
  kind: TokenKind;
  text: string;
  value: CifValue;
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
}

function isSpace(c: number): boolean {
  return c === C.SPACE || c === C.TAB || c === C.LF || c === C.CR;
}

/**
 * CIF 1.1 tokens: comments, quoted strings (closed by the quote followed by white space), text fields
 * (`;` at a line start up to the next line starting with `;`), reserved words and bare words.
 */
function* tokens(text: string, file?: string): Generator<Token> {
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === C.LF) {
      line++;
      i++;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === C.HASH) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    const start = i;
    const startLine = line;
    if (c === C.SEMI && (i === 0 || text.charCodeAt(i - 1) === C.LF)) {
      let close = text.indexOf('\n;', i);
      if (close < 0)
        throw coordError(CoordErrorCode.CIF_SYNTAX, 'text field (;) is never closed: truncated file?', {
          file,
          line: startLine,
        });
      let body = text.slice(i + 1, close);
      if (body.endsWith('\r')) body = body.slice(0, -1);
      for (let k = text.indexOf('\n', i); k >= 0 && k <= close; k = text.indexOf('\n', k + 1)) line++;
      close += 2;
      i = close;
      yield {
        kind: 'value',
        text: text.slice(start, i),
        value: { value: body, missing: false, start, end: i, line: startLine },
      };
      continue;
    }
    if (c === C.SQUOTE || c === C.DQUOTE) {
      let j = i + 1;
      for (;;) {
        if (j >= n || text.charCodeAt(j) === C.LF || text.charCodeAt(j) === C.CR)
          throw coordError(CoordErrorCode.CIF_SYNTAX, 'quoted string is never closed on its line', {
            file,
            line: startLine,
          });
        if (text.charCodeAt(j) === c && (j + 1 >= n || isSpace(text.charCodeAt(j + 1)))) break;
        j++;
      }
      i = j + 1;
      yield {
        kind: 'value',
        text: text.slice(start, i),
        value: { value: text.slice(start + 1, j), missing: false, start, end: i, line: startLine },
      };
      continue;
    }
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    const word = text.slice(start, i);
    const lower = word.toLowerCase();
    let kind: TokenKind = 'value';
    if (c === 95 /* _ */) kind = 'tag';
    else if (lower.startsWith('data_')) kind = 'data';
    else if (lower === 'loop_') kind = 'loop';
    else if (lower.startsWith('save_') || lower === 'global_' || lower === 'stop_') kind = 'other';
    yield {
      kind,
      text: word,
      value: { value: word, missing: word === '?' || word === '.', start, end: i, line: startLine },
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
export function parseCifBlock(text: string, file?: string): CifBlock {
  let block: CifBlock | undefined;
  let blocks = 0;
  const it = tokens(text, file);
  let tok = it.next();
  const noteEnd = (tag: string, v: CifValue) => {
    if (blocks === 1) block!.categoryEnd.set(category(tag), { offset: v.end, line: v.line });
  };
  while (!tok.done) {
    const t = tok.value;
    if (t.kind === 'data') {
      blocks++;
      if (blocks === 1)
        block = {
          name: t.text.slice(5),
          headerEnd: t.value.end,
          headerLine: t.value.line,
          items: new Map(),
          categoryEnd: new Map(),
        };
      tok = it.next();
    } else if (t.kind === 'tag') {
      const next = it.next();
      if (next.done || next.value.kind !== 'value')
        throw coordError(CoordErrorCode.CIF_SYNTAX, `tag ${t.text} has no value: truncated file?`, {
          file,
          line: t.value.line,
        });
      const tag = t.text.toLowerCase();
      if (blocks === 1 && !block!.items.has(tag)) {
        block!.items.set(tag, {
          tag: t.text,
          value: next.value.value,
          tagLine: t.value.line,
          inLoop: false,
          rows: 1,
        });
        noteEnd(tag, next.value.value);
      }
      tok = it.next();
    } else if (t.kind === 'loop') {
      const tags: Token[] = [];
      tok = it.next();
      while (!tok.done && tok.value.kind === 'tag') {
        tags.push(tok.value);
        tok = it.next();
      }
      if (tags.length === 0)
        throw coordError(CoordErrorCode.CIF_SYNTAX, 'loop_ without tags', { file, line: t.value.line });
      const first: CifValue[] = [];
      let count = 0;
      let last: CifValue | undefined;
      while (!tok.done && tok.value.kind === 'value') {
        if (count < tags.length) first.push(tok.value.value);
        last = tok.value.value;
        count++;
        tok = it.next();
      }
      if (count === 0 || count % tags.length !== 0)
        throw coordError(
          CoordErrorCode.CIF_SYNTAX,
          `loop of ${tags[0].text} has ${count} values for ${tags.length} tags: truncated or ragged`,
          { file, line: tags[0].value.line },
        );
      if (blocks === 1) {
        tags.forEach((tg, k) => {
          const tag = tg.text.toLowerCase();
          if (!block!.items.has(tag))
            block!.items.set(tag, {
              tag: tg.text,
              value: first[k],
              tagLine: tg.value.line,
              inLoop: true,
              rows: count / tags.length,
            });
          noteEnd(tag, last!);
        });
      }
    } else if (t.kind === 'value') {
      throw coordError(CoordErrorCode.CIF_SYNTAX, `value '${t.text.slice(0, 40)}' without a tag`, {
        file,
        line: t.value.line,
      });
    } else {
      tok = it.next();
    }
  }
  if (!block) throw coordError(CoordErrorCode.FORMAT, 'no data_ block: not an mmCIF file', { file });
  return block;
}

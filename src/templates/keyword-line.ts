import type { RenderedLine, Segment } from './output.js';

/**
 * A stdin script line as CCP4's keyword parser (libccp4's ccp4_parser.c) reads it: tokens are separated by
 * space, tab, comma or `=`; a quote that follows a separator opens a token that runs to the same quote
 * followed by a separator; an unquoted `!` or `#` starts a comment; a line whose last token is `-`, `&` or
 * `\` continues on the next line; a first token starting with `@` reads keywords from that file.
 */
const SEPARATOR = /[ \t,=]/;
const HAS_SEPARATOR = /[ \t,=]/;
const COMMENT = /[!#]/;

export type KeywordLineResult = { ok: true; text: string } | { ok: false; reason: string; segment: Segment };

function isSeparator(c: string | undefined): boolean {
  return c === undefined || SEPARATOR.test(c);
}

/** Whether quote `q` can enclose `s`: inside, `q` followed by a separator would end the token early. */
function encloses(q: string, s: string): boolean {
  for (let i = s.indexOf(q); i >= 0; i = s.indexOf(q, i + 1))
    if (i + 1 < s.length && isSeparator(s[i + 1])) return false;
  return true;
}

/**
 * The text of a rendered line with every substituted value reading as exactly one token, quoted when it
 * holds a separator (or starts with a quote), or the reason it cannot: a comment character, a value that
 * would end the line as a continuation, an `@` opening the line, or a separator where no quote can
 * enclose the value (it touches the text around it, or holds both quotes followed by separators).
 * Quotes the template wrote around a value (`"$X"`, `$X.quote`) are kept, and checked to enclose it.
 */
export function keywordLine(line: RenderedLine): KeywordLineResult {
  const whole = line.map((s) => s.text).join('');
  const out: string[] = [];
  let end = 0;
  for (const seg of line) {
    const start = end;
    end += seg.text.length;
    if (!seg.value || seg.text === '') {
      out.push(seg.text);
      continue;
    }
    const fail = (reason: string): KeywordLineResult => ({ ok: false, reason, segment: seg });
    // `.quote` gives "value": the quotes are the template's, what is inside them is the value.
    const inner = seg.quoted ? seg.text.slice(1, -1) : seg.text;
    const comment = COMMENT.exec(inner);
    if (comment) return fail(`'${comment[0]}' would start a comment`);
    if (whole.slice(end).trim() === '') {
      const tokens = inner.split(/[ \t,=]+/).filter(Boolean);
      const last = tokens[tokens.length - 1];
      if (last === '-' || /[&\\]$/.test(inner))
        return fail(
          `ending the line with '${last === '-' ? '-' : inner.slice(-1)}', it would continue it on the next`,
        );
    }
    if (!seg.quoted && inner.startsWith('@') && whole.slice(0, start).trim() === '')
      return fail("'@' at the start of a line would read keywords from a file");
    // Quotes around the value: from .quote, or written by the template just before and after it; the
    // characters outside them must be separators for the parser to see them as quotes.
    let q: string | undefined;
    let [before, after] = [start - 1, end];
    if (seg.quoted) q = '"';
    else if ((whole[start - 1] === '"' || whole[start - 1] === "'") && whole[end] === whole[start - 1])
      [q, before, after] = [whole[start - 1], start - 2, end + 1];
    if (q !== undefined && isSeparator(whole[before]) && isSeparator(whole[after])) {
      if (!encloses(q, inner))
        return fail(`it holds ${q} followed by a separator, which would end its quotes`);
      out.push(seg.text);
      continue;
    }
    if (!HAS_SEPARATOR.test(inner) && !/^["']/.test(inner)) {
      out.push(seg.text);
      continue;
    }
    if (seg.quoted || !isSeparator(whole[start - 1]) || !isSeparator(whole[end]))
      return fail('it holds a space, comma or = and touches the text around it, so quotes cannot enclose it');
    const quote = ['"', "'"].find((c) => encloses(c, inner) && !inner.startsWith(c));
    if (!quote) return fail('it holds both quotes followed by separators, so no quotes can enclose it');
    out.push(`${quote}${inner}${quote}`);
  }
  return { ok: true, text: out.join('') };
}

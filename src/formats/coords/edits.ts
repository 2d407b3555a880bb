/** A replacement of text[start, end) by `text`; edits never overlap. Insertions have start === end. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Applies edits (any order) and returns the new text; bytes outside the edits are untouched. */
export function applyEdits(source: string, edits: Edit[]): string {
  const sorted = [...edits].sort((x, y) => x.start - y.start || x.end - y.end);
  const parts: string[] = [];
  let pos = 0;
  for (const e of sorted) {
    parts.push(source.slice(pos, e.start), e.text);
    pos = e.end;
  }
  parts.push(source.slice(pos));
  return parts.join('');
}

/** Start offset of the line holding `offset`, and the offset just past its terminator. */
export function lineBounds(s: string, offset: number): { start: number; next: number } {
  const start = s.lastIndexOf('\n', offset - 1) + 1;
  const nl = s.indexOf('\n', offset);
  return { start, next: nl < 0 ? s.length : nl + 1 };
}

/** The terminator the file mostly uses, for lines we add. */
export function dominantEol(text: string): string {
  const nl = text.indexOf('\n');
  return nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
}

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

/**
 * The edited file as pieces of the original bytes (shared, not copied) and the replacements, for
 * writev: a 100 MB file is written without building a second 100 MB string. `source` is the file's
 * bytes; edit offsets are byte offsets (the text is latin1, one char per byte).
 */
export function editedPieces(source: Buffer, edits: Edit[]): Buffer[] {
  const sorted = [...edits].sort((x, y) => x.start - y.start || x.end - y.end);
  const pieces: Buffer[] = [];
  let pos = 0;
  for (const e of sorted) {
    if (e.start > pos) pieces.push(source.subarray(pos, e.start));
    if (e.text) pieces.push(Buffer.from(e.text, 'latin1'));
    pos = e.end;
  }
  if (pos < source.length) pieces.push(source.subarray(pos));
  return pieces;
}

/** Start offset of the line holding `offset`, and the offset just past its terminator. */
export function lineBounds(b: Buffer, offset: number): { start: number; next: number } {
  const start = offset === 0 ? 0 : b.lastIndexOf(10, offset - 1) + 1;
  const nl = b.indexOf(10, offset);
  return { start, next: nl < 0 ? b.length : nl + 1 };
}

/** The terminator the file uses (judged by its first line), for lines we add. */
export function dominantEol(b: Buffer): string {
  const nl = b.indexOf(10);
  return nl > 0 && b[nl - 1] === 13 ? '\r\n' : '\n';
}

/** 1-based line number of a byte offset. */
export function lineOf(b: Buffer, offset: number): number {
  let line = 1;
  for (let i = b.indexOf(10); i >= 0 && i < offset; i = b.indexOf(10, i + 1)) line++;
  return line;
}

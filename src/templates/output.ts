/**
 * A rendered line as segments: template text, and values (substitutions, `{expr}` results), which are
 * atomic: in argv a value is never split, whatever spaces it holds.
 */
export interface Segment {
  text: string;
  value: boolean;
  /** For a value: what the template wrote (`$LAB`, `{...}`), and the parameter it came from. */
  shown?: string;
  objectPath?: string;
  /** A `.quote` value: its text is `"value"`, the quotes the template's. */
  quoted?: boolean;
}

export type RenderedLine = Segment[];

export function lineText(line: RenderedLine): string {
  let s = '';
  for (const seg of line) s += seg.text;
  return s;
}

/**
 * The command line: template text splits on whitespace into words; a value joins the word it touches
 * (`--title=$T` stays one argument) and is never split itself. An empty value adds nothing, so an unset
 * `$HKLIN` leaves no empty argument.
 */
export function toArgv(lines: RenderedLine[]): string[] {
  const argv: string[] = [];
  for (const line of lines) {
    let word: string | undefined;
    for (const seg of line) {
      if (seg.value) {
        if (seg.text) word = (word ?? '') + seg.text;
        continue;
      }
      const parts = seg.text.split(/\s+/);
      for (let i = 0; i < parts.length; i++) {
        if (i > 0 && word !== undefined) {
          argv.push(word);
          word = undefined;
        }
        if (parts[i]) word = (word ?? '') + parts[i];
      }
    }
    if (word !== undefined) argv.push(word);
  }
  return argv;
}

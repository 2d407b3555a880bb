import type { XmlElement } from './element.js';

export interface SerializeXmlOptions {
  /** Write `<?xml version='1.0' encoding='UTF-8'?>` first. Default true. */
  declaration?: boolean;
  /** Indentation unit. Default two spaces. */
  indent?: string;
}

export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

export function escapeAttribute(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/**
 * Serialises an element tree. Elements with children are indented one per line (their own text, which
 * in CCP4i2 files is only layout whitespace, is dropped); leaf elements keep their text exactly.
 */
export function serializeXml(el: XmlElement, opts: SerializeXmlOptions = {}): string {
  const indent = opts.indent ?? '  ';
  const out: string[] = [];
  if (opts.declaration ?? true) out.push("<?xml version='1.0' encoding='UTF-8'?>\n");
  write(el, 0);
  return out.join('');

  function write(e: XmlElement, depth: number): void {
    const pad = indent.repeat(depth);
    let open = `<${e.name}`;
    for (const [k, v] of Object.entries(e.attributes)) open += ` ${k}="${escapeAttribute(v)}"`;
    if (e.children.length > 0) {
      out.push(`${pad}${open}>\n`);
      for (const c of e.children) write(c, depth + 1);
      out.push(`${pad}</${e.name}>\n`);
    } else if (e.text === '') {
      out.push(`${pad}${open}/>\n`);
    } else {
      out.push(`${pad}${open}>${escapeText(e.text)}</${e.name}>\n`);
    }
  }
}

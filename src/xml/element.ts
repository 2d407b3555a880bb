/** One XML element: tag name as written (prefix kept), attributes, ordered child elements, own text, line. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element (CDATA included), untrimmed. */
  text: string;
  /** 1-based line of the start tag (0 for elements built in code). */
  line: number;
}

/** The tag name without its namespace prefix: `ccp4:ccp4i2` → `ccp4i2`. */
export function localName(el: XmlElement | string): string {
  const n = typeof el === 'string' ? el : el.name;
  const i = n.indexOf(':');
  return i < 0 ? n : n.slice(i + 1);
}

/** Builds an element in code (line 0). */
export function element(
  name: string,
  children: XmlElement[] = [],
  text = '',
  attributes: Record<string, string> = {},
): XmlElement {
  return { name, attributes, children, text, line: 0 };
}

/** First direct child with this local name. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => localName(c) === name);
}

/** Trimmed text of the first direct child with this local name, or undefined when absent. */
export function childText(el: XmlElement, name: string): string | undefined {
  const c = child(el, name);
  return c === undefined ? undefined : c.text.trim();
}

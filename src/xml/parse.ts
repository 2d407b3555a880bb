import { SaxesParser } from 'saxes';
import { Ccp4Error } from '../errors/ccp4-error.js';
import { readRegularFileSync } from '../files/read.js';
import type { XmlElement } from './element.js';

export interface ParseXmlOptions {
  /** File name used in error messages. */
  file?: string;
  /** Deepest nesting accepted (guards the recursive code that walks the tree). Default 256. */
  maxDepth?: number;
}

/** Largest XML file readXmlFile accepts (CCP4i2's largest def file is ~300 kB). */
export const MAX_XML_FILE_BYTES = 64 * 1024 * 1024;

/** Error codes of the XML parser (className `CXmlParser`). */
export const XML_ERROR_CODES = {
  1: 'XML is not well-formed',
  2: 'DOCTYPE / DTD declarations are refused',
  3: 'Entity other than the predefined five or a character reference',
  4: 'Elements nested too deeply',
  5: 'Document has no root element',
  6: 'File cannot be read',
  7: 'Character not allowed by the declared encoding',
} as const;

function fail(code: keyof typeof XML_ERROR_CODES, detail: string, file?: string, line?: number): never {
  throw new Ccp4Error({
    className: 'CXmlParser',
    code,
    message: `${XML_ERROR_CODES[code]}: ${detail}`,
    file,
    line,
  });
}

/**
 * Parses XML text to an ordered element tree. Safe by construction: a DOCTYPE (and so any DTD or
 * external entity) is refused, and saxes expands only the five predefined entities and numeric
 * character references; anything else is a coded error naming the file and line.
 */
export function parseXml(text: string, opts: ParseXmlOptions = {}): XmlElement {
  const { file } = opts;
  const maxDepth = opts.maxDepth ?? 256;
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let error: Ccp4Error | undefined;

  parser.on('xmldecl', (decl) => {
    // CCP4i2 writes encoding='ASCII'; a non-ASCII character in such a file is an error, as in expat.
    if (decl.encoding && /^(us-)?ascii$/i.test(decl.encoding)) {
      const m = /[^\x00-\x7f]/.exec(text);
      if (m) {
        const line = text.slice(0, m.index).split('\n').length;
        error ??= makeError(7, `'${m[0]}' in a file declared ${decl.encoding}`, file, line);
        throw error;
      }
    }
  });
  parser.on('doctype', () => {
    error ??= makeError(2, 'documents may not declare a DOCTYPE', file, parser.line);
    throw error;
  });
  parser.on('opentag', (tag) => {
    const el: XmlElement = {
      name: tag.name,
      attributes: { ...(tag.attributes as Record<string, string>) },
      children: [],
      text: '',
      line: parser.line,
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
    if (stack.length > maxDepth) {
      error ??= makeError(4, `more than ${maxDepth} levels`, file, parser.line);
      throw error;
    }
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const addText = (t: string) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('error', (e) => {
    const msg = e.message;
    // saxes reports undefined entities with this wording; give them their own code.
    const code = /entity/i.test(msg) ? 3 : /must contain a root element/.test(msg) ? 5 : 1;
    error ??= makeError(code, msg.replace(/^(?:[^:]*:)?\d+:\d+: /, ''), file, parser.line);
    throw error;
  });

  try {
    parser.write(text).close();
  } catch (e) {
    if (error) throw error;
    throw makeError(1, (e as Error).message, file, parser.line);
  }
  if (error) throw error;
  if (!root) fail(5, 'empty document', file);
  return root;
}

/**
 * Reads and parses an XML file. Bytes are decoded as UTF-8 (strictly: invalid sequences are an error)
 * unless the declaration names ISO-8859-1/Latin-1.
 */
export function readXmlFile(path: string, opts: Omit<ParseXmlOptions, 'file'> = {}): XmlElement {
  let bytes: Buffer;
  try {
    // /dev/zero, a FIFO or a terminal would hang or grow without bound: only regular files are read.
    bytes = readRegularFileSync(path, MAX_XML_FILE_BYTES);
  } catch (e) {
    fail(6, (e as Error).message.replace(/^cannot read: /, ''), path);
  }
  const head = bytes.subarray(0, 200).toString('latin1');
  const latin1 = /^<\?xml[^>]*encoding=["'](iso-8859-1|latin-?1)["']/i.test(head);
  let text: string;
  try {
    text = latin1 ? bytes.toString('latin1') : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail(7, 'bytes are not valid UTF-8', path);
  }
  return parseXml(text, { ...opts, file: path });
}

function makeError(
  code: keyof typeof XML_ERROR_CODES,
  detail: string,
  file?: string,
  line?: number,
): Ccp4Error {
  try {
    fail(code, detail, file, line);
  } catch (e) {
    return e as Ccp4Error;
  }
}

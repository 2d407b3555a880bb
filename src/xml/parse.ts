import { isUtf8 } from 'node:buffer';
import { closeSync, readSync } from 'node:fs';
import { SaxesParser } from 'saxes';
import { Ccp4Error } from '../errors/ccp4-error.js';
import { openRegularSync } from '../files/read.js';
import type { XmlElement } from './element.js';

export interface ParseXmlOptions {
  /** File name used in error messages. */
  file?: string;
  /** Deepest nesting accepted (guards the recursive code that walks the tree). Default 256. */
  maxDepth?: number;
  /** Most elements accepted (bounds the tree's memory). Default MAX_XML_ELEMENTS. */
  maxElements?: number;
  /** Most attributes accepted, all elements together. Default MAX_XML_ATTRIBUTES. */
  maxAttributes?: number;
  /** Largest estimated tree (text plus a fixed cost per element and attribute). Default MAX_XML_TREE_BYTES. */
  maxTreeBytes?: number;
}

/** Largest XML file readXmlFile accepts (CCP4i2's largest def file is ~300 kB). */
export const MAX_XML_FILE_BYTES = 64 * 1024 * 1024;
/**
 * Most elements in one document. CCP4i2's largest def file (xia2_dials) has 2 408; 250 000 leaves room for
 * generated definitions of 40 000 parameters while keeping the tree near 50 MB, so that no file under the
 * byte cap (15 million `<a/>` fit in it) can exhaust memory.
 */
export const MAX_XML_ELEMENTS = 250_000;
/** Most attributes in one document (CCP4i2 files have about one per content: its id). */
export const MAX_XML_ATTRIBUTES = 250_000;
/**
 * Largest tree, estimated as its text (bounded by the file) plus ELEMENT_BYTES per element and
 * ATTRIBUTE_BYTES per attribute, as measured on V8. A file of 64 MiB of text with 250 000 elements
 * would need about 120 MB live (over 200 MB of process memory); this bound keeps any accepted file
 * under that, while a 40 000-parameter definition (5 MB, 240 000 elements) needs 53 MB.
 */
export const MAX_XML_TREE_BYTES = 64 * 1024 * 1024;
const ELEMENT_BYTES = 200;
const ATTRIBUTE_BYTES = 100;
/**
 * Shared by every element without attributes or children (most of a CCP4i2 file): frozen, so a caller that
 * tried to change one would fail loudly instead of changing them all. A leaf gets its own array when it
 * gains a child.
 */
const NO_ATTRIBUTES: Record<string, string> = Object.freeze(Object.create(null));
const NO_CHILDREN: XmlElement[] = Object.freeze([]) as unknown as XmlElement[];
/**
 * Bytes read and parsed at a time: the file's text never exists whole in memory. Under Node's threshold
 * for external strings (~1 MB), which would keep each piece alive outside the heap.
 */
const CHUNK_BYTES = 256 * 1024;

/** Error codes of the XML parser (className `CXmlParser`). */
export const XML_ERROR_CODES = {
  1: 'XML is not well-formed',
  2: 'DOCTYPE / DTD declarations are refused',
  3: 'Entity other than the predefined five or a character reference',
  4: 'Elements nested too deeply',
  5: 'Document has no root element',
  6: 'File cannot be read',
  7: 'Character not allowed by the declared encoding',
  8: 'Too many elements or attributes for the memory allowed',
} as const;

function makeError(
  code: keyof typeof XML_ERROR_CODES,
  detail: string,
  file?: string,
  line?: number,
): Ccp4Error {
  return new Ccp4Error({
    className: 'CXmlParser',
    code,
    message: `${XML_ERROR_CODES[code]}: ${detail}`,
    file,
    line,
  });
}

/**
 * Builds the element tree from text given in pieces. Safe by construction: a DOCTYPE (and so any DTD or
 * external entity) is refused, saxes expands only the five predefined entities and numeric character
 * references, and depth, element and attribute counts are capped as they are read, so that the work and
 * memory are bounded whatever the input; anything else is a coded error naming the file and line.
 */
class TreeBuilder {
  private readonly parser = new SaxesParser({ position: true });
  private readonly stack: XmlElement[] = [];
  /** Tag names repeat: one string each, instead of one per element. */
  private readonly names = new Map<string, string>();
  private root: XmlElement | undefined;
  private error: Ccp4Error | undefined;
  private elements = 0;
  private attributes = 0;
  private attributesBefore = 0;
  private chars = 0;
  /** Set by an XML declaration naming ASCII: later text must be ASCII too (as expat checks). */
  private asciiOnly: string | undefined;
  private chunk = '';
  private linesBefore = 0;

  constructor(
    private readonly file: string | undefined,
    private readonly maxDepth: number,
    private readonly maxElements: number,
    private readonly maxAttributes: number,
    private readonly maxTreeBytes: number,
  ) {
    const p = this.parser;
    p.on('xmldecl', (decl) => {
      // CCP4i2 writes encoding='ASCII'; a non-ASCII character in such a file is an error, as in expat.
      if (decl.encoding && /^(us-)?ascii$/i.test(decl.encoding)) {
        this.asciiOnly = decl.encoding;
        this.checkAscii();
      }
    });
    p.on('doctype', () => this.fail(2, 'documents may not declare a DOCTYPE'));
    p.on('attribute', () => {
      if (++this.attributes > this.maxAttributes) this.fail(8, `more than ${this.maxAttributes} attributes`);
      this.checkTreeBytes();
    });
    p.on('opentag', (tag) => {
      if (++this.elements > this.maxElements) this.fail(8, `more than ${this.maxElements} elements`);
      this.checkTreeBytes();
      let name = this.names.get(tag.name);
      if (name === undefined) this.names.set(tag.name, (name = tag.name));
      const el: XmlElement = {
        name,
        attributes:
          this.attributes > this.attributesBefore
            ? plainAttributes(tag.attributes as Record<string, string>)
            : NO_ATTRIBUTES,
        children: NO_CHILDREN,
        text: '',
        line: p.line,
      };
      this.attributesBefore = this.attributes;
      const parent = this.stack[this.stack.length - 1];
      if (parent) {
        if (parent.children === NO_CHILDREN) parent.children = [];
        parent.children.push(el);
      } else this.root = el;
      this.stack.push(el);
      if (this.stack.length > this.maxDepth) this.fail(4, `more than ${this.maxDepth} levels`);
    });
    p.on('closetag', () => {
      this.stack.pop();
    });
    const addText = (t: string) => {
      const top = this.stack[this.stack.length - 1];
      if (top) top.text += t;
    };
    p.on('text', addText);
    p.on('cdata', addText);
    p.on('error', (e) => {
      const msg = e.message;
      // saxes reports undefined entities with this wording; give them their own code.
      const code = /entity/i.test(msg) ? 3 : /must contain a root element/.test(msg) ? 5 : 1;
      this.fail(code, msg.replace(/^(?:[^:]*:)?\d+:\d+: /, ''));
    });
  }

  private fail(code: keyof typeof XML_ERROR_CODES, detail: string, line = this.parser.line): never {
    this.error ??= makeError(code, detail, this.file, line);
    throw this.error;
  }

  private checkTreeBytes(): void {
    const estimate = this.chars + this.elements * ELEMENT_BYTES + this.attributes * ATTRIBUTE_BYTES;
    if (estimate > this.maxTreeBytes) {
      const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
      this.fail(
        8,
        `the tree would take more than ${mb(this.maxTreeBytes)} (${this.elements} elements, ${this.attributes} attributes in ${mb(this.chars)} of text)`,
      );
    }
  }

  /** In a document declared ASCII, the first non-ASCII character of the current piece is an error. */
  private checkAscii(): void {
    const m = /[^\x00-\x7f]/.exec(this.chunk);
    if (!m || this.asciiOnly === undefined) return;
    const line = this.linesBefore + countLines(this.chunk, m.index) + 1;
    this.fail(7, `'${m[0]}' in a file declared ${this.asciiOnly}`, line);
  }

  write(text: string): void {
    this.chars += text.length;
    if (this.asciiOnly !== undefined) {
      this.linesBefore += countLines(this.chunk, this.chunk.length);
      this.chunk = text;
      this.checkAscii();
    } else if (this.elements === 0) {
      // The declaration comes first: only the pieces before the first element need keeping for it.
      this.linesBefore += countLines(this.chunk, this.chunk.length);
      this.chunk = text;
    } else this.chunk = '';
    this.guard(() => this.parser.write(text));
  }

  close(): XmlElement {
    this.guard(() => this.parser.close());
    if (!this.root) this.fail(5, 'empty document', 0);
    return this.root;
  }

  private guard(f: () => void): void {
    try {
      f();
    } catch (e) {
      if (this.error) throw this.error;
      throw makeError(1, (e as Error).message, this.file, this.parser.line);
    }
    if (this.error) throw this.error;
  }
}

/**
 * saxes's attributes are a null-prototype object, which V8 keeps as a hash table (~10 times the memory of
 * a plain object whose shape is shared by every element with the same attribute names). Copied into a plain
 * object by definition, so that an attribute named `__proto__` is an own property and never a prototype.
 */
function plainAttributes(from: Record<string, string>): Record<string, string> {
  const to: Record<string, string> = {};
  for (const k in from) {
    if (k === '__proto__')
      Object.defineProperty(to, k, { value: from[k], enumerable: true, writable: true, configurable: true });
    else to[k] = from[k];
  }
  return to;
}

function countLines(s: string, end: number): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0 && i < end; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function builder(opts: ParseXmlOptions): TreeBuilder {
  return new TreeBuilder(
    opts.file,
    opts.maxDepth ?? 256,
    opts.maxElements ?? MAX_XML_ELEMENTS,
    opts.maxAttributes ?? MAX_XML_ATTRIBUTES,
    opts.maxTreeBytes ?? MAX_XML_TREE_BYTES,
  );
}

/** Parses XML text to an ordered element tree (see TreeBuilder for what is refused). */
export function parseXml(text: string, opts: ParseXmlOptions = {}): XmlElement {
  const b = builder(opts);
  b.write(text);
  return b.close();
}

/**
 * Reads and parses an XML file a piece at a time, so that memory follows the tree, not the file. Bytes are
 * decoded as UTF-8 (strictly: invalid sequences are an error) unless the declaration names ISO-8859-1/Latin-1.
 * Only regular files are read (/dev/zero, a FIFO or a terminal would hang or grow without bound).
 */
export function readXmlFile(path: string, opts: Omit<ParseXmlOptions, 'file'> = {}): XmlElement {
  let opened: { fd: number; size: number };
  try {
    opened = openRegularSync(path);
  } catch (e) {
    throw makeError(6, (e as Error).message.replace(/^cannot read: /, ''), path);
  }
  const { fd, size } = opened;
  try {
    if (size > MAX_XML_FILE_BYTES)
      throw makeError(6, `${size} bytes is more than the ${MAX_XML_FILE_BYTES} accepted`, path);
    const b = builder({ ...opts, file: path });
    // Sized to the file (most are a few kB), growing files still read in full by the loop.
    const buf = Buffer.allocUnsafe(Math.max(4096, Math.min(CHUNK_BYTES, size + 1)));
    let latin1: boolean | undefined;
    let carried = 0; // bytes of a UTF-8 sequence cut at the end of the previous piece
    let total = 0;
    for (;;) {
      const n = readBytes(fd, buf, carried, path);
      total += n;
      // The file may grow while read: the cap holds for what is read, not what fstat said.
      if (total > MAX_XML_FILE_BYTES)
        throw makeError(6, `more than the ${MAX_XML_FILE_BYTES} bytes accepted`, path);
      const bytes = buf.subarray(0, carried + n);
      latin1 ??= /^<\?xml[^>]*encoding=["'](iso-8859-1|latin-?1)["']/i.test(
        bytes.subarray(0, 200).toString('latin1'),
      );
      const end = latin1 || n === 0 ? bytes.length : completeUtf8(bytes);
      const piece = bytes.subarray(0, end);
      if (!latin1 && !isUtf8(piece)) throw makeError(7, 'bytes are not valid UTF-8', path);
      // Buffer decoding, not TextDecoder: ASCII text becomes a one-byte heap string, half the memory.
      if (end > 0) b.write(piece.toString(latin1 ? 'latin1' : 'utf8'));
      carried = bytes.copy(buf, 0, end);
      if (n === 0) break;
    }
    return b.close();
  } finally {
    closeSync(fd);
  }
}

function readBytes(fd: number, buf: Buffer, offset: number, path: string): number {
  try {
    return readSync(fd, buf, offset, buf.length - offset, null);
  } catch (e) {
    throw makeError(6, (e as NodeJS.ErrnoException).code ?? String(e), path);
  }
}

/** Length of `b` without a UTF-8 sequence cut at its end (kept for the next piece). */
function completeUtf8(b: Buffer): number {
  let i = b.length - 1;
  while (i >= 0 && i > b.length - 4 && (b[i]! & 0xc0) === 0x80) i--;
  if (i < 0) return b.length;
  const lead = b[i]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return b.length - i >= need ? b.length : i;
}

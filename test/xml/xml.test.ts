import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  child,
  childText,
  localName,
  MAX_XML_FILE_BYTES,
  parseXml,
  readXmlFile,
  serializeXml,
} from '../../src/xml/index.js';
import { errorOf } from '../helpers/errors.js';

const FIX = resolve(__dirname, '../fixtures/ccp4i2');

describe('parseXml', () => {
  it('builds an ordered tree with text, attributes and line numbers from a real def file', () => {
    const file = resolve(FIX, 'wrappers/csymmatch/script/csymmatch.def.xml');
    const root = parseXml(readFileSync(file, 'utf8'), { file });
    expect(localName(root)).toBe('ccp4i2');
    const header = child(root, 'ccp4i2_header')!;
    expect(childText(header, 'pluginName')).toBe('csymmatch');
    const body = child(root, 'ccp4i2_body')!;
    expect(body.attributes.id).toBe('csymmatch');
    expect(body.children.map((c) => c.attributes.id)).toContain('inputData');
    expect(body.line).toBeGreaterThan(header.line);
  });

  it('keeps namespace prefixes, expands predefined and numeric entities and CDATA', () => {
    const root = parseXml(
      '<?xml version="1.0"?><ccp4:x xmlns:ccp4="u">&lt;&#65;&#x42;<![CDATA[<z>]]></ccp4:x>',
    );
    expect(root.name).toBe('ccp4:x');
    expect(localName(root)).toBe('x');
    expect(root.text).toBe('<AB<z>');
  });

  it('refuses a DOCTYPE with a coded error naming file and line', () => {
    const e = errorOf(() =>
      parseXml('<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x "y">]>\n<a>&x;</a>', { file: 'f.xml' }),
    );
    expect(e.className).toBe('CXmlParser');
    expect(e.code).toBe(2);
    expect(e.file).toBe('f.xml');
    expect(e.line).toBe(2);
  });

  it('refuses undefined entities', () => {
    const e = errorOf(() => parseXml('<a>\n&foo;</a>', { file: 'g.xml' }));
    expect(e.code).toBe(3);
    expect(e.line).toBe(2);
  });

  it('reports unreadable files and invalid UTF-8 with codes 6 and 7', () => {
    expect(errorOf(() => readXmlFile('/nonexistent/x.xml')).code).toBe(6);
    expect(errorOf(() => readXmlFile(__dirname)).code).toBe(6);
    // Devices and pipes would hang or allocate without bound: refused before reading.
    expect(errorOf(() => readXmlFile('/dev/zero')).message).toMatch(/not a regular file/);
    const fifo = join(mkdtempSync(join(tmpdir(), 'xml-')), 'pipe.xml');
    execFileSync('mkfifo', [fifo]);
    expect(errorOf(() => readXmlFile(fifo)).message).toMatch(/not a regular file/);
    const big = join(mkdtempSync(join(tmpdir(), 'xml-')), 'big.xml');
    writeFileSync(big, '');
    truncateSync(big, MAX_XML_FILE_BYTES + 1); // sparse: no real allocation
    expect(errorOf(() => readXmlFile(big)).message).toMatch(/more than/);
    expect(errorOf(() => readXmlFile(resolve(__dirname, '../fixtures/bad/invalid-utf8.def.xml'))).code).toBe(
      7,
    );
  });

  it('reports malformed XML, empty documents and excessive depth', () => {
    expect(errorOf(() => parseXml('<a><b></a>')).code).toBe(1);
    expect(errorOf(() => parseXml('<a/><b/>')).code).toBe(1);
    expect(errorOf(() => parseXml('')).code).toBeGreaterThan(0);
    expect(errorOf(() => parseXml('<a>'.repeat(300) + '</a>'.repeat(300))).code).toBe(4);
  });

  it('reports the real malformed CCP4i2 file xia2_ssx_reduce.def.xml at its line', () => {
    const file = resolve(FIX, 'wrappers/xia2_ssx_reduce/script/xia2_ssx_reduce.def.xml');
    const e = errorOf(() => readXmlFile(file));
    expect(e.className).toBe('CXmlParser');
    expect(e.code).toBe(7);
    expect(e.line).toBe(94);
    expect(e.describe()).toContain('xia2_ssx_reduce.def.xml:94');
  });
});

describe('serializeXml', () => {
  it('escapes text and attributes so that any string round-trips', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (text, attr) => {
        // XML 1.0 cannot carry most control characters; CCP4i2 files never contain them.
        fc.pre(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udfff]/.test(text + attr));
        const xml = serializeXml({ name: 'a', attributes: { v: attr }, children: [], text, line: 0 });
        const back = parseXml(xml);
        expect(back.text).toBe(text);
        expect(back.attributes.v).toBe(attr);
      }),
    );
  });

  it('indents nested elements and round-trips a real params file structurally', () => {
    const file = resolve(FIX, 'wrappers/ccp4mg_general/test_data/test1.params.xml');
    const a = parseXml(readFileSync(file, 'utf8'));
    const text = serializeXml(a);
    expect(text.startsWith("<?xml version='1.0' encoding='UTF-8'?>\n<ccp4:ccp4i2")).toBe(true);
    expect(text).toContain('\n    <inputData>\n');
    const b = parseXml(text);
    const strip = (e: typeof a): unknown => ({
      n: e.name,
      a: e.attributes,
      t: e.children.length ? '' : e.text,
      c: e.children.map(strip),
    });
    expect(strip(b)).toEqual(strip(a));
    expect(serializeXml(a, { declaration: false }).startsWith('<ccp4:ccp4i2')).toBe(true);
  });
});

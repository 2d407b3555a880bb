/**
 * XML limits: any file under the byte cap is parsed with bounded work and memory, or refused with a coded
 * error (CXmlParser 8) naming the file. The large files are written at test time; memory is the peak
 * resident size of a real `ccp4i2 params check` process, read by a preload on exit.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CContainer } from '../../src/data/index.js';
import { loadParamsFile, loadParamsString } from '../../src/data/params-xml.js';
import {
  MAX_XML_ELEMENTS,
  MAX_XML_FILE_BYTES,
  MAX_XML_TREE_BYTES,
  parseXml,
  readXmlFile,
} from '../../src/xml/index.js';
import { FIXTURES, ROOT } from '../helpers/cli.js';
import { errorOf } from '../helpers/errors.js';

const DIR = mkdtempSync(join(tmpdir(), 'ccp4i2-xml-limits-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
const DEF = join(FIXTURES, 'ccp4i2/wrappers/mtzdump/script/mtzdump.def.xml');
const HEAD =
  '<?xml version="1.0"?>\n<ccp4:ccp4i2 xmlns:ccp4="http://www.ccp4.ac.uk/ccp4ns"><ccp4i2_header>' +
  '<function>PARAMS</function><pluginName>mtzdump</pluginName></ccp4i2_header><ccp4i2_body>';
const TAIL = '</ccp4i2_body></ccp4:ccp4i2>\n';

/** Writes HEAD, `count` copies of `unit` (in blocks, never one huge string), TAIL. */
function writeParams(name: string, unit: string, count: number): string {
  const path = join(DIR, name);
  const fd = openSync(path, 'w');
  writeSync(fd, HEAD);
  const block = unit.repeat(Math.max(1, Math.floor((1 << 20) / unit.length)));
  const per = block.length / unit.length;
  let left = count;
  for (; left >= per; left -= per) writeSync(fd, block);
  writeSync(fd, unit.repeat(left));
  writeSync(fd, TAIL);
  closeSync(fd);
  return path;
}

const PRELOAD = join(DIR, 'max-rss.cjs');
writeFileSync(
  PRELOAD,
  "process.on('exit', () => process.stderr.write('\\nmaxRSS ' + process.resourceUsage().maxRSS + '\\n'));\n",
);

/** `ccp4i2 params check DEF FILE [--json]` as a real process; its peak resident memory in MB. */
function paramsCheck(file: string, json = false) {
  const args = [join(ROOT, 'dist/bin/ccp4i2.cjs'), 'params', 'check', DEF, file, ...(json ? ['--json'] : [])];
  const r = spawnSync(process.execPath, ['--require', PRELOAD, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const m = /\nmaxRSS (\d+)\n$/.exec(r.stderr);
  expect(m, r.stderr).not.toBeNull();
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr.slice(0, m!.index),
    maxRssMB: Number(m![1]) / 1024,
  };
}

describe('element, attribute and tree caps', () => {
  it('a 60 MB params file of 15 million empty elements is refused (CXmlParser 8, naming the file), under 200 MB', () => {
    const file = writeParams('empty15m.params.xml', '<a/>', 15_000_000);
    for (const json of [false, true]) {
      const r = paramsCheck(file, json);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`${file}:2: Too many elements or attributes`);
      expect(r.stderr).toContain(`more than ${MAX_XML_ELEMENTS} elements [CXmlParser 8]`);
      expect(r.stderr).not.toMatch(/RangeError|heap out of memory|\n\s+at /);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.maxRssMB).toBeLessThan(200);
      console.log(`15M empty elements (json=${json}): refused, peak RSS ${r.maxRssMB.toFixed(0)} MB`);
    }
    const e = errorOf(() => readXmlFile(file));
    expect([e.className, e.code, e.file]).toEqual(['CXmlParser', 8, file]);
  });

  it('one tag with 4.5 million attributes is refused before it is complete, under 200 MB', () => {
    const path = join(DIR, 'attrs.params.xml');
    const fd = openSync(path, 'w');
    writeSync(fd, `${HEAD}<a`);
    // Distinct names (saxes refuses duplicates): 4500 blocks of 1000, about 58 MB.
    for (let b = 0; b < 4500; b++)
      writeSync(fd, Array.from({ length: 1000 }, (_, i) => ` a${b}_${i}="1"`).join(''));
    writeSync(fd, `/>${TAIL}`);
    closeSync(fd);
    const r = paramsCheck(path, true);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/more than 250000 attributes \[CXmlParser 8\]/);
    expect(r.maxRssMB).toBeLessThan(200);
    console.log(`4.5M attributes: refused, peak RSS ${r.maxRssMB.toFixed(0)} MB`);
  });

  it('the largest trees the caps allow stay under 200 MB (64 MB of text and elements together)', () => {
    // Each element with a 100-character id and text: the estimate (text + 200 B per element + 100 B
    // per attribute) stops it at MAX_XML_TREE_BYTES, whatever the mix.
    const v = 'v'.repeat(100);
    const rich = writeParams('rich.params.xml', `<a id="${v}">${v}</a>`, 250_000);
    const r = paramsCheck(rich, true);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the tree would take more than 67\.1 MB .* \[CXmlParser 8\]/);
    expect(r.maxRssMB).toBeLessThan(200);
    // Accepted: 240 000 unknown leaves (warned once per 100, see below), and 60 MB of text in one element.
    const leaves = writeParams('leaves.params.xml', '<a/>\n', 240_000);
    const ok = paramsCheck(leaves, true);
    expect(ok.status).toBe(0);
    expect(ok.maxRssMB).toBeLessThan(200);
    const text = writeParams('text.params.xml', 'x'.repeat(1 << 20), 60);
    const t = paramsCheck(text, true);
    expect(t.status).toBe(0);
    expect(t.maxRssMB).toBeLessThan(200);
    console.log(
      `peak RSS: refused rich tree ${r.maxRssMB.toFixed(0)} MB, 240k leaves ${ok.maxRssMB.toFixed(0)} MB, 60 MB text ${t.maxRssMB.toFixed(0)} MB`,
    );
  });

  it('caps are options, reported with file and line', () => {
    const xml = '<r>\n<a/>\n<a/>\n<a x="1" y="2"/>\n</r>';
    const many = errorOf(() => parseXml(xml, { file: 'f.xml', maxElements: 2 }));
    expect([many.code, many.file, many.line]).toEqual([8, 'f.xml', 3]);
    expect(many.message).toContain('more than 2 elements');
    const attrs = errorOf(() => parseXml(xml, { file: 'f.xml', maxAttributes: 1 }));
    expect([attrs.code, attrs.line]).toEqual([8, 4]);
    const tree = errorOf(() => parseXml(xml, { maxTreeBytes: 500 }));
    expect(tree.message).toMatch(/the tree would take more than/);
    expect(parseXml(xml).children).toHaveLength(3);
    expect(MAX_XML_TREE_BYTES).toBeLessThanOrEqual(MAX_XML_FILE_BYTES);
  });
});

describe('reading a file in pieces', () => {
  it('a multi-byte character cut at every piece boundary decodes whole', () => {
    // 'é' (2 bytes), '€' (3) and '𝄞' (4) straddling the 256 KiB boundaries at every offset.
    for (const ch of ['é', '€', '𝄞']) {
      const pad = 256 * 1024 - `<r a="`.length;
      for (let shift = 0; shift < 4; shift++) {
        const text = `<r a="${'x'.repeat(pad - shift)}${ch}${ch}">${ch}</r>`;
        const path = join(DIR, 'utf8.xml');
        writeFileSync(path, text);
        const el = readXmlFile(path);
        expect(el.attributes.a.endsWith(`${ch}${ch}`)).toBe(true);
        expect(el.text).toBe(ch);
      }
    }
  });

  it('invalid UTF-8 in a later piece is code 7; non-ASCII in a later piece of an ASCII file names its line', () => {
    const bad = join(DIR, 'bad-utf8.xml');
    writeFileSync(
      bad,
      Buffer.concat([Buffer.from(`<r>${'x\n'.repeat(300_000)}`), Buffer.from([0xff]), Buffer.from('</r>')]),
    );
    expect(errorOf(() => readXmlFile(bad)).code).toBe(7);
    const ascii = join(DIR, 'ascii.xml');
    writeFileSync(ascii, `<?xml version='1.0' encoding='ASCII'?>\n<r>${'x\n'.repeat(300_000)}é</r>`);
    const e = errorOf(() => readXmlFile(ascii));
    expect([e.code, e.line]).toEqual([7, 300_002]);
  });

  it('a Latin-1 file decodes as Latin-1', () => {
    const path = join(DIR, 'latin1.xml');
    writeFileSync(path, Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?><r>caf\xe9</r>`, 'latin1'));
    expect(readXmlFile(path).text).toBe('café');
  });

  it('attributes are own properties of plain objects, whatever their names', () => {
    const el = parseXml('<r __proto__="p" constructor="c" id="x"><a/></r>');
    expect(Object.getPrototypeOf(el.attributes)).toBe(Object.prototype);
    expect(Object.hasOwn(el.attributes, '__proto__')).toBe(true);
    expect(el.attributes.constructor).toBe('c');
    expect(Object.keys(el.attributes)).toEqual(['__proto__', 'constructor', 'id']);
    // Elements without attributes or children share frozen empties: changing one fails loudly.
    const leaf = el.children[0]!;
    expect(() => leaf.children.push(leaf)).toThrow(TypeError);
  });
});

describe('reports about one file list at most 100 problems of a kind', () => {
  it('1000 unknown params elements: 100 warnings and one that counts the other 900', () => {
    const container = new CContainer('CContainer', 'container');
    const text = `${HEAD}${'<a/>'.repeat(1000)}${TAIL}`;
    const { report } = loadParamsString(container, text, 'many.params.xml', { pluginName: null });
    const entries = report.entries.filter((e) => e.code === 16);
    expect(entries).toHaveLength(101);
    expect(entries[100]!.details).toBe('900 more like this not listed (the first 100 are above)');
    expect(entries[100]!.file).toBe('many.params.xml');
    // The file is still loaded whole: unknown elements are kept to be written back.
    const path = writeParams('many.params.xml', '<a/>', 1000);
    expect(loadParamsFile(container, path, { pluginName: null }).report.entries.length).toBe(101);
  });
});

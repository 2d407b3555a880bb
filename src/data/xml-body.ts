import { Ccp4Error } from '../errors/ccp4-error.js';
import { child, localName, type XmlElement } from '../xml/element.js';
import { parseXml } from '../xml/parse.js';

/** Text held directly inside `<ccp4i2_body>` and the line of that tag (for line numbers in the file). */
export interface BodyText {
  text: string;
  line: number;
}

/**
 * The `<ccp4i2_body>` element of a parsed CCP4i2 XML file (def, params, or any CI2XmlDataFile). A file
 * that is not `<ccp4i2>` with a `<ccp4i2_body>` is a coded error (CContainer 101/102) naming the file.
 */
export function ccp4i2Body(root: XmlElement, file: string): XmlElement {
  if (localName(root) !== 'ccp4i2') {
    throw new Ccp4Error({
      className: 'CContainer',
      code: 101,
      message: `root element is <${root.name}>, expected <ccp4i2>`,
      file,
      line: root.line,
    });
  }
  const body = child(root, 'ccp4i2_body');
  if (!body) {
    throw new Ccp4Error({
      className: 'CContainer',
      code: 102,
      message: 'no <ccp4i2_body>',
      file,
      line: root.line,
    });
  }
  return body;
}

/**
 * The body text of a CCP4i2 XML file (a CI2XmlDataFile such as a command-file patch or a template kept
 * as XML). Parsed with the safe parser: no DTD, no entity expansion.
 */
export function ccp4i2BodyText(text: string, file: string): BodyText {
  const body = ccp4i2Body(parseXml(text, { file }), file);
  return { text: body.text, line: body.line };
}

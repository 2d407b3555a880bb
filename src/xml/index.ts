export type { XmlElement } from './element.js';
export { child, childText, element, localName } from './element.js';
export type { ParseXmlOptions } from './parse.js';
export {
  MAX_XML_ATTRIBUTES,
  MAX_XML_ELEMENTS,
  MAX_XML_FILE_BYTES,
  MAX_XML_TREE_BYTES,
  parseXml,
  readXmlFile,
  XML_ERROR_CODES,
} from './parse.js';
export { xmlNumber, xmlQuery, xmlValue, xmlValues } from './query.js';
export type { SerializeXmlOptions } from './serialize.js';
export { escapeAttribute, escapeText, serializeXml } from './serialize.js';

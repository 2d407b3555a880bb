// CData: CCP4i2's typed parameter model, its class table and the .def.xml / .params.xml formats.
import './make.js';

export type { FileContext, IsSetOptions, ParamsLoadContext, ParamsSaveOptions, PlainValue } from './cdata.js';
export { CData, ValueState } from './cdata.js';
export { CDATA_ERROR_CODES } from './classes/base-codes.js';
export type { Kind } from './classes/registry.js';
export {
  classChain,
  classContentFlags,
  classContents,
  classQualifiers,
  classSpec,
  classSubItem,
  classSubTypes,
  isKnownClass,
  isSubclassOf,
  kindOf,
  knownClassNames,
} from './classes/registry.js';
export type { ClassSpec, ContentEntry, QualifierDict, Qualifiers, QualifierValue } from './classes/spec.js';
export { CDataStruct } from './composite.js';
export { CContainer } from './container.js';
export type { DefLoadResult, LoadDefOptions, XmlHeader } from './def-xml.js';
export { loadDefFile, loadDefString, readHeader } from './def-xml.js';
export {
  CMiniMtzDataFile,
  COneWord,
  CPdbDataFile,
  CProgramColumnGroup,
  CRange,
  CSpaceGroup,
  CSpaceGroupCell,
} from './domain.js';
export { CCP4I2_TOP, CDataFile } from './file.js';
export { CBoolean, CFloat, CInt, CString, CValue } from './fundamental.js';
export type { SubItem } from './list.js';
export { CList } from './list.js';
export { makeCData } from './make.js';
export type { AsTypeOptions } from './mtz-conversions.js';
export { CObsDataFile, CPhsDataFile } from './mtz-conversions.js';
export type { LoadParamsOptions, ParamsLoadResult, SaveParamsOptions } from './params-xml.js';
export { loadParamsFile, loadParamsString, paramsToXml, saveParamsFile } from './params-xml.js';
export type { QualifierType } from './qualifiers.js';
export { QUALIFIER_TYPES } from './qualifiers.js';
export type { SpaceGroupMatch, SpaceGroupSetting } from './spacegroups.js';
export { allSpaceGroups, lookupSpaceGroup } from './spacegroups.js';
export { type BodyText, ccp4i2BodyText } from './xml-body.js';

import { Ccp4Error } from '../errors/ccp4-error.js';
import { type CData, setCDataFactory } from './cdata.js';
import { classChain, isKnownClass, kindOf } from './classes/registry.js';
import type { Qualifiers } from './classes/spec.js';
import { CDataStruct } from './composite.js';
import { CContainer } from './container.js';
import {
  CMiniMtzDataFile,
  COneWord,
  CPdbDataFile,
  CProgramColumnGroup,
  CRange,
  CSpaceGroup,
  CSpaceGroupCell,
} from './domain.js';
import { CDataFile } from './file.js';
import { CBoolean, CFloat, CInt, CString, CValue } from './fundamental.js';
import { CList } from './list.js';
import { CObsDataFile, CPhsDataFile } from './mtz-conversions.js';

type Impl = new (className: string, name?: string, qualifiers?: Qualifiers) => CData;

/** Classes whose behaviour goes beyond their kind; a subclass uses its nearest listed ancestor's. */
const BEHAVIOUR: Record<string, Impl> = {
  CSpaceGroup: CSpaceGroup as unknown as Impl,
  COneWord: COneWord as unknown as Impl,
  CRange,
  CProgramColumnGroup,
  CPdbDataFile,
  CMiniMtzDataFile,
  CObsDataFile,
  CPhsDataFile,
  CSpaceGroupCell,
};

const KIND_IMPL: Record<string, Impl> = {
  int: CInt as unknown as Impl,
  float: CFloat as unknown as Impl,
  string: CString as unknown as Impl,
  boolean: CBoolean as unknown as Impl,
  list: CList,
  container: CContainer,
  file: CDataFile,
  composite: CDataStruct,
};

const implCache = new Map<string, Impl>();

function implFor(className: string): Impl {
  let impl = implCache.get(className);
  if (!impl) {
    impl = KIND_IMPL[kindOf(className)]!;
    for (const n of classChain(className)) {
      const b = BEHAVIOUR[n];
      if (b) {
        impl = b;
        break;
      }
    }
    implCache.set(className, impl);
  }
  return impl;
}

/**
 * Creates a data object of any CCP4i2 class by name, with its class's members and defaults and the
 * given qualifiers. An unknown class name is a coded error (CContainer 103).
 */
export function makeCData(className: string, name?: string, qualifiers?: Qualifiers): CData {
  if (!isKnownClass(className) || className === 'CData') {
    throw new Ccp4Error({
      className: 'CContainer',
      code: 103,
      message: `unknown data class '${className}'`,
      objectPath: name,
    });
  }
  const obj = new (implFor(className))(className, name, qualifiers);
  if (obj instanceof CValue) obj.applyClassDefault();
  return obj;
}

setCDataFactory(makeCData);

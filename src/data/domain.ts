import { Severity } from '../errors/severity.js';
import { readHeadSync } from '../files/read.js';
import { readMtzHeader } from '../formats/mtz/index.js';
import type { CErrorReport } from '../report/error-report.js';
import { createCData } from './cdata.js';
import { classContentFlags } from './classes/registry.js';
import type { Qualifiers, QualifierValue } from './classes/spec.js';
import { CDataStruct, isPlainObject } from './composite.js';
import { CDataFile } from './file.js';
import { CString } from './fundamental.js';
import { lookupSpaceGroup } from './spacegroups.js';

/** A Hermann-Mauguin space group name, checked against the space-group table. */
export class CSpaceGroup extends CString {
  protected override checkValue(r: CErrorReport, v: string): void {
    super.checkValue(r, v);
    const m = lookupSpaceGroup(v);
    if (!m) {
      this.report(r, 101, `'${v}' is not a space group`);
      return;
    }
    if (!m.standard) {
      this.report(r, 103, `'${v}': the standard name is '${m.setting.hm}'`, Severity.WARNING);
    }
    if (!m.setting.sohncke) this.report(r, 102, `${m.setting.hm} contains inversion or mirror symmetry`);
  }

  /** The standard spaced name, or undefined when the value is not a space group. */
  standardName(): string | undefined {
    const v = this.value;
    return v ? lookupSpaceGroup(v)?.setting.hm : undefined;
  }
}

/** One word: no white space (CCP4i2 code 201). */
export class COneWord extends CString {
  protected override checkValue(r: CErrorReport, v: string): void {
    super.checkValue(r, v);
    if (/\s/.test(v)) this.report(r, 201, `'${v}'`);
  }
}

/** A start–end range (CIntRange, CFloatRange): end must not be below start. */
export class CRange extends CDataStruct {
  override checkValidity(r: CErrorReport): void {
    super.checkValidity(r);
    const s = this.content('start')?.get();
    const e = this.content('end')?.get();
    if (typeof s === 'number' && typeof e === 'number' && e < s) this.report(r, 101, `${e} < ${s}`);
  }
}

/**
 * Program column group: named MTZ column labels whose names come from the `columnGroup` qualifier
 * (`<columnGroupItem id="F"><columnType>F</columnType></columnGroupItem>` ...), one CString each.
 */
export class CProgramColumnGroup extends CDataStruct {
  protected override qualifierChanged(name: string, value?: QualifierValue): void {
    super.qualifierChanged(name, value);
    if (name !== 'columnGroup') return;
    const v = value ?? this.ownQualifiers()[name];
    if (!isPlainObject(v)) return;
    const raw = (v as Record<string, QualifierValue>).columnGroupItem;
    const items = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    for (const it of items) {
      if (!isPlainObject(it)) continue;
      const rec = it as Record<string, QualifierValue>;
      const id = rec['@id'];
      if (typeof id !== 'string' || this.content(id)) continue;
      const q: Qualifiers = Object.fromEntries(Object.entries(rec).filter(([k]) => !k.startsWith('@')));
      this.addChild(createCData('CString', id, q));
    }
  }
}

/** Model coordinates: content flag 1 PDB, 2 mmCIF, told from the file's first lines. */
export class CPdbDataFile extends CDataFile {
  protected override contentFlagFromFile(path: string): number | undefined {
    let head: string;
    try {
      head = readHeadSync(path, 8192).toString('latin1');
    } catch {
      return undefined; // not a regular file or unreadable: checkValidity says which
    }
    if (/^data_|^_atom_site\.|^loop_/m.test(head)) return 2;
    if (/^(ATOM {2}|HETATM|CRYST1|HEADER|MODEL |REMARK)/m.test(head)) return 1;
    return undefined;
  }
}

/** Column labels of an MTZ file, from its header only (src/formats/mtz). */
export function mtzColumnLabels(path: string): string[] {
  return readMtzHeader(path).columns.map((c) => c.label);
}

/**
 * Mini-MTZ files (CObsDataFile, CPhsDataFile, CMapCoeffsDataFile, CFreeRDataFile): one group of
 * columns whose labels give the content flag (CCP4i2's CONTENT_SIGNATURE_LIST).
 */
export class CMiniMtzDataFile extends CDataFile {
  /** Reads an MTZ file's column labels (default: the MTZ header reader; replaceable, e.g. in tests). */
  static readColumnLabels: ((path: string) => string[]) | undefined = mtzColumnLabels;

  /** CONTENT_SIGNATURE_LIST: column labels of each content flag, in flag order. */
  contentSignatureList(): string[][] {
    return classContentFlags(this.className).map((f) => f.columns);
  }

  /** 1 + index of the first signature whose labels all occur in `columns`, or undefined. */
  contentFlagFromColumns(columns: readonly string[]): number | undefined {
    const have = new Set(columns);
    const flags = classContentFlags(this.className);
    const hit = flags.find((f) => f.columns.length > 0 && f.columns.every((c) => have.has(c)));
    return hit?.flag;
  }

  protected override contentFlagFromFile(path: string): number | undefined {
    const read = CMiniMtzDataFile.readColumnLabels;
    if (!read) return undefined;
    try {
      return this.contentFlagFromColumns(read(path));
    } catch {
      return undefined; // an unreadable MTZ is reported by whoever reads it for real
    }
  }
}

/**
 * Space group with cell: the cell must fit the crystal system of the space group (CCP4i2 codes 103 angle
 * should be 90, 105 lengths should be identical, 106 angle should be 120, 107 angles should be identical).
 */
export class CSpaceGroupCell extends CDataStruct {
  override checkValidity(r: CErrorReport): void {
    super.checkValidity(r);
    const sgName = this.content('spaceGroup')?.get();
    const cell = this.content('cell')?.get() as Record<string, number | null> | undefined;
    if (typeof sgName !== 'string' || !cell) return;
    const sg = lookupSpaceGroup(sgName)?.setting;
    if (!sg) return;
    const { a, b, c, alpha, beta, gamma } = cell;
    const angle = (name: string, v: number | null | undefined, want: number, code: number) => {
      if (typeof v === 'number' && Math.abs(v - want) > 0.01)
        this.report(r, code, `${name} = ${v}, expected ${want} for ${sg.hm}`);
    };
    const same = (names: string, vs: (number | null | undefined)[], code: number) => {
      const nums = vs.filter((v): v is number => typeof v === 'number');
      if (nums.length === vs.length && Math.max(...nums) - Math.min(...nums) > 1e-3 * Math.max(...nums, 1)) {
        this.report(r, code, `${names} = ${nums.join(', ')} must be equal for ${sg.hm}`);
      }
    };
    const n = sg.number;
    if (n >= 3 && n <= 15) {
      // Monoclinic: the unique axis is the one whose symbol is not 1 (P 1 21 1 → b).
      const unique = sg.hm
        .split(' ')
        .slice(1, 4)
        .findIndex((t) => t !== '1');
      if (unique !== 0) angle('alpha', alpha, 90, 103);
      if (unique !== 1) angle('beta', beta, 90, 103);
      if (unique !== 2) angle('gamma', gamma, 90, 103);
    } else if (n >= 16 && n <= 74) {
      for (const [k, v] of [
        ['alpha', alpha],
        ['beta', beta],
        ['gamma', gamma],
      ] as const)
        angle(k, v, 90, 103);
    } else if (n >= 75 && n <= 142) {
      same('a, b', [a, b], 105);
      for (const [k, v] of [
        ['alpha', alpha],
        ['beta', beta],
        ['gamma', gamma],
      ] as const)
        angle(k, v, 90, 103);
    } else if (n >= 143 && n <= 194 && !sg.hm.endsWith(':R')) {
      same('a, b', [a, b], 105);
      angle('alpha', alpha, 90, 103);
      angle('beta', beta, 90, 103);
      angle('gamma', gamma, 120, 106);
    } else if (sg.hm.endsWith(':R')) {
      same('a, b, c', [a, b, c], 105);
      same('alpha, beta, gamma', [alpha, beta, gamma], 107);
    } else if (n >= 195) {
      same('a, b, c', [a, b, c], 105);
      for (const [k, v] of [
        ['alpha', alpha],
        ['beta', beta],
        ['gamma', gamma],
      ] as const)
        angle(k, v, 90, 103);
    }
  }
}

/** A qualifier's value, typed: booleans, numbers, strings, lists, dicts (null = explicitly none). */
export type QualifierValue = boolean | number | string | null | QualifierValue[] | QualifierDict;
export interface QualifierDict {
  [key: string]: QualifierValue;
}
export type Qualifiers = Record<string, QualifierValue>;

/** One member of a class: [name, className, qualifiers for this member]. */
export type ContentEntry = [name: string, className: string, qualifiers?: Qualifiers];

/** How a CCP4i2 data class is described in classes/table.ts. */
export interface ClassSpec {
  /** Immediate base class (every chain ends at 'CData'). */
  base: string | null;
  /** Members, in order (inherited ones included, as CCP4i2 lists them). */
  contents?: ContentEntry[];
  /** Class qualifier defaults that this class sets or overrides. */
  qualifiers?: Qualifiers;
  /** The class's own ERROR_CODES entries: [description, severity when not ERROR]. */
  errors?: Record<string, [string, number?] | [string]>;
  /** Item class of a list (CList and its subclasses). */
  subItem?: string;
  subItemQualifiers?: Qualifiers;
  /** Named sub-types: [value, description]. */
  subTypes?: Record<string, [number, string]>;
  /** Named content flags: [value, annotation, MTZ column labels that identify it]. */
  contentFlags?: Record<string, [number, string, string[] | null]>;
}

import type { TemplateValue } from './values.js';

/**
 * Python's repr()/str() of a float (they agree since Python 3.2): the shortest digits that round-trip,
 * fixed notation for exponents -4..15 with a whole number keeping `.0`, otherwise scientific with a signed
 * exponent of at least two digits (`1e+16`, `1.5e-05`). JavaScript also finds the shortest digits, but
 * switches notation at other exponents and writes `90` for 90.0, so only its digits are reused.
 */
export function pythonFloatStr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const ax = Math.abs(x);
  if (ax >= 1e-4 && ax < 1e16) {
    // Fast path: here JavaScript also writes fixed notation with the same shortest digits.
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const sign = x < 0 ? '-' : '';
  // toExponential() with no argument gives as many digits as needed to identify the value uniquely.
  const [mantissa, expText] = ax.toExponential().split('e');
  const exp = Number(expText);
  const digits = mantissa.replace('.', '');
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return `${sign}${digits}${'0'.repeat(intLen - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/** Python's str() of an int held in a JS number (the evaluator keeps ints within the safe range). */
export function pythonIntStr(x: number): string {
  return Object.is(x, -0) ? '0' : String(x);
}

/**
 * The text of a value as CCP4i2 prints it (Python str() of the value), or undefined when the value has no
 * single text (a list or a record: the template must name a field, as in `$CELL.a`). Unset prints nothing.
 */
export function printValue(v: TemplateValue): string | undefined {
  switch (v.kind) {
    case 'unset':
      return '';
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'int':
      return pythonIntStr(v.value);
    case 'float':
      return pythonFloatStr(v.value);
    case 'string':
      return v.value;
    case 'file':
      return v.path;
    case 'list':
    case 'record':
      return undefined;
  }
}

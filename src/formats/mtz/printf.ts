/**
 * C's printf("%g") (precision 6 by default), as `gemmi mtz --tsv` prints values. glibc rounds the exact
 * binary value half-to-even, JavaScript's toFixed rounds ties away from zero, so exact ties are redone.
 * `negative` carries the sign bit of a NaN (glibc prints `-nan`), which a JS number cannot hold.
 */
export function formatG(v: number, precision = 6, negative = false): string {
  if (Number.isNaN(v)) return negative ? '-nan' : 'nan';
  if (v === Number.POSITIVE_INFINITY) return 'inf';
  if (v === Number.NEGATIVE_INFINITY) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  if (Number.isInteger(v) && Math.abs(v) < 10 ** precision) return String(v);
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 10 ** precision - 0.5) {
    // fixed notation for sure: find the decade without the toExponential round trip
    let x = Math.floor(Math.log10(a));
    if (10 ** x > a) x--;
    else if (10 ** (x + 1) <= a) x++;
    // a carry into the next decade only adds a trailing zero, which is stripped
    return stripZeros(fixedEven(v, precision - 1 - x));
  }
  const e = expEven(v, precision - 1);
  const x = Number(e.slice(e.indexOf('e') + 1));
  if (x < -4 || x >= precision) {
    const [mant, exp] = e.split('e');
    const n = Math.abs(Number(exp));
    return `${stripZeros(mant)}e${exp[0] === '-' ? '-' : '+'}${n < 10 ? `0${n}` : n}`;
  }
  return stripZeros(fixedEven(v, precision - 1 - x));
}

function mayBeTie(v: number, scaled: number): boolean {
  const x = Math.abs(v) * scaled;
  return Math.abs(x - Math.floor(x) - 0.5) < 1e-6;
}

/** toFixed with glibc's half-to-even on exact ties. */
function fixedEven(v: number, d: number): string {
  const r = v.toFixed(d);
  if (!mayBeTie(v, 10 ** d) || d + 60 > 100) return r;
  const ext = v.toFixed(d + 60);
  const dot = ext.indexOf('.');
  if (!/^50*$/.test(ext.slice(dot + 1 + d))) return r;
  const truncated = d === 0 ? ext.slice(0, dot) : ext.slice(0, dot + 1 + d);
  return (truncated.charCodeAt(truncated.length - 1) - 48) % 2 === 0 ? truncated : r;
}

/** toExponential with glibc's half-to-even on exact ties. */
function expEven(v: number, d: number): string {
  const r = v.toExponential(d);
  const x = Number(r.slice(r.indexOf('e') + 1));
  if (!mayBeTie(v, 10 ** (d - x)) || d + 60 > 100) return r;
  const ext = v.toExponential(d + 60);
  const epos = ext.indexOf('e');
  const dot = ext.indexOf('.');
  if (!/^50*$/.test(ext.slice(dot + 1 + d, epos))) return r;
  const mant = d === 0 ? ext.slice(0, dot) : ext.slice(0, dot + 1 + d);
  return (mant.charCodeAt(mant.length - 1) - 48) % 2 === 0 ? `${mant}${ext.slice(epos)}` : r;
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

/**
 * Python's `%` and `//`, which floor where JavaScript truncates: the remainder takes the divisor's sign
 * (`-7 % 3 == 2`, `7 % -3 == -2`) and the quotient rounds down (`-7 // 2 == -4`). Callers check for a zero
 * divisor first (Python's ZeroDivisionError).
 */

/** Integers: exact through BigInt, so a quotient or remainder near 2^53 is not rounded. */
export function intFloorMod(a: number, b: number): number {
  const x = BigInt(a);
  const y = BigInt(b);
  let r = x % y;
  if (r !== 0n && r < 0n !== y < 0n) r += y;
  return Number(r);
}

export function intFloorDiv(a: number, b: number): number {
  const x = BigInt(a);
  const y = BigInt(b);
  let q = x / y;
  if (x % y !== 0n && x < 0n !== y < 0n) q -= 1n;
  return Number(q);
}

/** Floats: CPython's float_divmod (Objects/floatobject.c), signs of zero included. */
export function floatDivmod(vx: number, wx: number): { div: number; mod: number } {
  let mod = vx % wx; // JavaScript's % on doubles is C's fmod: exact
  let div = (vx - mod) / wx;
  if (mod !== 0) {
    if (wx < 0 !== mod < 0) {
      mod += wx;
      div -= 1;
    }
  } else mod = Math.sign(wx) < 0 || Object.is(wx, -0) ? -0 : 0;
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else floordiv = vx / wx < 0 || Object.is(vx / wx, -0) ? -0 : 0;
  return { div: floordiv, mod };
}

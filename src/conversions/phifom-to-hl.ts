/**
 * PHI/FOM → Hendrickson–Lattman coefficients (clipper's Compute_abcd_from_phifom, as chltofom and cctbx's
 * `hendrickson_lattman(centric, fom·e^{iφ}, max_fom)` compute it): FOM is capped at 0.9999, the
 * concentration X is atanh(FOM) for centrics and clipper's closed-form approximation `invsim` of the
 * inverse of I1(X)/I0(X) for acentrics; A = X cos φ, B = X sin φ, C = D = 0.
 *
 * invsim deviates from the exact inverse by 0.25 % (median) up to 16 % near FOM → 1; we keep it for
 * parity with CCP4 and cctbx (see docs/conversions.md).
 */

/** clipper's FOM cap (a FOM of 1 would need an infinite concentration). */
export const MAX_FOM = 0.9999;

/** clipper Util::invsim: approximate inverse of m = I1(X)/I0(X), odd in m. */
export function invsim(m: number): number {
  const x0 = Math.abs(m);
  const a0 = -7.107935 * x0;
  const a1 = 3.553967 - 3.524142 * x0;
  const a2 = 1.639294 - 2.228716 * x0;
  const a3 = 1.0 - x0;
  const w = a2 / (3.0 * a3);
  const p = a1 / (3.0 * a3) - w * w;
  const q = -w * w * w + (0.5 * (a1 * w - a0)) / a3;
  const d = Math.sqrt(q * q + p * p * p);
  const v = Math.cbrt(q + d) + Math.cbrt(q - d) - w;
  return m >= 0 ? v : -v;
}

export interface HlColumns {
  hla: Float64Array;
  hlb: Float64Array;
  hlc: Float64Array;
  hld: Float64Array;
}

/** Column form; PHI in degrees. Missing PHI or FOM gives missing coefficients. */
export function phiFomToHl(
  phiDeg: ArrayLike<number>,
  fom: ArrayLike<number>,
  centric: ArrayLike<number | boolean>,
): HlColumns {
  const n = phiDeg.length;
  if (fom.length !== n || centric.length !== n)
    throw new RangeError('phiFomToHl: columns of different lengths');
  const out: HlColumns = {
    hla: new Float64Array(n),
    hlb: new Float64Array(n),
    hlc: new Float64Array(n),
    hld: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const p = phiDeg[i];
    const f = fom[i];
    if (!(Number.isFinite(p) && Number.isFinite(f))) {
      out.hla[i] = out.hlb[i] = out.hlc[i] = out.hld[i] = Number.NaN;
      continue;
    }
    const m = Math.min(f, MAX_FOM);
    const x = centric[i] ? Math.atanh(m) : invsim(m);
    const r = (p * Math.PI) / 180;
    out.hla[i] = x * Math.cos(r);
    out.hlb[i] = x * Math.sin(r);
  }
  return out;
}

/**
 * Mean of an anomalous pair (I(+)/I(-) → I, F(+)/F(-) → F) by inverse-variance weighting:
 *   x = (x+/s+² + x-/s-²) / (1/s+² + 1/s-²),  s = (1/s+² + 1/s-²)^-1/2.
 * An observation is missing when its value or sigma is NaN or its sigma is ≤ 0 (as ctruncate and servalcat
 * mask them); a pair with one side missing gives the other side unchanged, with none NaN.
 *
 * Centric reflections stored twice: CCP4 files copy a centric reflection into both (+) and (-). With
 * `centricDuplicates: 'once'` (the default) a centric pair with identical value and sigma is one
 * measurement and is copied, not averaged with itself (averaging would shrink its sigma by √2). A centric
 * pair whose two sides differ is two measurements and is weighted like any other pair. `'average'` weights
 * every pair (what CCP4i2's Python layer, servalcat and cctbx's merge_equivalents do).
 */

export type CentricDuplicates = 'once' | 'average';

export interface MeanColumns {
  mean: Float64Array;
  sigma: Float64Array;
}

export function anomalousMean(
  plus: ArrayLike<number>,
  sigPlus: ArrayLike<number>,
  minus: ArrayLike<number>,
  sigMinus: ArrayLike<number>,
  centric: ArrayLike<number | boolean> | undefined,
  centricDuplicates: CentricDuplicates = 'once',
): MeanColumns {
  const n = plus.length;
  if (
    sigPlus.length !== n ||
    minus.length !== n ||
    sigMinus.length !== n ||
    (centric && centric.length !== n)
  )
    throw new RangeError('anomalousMean: columns of different lengths');
  if (centricDuplicates === 'once' && !centric)
    throw new RangeError("anomalousMean: centric flags are needed for centricDuplicates 'once'");
  const mean = new Float64Array(n);
  const sigma = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const xp = plus[i];
    const sp = sigPlus[i];
    const xm = minus[i];
    const sm = sigMinus[i];
    const okp = Number.isFinite(xp) && Number.isFinite(sp) && sp > 0;
    let okm = Number.isFinite(xm) && Number.isFinite(sm) && sm > 0;
    if (okm && okp && centricDuplicates === 'once' && centric?.[i] && xp === xm && sp === sm) okm = false;
    if (okp && okm) {
      const wp = 1 / (sp * sp);
      const wm = 1 / (sm * sm);
      mean[i] = (wp * xp + wm * xm) / (wp + wm);
      sigma[i] = 1 / Math.sqrt(wp + wm);
    } else if (okp) {
      mean[i] = xp;
      sigma[i] = sp;
    } else if (okm) {
      mean[i] = xm;
      sigma[i] = sm;
    } else {
      mean[i] = sigma[i] = Number.NaN;
    }
  }
  return { mean, sigma };
}

/**
 * The French–Wilson prior Σ per reflection: the mean intensity of its resolution shell, with epsilon.
 *
 * Shells: reflections with a usable observation (finite I, σ > 0) are split into equal-count bins in 1/d²
 * (bin edges at the quantiles, linear interpolation as numpy.quantile, so our shells are those of
 * shared/reference/fw_reference.py); the number of bins is min(maxBins, ⌊m/minPerBin⌋), at least 1, for m
 * usable reflections. In each bin S = ⟨I/ε⟩, and Σ = ε·S for every reflection of the bin, used or not.
 * A shell whose mean is not positive (no signal) is floored at a tenth of its ⟨σ/ε⟩ so the posterior stays
 * defined. Σ is piecewise constant in 1/d² (cctbx interpolates between bin centres, servalcat refines S with
 * an anisotropic B; see docs/conversions.md).
 */

export interface PriorOptions {
  /** Upper limit on the number of shells (default 20). */
  maxBins?: number;
  /** Lower limit on usable reflections per shell (default 100). */
  minPerBin?: number;
}

export interface ShellPrior {
  /** Σ per reflection (NaN only when no reflection is usable). */
  sigma: Float64Array;
  /** Shell index per reflection. */
  bin: Int32Array;
  /** nbins + 1 edges in 1/d² (Å⁻²). */
  edges: Float64Array;
  /** ⟨I/ε⟩ per shell, after the floor. */
  meanIntensity: Float64Array;
  /** Usable reflections per shell. */
  counts: Int32Array;
}

/** numpy.quantile(..., method='linear') on a sorted array, including numpy's lerp rounding. */
function quantileSorted(v: Float64Array, q: number): number {
  const pos = q * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, v.length - 1);
  const t = pos - lo;
  const a = v[lo];
  const b = v[hi];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Index of the last edge ≤ x (numpy searchsorted side='right' minus 1), clipped to [0, nb-1]. */
function binOf(edges: Float64Array, x: number): number {
  let lo = 0;
  let hi = edges.length; // first index with edges[i] > x
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(Math.max(lo - 1, 0), edges.length - 2);
}

export function shellPrior(
  invD2: ArrayLike<number>,
  I: ArrayLike<number>,
  sigI: ArrayLike<number>,
  epsilon: ArrayLike<number>,
  opts: PriorOptions = {},
): ShellPrior {
  const n = invD2.length;
  if (I.length !== n || sigI.length !== n || epsilon.length !== n)
    throw new RangeError('shellPrior: columns of different lengths');
  const maxBins = opts.maxBins ?? 20;
  const minPerBin = opts.minPerBin ?? 100;
  const usable = new Uint8Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(I[i]) && sigI[i] > 0 && Number.isFinite(sigI[i]) && Number.isFinite(invD2[i])) {
      usable[i] = 1;
      m++;
    }
  }
  const nb = Math.max(1, Math.min(maxBins, Math.floor(m / minPerBin)));
  const sorted = new Float64Array(m);
  for (let i = 0, j = 0; i < n; i++) if (usable[i]) sorted[j++] = invD2[i];
  sorted.sort();
  const edges = new Float64Array(nb + 1);
  if (m > 0) {
    // numpy.linspace(0, 1, nb + 1): i * step, last one exactly 1
    const step = 1 / nb;
    for (let b = 0; b <= nb; b++) edges[b] = quantileSorted(sorted, b === nb ? 1 : b * step);
    edges[0] -= 1e-9;
    edges[nb] += 1e-9;
  }
  const bin = new Int32Array(n);
  const sumI = new Float64Array(nb);
  const sumS = new Float64Array(nb);
  const counts = new Int32Array(nb);
  for (let i = 0; i < n; i++) {
    bin[i] = m > 0 && Number.isFinite(invD2[i]) ? binOf(edges, invD2[i]) : 0;
    if (usable[i]) {
      const e = epsilon[i];
      sumI[bin[i]] += I[i] / e;
      sumS[bin[i]] += sigI[i] / e;
      counts[bin[i]]++;
    }
  }
  const meanIntensity = new Float64Array(nb).fill(Number.NaN);
  for (let b = 0; b < nb; b++)
    if (counts[b] > 0) meanIntensity[b] = Math.max(sumI[b] / counts[b], (0.1 * sumS[b]) / counts[b]);
  // a shell left empty by tied 1/d² values borrows its nearest non-empty neighbour
  for (let b = 0; b < nb; b++) {
    if (counts[b] > 0 || m === 0) continue;
    for (let k = 1; k < nb; k++) {
      if (b - k >= 0 && counts[b - k] > 0) {
        meanIntensity[b] = meanIntensity[b - k];
        break;
      }
      if (b + k < nb && counts[b + k] > 0) {
        meanIntensity[b] = meanIntensity[b + k];
        break;
      }
    }
  }
  const sigma = new Float64Array(n);
  for (let i = 0; i < n; i++) sigma[i] = epsilon[i] * meanIntensity[bin[i]];
  return { sigma, bin, edges, meanIntensity, counts };
}

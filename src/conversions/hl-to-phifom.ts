/**
 * Hendrickson–Lattman coefficients → centroid phase and figure of merit (clipper's
 * Compute_phifom_from_abcd, which CCP4's chltofom runs).
 *
 * P(φ) ∝ exp(A cos φ + B sin φ + C cos 2φ + D sin 2φ). Acentric: the rectangle rule over φ = 0, 5, …, 355°
 * (72 steps, exact for a periodic integrand until the distribution gets sharper than the step); PHI is the
 * phase of the centroid ⟨e^{iφ}⟩ (not the mode), FOM its modulus. Centric: only the allowed phases a and
 * a + 180° carry weight, so FOM = |tanh q| with q = A cos a + B sin a (C and D drop out).
 *
 * Two deliberate departures from clipper, both only where clipper is inaccurate: the exponent is taken
 * relative to its maximum instead of being clamped to ±700 (identical result whenever |q| ≤ 700), and
 * sharp distributions (|A,B| + 4|C,D| > 100, where the 72-step rule's aliasing error exceeds 1e-11) use a
 * multiple of 72 steps large enough for the same accuracy.
 */

const DEG = 180 / Math.PI;
const BASE_STEPS = 72;

interface StepTable {
  cos: Float64Array;
  sin: Float64Array;
  cos2: Float64Array;
  sin2: Float64Array;
}

const tables = new Map<number, StepTable>();

function stepTable(n: number): StepTable {
  let t = tables.get(n);
  if (!t) {
    t = {
      cos: new Float64Array(n),
      sin: new Float64Array(n),
      cos2: new Float64Array(n),
      sin2: new Float64Array(n),
    };
    for (let i = 0; i < n; i++) {
      const p = (2 * Math.PI * i) / n;
      t.cos[i] = Math.cos(p);
      t.sin[i] = Math.sin(p);
      t.cos2[i] = Math.cos(2 * p);
      t.sin2[i] = Math.sin(2 * p);
    }
    tables.set(n, t);
  }
  return t;
}

/** Number of steps that keeps the rectangle rule's aliasing error ~1e-11 (72 for all ordinary data). */
export function stepsFor(a: number, b: number, c: number, d: number): number {
  const x = Math.hypot(a, b) + 4 * Math.hypot(c, d);
  if (x <= 100) return BASE_STEPS;
  // error ~ exp(-n²/(2x)): n² ≥ 52x
  return BASE_STEPS * Math.min(200, Math.ceil(Math.sqrt(52 * x) / BASE_STEPS));
}

/** Writes [PHI (degrees, (-180, 180]), FOM] for one reflection into out. */
export function phiFomOne(
  a: number,
  b: number,
  c: number,
  d: number,
  centric: boolean,
  allowedDeg: number,
  out: Float64Array | number[],
): void {
  if (!(Number.isFinite(a) && Number.isFinite(b) && Number.isFinite(c) && Number.isFinite(d))) {
    out[0] = out[1] = Number.NaN;
    return;
  }
  if (centric) {
    // clipper snaps the restriction to its 5° grid; allowed phases are multiples of 15° so this is exact
    const j = (((Math.round(allowedDeg / 5) % 36) + 36) % 36) * 5;
    const ca = Math.cos(j / DEG);
    const sa = Math.sin(j / DEG);
    const t = Math.tanh(a * ca + b * sa);
    // same component signs as clipper, so a negative q at a = 0 gives -180 like chltofom
    out[0] = Math.atan2(t * sa, t * ca) * DEG;
    out[1] = Math.abs(t);
    return;
  }
  const n = stepsFor(a, b, c, d);
  const tb = stepTable(n);
  const { cos, sin, cos2, sin2 } = tb;
  let qmax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const q = a * cos[i] + b * sin[i] + c * cos2[i] + d * sin2[i];
    if (q > qmax) qmax = q;
  }
  let sc = 0;
  let ss = 0;
  let s0 = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.exp(a * cos[i] + b * sin[i] + c * cos2[i] + d * sin2[i] - qmax);
    sc += p * cos[i];
    ss += p * sin[i];
    s0 += p;
  }
  out[0] = Math.atan2(ss / s0, sc / s0) * DEG;
  out[1] = Math.hypot(sc / s0, ss / s0);
}

export interface PhiFomColumns {
  /** Centroid phase in degrees, (-180, 180]. */
  phi: Float64Array;
  fom: Float64Array;
}

/**
 * Column form. `centric` nonzero marks centric reflections, `allowedDeg` their allowed phase in degrees
 * (clipper's π·h·t mod π; ignored for acentrics). Any missing coefficient gives missing PHI and FOM.
 */
export function hlToPhiFom(
  hla: ArrayLike<number>,
  hlb: ArrayLike<number>,
  hlc: ArrayLike<number>,
  hld: ArrayLike<number>,
  centric: ArrayLike<number | boolean>,
  allowedDeg: ArrayLike<number>,
): PhiFomColumns {
  const n = hla.length;
  if ([hlb, hlc, hld, centric, allowedDeg].some((col) => col.length !== n))
    throw new RangeError('hlToPhiFom: columns of different lengths');
  const phi = new Float64Array(n);
  const fom = new Float64Array(n);
  const o = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    phiFomOne(hla[i], hlb[i], hlc[i], hld[i], Boolean(centric[i]), allowedDeg[i], o);
    phi[i] = o[0];
    fom[i] = o[1];
  }
  return { phi, fom };
}

import { DEN, isIdentityRotation, type SymOp } from './symop.js';

/**
 * Reflection-class properties from a list of symmetry operators (the file's SYMM records, centring
 * operators included). A reflection h transforms as h' = h·R with phase shift 2π h·t.
 */
export interface ReflectionClass {
  centric: boolean;
  /** Allowed phase of a centric reflection in degrees, in [0, 180): clipper's π·h·t mod π. 0 if acentric. */
  allowedPhase: number;
  /** Statistical weight ε (ops fixing h, centring operators counted once). */
  epsilon: number;
  /** Systematically absent: an operator fixes h with a non-integral phase shift. */
  absent: boolean;
}

/** Precomputes what the per-reflection tests need; build once per file and call `classify` per reflection. */
export class ReflectionClassifier {
  private readonly rots: Int32Array;
  private readonly trans: Int32Array;
  private readonly n: number;
  private readonly ncentring: number;

  constructor(ops: readonly SymOp[]) {
    this.n = ops.length;
    this.rots = new Int32Array(ops.flatMap((o) => o.rot));
    this.trans = new Int32Array(ops.flatMap((o) => o.tran));
    this.ncentring = Math.max(1, ops.filter(isIdentityRotation).length);
  }

  classify(h: number, k: number, l: number): ReflectionClass {
    let centric = false;
    let allowed = 0;
    let fixing = 0;
    let absent = false;
    const r = this.rots;
    const t = this.trans;
    for (let i = 0; i < this.n; i++) {
      const o = i * 9;
      const h2 = h * r[o] + k * r[o + 3] + l * r[o + 6];
      const k2 = h * r[o + 1] + k * r[o + 4] + l * r[o + 7];
      const l2 = h * r[o + 2] + k * r[o + 5] + l * r[o + 8];
      // h·t in units of 1/DEN cycles
      const ht = h * t[i * 3] + k * t[i * 3 + 1] + l * t[i * 3 + 2];
      if (h2 === -h && k2 === -k && l2 === -l && (h !== 0 || k !== 0 || l !== 0)) {
        centric = true;
        // clipper HKL_class: round(mod(π h·t, π) / (π/12)) · π/12; the last matching operator wins
        const deg = ((((ht * 180) / DEN) % 180) + 180) % 180;
        allowed = (Math.round(deg / 15) * 15) % 180;
      }
      if (h2 === h && k2 === k && l2 === l) {
        if (ht % DEN === 0) fixing++;
        else absent = true;
      }
    }
    return { centric, allowedPhase: allowed, epsilon: fixing / this.ncentring, absent };
  }

  isCentric(h: number, k: number, l: number): boolean {
    return this.classify(h, k, l).centric;
  }
}

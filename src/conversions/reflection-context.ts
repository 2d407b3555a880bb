import { type Cell, inverseDSquared, ReflectionClassifier, type SymOp } from '../formats/symmetry/index.js';

/** Per-reflection facts the conversions need, computed once from H, K, L, the cell and the SYMM operators. */
export interface ReflectionContext {
  /** 1 for centric reflections. */
  centric: Uint8Array;
  /** Allowed phase of centric reflections in degrees (clipper's π·h·t mod π), 0 for acentrics. */
  allowedDeg: Float64Array;
  /** Statistical weight ε. */
  epsilon: Float64Array;
  /** 1/d² in Å⁻² from the cell. */
  invD2: Float64Array;
}

export function reflectionContext(
  h: ArrayLike<number>,
  k: ArrayLike<number>,
  l: ArrayLike<number>,
  cell: Cell,
  symops: readonly SymOp[],
): ReflectionContext {
  const n = h.length;
  const classifier = new ReflectionClassifier(symops);
  const d2 = inverseDSquared(cell);
  const ctx: ReflectionContext = {
    centric: new Uint8Array(n),
    allowedDeg: new Float64Array(n),
    epsilon: new Float64Array(n),
    invD2: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const c = classifier.classify(h[i], k[i], l[i]);
    ctx.centric[i] = c.centric ? 1 : 0;
    ctx.allowedDeg[i] = c.allowedPhase;
    // ε is at least 1 even for a systematically absent reflection (its ops do not count as fixing it)
    ctx.epsilon[i] = Math.max(1, c.epsilon);
    ctx.invD2[i] = d2(h[i], k[i], l[i]);
  }
  return ctx;
}

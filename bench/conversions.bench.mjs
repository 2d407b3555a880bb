// French–Wilson throughput: our I → F (symmetry classes, shell prior, posterior by quadrature) on one
// million synthetic reflections, against cctbx's miller.array.french_wilson() on the same data in the same
// run (/usr/bin/python3 with Debian's python3-cctbx, bench/cctbx_fw.py). Prints the ratio; target ≥ 10×.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { frenchWilson } from '../dist/conversions/french-wilson.js';
import { shellPrior } from '../dist/conversions/fw-prior.js';
import { reflectionContext } from '../dist/conversions/reflection-context.js';
import { inverseDSquared, parseTriplet, ReflectionClassifier } from '../dist/formats/symmetry/index.js';

const N = 1_000_000;
const CELL = [150, 160, 170, 90, 90, 90];
const SG = 'P 21 21 21';
const OPS = ['x,y,z', '-x+1/2,-y,z+1/2', 'x+1/2,-y+1/2,-z', '-x,y+1/2,-z+1/2'].map(parseTriplet);
const here = dirname(fileURLToPath(import.meta.url));

/** Deterministic Wilson-distributed data: the N lowest-resolution allowed reflections of the octant. */
function synthesize() {
  const d2 = inverseDSquared(CELL);
  const cls = new ReflectionClassifier(OPS);
  const s2max = 0.62;
  const cand = [];
  for (let h = 0; h * h * d2(1, 0, 0) <= s2max; h++)
    for (let k = 0; h * h * d2(1, 0, 0) + k * k * d2(0, 1, 0) <= s2max; k++)
      for (let l = 0; d2(h, k, l) <= s2max; l++) {
        if (h + k + l === 0 || cls.classify(h, k, l).absent) continue;
        cand.push([d2(h, k, l), h, k, l]);
      }
  if (cand.length < N) throw new Error(`only ${cand.length} candidate reflections`);
  cand.sort((a, b) => a[0] - b[0]);
  let seed = 12345;
  const uniform = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return (seed + 0.5) / 2147483648;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const H = new Float32Array(N);
  const K = new Float32Array(N);
  const L = new Float32Array(N);
  const I = new Float32Array(N);
  const SIGI = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const [s2, h, k, l] = cand[i];
    const c = cls.classify(h, k, l);
    const mean = Math.max(1, c.epsilon) * 1e4 * Math.exp(-10 * s2);
    const j = c.centric ? mean * normal() ** 2 : -mean * Math.log(uniform());
    const sig = Math.sqrt(j + (0.03 * j) ** 2 + 400);
    H[i] = h;
    K[i] = k;
    L[i] = l;
    I[i] = j + sig * normal();
    SIGI[i] = sig;
  }
  return { H, K, L, I, SIGI };
}

function ours(d) {
  const t0 = performance.now();
  const ctx = reflectionContext(d.H, d.K, d.L, CELL, OPS);
  const prior = shellPrior(ctx.invD2, d.I, d.SIGI, ctx.epsilon);
  const fw = frenchWilson(d.I, d.SIGI, prior.sigma, ctx.centric);
  return { seconds: (performance.now() - t0) / 1000, fw };
}

function cctbx(d, dir) {
  const src = join(dir, 'in.f64');
  const dst = join(dir, 'out.f64');
  const rows = new Float64Array(N * 5);
  for (let i = 0; i < N; i++) rows.set([d.H[i], d.K[i], d.L[i], d.I[i], d.SIGI[i]], i * 5);
  writeFileSync(src, rows);
  const r = spawnSync('/usr/bin/python3', [join(here, 'cctbx_fw.py'), src, dst, ...CELL.map(String), SG], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.error || r.status !== 0) return { error: (r.error?.message ?? r.stderr).trim().split('\n').pop() };
  const res = JSON.parse(r.stdout.trim().split('\n').pop());
  const b = readFileSync(dst);
  const fs = new Float64Array(b.buffer, b.byteOffset, b.length / 8);
  res.F = new Float64Array(N);
  for (let i = 0; i < N; i++) res.F[i] = fs[2 * i]; // rows of (F, sigF)
  return res;
}

export default async function bench() {
  const d = synthesize();
  ours(d); // warm-up
  const runs = [ours(d), ours(d), ours(d)];
  const dir = mkdtempSync(join(tmpdir(), 'fwbench-'));
  try {
    const c = cctbx(d, dir);
    // measured again after cctbx so that a change of machine load during its long run favours neither side
    runs.push(ours(d), ours(d));
    const best = runs.reduce((a, b) => (a.seconds < b.seconds ? a : b));
    console.log(
      `French-Wilson, ${N} reflections: ccp4i2-ts ${best.seconds.toFixed(3)} s ` +
        `(${((best.seconds / N) * 1e6).toFixed(2)} µs/refl, best of ${runs.length}: symmetry classes, shell prior, posterior)`,
    );
    if (c.error) {
      console.log(`cctbx unavailable (${c.error}): ratio skipped`);
      return;
    }
    const rel = [];
    for (let i = 0; i < N; i++)
      if (Number.isFinite(c.F[i]) && d.I[i] / d.SIGI[i] > 3)
        rel.push(Math.abs(best.fw.F[i] - c.F[i]) / c.F[i]);
    rel.sort((a, b) => a - b);
    console.log(`cctbx french_wilson: ${c.seconds.toFixed(3)} s (kept ${c.kept} of ${c.n})`);
    console.log(`ratio cctbx / ccp4i2-ts: ${(c.seconds / best.seconds).toFixed(1)}x (target >= 10x)`);
    console.log(
      `F agreement (I/sig > 3, prior differs): median rel diff ${rel[rel.length >> 1].toExponential(2)}, ` +
        `p95 ${rel[Math.floor(rel.length * 0.95)].toExponential(2)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

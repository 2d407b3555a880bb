import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FIXTURES } from '../../helpers/cli.js';

/** Every MTZ file under test/fixtures/data. */
export function dataMtzFiles(): string[] {
  const base = resolve(FIXTURES, 'data');
  return readdirSync(base)
    .flatMap((d) => readdirSync(join(base, d)).map((f) => join(base, d, f)))
    .filter((f) => f.endsWith('.mtz'))
    .sort();
}

export function gemmi(args: string[]): string {
  const r = spawnSync('gemmi', args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`gemmi ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

export interface GemmiSummary {
  nref: number;
  nbatches: number;
  cell: number[];
  spaceGroupName: string;
  spaceGroupNumber: number;
  columns: Array<{ label: string; type: string; dataset: number; min: number; max: number }>;
  datasets: Array<{
    id: number;
    project: string;
    crystal: string;
    dataset: string;
    cell: number[];
    wavelength: number;
  }>;
}

/** Parses the summary `gemmi mtz FILE` prints (0.5.7 layout). */
export function gemmiSummary(file: string): GemmiSummary {
  const lines = gemmi(['mtz', file]).split('\n');
  const get = (re: RegExp) => {
    for (const l of lines) {
      const m = re.exec(l);
      if (m) return m[1];
    }
    throw new Error(`gemmi output has no ${re}`);
  };
  const nums = (s: string) => s.trim().split(/\s+/).map(Number);
  const datasets: GemmiSummary['datasets'] = [];
  lines.forEach((l, i) => {
    const m = /^Dataset\s+(\d+)\s+(.*) > (.*) > (.*):$/.exec(l);
    if (m)
      datasets.push({
        id: Number(m[1]),
        project: m[2],
        crystal: m[3],
        dataset: m[4],
        cell: nums(lines[i + 1].replace(/^\s*cell/, '')),
        wavelength: Number(lines[i + 2].replace(/^\s*wavelength/, '')),
      });
  });
  const start = lines.findIndex((l) => /^\s*Column\s+Type\s+Dataset\s+Min\s+Max/.test(l));
  const columns: GemmiSummary['columns'] = [];
  for (let i = start + 1; i < lines.length && lines[i].trim() !== ''; i++) {
    const [label, type, ds, min, max] = lines[i].trim().split(/\s+/);
    columns.push({ label, type, dataset: Number(ds), min: Number(min), max: Number(max) });
  }
  return {
    nref: Number(get(/^Number of Reflections = (\d+)/)),
    nbatches: Number(get(/^Number of Batches = (\d+)/)),
    cell: nums(get(/^Global Cell \(obsolete\):\s+(.*)$/)),
    spaceGroupName: get(/^Space Group: (.*)$/),
    spaceGroupNumber: Number(get(/^Space Group Number: (\d+)/)),
    columns,
    datasets,
  };
}

/** COLUMN records of `gemmi mtz -H` as gemmi reads them: label -> [min, max] parsed to float32. */
export function gemmiColumnRecords(file: string): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const l of gemmi(['mtz', '-H', file]).split('\n')) {
    const t = l.trim().split(/\s+/);
    if (t[0] === 'COLUMN') out.set(t[1], [Math.fround(Number(t[3])), Math.fround(Number(t[4]))]);
  }
  return out;
}

/** Relative agreement to the 6 significant digits gemmi prints with %g. */
export function closeG(a: number, b: number, digits = 6): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= 0.51 * 10 ** (1 - digits) * Math.max(Math.abs(a), Math.abs(b)) + 1e-300;
}

import { readdirSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMtz, readMtzHeader } from '../../../src/formats/mtz/index.js';
import { FIXTURES } from '../../helpers/cli.js';
import { dataMtzFiles } from './gemmi.js';

/** The facts CCP4's own library (ccp4_lhprt, what mtzdump prints) lists for a file. */
interface Listing {
  title: string;
  datasets: Array<{
    id: number;
    project: string;
    crystal: string;
    dataset: string;
    cell: number[];
    wavelength: number;
  }>;
  ncol: number;
  nref: number;
  nbatch: number;
  labels: string[];
  types: string[];
  datasetIds: number[];
  cell: number[];
  reso: number[];
  sort: number[];
  sgName: string;
  sgNumber: number;
}

function parseListing(text: string): Listing {
  const lines = text.split('\n');
  const after = (heading: string, n = 2) =>
    lines[lines.findIndex((l) => l.includes(heading)) + n]?.trim() ?? '';
  const nums = (s: string) => s.trim().split(/\s+/).map(Number);
  const count = (re: RegExp) => {
    const l = lines.find((x) => re.test(x));
    return l === undefined ? 0 : Number(re.exec(l)?.[1]);
  };
  const datasets: Listing['datasets'] = [];
  const start = lines.findIndex((l) => l.includes('* Dataset ID, project/crystal/dataset names'));
  for (let i = start + 2; /^\s+\d+ /.test(lines[i] ?? ''); i += 5) {
    const m = /^\s+(\d+) (.*)$/.exec(lines[i]) as RegExpExecArray;
    datasets.push({
      id: Number(m[1]),
      project: m[2].trim(),
      crystal: lines[i + 1].trim(),
      dataset: lines[i + 2].trim(),
      cell: nums(lines[i + 3]),
      wavelength: Number(lines[i + 4]),
    });
  }
  const sg = /Space group = '(.*)' \(number\s+(\d+)\)/.exec(text) as RegExpExecArray;
  return {
    title: after('* Title:'),
    datasets,
    ncol: count(/Number of Columns = (\d+)/),
    nref: count(/Number of Reflections = (\d+)/),
    nbatch: count(/Number of Batches = (\d+)/),
    labels: after('* Column Labels :').split(/\s+/),
    types: after('* Column Types :').split(/\s+/),
    datasetIds: nums(after('* Associated datasets :')),
    cell: nums(after('* Cell Dimensions :')),
    reso: nums(after('*  Resolution Range :').split('(')[0]),
    sort: nums(after('* Sort Order :')),
    sgName: sg[1],
    sgNumber: Number(sg[2]),
  };
}

const dir = resolve(FIXTURES, 'ccp4i2/mtzdump-headers');
const byName = new Map(dataMtzFiles().map((f) => [basename(f, '.mtz'), f]));
const listings = readdirSync(dir).filter((f) => f.endsWith('.txt'));

describe("the reader agrees with CCP4's own header listings (libccp4 ccp4_lhprt)", () => {
  it('has a listing for every data file', () => {
    expect(listings.map((f) => basename(f, '.txt')).sort()).toEqual([...byName.keys()].sort());
  });

  it.each(listings)('%s', (name) => {
    const ref = parseListing(readFileSync(resolve(dir, name), 'utf8'));
    const file = byName.get(basename(name, '.txt')) as string;
    const mtz = readMtz(file);
    const header = readMtzHeader(file);
    for (const h of [mtz, header]) {
      expect(h.title.replace(/\s+/g, ' ')).toBe(ref.title.replace(/\s+/g, ' '));
      expect(h.nref).toBe(ref.nref);
      expect(h.columns).toHaveLength(ref.ncol);
      expect(h.batches).toHaveLength(ref.nbatch);
      expect(h.columns.map((c) => c.label)).toEqual(ref.labels);
      expect(h.columns.map((c) => c.type)).toEqual(ref.types);
      expect(h.columns.map((c) => c.datasetId)).toEqual(ref.datasetIds);
      h.cell.forEach((x, i) => {
        expect(x).toBeCloseTo(ref.cell[i], 4);
      });
      expect(h.sortOrder).toEqual(ref.sort);
      expect(h.spaceGroup.name).toBe(ref.sgName);
      expect(h.spaceGroup.number).toBe(ref.sgNumber);
      expect(h.reso?.[0]).toBeCloseTo(ref.reso[0], 5);
      expect(h.reso?.[1]).toBeCloseTo(ref.reso[1], 5);
      // datasets other than HKL_base, with their names, cells and wavelengths
      const ds = h.datasets.filter((d) => d.id !== 0 || d.project !== 'HKL_base');
      expect(ds.map((d) => [d.id, d.project, d.crystal, d.dataset])).toEqual(
        ref.datasets.map((d) => [d.id, d.project, d.crystal, d.dataset]),
      );
      ds.forEach((d, i) => {
        d.cell.forEach((x, j) => {
          expect(x).toBeCloseTo(ref.datasets[i].cell[j], 4);
        });
        expect(d.wavelength).toBeCloseTo(ref.datasets[i].wavelength, 5);
      });
    }
    // the resolution computed from the reflections lies inside the RESO record's range
    const r = mtz.resolution();
    const [lo, hi] = ref.reso;
    expect(1 / r.low ** 2).toBeGreaterThanOrEqual(lo - 1e-5);
    expect(1 / r.high ** 2).toBeLessThanOrEqual(hi + 1e-5);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASET_HEADING, parseMtzdumpLog } from '../../../src/plugins/tasks/mtzdump/log-parser.js';
import { errorOf } from '../../helpers/errors.js';
import { cellArray, closeTo, expectClose, expectedCell, FACTS, factsFor, LISTINGS } from './facts.js';

const listings = readdirSync(LISTINGS).filter((f) => f.endsWith('.txt'));

describe('mtzdump log parser on every real listing', () => {
  it('has a listing for every shared MTZ file', () => {
    expect(listings.length).toBe(FACTS.length);
    expect(listings.length).toBe(14);
  });

  it.each(listings)('%s agrees with the inventory', (name) => {
    const facts = factsFor(basename(name, '.txt'));
    const h = parseMtzdumpLog(readFileSync(join(LISTINGS, name), 'latin1'), { file: name });
    const cell = cellArray(h.cell);
    expectClose(cell, expectedCell(facts), 4, 'cell');
    expect(h.cellSource).toBe(facts.datasets.some((d) => d[0] > 0) ? 'dataset' : 'global');
    expectClose(cellArray(h.globalCell), facts.cell, 4, 'global cell');
    expect(h.spaceGroup.number).toBe(facts.sg_number);
    expect(h.spaceGroup.name.replace(/ /g, '')).toBe(facts.spacegroup.replace(/ /g, ''));
    expect(h.columns).toEqual(facts.columns.map(([label, type, dataset]) => ({ label, type, dataset })));
    expect(h.nref).toBe(facts.nreflections);
    expect(closeTo(h.resolution.low, facts.resolution[0], 3)).toBe(true);
    expect(closeTo(h.resolution.high, facts.resolution[1], 3)).toBe(true);
    const ds = facts.datasets.filter((d) => d[0] > 0);
    expect(h.datasets.map((d) => [d.id, d.project, d.crystal, d.dataset])).toEqual(
      ds.map((d) => d.slice(0, 4)),
    );
    h.datasets.forEach((d, i) => {
      expect(closeTo(d.wavelength, ds[i][5], 5)).toBe(true);
      expectClose(cellArray(d.cell), ds[i][4], 4, `dataset ${d.id} cell`);
    });
  });

  it('reads the cell where CCP4i2 does: the 5th line after the dataset heading', () => {
    const text = readFileSync(join(LISTINGS, 'merged_intensities_native.txt'), 'latin1');
    const lines = text.split('\n');
    const j = lines.findIndex((l) => l.includes(DATASET_HEADING));
    lines[j + 5] = '             34.0000   54.0000   68.0000   90.0000   90.0000   90.0000';
    expect(cellArray(parseMtzdumpLog(lines.join('\n')).cell)).toEqual([34, 54, 68, 90, 90, 90]);
  });

  it('finds the listing inside a whole mtzdump log (banner before, reflections after)', () => {
    const listing = readFileSync(join(LISTINGS, 'rnase25_Nat_Derivs.txt'), 'latin1');
    const log = [
      ' ###############################################################',
      ' ### CCP4 9.0: MTZDUMP                  version 9.0       : ##',
      ' Data line--- HEADER',
      ' Data line--- NREF -1',
      ' Header Information from MTZ file.....',
      listing,
      '   1   0   0   12.3   4.5',
      ' MTZDUMP:   Normal termination',
    ].join('\r\n');
    const h = parseMtzdumpLog(log);
    expect(cellArray(h.cell)).toEqual([64.897, 78.323, 38.792, 90, 90, 90]);
    expect(h.datasets.map((d) => d.dataset)).toEqual(['NATIVE', 'DERIV_HG', 'DERIV_I', 'DERIV_PT']);
    expect(h.title).toBe('[No title given] [No title given] [No title given] Scaleit tests......');
  });
});

describe('logs the parser cannot read: mtzdump error 101 with file and line', () => {
  const native = readFileSync(join(LISTINGS, 'merged_intensities_native.txt'), 'latin1');
  const lineOf = (needle: string) => native.slice(0, native.indexOf(needle)).split('\n').length;

  it.each([
    ['empty log', '', undefined],
    ['a failed run', ' MTZDUMP: Error in opening input file\n Times: User: 0.0s\n', undefined],
    ['truncated before the columns', native.slice(0, native.indexOf('* Number of Columns')), undefined],
    [
      'zero cell',
      native.replace('             34.0887   54.8162', '              0.0000   54.8162'),
      lineOf('             34.0887'),
    ],
    [
      'garbled global cell',
      native.replace('   34.0887   54.8162   68.0108   90.0000   90.0000   90.0000 \n', '   34.0887 ***\n'),
      lineOf('* Cell Dimensions') + 2,
    ],
    [
      'fewer labels than columns',
      native.replace(' H K L Iplus SIGIplus Iminus SIGIminus', ' H K L Iplus SIGIplus Iminus'),
      lineOf(' H K L Iplus'),
    ],
    ['no space group name', native.replace("'P 21 21 21'", "''"), lineOf('* Space group')],
    [
      'dataset without its cell',
      native.replace('             1.54180\n', '\n'),
      lineOf('        1 shelxSIRAS'),
    ],
  ])('%s', (_, text, line) => {
    const e = errorOf(() => parseMtzdumpLog(text, { file: '/job/log.txt' }));
    expect(e.className).toBe('mtzdump');
    expect(e.code).toBe(101);
    expect(e.file).toBe('/job/log.txt');
    expect(e.line).toBe(line);
    expect(e.message).toMatch(/^Error reading cell from log file: /);
  });
});

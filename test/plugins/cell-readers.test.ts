import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CData } from '../../src/data/index.js';
import { CPluginScript, type gemmi_cell, type mtzdump } from '../../src/plugins/index.js';
import { requireTool } from '../helpers/tools.js';
import { tempDir } from './helpers.js';

const ROOT = resolve(__dirname, '../..');
const DATA = join(ROOT, 'test/fixtures/data');
const FAKES = join(ROOT, 'test/fakes/bin');
const LISTINGS = join(ROOT, 'test/fixtures/ccp4i2/mtzdump-headers');

/** Every shared MTZ file that has a recorded mtzdump listing. */
const MTZ_FILES = readdirSync(DATA, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.mtz'))
  .map((f) => join(DATA, f))
  .filter((f) => readdirSync(LISTINGS).includes(`${basename(f, '.mtz')}.txt`));

describe.skipIf(!requireTool('gemmi', ['--version']))(
  'cell readers: mtzdump (FAKE) and gemmi agree on every shared MTZ',
  () => {
    it(`reads the same cell with both tasks, ${MTZ_FILES.length} files, run concurrently`, async () => {
      expect(MTZ_FILES.length).toBeGreaterThanOrEqual(10);
      const dir = tempDir();
      const parent = new CPluginScript({ workDirectory: dir, defFile: null, programPath: [FAKES] });
      const jobs = MTZ_FILES.flatMap((f) =>
        (['mtzdump', 'gemmi_cell'] as const).map((task) => {
          const p = parent.makePluginObject(task) as mtzdump | gemmi_cell;
          (p.inputData.find('HKLIN') as CData).set(f);
          return p;
        }),
      );
      const status = await Promise.all(jobs.map((j) => j.process()));
      expect(status.every((s) => s === 0)).toBe(true);
      for (let i = 0; i < jobs.length; i += 2) {
        const [m, g] = [jobs[i]!, jobs[i + 1]!];
        const cm = (m.outputData.find('CELL') as CData).get() as Record<string, number>;
        const cg = (g.outputData.find('CELL') as CData).get() as Record<string, number>;
        for (const k of ['a', 'b', 'c', 'alpha', 'beta', 'gamma']) expect(cm[k]).toBeCloseTo(cg[k]!, 2);
        expect(m.header?.spaceGroup.number).toBe(g.header?.spaceGroup.number);
        expect(m.header?.columns.map((c) => `${c.label}:${c.type}`)).toEqual(
          g.header?.columns.map((c) => `${c.label}:${c.type}`),
        );
        // Resolution range: both programs print it rounded (mtzdump to 4 decimals, gemmi to fewer).
        expect(Math.abs(m.header!.resolution.high - g.header!.resolution.high)).toBeLessThan(0.01);
        expect(Math.abs(m.header!.resolution.low - g.header!.resolution.low)).toBeLessThan(0.01);
        expect(m.status).toBe(0);
      }
    });
  },
);

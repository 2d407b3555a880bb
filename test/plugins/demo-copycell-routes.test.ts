import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CData } from '../../src/data/index.js';
import { CPluginScript, type demo_copycell, taskRegistry } from '../../src/plugins/index.js';
import { nodeOnlyPath } from '../helpers/node-only-path.js';
import { requireTool } from '../helpers/tools.js';
import { diagnosticCodes, tempDir } from './helpers.js';

// demo_copycell's three routes (CCP4, gemmi, in-process), each writing the same file. The in-process
// route needs nothing but Node and is never skipped; the CCP4 route runs the FAKE mtzdump/pdbset of
// test/fakes; the gemmi route skips without gemmi (and fails under CI=true).

const ROOT = resolve(__dirname, '../..');
const FAKES = join(ROOT, 'test/fakes/bin');
const MTZ = join(ROOT, 'examples/merged_intensities_native.mtz');
const PDB = join(ROOT, 'examples/gamma_model.pdb');
const CRYST1 = 'CRYST1   34.089   54.816   68.011  90.00  90.00  90.00 P 21 21 21               ';
const SCALE = [
  'SCALE1      0.029335  0.000000  0.000000        0.00000                         ',
  'SCALE2      0.000000  0.018243  0.000000        0.00000                         ',
  'SCALE3      0.000000  0.000000  0.014704        0.00000                         ',
];

type Route = 'ccp4' | 'gemmi' | 'in-process';
const ENV: Record<Route, () => Record<string, string | undefined>> = {
  // The fakes are Node scripts (#!/usr/bin/env node): they need node, found in the node-only PATH.
  ccp4: () => ({ PATH: nodeOnlyPath(), CCP4: undefined }),
  gemmi: () => ({ PATH: '/usr/local/bin:/usr/bin:/bin', CCP4: undefined }),
  'in-process': () => ({ PATH: nodeOnlyPath(), CCP4: undefined }),
};
const TASKS: Record<Route, string[]> = {
  ccp4: ['mtzdump', 'pdbset'],
  gemmi: ['gemmi_cell', 'cell_writer'],
  'in-process': ['mtz_cell', 'cell_writer'],
};

async function runRoute(route: Route, hklin = MTZ) {
  const dir = tempDir();
  const cls = taskRegistry.require('demo_copycell').pluginClass!;
  const p = new cls({
    workDirectory: join(dir, 'job_1'),
    env: ENV[route](),
    programPath: route === 'ccp4' ? [FAKES] : undefined,
  }) as demo_copycell;
  (p.inputData.find('HKLIN') as CData).set(hklin);
  (p.inputData.find('XYZIN') as CData).set(PDB);
  (p.outputData.find('XYZOUT') as CData).set(join(dir, 'out.pdb'));
  const status = await p.process();
  return { dir, p, status, out: join(dir, 'out.pdb') };
}

async function expectRoute(route: Route): Promise<string> {
  const { dir, p, status, out } = await runRoute(route);
  expect(status).toBe(CPluginScript.SUCCEEDED);
  expect(p.route).toBe(route);
  expect((p.children() as CPluginScript[]).map((k) => k.taskName)).toEqual(TASKS[route]);
  const text = readFileSync(out, 'latin1');
  const lines = text.split('\n');
  expect(lines.find((l) => l.startsWith('CRYST1'))).toBe(CRYST1);
  expect(lines.filter((l) => l.startsWith('SCALE'))).toEqual(SCALE);
  expect(readFileSync(join(dir, 'job_1', 'log.txt'), 'utf8')).toMatch(
    new RegExp(`^demo_copycell: route ${route}: using `),
  );
  expect(p.summaryItems).toEqual([['route', expect.stringMatching(new RegExp(`^${route} \\(`))]]);
  return text;
}

describe('demo_copycell routes', () => {
  it('in-process (Node alone, no gemmi, no CCP4): the MTZ cell read by our own MTZ code', async () => {
    const text = await expectRoute('in-process');
    expect(text).toBe(
      readFileSync(PDB, 'latin1')
        .split('\n')
        .map((l) => (l.startsWith('CRYST1') ? CRYST1 : l.startsWith('SCALE') ? SCALE[Number(l[5]) - 1] : l))
        .join('\n'),
    );
  });

  it('CCP4 (FAKE mtzdump and pdbset) writes the same file as the in-process route', async () => {
    expect(await expectRoute('ccp4')).toBe(await expectRoute('in-process'));
  });

  it.skipIf(!requireTool('gemmi', ['--version']))(
    'gemmi writes the same file as the in-process route',
    async () => {
      expect(await expectRoute('gemmi')).toBe(await expectRoute('in-process'));
    },
  );

  it("in-process: an HKLIN that is not an MTZ file fails mtz_cell with the MTZ reader's coded error", async () => {
    const garbageDir = tempDir();
    const garbage = join(garbageDir, 'garbage.mtz');
    writeFileSync(garbage, 'not an MTZ file at all, just text\n'.repeat(4));
    const { dir, p, status } = await runRoute('in-process', garbage);
    expect(status).toBe(CPluginScript.FAILED);
    const reader = (p.children() as CPluginScript[])[0]!;
    expect(reader.taskName).toBe('mtz_cell');
    const codes = diagnosticCodes(reader.workDirectory);
    expect(codes).toHaveLength(1);
    expect(codes[0]).toMatch(/^Mtz/);
    expect(reader.errorReport.entries[0]!.file).toBe(garbage);
    expect(diagnosticCodes(join(dir, 'job_1'))).toEqual(['CPluginScript:114', ...codes]);
  });
});

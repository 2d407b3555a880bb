import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runTask } from '../../src/cli/i2run/run.js';

// Random command lines against the built-in tasks with --dry-run (nothing runs, nothing is created):
// i2run must end with a status (0, 1 or 2) and, when it refuses, a coded message — never an exception.
const FIXTURE_MTZ = join(__dirname, '../fixtures/data/gamma/merged_intensities_native.mtz');
const FIXTURE_PDB = join(__dirname, '../fixtures/data/gamma/gamma_model.pdb');

const word = fc.oneof(
  fc.constantFrom(
    '--HKLIN',
    '--XYZIN',
    '--XYZOUT',
    '--CELL',
    '--inputData.CELL',
    '--CELL.a',
    '--outputData.XYZOUT',
    '--inputData',
    '--project_name',
    '--params',
    '--help',
    '--dry-run',
    '--',
    '-',
    'a=1',
    'b=x',
    'alpha=90',
    'fullPath=',
    `fullPath=${FIXTURE_PDB}`,
    'columnLabels=/*/*/[F,SIGF]',
    'annotation=x',
    'nosuch=1',
    FIXTURE_MTZ,
    FIXTURE_PDB,
    '90',
    '-5',
    '1e400',
    'NaN',
    '',
    '=',
    '--=x',
    '--CELL=a=1',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ maxLength: 8 }).map((s) => `--${s}`),
);

describe('i2run fuzzed command lines', () => {
  it('end with 0, 1 or 2 and a coded message, never an exception', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'i2run-fuzz-'));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('pdbset', 'mtzdump', 'demo_copycell', 'gemmi_cell'),
        fc.array(word, { maxLength: 10 }),
        async (task, args) => {
          let out = '';
          let err = '';
          const io = {
            cwd,
            stdout: { write: (s: string) => (out += s) },
            stderr: { write: (s: string) => (err += s) },
          };
          const code = await runTask(task, [...args, '--dry-run'], io);
          expect([0, 1, 2]).toContain(code);
          if (code !== 0 && !/^usage:/m.test(out)) expect(err).toMatch(/\[[A-Za-z0-9_]+ \d+\]/);
          if (code === 0 && !/^usage:/m.test(out)) expect(out).toMatch(/job directory \(not created\)/);
        },
      ),
      { numRuns: 300 },
    );
    // --dry-run never creates a job.
    expect(readdirSync(cwd)).toEqual([]);
  });
});

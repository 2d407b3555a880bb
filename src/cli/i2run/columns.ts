import { existsSync, mkdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { OUTPUT_COLUMNS } from '../../conversions/representations.js';
import type { CMiniMtzDataFile } from '../../data/index.js';
import { isCcp4Error } from '../../errors/ccp4-error.js';
import { createMtz, readMtz, writeMtz } from '../../formats/mtz/index.js';
import { i2runError } from './errors.js';

/** The CCP4 column type each mini-MTZ signature label stands for (CCP4i2's standard labels). */
const SIGNATURE_TYPES: Record<string, string> = {
  ...Object.fromEntries(Object.values(OUTPUT_COLUMNS).flatMap((cols) => cols.map(([l, t]) => [l, t]))),
  FREER: 'I',
};

/**
 * `columnLabels=/*\/*\/[A,B]` on a mini-MTZ parameter, as CCP4i2's i2run does: the chosen columns of
 * `source` (with H, K, L, the cell, symmetry and datasets) are written to a new MTZ in the project's
 * CCP4_IMPORTED_FILES, renamed to the class's standard labels (F, SIGF; Iplus, SIGIplus...), the
 * content flag being the first signature of the class whose length and column types fit (and that the
 * parameter's requiredContentFlag allows). Returns the new file's path.
 */
export function importColumns(
  file: CMiniMtzDataFile,
  source: string,
  labels: readonly string[],
  importedDirectory: string,
): string {
  const where = { objectPath: file.objectPath(), file: source };
  let mtz: ReturnType<typeof readMtz>;
  try {
    mtz = readMtz(source);
  } catch (e) {
    throw i2runError(10, `cannot read ${source}: ${isCcp4Error(e) ? e.message : String(e)}`, {
      ...where,
      cause: e,
    });
  }
  const missing = labels.filter((l) => !mtz.hasColumn(l));
  if (missing.length > 0)
    throw i2runError(10, `no column ${missing.join(', ')} in ${basename(source)}`, {
      ...where,
      details: `columns: ${mtz.columns.map((c) => `${c.label}(${c.type})`).join(' ')}`,
    });
  const cols = labels.map((l) => mtz.column(l));
  const required = file.qualifier('requiredContentFlag');
  const allowed = Array.isArray(required) ? required.map(Number) : undefined;
  const signatures = file
    .contentSignatureList()
    .map((sig, i) => ({ flag: i + 1, sig }))
    .filter(({ flag }) => !allowed || allowed.length === 0 || allowed.includes(flag));
  const fit = signatures.find(
    ({ sig }) =>
      sig.length === cols.length &&
      sig.every((label, i) => !SIGNATURE_TYPES[label] || SIGNATURE_TYPES[label] === cols[i]!.type),
  );
  if (!fit)
    throw i2runError(
      10,
      `columns ${labels.join(',')} (types ${cols.map((c) => c.type).join('')}) fit no content of ${file.className}`,
      {
        ...where,
        details: `expected one of: ${signatures
          .map(
            ({ sig }) =>
              `[${sig.map((l) => `${l}${SIGNATURE_TYPES[l] ? `(${SIGNATURE_TYPES[l]})` : ''}`).join(',')}]`,
          )
          .join(' ')}`,
      },
    );
  const hkl = ['H', 'K', 'L'].map((l) => mtz.column(l));
  const out = createMtz({
    title: mtz.title,
    cell: mtz.cell,
    spaceGroup: mtz.spaceGroup,
    datasets: mtz.datasets,
    history: [
      ...mtz.history,
      `i2run: imported ${labels.join(',')} from ${basename(source)} as ${fit.sig.join(',')}`,
    ],
    columns: [
      ...hkl.map((c) => ({ label: c.label, type: c.type, datasetId: c.datasetId, data: c.data })),
      ...cols.map((c, i) => ({ label: fit.sig[i]!, type: c.type, datasetId: c.datasetId, data: c.data })),
    ],
  });
  mkdirSync(importedDirectory, { recursive: true });
  const stem = basename(source, extname(source));
  const param = file.name.replace(/[^A-Za-z0-9_.-]/g, '_');
  let path = join(
    importedDirectory,
    `${stem}_${param}_${labels.join('_').replace(/[^A-Za-z0-9_.-]/g, '_')}.mtz`,
  );
  for (let n = 2; existsSync(path); n++) path = path.replace(/(_\d+)?\.mtz$/, `_${n}.mtz`);
  writeMtz(out, path);
  return path;
}

import { createHash, randomBytes } from 'node:crypto';
import { linkSync, rmSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { OUTPUT_COLUMNS } from '../../conversions/representations.js';
import type { CMiniMtzDataFile } from '../../data/index.js';
import { isCcp4Error } from '../../errors/ccp4-error.js';
import { makeDirectories } from '../../files/directory.js';
import { readRegularFileSync } from '../../files/read.js';
import { createMtz, encodeMtz, readMtz } from '../../formats/mtz/index.js';
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
 * parameter's requiredContentFlag allows). Returns the new file's path (named by its checksum, see
 * publishImport: safe when several i2run processes import into one project at once).
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
  const stem = basename(source, extname(source));
  const param = file.name.replace(/[^A-Za-z0-9_.-]/g, '_');
  const base = `${stem}_${param}_${labels.join('_').replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  try {
    makeDirectories(importedDirectory);
    return publishImport(importedDirectory, base, encodeMtz(out));
  } catch (e) {
    throw i2runError(10, `cannot write the imported file: ${isCcp4Error(e) ? e.message : String(e)}`, {
      ...where,
      file: importedDirectory,
      cause: e,
    });
  }
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Puts `bytes` into `directory` as `<base>_<first 12 hex digits of their SHA-256>.mtz`, so that two
 * different files never share a name (two sources called data.mtz in different folders) and the same
 * import made twice, even at once by two jobs, gives the same file. The name appears only with the whole
 * content: written to an exclusive temporary file, then hard-linked, which fails if the name exists.
 * An existing file is used only when its checksum matches; otherwise `_2`, `_3`... are tried.
 */
function publishImport(directory: string, base: string, bytes: Uint8Array): string {
  const digest = sha256(bytes);
  const tmp = join(directory, `.${base}.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(tmp, bytes, { flag: 'wx' });
  try {
    for (let n = 1; n <= 100; n++) {
      const path = join(directory, `${base}_${digest.slice(0, 12)}${n > 1 ? `_${n}` : ''}.mtz`);
      try {
        linkSync(tmp, path);
        return path;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST') {
          // No hard links on this file system: an exclusive create, then the same checksum test.
          if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
          try {
            writeFileSync(path, bytes, { flag: 'wx' });
            return path;
          } catch (e2) {
            if ((e2 as NodeJS.ErrnoException).code !== 'EEXIST') throw e2;
          }
        }
      }
      if (sameContent(path, digest)) return path;
    }
    throw new Error(`100 files named ${base}_${digest.slice(0, 12)}* with other contents`);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Whether the regular file at `path` has this SHA-256 (a file still being written does not). */
function sameContent(path: string, digest: string): boolean {
  try {
    return sha256(readRegularFileSync(path)) === digest;
  } catch {
    return false;
  }
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ccp4Error } from '../errors/ccp4-error.js';
import type { LoggraphTable } from '../formats/loggraph/index.js';
import { graphFileName, graphSvg } from './svg.js';

/** Writes every drawable graph of `tables` as an SVG file in `dir` (created); returns the paths written. */
export function writeGraphFiles(tables: readonly LoggraphTable[], dir: string): string[] {
  const d = resolve(dir);
  try {
    mkdirSync(d, { recursive: true });
  } catch (e) {
    throw new Ccp4Error({
      className: 'JobReport',
      code: 105,
      message: `The graphs directory cannot be made (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      file: d,
    });
  }
  const written: string[] = [];
  tables.forEach((t, i) => {
    t.graphs.forEach((g, k) => {
      if (g.columns.length < 2) return;
      const file = join(d, graphFileName(i, k, g));
      try {
        writeFileSync(file, graphSvg(t, g));
      } catch (e) {
        throw new Ccp4Error({
          className: 'JobReport',
          code: 106,
          message: `A graph cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
          file,
        });
      }
      written.push(file);
    });
  });
  return written;
}

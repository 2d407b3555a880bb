import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built browser UI (`npm run build` writes it to dist/ui). From dist/server that is ../ui; when the
 * server runs from the sources (tests), the repository's dist/ui.
 */
export function defaultUiDirectory(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [resolve(here, '../ui'), resolve(here, '../../dist/ui')])
    if (existsSync(join(dir, 'index.html'))) return dir;
  return undefined;
}

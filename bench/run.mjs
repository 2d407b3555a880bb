// Runs every bench/*.bench.mjs in turn. Each prints its own figure next to a baseline measured in the same
// run, as a ratio (see docs/benchmarks.md). Usage: npm run bench [-- NAME_FILTER]
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs') && (!filter || f.includes(filter)))
  .sort();
for (const f of files) {
  console.log(`\n## ${f}`);
  const mod = await import(pathToFileURL(join(here, f)).href);
  await mod.default();
}

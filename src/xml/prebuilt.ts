import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { XmlElement } from './element.js';

// The def files shipped in assets/ (the built-in tasks'), parsed at build time: bundle.mjs writes their
// trees to dist/def-trees.json. A one-shot command parsed three of them with saxes, whose first use (cold
// code, its large Unicode regular expressions) cost ~2 ms for 6 kB of XML (docs/benchmarks.md). A tree is
// used only while its file has the size and modification time it had at the build; otherwise, and from
// the TypeScript sources (no dist/ beside them), the file is parsed as any other.

/** dist/def-trees.json: each asset's path below assets/, with its size, time and tree (as JSON text). */
export interface PrebuiltTrees {
  version: 1;
  trees: Record<string, { size: number; mtimeMs: number; json: string }>;
}

export interface PrebuiltSource {
  /** The assets folder the trees' paths are relative to. */
  assets: string;
  /** The trees (undefined: none, or unreadable). */
  table: PrebuiltTrees | undefined;
}

let shipped: PrebuiltSource | undefined;

/** This package's: assets/ and dist/def-trees.json, both found from the module's place (dist/chunks/). */
function ownTrees(): PrebuiltSource {
  if (!shipped) {
    let table: PrebuiltTrees | undefined;
    try {
      const t = JSON.parse(
        readFileSync(fileURLToPath(new URL('../def-trees.json', import.meta.url)), 'utf8'),
      );
      if (t?.version === 1 && t.trees && typeof t.trees === 'object') table = t as PrebuiltTrees;
    } catch {
      table = undefined; // from the sources, or a dist/ without it: every file is parsed
    }
    shipped = { assets: fileURLToPath(new URL('../../assets/', import.meta.url)), table };
  }
  return shipped;
}

/** The build's tree of `file` (absolute) when it is a shipped asset unchanged since, else undefined. */
export function prebuiltTree(file: string, source: PrebuiltSource = ownTrees()): XmlElement | undefined {
  if (!source.table) return undefined;
  const rel = relative(source.assets, file);
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  const key = rel.split('\\').join('/');
  if (!Object.hasOwn(source.table.trees, key)) return undefined;
  const entry = source.table.trees[key]!;
  try {
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st || st.size !== entry.size || st.mtimeMs !== entry.mtimeMs) return undefined;
    // A fresh tree each time: callers may keep or change theirs.
    return JSON.parse(entry.json) as XmlElement;
  } catch {
    return undefined; // unreadable file or a damaged entry: the parser reads the file and says what is wrong
  }
}

/** The trees of `files` (absolute, below `assets`) as bundle.mjs writes them. */
export function buildPrebuiltTrees(
  assets: string,
  files: readonly string[],
  parse: (file: string) => XmlElement,
): PrebuiltTrees {
  const trees: PrebuiltTrees['trees'] = {};
  for (const file of files) {
    const st = statSync(file);
    trees[relative(assets, file).split('\\').join('/')] = {
      size: st.size,
      mtimeMs: st.mtimeMs,
      json: JSON.stringify(parse(file)),
    };
  }
  return { version: 1, trees };
}

import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readXmlFile } from '../../src/xml/parse.js';
import { buildPrebuiltTrees, type PrebuiltTrees, prebuiltTree } from '../../src/xml/prebuilt.js';

// The shipped def files' trees, parsed at build time (bundle.mjs writes dist/def-trees.json; `npm test`
// builds first): used only for an unchanged asset, and then the very tree the parser gives.
const ROOT = resolve(__dirname, '../..');
const ASSETS = join(ROOT, 'assets');
const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

describe('prebuilt def trees', () => {
  it('dist/def-trees.json holds every shipped def file, each tree the one the parser gives now', () => {
    const built = JSON.parse(readFileSync(join(ROOT, 'dist/def-trees.json'), 'utf8')) as PrebuiltTrees;
    const defs = readdirSync(ASSETS, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.def.xml'))
      .sort();
    expect(Object.keys(built.trees).sort()).toEqual(defs);
    expect(defs.length).toBeGreaterThan(5);
    const source = { assets: ASSETS, table: built };
    for (const rel of defs) {
      const file = join(ASSETS, rel);
      expect(prebuiltTree(file, source), rel).toEqual(readXmlFile(file));
      expect(built.trees[rel]!.size).toBe(statSync(file).size);
    }
  });

  it('a file changed since the build, outside the assets, or without a table is parsed instead', () => {
    const root = mkdtempSync(join(tmpdir(), 'prebuilt-'));
    roots.push(root);
    const assets = join(root, 'assets');
    mkdirSync(join(assets, 'tasks'), { recursive: true });
    const file = join(assets, 'tasks/gemmi_cell.def.xml');
    copyFileSync(join(ASSETS, 'tasks/gemmi_cell.def.xml'), file);
    const table = buildPrebuiltTrees(assets, [file], readXmlFile);
    expect(prebuiltTree(file, { assets, table })).toEqual(readXmlFile(file));
    expect(prebuiltTree(file, { assets, table: undefined })).toBeUndefined();
    expect(prebuiltTree(join(ASSETS, 'tasks/gemmi_cell.def.xml'), { assets, table })).toBeUndefined();
    const t = statSync(file).mtime;
    utimesSync(file, t, new Date(t.getTime() + 1000)); // same bytes, touched: not trusted
    expect(prebuiltTree(file, { assets, table })).toBeUndefined();
    const damaged = buildPrebuiltTrees(assets, [file], readXmlFile);
    damaged.trees['tasks/gemmi_cell.def.xml']!.json = '{"name":'; // a damaged build: parsed instead
    expect(prebuiltTree(file, { assets, table: damaged })).toBeUndefined();
    rmSync(file);
    expect(prebuiltTree(file, { assets, table })).toBeUndefined();
  });

  it('each use gets a tree of its own', () => {
    const file = join(ASSETS, 'tasks/cell_writer.def.xml');
    const source = { assets: ASSETS, table: buildPrebuiltTrees(ASSETS, [file], readXmlFile) };
    const a = prebuiltTree(file, source)!;
    a.children.length = 0;
    a.attributes.changed = 'yes';
    expect(prebuiltTree(file, source)).toEqual(readXmlFile(file));
  });
});

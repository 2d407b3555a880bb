import { createHash } from 'node:crypto';
import { type CData, CDataFile, CList, type PlainValue } from '../data/index.js';
import type { CPluginScript } from '../plugins/plugin-script.js';
import { fileFacts } from './checksum.js';

/** Bump when the key's recipe changes (docs/database.md, "Resume"): old keys then never match. */
export const CACHE_KEY_VERSION = 1;

/** The containers whose values make up a job's key. outputData and guiAdmin (title, status) do not. */
export const KEY_CONTAINERS = ['inputData', 'controlParameters'] as const;

/**
 * A value in canonical form: unset values are left out, keys sorted, a file is its content's checksum
 * with its sub-type and content flag (never its path or annotation: the same data under another name is
 * the same input), a list keeps its order.
 */
function canonical(node: CData, checksumOf?: ChecksumOf): PlainValue | undefined {
  if (node instanceof CDataFile) {
    if (!node.isSet()) return undefined;
    const path = node.getFullPath();
    const checksum = path ? (checksumOf?.(path) ?? fileFacts(path)?.checksum) : undefined;
    return {
      checksum: checksum ?? `missing:${path ?? ''}`,
      subType: node.subType,
      contentFlag: node.contentFlag,
    };
  }
  if (node instanceof CList) return node.contents().map((c) => canonical(c, checksumOf) ?? null);
  const children = node.contents();
  if (children.length === 0) return node.isSet() ? node.get() : undefined;
  const out: Record<string, PlainValue> = {};
  for (const c of [...children].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const v = canonical(c, checksumOf);
    if (v !== undefined) out[c.name] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** A file's checksum as known elsewhere (the database's record of a past job's input), else undefined. */
export type ChecksumOf = (path: string) => string | undefined;

/**
 * What goes into the key, before hashing (`ccp4i2 jobs key` compares two jobs' to explain a cache miss).
 * Files are checksummed as they are now unless `checksumOf` knows them (a past job's inputs as recorded).
 */
export function cacheKeyMaterial(job: CPluginScript, checksumOf?: ChecksumOf): Record<string, PlainValue> {
  const params: Record<string, PlainValue> = {};
  for (const name of KEY_CONTAINERS) {
    const c = job.container.content(name);
    const v = c ? canonical(c, checksumOf) : undefined;
    if (v !== undefined) params[name] = v;
  }
  const cls = job.pluginClass;
  return {
    keyVersion: CACHE_KEY_VERSION,
    task: job.taskName,
    taskVersion: cls.TASKVERSION === undefined ? null : String(cls.TASKVERSION),
    params,
  };
}

/** The job's cache key: `sha256:` of the canonical JSON of cacheKeyMaterial. */
export function cacheKey(job: CPluginScript): string {
  return keyOfMaterial(cacheKeyMaterial(job));
}

/** The key of some key material (`cacheKey`'s recipe). */
export function keyOfMaterial(material: Record<string, PlainValue>): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(material)).digest('hex')}`;
}

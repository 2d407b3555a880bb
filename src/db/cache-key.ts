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
function canonical(node: CData): PlainValue | undefined {
  if (node instanceof CDataFile) {
    if (!node.isSet()) return undefined;
    const path = node.getFullPath();
    const facts = path ? fileFacts(path) : undefined;
    return {
      checksum: facts?.checksum ?? `missing:${path ?? ''}`,
      subType: node.subType,
      contentFlag: node.contentFlag,
    };
  }
  if (node instanceof CList) return node.contents().map((c) => canonical(c) ?? null);
  const children = node.contents();
  if (children.length === 0) return node.isSet() ? node.get() : undefined;
  const out: Record<string, PlainValue> = {};
  for (const c of [...children].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const v = canonical(c);
    if (v !== undefined) out[c.name] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** What goes into the key, before hashing (shown by `jobs show --json` to explain a cache miss). */
export function cacheKeyMaterial(job: CPluginScript): Record<string, PlainValue> {
  const params: Record<string, PlainValue> = {};
  for (const name of KEY_CONTAINERS) {
    const c = job.container.content(name);
    const v = c ? canonical(c) : undefined;
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
  return `sha256:${createHash('sha256')
    .update(JSON.stringify(cacheKeyMaterial(job)))
    .digest('hex')}`;
}

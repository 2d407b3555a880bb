import { CContainer, type CData, CDataStruct, CList } from '../../data/index.js';
import { i2runError } from './errors.js';

/** A parameter of a task: a content of one of its containers (inputData.XYZIN, controlParameters.NCYC). */
export interface TaskParameter {
  /** Dotted path from the task container. */
  path: string;
  node: CData;
  /** The shortest unique suffix of `path` (what `--NAME` needs). */
  shortName: string;
}

/** Every parameter of a container (not containers themselves), in the def file's order. */
export function taskParameters(root: CContainer): TaskParameter[] {
  const params: Omit<TaskParameter, 'shortName'>[] = [];
  const walk = (c: CContainer) => {
    for (const x of c.contents()) {
      if (x instanceof CContainer) walk(x);
      else params.push({ path: x.pathFrom(root), node: x });
    }
  };
  walk(root);
  return params.map((p) => ({ ...p, shortName: shortestUniqueSuffix(p.path, params) }));
}

function shortestUniqueSuffix(path: string, all: readonly { path: string }[]): string {
  const parts = path.split('.');
  for (let n = 1; n <= parts.length; n++) {
    const suffix = parts.slice(-n).join('.');
    if (all.filter((p) => matches(p.path, suffix)).length === 1) return suffix;
  }
  return path;
}

const matches = (path: string, name: string) => path === name || path.endsWith(`.${name}`);

/**
 * The object `--NAME` addresses: the parameter whose path is NAME or ends with `.NAME`; when there is
 * none and NAME is dotted, a member below one (`--CELL.a`, `--HKLIN.annotation`). Unknown and ambiguous
 * names are i2run errors 2 and 3 listing candidates.
 */
export function resolveParameter(root: CContainer, params: readonly TaskParameter[], name: string): CData {
  const hits = params.filter((p) => matches(p.path, name));
  if (hits.length === 1) return hits[0]!.node;
  if (hits.length > 1) {
    const exact = hits.find((p) => p.path === name);
    if (exact) return exact.node;
    throw i2runError(3, `--${name} matches ${hits.length} parameters`, {
      details: `use one of: ${hits.map((p) => `--${p.path}`).join(', ')}`,
    });
  }
  if (name.includes('.')) {
    const member = resolveMember(root, params, name);
    if (member) return member;
  }
  throw i2runError(2, `task ${root.taskName ?? root.name} has no parameter '${name}'`, {
    details: suggestions(params, name),
  });
}

/** `PARAM.member[.member]` where PARAM resolves on its own. */
function resolveMember(root: CContainer, params: readonly TaskParameter[], name: string): CData | undefined {
  const parts = name.split('.');
  for (let k = parts.length - 1; k >= 1; k--) {
    const head = parts.slice(0, k).join('.');
    const hits = params.filter((p) => matches(p.path, head));
    if (hits.length !== 1) continue;
    let node: CData | undefined = hits[0]!.node;
    for (const m of parts.slice(k)) {
      node = node instanceof CDataStruct && !(node instanceof CList) ? node.content(m) : undefined;
      if (!node) return undefined;
    }
    return node;
  }
  void root;
  return undefined;
}

function suggestions(params: readonly TaskParameter[], name: string): string {
  const last = name.split('.').at(-1)!.toLowerCase();
  const near = params.filter((p) => {
    const n = p.path.split('.').at(-1)!.toLowerCase();
    return n === last || n.includes(last) || last.includes(n) || editDistance(n, last) <= 2;
  });
  const list = (near.length > 0 ? near : params).slice(0, 30).map((p) => `--${p.shortName}`);
  if (list.length === 0) return 'the task has no parameters';
  return `${near.length > 0 ? 'did you mean' : 'parameters'}: ${list.join(', ')}${
    near.length === 0 && params.length > 30 ? ', ...' : ''
  }`;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

import { register } from 'node:module';

/**
 * Task modules loaded from a task directory (`--task-dir`, $CCP4I2_TASK_PATH) live outside this package,
 * where `import { CPluginScript } from 'ccp4i2-ts'` would not resolve (or would find another copy, with
 * its own classes and registry). Before loading one, a module-resolution hook is registered once
 * (node:module `register`, Node >= 20.6) that resolves `ccp4i2-ts` to this very package's entry point.
 * Running from the TypeScript sources (tests) there is no built entry point: vitest.config.ts aliases the
 * name to src/index.ts instead.
 */
let registered = false;

/** The hook, as a module of its own (hooks run on a loader thread and receive `data` in initialize). */
const HOOK = `let target;
export function initialize(data) { target = data.target; }
export async function resolve(specifier, context, next) {
  if (specifier === 'ccp4i2-ts') return { url: target, shortCircuit: true };
  return next(specifier, context);
}
`;

export function resolveOwnPackage(): void {
  if (registered) return;
  registered = true;
  const target = new URL('../index.js', import.meta.url);
  if (target.protocol !== 'file:' || typeof register !== 'function') return;
  fromExistingDirectory(() =>
    register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: { target: target.href } }),
  );
}

/**
 * Runs `fn` with the root directory as the working directory, then goes back. `register` starts the
 * hooks thread and blocks the main thread (Atomics.wait, no timeout) until it reports ready; on Node 20
 * that thread dies silently when the working directory has been deleted (uv_cwd fails), and the process
 * then waits for ever: a job runner whose job directory was removed hung so. Where the old working
 * directory is gone, the process stays in `/` (relative paths were unusable there anyway).
 */
function fromExistingDirectory(fn: () => void): void {
  let back: string | undefined;
  try {
    back = process.cwd(); // Node caches it: a stale path when the directory was deleted since
  } catch {}
  try {
    process.chdir('/');
  } catch {
    fn(); // a worker thread may not change directory (nor start the hooks thread: Node says so)
    return;
  }
  try {
    fn();
  } finally {
    if (back !== undefined)
      try {
        process.chdir(back);
      } catch {}
  }
}

import { spawnSync } from 'node:child_process';

/**
 * Whether an external program (gemmi, python3 with cctbx, ...) is on PATH. Tests that need one call
 * `requireTool` in a describe block: it skips with a message when the tool is absent, but fails under
 * CI=true, where .ci/run must have installed it.
 */
export function hasTool(name: string, args: string[] = ['--version']): boolean {
  const r = spawnSync(name, args, { stdio: 'ignore' });
  return r.error === undefined;
}

export function requireTool(name: string, args?: string[]): boolean {
  const ok = hasTool(name, args);
  if (!ok) {
    if (process.env.CI === 'true')
      throw new Error(`${name} is required under CI=true but was not found on PATH`);
    console.warn(`skipping tests that need ${name}: not found on PATH`);
  }
  return ok;
}

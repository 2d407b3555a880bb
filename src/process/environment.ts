import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface EnvironmentOptions {
  env?: Readonly<Record<string, string | undefined>>;
  extendEnv?: boolean;
  ccp4Env?: boolean;
}

/**
 * The environment a program runs with. `env` is merged over `process.env` (unless `extendEnv` is false;
 * an `undefined` value removes a variable). When $CCP4 is set, CCP4's setup scripts' conventions are
 * applied where the caller has not already chosen: $CCP4/bin first on PATH, CLIBD=$CCP4/lib/data (the
 * programs' data: symop.lib, syminfo.lib, ...), CINCL=$CCP4/include and CCP4_SCR (scratch files) in the
 * system temporary directory.
 */
export function buildEnvironment(options: EnvironmentOptions = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const base = options.extendEnv === false ? {} : process.env;
  for (const [k, v] of Object.entries(base)) if (v !== undefined) out[k] = v;
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  const ccp4 = out.CCP4;
  if (options.ccp4Env !== false && ccp4) applyCcp4Conventions(out, ccp4);
  return out;
}

function applyCcp4Conventions(env: Record<string, string>, ccp4: string): void {
  const bin = join(ccp4, 'bin');
  const path = (env.PATH ?? '').split(delimiter).filter((d) => d.length > 0);
  if (path[0] !== bin) env.PATH = [bin, ...path.filter((d) => d !== bin)].join(delimiter);
  env.CLIBD ??= join(ccp4, 'lib', 'data');
  env.CINCL ??= join(ccp4, 'include');
  env.CCP4_SCR ??= tmpdir();
}

/**
 * The environment to spawn with: process.env itself when nothing would change it (no `env`, extending
 * process.env, no $CCP4 conventions to apply), as spawn's own default does, else buildEnvironment's copy.
 * Read-only: the result may be process.env. Copying a few hundred variables per job was measurable cost.
 */
export function spawnEnvironment(
  options: EnvironmentOptions = {},
): Readonly<Record<string, string | undefined>> {
  const inherits = options.env === undefined && options.extendEnv !== false;
  if (inherits && !(options.ccp4Env !== false && process.env.CCP4)) return process.env;
  return buildEnvironment(options);
}

/**
 * import() of a task module. Bundled, our code runs as CommonJS chunks compiled by dist/loader/chunks.js
 * (with V8's code cache), where Node 20 cannot serve import(): the loader then leaves its own (a real ES
 * module's) under this symbol. Unbundled (tests, tsc's per-module output) it is plain import().
 */
const LOADER_IMPORT = Symbol.for('ccp4i2-ts.import');

export function importModule(url: string): Promise<Record<string, unknown>> {
  const viaLoader = (globalThis as Record<symbol, unknown>)[LOADER_IMPORT] as
    | ((url: string) => Promise<Record<string, unknown>>)
    | undefined;
  return viaLoader ? viaLoader(url) : (import(url) as Promise<Record<string, unknown>>);
}

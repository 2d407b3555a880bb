import { fileURLToPath } from 'node:url';

/** A file shipped in the package's assets/ folder (def files and templates of the built-in tasks). */
export function assetPath(relative: string): string {
  // src/plugins/assets.ts and dist/plugins/assets.js are both two levels below the package root.
  return fileURLToPath(new URL(`../../assets/${relative}`, import.meta.url));
}

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The browser UI is built into the package (dist/ui) and served by `ccp4i2 serve`: no separate front-end
// server, no external requests (everything, fonts included, is bundled or system-provided).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/ui', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
});

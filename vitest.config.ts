import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  // Task modules written by tests import 'ccp4i2-ts' (as porters' modules do): here, the TypeScript sources.
  resolve: { alias: { 'ccp4i2-ts': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    // A temporary job database per test process (never the user's); the projects below inherit it.
    setupFiles: ['test/helpers/temp-db.ts'],
    // One temporary directory per run, removed at its end (test/helpers/global-tmp.ts).
    globalSetup: ['test/helpers/global-tmp.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/slurm/**'],
        },
      },
      // Tests against the one real SLURM controller of the machine: some restart it or set its node DOWN,
      // so their files run one at a time (beside the main project).
      {
        extends: true,
        test: { name: 'slurm', include: ['test/slurm/**/*.test.ts'], fileParallelism: false },
      },
    ],
  },
});

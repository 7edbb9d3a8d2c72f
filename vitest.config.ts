import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Media and browser tests are CPU heavy on 2 cores: run files two at a time.
    maxWorkers: 2,
    minWorkers: 1,
    pool: 'forks',
  },
});

import { defineConfig } from 'vitest/config';

// End-to-end tests drive the built app (dist/) in headless Chromium; run after `vite build`.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});

import { defineConfig } from 'vite';

// Cross-origin isolation (COOP + COEP) lets the wasm backend use its threaded build
// (SharedArrayBuffer). Without these headers it silently falls back to one thread.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  server: { headers: isolationHeaders, port: 5173 },
  preview: { headers: isolationHeaders, port: 4173 },
  worker: {
    format: 'es',
    // tfjs-backend-wasm starts its thread pool from `factory.toString()` in a Blob; mangling
    // renames the closure variables that string refers to (pthreads die with "e is not
    // defined"), so the worker bundle keeps its names. Whitespace is still removed.
    rolldownOptions: { output: { minify: { mangle: false, compress: false, codegen: { removeWhitespace: true } } } },
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

// The web console (issue #21): Preact components compiled by Vite into dist/console, served by personsd at `/`.
// JSX goes through Vite's own esbuild transform (automatic runtime, Preact's jsx), so no Babel preset is needed.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // One small bundle: the first paint needs the whole shell anyway.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/v1': 'http://127.0.0.1:8080', '/console/api': 'http://127.0.0.1:8080' } },
});

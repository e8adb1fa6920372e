import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** Gzip each built script and stylesheet once, so the server sends the .gz as it is. */
function gzipAssets(): Plugin {
  return {
    name: 'courtyard-gzip-assets',
    apply: 'build',
    // After Vite's own post-processing (preload helpers), so the .gz holds the final code.
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const file of Object.values(bundle)) {
          if (!/\.(js|css|svg|json)$/.test(file.fileName)) continue;
          const source = file.type === 'chunk' ? file.code : file.source;
          if (source.length < 1024) continue;
          this.emitFile({ type: 'asset', fileName: `${file.fileName}.gz`, source: gzipSync(source, { level: 9 }) });
        }
      },
    },
  };
}

// One config for the web build (vite) and the four test projects (vitest).

/** Each test run's temporary files in a folder of its own, removed at the end (tests/support/tmp-dir.ts). */
const TMP = 'tests/support/tmp-dir.ts';
export default defineConfig({
  root: 'web',
  publicDir: 'public',
  plugins: [gzipAssets()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2021',
    sourcemap: false,
    assetsInlineLimit: 0,
  },
  server: {
    port: 5173,
    proxy: { '^/api/': 'http://localhost:8787', '/healthz': 'http://localhost:8787' },
  },
  test: {
    root: '.',
    projects: [
      { test: { name: 'unit', root: '.', include: ['tests/unit/**/*.test.ts'], environment: 'node', globalSetup: [TMP] } },
      { test: { name: 'api', root: '.', include: ['tests/api/**/*.test.ts'], environment: 'node', globalSetup: [TMP], testTimeout: 20000 } },
      {
        test: {
          name: 'e2e',
          root: '.',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120000,
          hookTimeout: 180000,
          fileParallelism: false,
          globalSetup: [TMP],
        },
      },
      {
        test: {
          name: 'reliability',
          root: '.',
          include: ['tests/reliability/**/*.test.ts'],
          environment: 'node',
          // the figures are read from the run's folder before it is removed
          globalSetup: [TMP, 'tests/reliability/report.ts'],
          testTimeout: 240000,
          hookTimeout: 120000,
        },
      },
    ],
  },
});

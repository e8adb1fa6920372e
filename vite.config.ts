import { defineConfig } from 'vitest/config';

// One config for the web build (vite) and the three test projects (vitest).
export default defineConfig({
  root: 'web',
  publicDir: 'public',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2021',
    sourcemap: false,
    assetsInlineLimit: 0,
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:8787', '/healthz': 'http://localhost:8787' },
  },
  test: {
    root: '.',
    projects: [
      { test: { name: 'unit', root: '.', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'api', root: '.', include: ['tests/api/**/*.test.ts'], environment: 'node', testTimeout: 20000 } },
      {
        test: {
          name: 'e2e',
          root: '.',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120000,
          hookTimeout: 180000,
          fileParallelism: false,
        },
      },
    ],
  },
});

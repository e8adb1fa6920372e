import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { PROGRAMS, ROOT } from './lib/paths.ts';

/**
 * `npm run build`: the web app (Vite, into dist/web) and the server (esbuild, into
 * dist/server: main.js and each program it starts as one file, packages left in node_modules).
 * `npm start` runs the built server with plain Node, so no TypeScript compiler sits in its
 * memory and it starts in about half the time. With `--if-needed`, only what is older than its
 * sources is built again.
 */

/** Newest modification time of a file or of the files under a folder (0 if it does not exist). */
export function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const isCurrent = (output: string, sources: string[]) => newestMtime(output) > Math.max(...sources.map((s) => newestMtime(join(ROOT, s))));

/** The web app into `outDir` (relative to the project), unless it is newer than its sources (web/ and the server's domain rules it shares) when `ifNeeded`. */
export function buildWeb(outDir = 'dist/web', ifNeeded = true): void {
  if (ifNeeded && isCurrent(join(ROOT, outDir, 'index.html'), ['web', 'server/domain', 'vite.config.ts'])) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', join(ROOT, outDir)], { cwd: ROOT, stdio: 'inherit' });
}

/** The built server's entry file. */
export const SERVER_MAIN = join(ROOT, 'dist/server/main.js');

/**
 * Node flags of the server, here and in package.json's start script and the README's systemd
 * unit (a test holds them equal).
 * - `--no-allocation-site-pretenuring`: V8 learns from objects that outlive a young-generation
 *   collection to allocate them straight in the old generation from then on. A burst of slow
 *   requests (pages answered gzipped under load) taught it that of the objects every request
 *   makes, and it never unlearnt it: each request's garbage then went to the old generation,
 *   full collections ran several times a second and the heap swung between 25 and 100 MB.
 *   Without it, a like costs about a fifth less CPU and the server's heap stays ~40 MB smaller.
 * - `--max-semi-space-size=4`: the young generation at 2 × 4 MB rather than V8's 2 × 16 MB keeps
 *   the peak memory under a full like load with photo uploads within its target. Without
 *   pretenuring, 2 × 8 MB took likes no faster (85–95 against 88–96 µs of server CPU a like in
 *   alternating runs) and added about 10 MB to the peak (figures in the README).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=4', '--no-allocation-site-pretenuring'];

/** Node's arguments to run the built server as `npm start` does, building it first if its sources changed. */
export function serverArgs(): string[] {
  return [...SERVER_NODE_FLAGS, buildServer()];
}

/**
 * The server into dist/server, unless it is newer than its sources when `ifNeeded`. Each file is
 * written beside its place and renamed into it, chunks first, so a server starting meanwhile
 * (tests start several) finds every file its entry imports. Chunks of earlier builds are left:
 * a server still running from one loads some of its chunks only when first needed (photos,
 * PDFs), and would fail then if they were gone. `npm run build` from a clean `dist/` has none.
 */
export function buildServer(ifNeeded = true): string {
  const outDir = dirname(SERVER_MAIN);
  if (ifNeeded && isCurrent(SERVER_MAIN, ['server', 'package.json'])) return SERVER_MAIN;
  // buildSync runs esbuild as a short-lived process; the asynchronous API keeps a service running.
  const result = buildSync({
    entryPoints: [{ in: join(ROOT, 'server/main.ts'), out: 'main' }, ...Object.entries(PROGRAMS).map(([out, source]) => ({ in: join(ROOT, 'server', source), out }))],
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // Modules the server imports only when first needed (images, PDFs) stay separate files,
    // loaded then, as they are from the sources.
    splitting: true,
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(outDir, { recursive: true });
  // The shared chunks before the programs that import them, so a program is never there before its chunks.
  const entries = new Set(['main', ...Object.keys(PROGRAMS)].map((name) => join(outDir, `${name}.js`)));
  const ordered = [...result.outputFiles].sort((a, b) => Number(entries.has(a.path)) - Number(entries.has(b.path)));
  for (const file of ordered) {
    const partial = `${file.path}.${process.pid}.partial`;
    writeFileSync(partial, file.contents);
    renameSync(partial, file.path);
  }
  return SERVER_MAIN;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifNeeded = process.argv.includes('--if-needed');
  buildWeb(process.env.WEB_DIST ?? 'dist/web', ifNeeded);
  buildServer(ifNeeded);
}

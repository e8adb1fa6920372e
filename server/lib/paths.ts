import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

/**
 * Whether this code runs from the build (`npm run build`: dist/server/*.js, plain Node) rather
 * than from its TypeScript sources through tsx (tests, `npm run dev`, the command-line tools).
 */
export const BUILT = here.endsWith('.js');

/** The project folder (the nearest one up holding package.json), from the sources and the build alike. */
export const ROOT = (() => {
  for (let dir = dirname(here); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${here}`);
  }
})();

/**
 * The programs the server starts as child processes, by their name in the build (each is one
 * file beside the built main.js) and their source under server/.
 */
export const PROGRAMS = {
  'photo-worker': 'media/worker.ts',
  'demo-photos': 'media/demo-photos-child.ts',
} as const;

/** How to start one of `PROGRAMS`: the built file with plain Node, or its source through tsx. */
export function program(name: keyof typeof PROGRAMS): { file: string; execArgv: string[] } {
  return BUILT ? { file: join(dirname(here), `${name}.js`), execArgv: [] } : { file: join(ROOT, 'server', PROGRAMS[name]), execArgv: ['--import', 'tsx'] };
}

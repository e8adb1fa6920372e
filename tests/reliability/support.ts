import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serverArgs } from '../../server/build.ts';

// What the reliability tests share: the real server as its own process, and the figures
// each test reports, printed together when the whole project has run (see report.ts).

export const ROOT = resolve(import.meta.dirname, '../..');
export const FIGURES_FILE = join(tmpdir(), `courtyard-reliability-figures-${process.env.COURTYARD_RELIABILITY_RUN ?? 'adhoc'}.jsonl`);

/** One line of the report at the end of the run. */
export function report(section: string, figure: string, value: string | number): void {
  appendFileSync(FIGURES_FILE, JSON.stringify({ section, figure, value }) + '\n');
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** The built server (as `npm start` runs it) on a data folder; resolves once /healthz answers 200. */
export async function startServer(dataDir: string, port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, serverArgs(), {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      DEMO: '1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'error',
      LIKES_PER_NETWORK_PER_MINUTE: '100000000',
      LIKES_PER_ACCOUNT_PER_MINUTE: '100000',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 400; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} while starting`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      /* still starting */
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start within 10 s');
}

export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    if (child.exitCode !== null || child.signalCode !== null) return ok();
    child.once('exit', () => ok());
    child.kill('SIGKILL');
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

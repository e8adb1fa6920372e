import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// What the reliability tests share: the real server as its own process (tests/support), and
// the figures each test reports, printed together when the whole project has run (see report.ts).

export { freePort, killHard, ROOT, startServer } from '../support/server.ts';
export const FIGURES_FILE = join(tmpdir(), `courtyard-reliability-figures-${process.env.COURTYARD_RELIABILITY_RUN ?? 'adhoc'}.jsonl`);

/** One line of the report at the end of the run. */
export function report(section: string, figure: string, value: string | number): void {
  appendFileSync(FIGURES_FILE, JSON.stringify({ section, figure, value }) + '\n');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

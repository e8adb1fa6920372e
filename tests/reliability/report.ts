import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Vitest global set-up of the reliability project: clears the figures file before the run
// and prints every figure the tests reported once they have all finished.

export default function setup() {
  process.env.COURTYARD_RELIABILITY_RUN ??= String(process.pid);
  const file = join(tmpdir(), `courtyard-reliability-figures-${process.env.COURTYARD_RELIABILITY_RUN}.jsonl`);
  rmSync(file, { force: true });
  return () => {
    if (!existsSync(file)) return;
    const rows = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { section: string; figure: string; value: string | number });
    rows.sort((a, b) => a.section.localeCompare(b.section));
    const w = Math.max(...rows.map((r) => `${r.section} ${r.figure}`.length));
    const lines = rows.map((r) => `  ${`${r.section} ${r.figure}`.padEnd(w)}  ${r.value}`);
    console.log(`\nReliability figures (${new Date().toISOString()})\n${lines.join('\n')}\n`);
    rmSync(file, { force: true });
  };
}

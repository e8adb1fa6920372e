import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Vitest global set-up of every test project: the run's temporary files (each test's data
// folder, database templates, backups, the browser's profile, servers' folders) go in one folder
// of their own, removed when the run ends. Without it every run left about a gigabyte of
// database copies behind in the system's temporary folder.

export default function setup() {
  // The projects of one run share it: the first to start makes it and removes it at the end.
  if (process.env.COURTYARD_TEST_TMP) return;
  const dir = mkdtempSync(join(tmpdir(), 'courtyard-run-'));
  process.env.COURTYARD_TEST_TMP = dir;
  // os.tmpdir() reads TMPDIR: the test workers and every process they start write here.
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

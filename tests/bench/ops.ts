import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serverArgs } from '../../server/build.ts';
import { prepareData } from '../../server/boot.ts';
import { addPhoto, createEntry, submitEntry } from '../../server/db/entries.ts';
import { sha256 } from '../../server/lib/ids.ts';

// Benchmark figures about running the app rather than one endpoint: memory under load, cold
// start, and the JavaScript a phone downloads for the public pages.

const ROOT = resolve(import.meta.dirname, '../..');
const YANGWEI = '350582102207';

/** A port nothing listens on now: benchmarks run beside other work on the same machine. */
export { freePort } from '../support/server.ts';

/**
 * The demo county with a gallery: submitted entries (one photo each, as scenery) for
 * 洋尾村1号–40号 in the round taking likes now, and `accounts` signed-in villagers from
 * elsewhere. 洋尾村50号 and above stay free for the uploader (tests/bench/uploader.ts).
 */
export function prepareGallery(dataDir: string, accounts: number, now: number): { entryIds: string[]; cookies: string[]; roundId: string } {
  // The demo county without its played-through history: no demo photos are drawn beside the measured server.
  const { db } = prepareData(dataDir, { demo: true, now, history: false });
  const sql = db.$client;
  const rounds = `select r.id from rounds r join campaign_villages cv on cv.campaign_id = r.campaign_id where cv.village_id = '${YANGWEI}'`;
  // The demo's monthly rounds are those of 2026's second half; on another date let the last one run now.
  if (!sql.prepare(`${rounds} and r.starts_at <= ? and r.ends_at >= ?`).get(now, now)) {
    sql.prepare(`update rounds set starts_at = ?, ends_at = ? where id = (${rounds} order by r.seq desc limit 1)`).run(now - 86_400_000, now + 86_400_000);
  }
  const roundId = (sql.prepare(`${rounds} and r.starts_at <= ? and r.ends_at >= ?`).get(now, now) as { id: string }).id;
  const cadre = (sql.prepare(`select id from accounts where phone = '13900000002'`).get() as { id: string }).id;
  const entryIds: string[] = [];
  for (let n = 1; n <= 40; n++) {
    const h = sql.prepare(`select id from households where village_id = ? and door_number = ?`).get(YANGWEI, `洋尾村${n}号`) as { id: string } | undefined;
    if (!h) continue;
    const e = createEntry(db, { roundId, householdId: h.id, villageId: YANGWEI, description: '房前屋后干净整洁，种满了花。', actorId: cadre, byProxy: true }, now);
    const key = sha256(`gallery-photo-${n}`);
    addPhoto(db, e.id, 'overview', { sourceHash: key, perceptualHash: key.slice(0, 16), storageKey: key, width: 1600, height: 1200, capturedAt: null, displayBytes: 1 }, cadre, now);
    submitEntry(db, e.id, 50, cadre, now);
    entryIds.push(e.id);
  }
  const cookies: string[] = [];
  const insertAccount = sql.prepare(`insert into accounts (id, phone, created_at, verified_at) values (?, ?, ?, ?)`);
  const insertSession = sql.prepare(`insert into sessions (token_hash, account_id, created_at, expires_at) values (?, ?, ?, ?)`);
  sql.transaction(() => {
    for (let i = 0; i < accounts; i++) {
      const created = now - 30 * 86_400_000;
      insertAccount.run(`ac_gallery${i}`, `1881${String(i).padStart(7, '0')}`, created, created);
      const token = randomBytes(16).toString('hex');
      insertSession.run(sha256(token), `ac_gallery${i}`, now, now + 86_400_000);
      cookies.push(`cy_session=${token}`);
    }
  })();
  sql.pragma('wal_checkpoint(TRUNCATE)');
  sql.close();
  return { entryIds, cookies, roundId };
}

/** Resident memory of a process and all its descendants (the server and its photo workers), in bytes. */
export function treeRss(pid: number): { total: number; main: number; children: number } {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const rss = (p: number) => {
    try {
      return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      return 0;
    }
  };
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  const main = rss(pid);
  const children = tree.slice(1).reduce((sum, p) => sum + rss(p), 0);
  return { total: main + children, main, children };
}

/** Sample a process tree's memory every 100 ms until stopped; the peak. */
/** CPU time a process has used so far (user and system, all its threads), in microseconds. */
export function cpuMicros(pid: number): number {
  // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 a second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

export function samplePeakRss(pid: number) {
  const peak = { total: 0, main: 0, children: 0 };
  const timer = setInterval(() => {
    const now = treeRss(pid);
    if (now.total > peak.total) Object.assign(peak, now);
  }, 100);
  return { stop: () => (clearInterval(timer), peak) };
}

/**
 * How Node runs a script of the benchmark: the server as `npm start` does (built, plain Node),
 * JavaScript as it is (the plain Hono baseline), TypeScript through tsx.
 */
export function nodeArgs(script: string): string[] {
  if (script === 'server/main.ts') return serverArgs();
  return script.endsWith('.ts') ? ['--import', 'tsx', script] : [script];
}

/**
 * Time from spawning `node <script>` to the first 200 of each path in turn (polled
 * every 5 ms): the server on an existing data folder, or the plain Hono endpoint as the baseline.
 */
export async function coldStart(port: number, script: string, paths: string[], env: Record<string, string> = {}): Promise<number[]> {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, nodeArgs(script), {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DEMO: '1', LOG_LEVEL: 'error', PUBLIC_URL: `http://127.0.0.1:${port}`, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const firstOk = async (path: string) => {
    for (;;) {
      if (performance.now() - started > 30_000) throw new Error(`${script} did not answer ${path} within 30 s`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}${path}`)).ok) return performance.now() - started;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  try {
    const times: number[] = [];
    for (const path of paths) times.push(await firstOk(path));
    return times;
  } finally {
    await new Promise<void>((ok) => {
      child.once('exit', () => ok());
      child.kill('SIGTERM');
    });
  }
}

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

/**
 * The JavaScript the public village and entry pages load, from a production build: the entry
 * chunk with its static imports (the public pages are part of it, see web/routes.ts), plus what
 * web/main.ts always imports at start (the service worker registration). Gzip level 9, as
 * served. The service worker script itself is fetched separately, off the page's critical path.
 */
export function publicPageJs(): { gzipKb: number; rawKb: number; files: Array<{ file: string; gzipKb: number }>; serviceWorkerGzipKb: number | null } {
  const out = mkdtempSync(join(tmpdir(), 'courtyard-bench-web-'));
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', out, '--manifest', 'manifest.json', '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const entryKey = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
  const keys = new Set<string>();
  const add = (key: string) => {
    if (keys.has(key) || !manifest[key]) return;
    keys.add(key);
    for (const i of manifest[key]!.imports ?? []) add(i);
  };
  add(entryKey);
  for (const d of manifest[entryKey]!.dynamicImports ?? []) if (manifest[d]?.src === 'offline.ts') add(d);
  const files = [...keys].map((k) => {
    const data = readFileSync(join(out, manifest[k]!.file));
    return { file: manifest[k]!.file, raw: data.length, gzip: gzipSync(data, { level: 9 }).length };
  });
  let serviceWorkerGzipKb: number | null = null;
  const sw = readdirSync(out).find((f) => /^sw.*\.js$/.test(f));
  if (sw) serviceWorkerGzipKb = gzipSync(readFileSync(join(out, sw)), { level: 9 }).length / 1024;
  const kb = (n: number) => Math.round((n / 1024) * 10) / 10;
  return {
    gzipKb: kb(files.reduce((s, f) => s + f.gzip, 0)),
    rawKb: kb(files.reduce((s, f) => s + f.raw, 0)),
    files: files.map((f) => ({ file: f.file, gzipKb: kb(f.gzip) })),
    serviceWorkerGzipKb: serviceWorkerGzipKb === null ? null : kb(serviceWorkerGzipKb * 1024),
  };
}

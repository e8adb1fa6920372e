import sharp from 'sharp';
import { PhotoPool } from '../../server/media/pool.ts';
import { prepareLikeBench } from './like-setup.ts';
import { timeLikeStore } from './like-store.ts';
import { prepareCounty } from './county.ts';
import { timeCountyHalfYear } from './half-year.ts';
import { timeAuditVerify } from './audit-verify.ts';
import { hammer } from './hammer.ts';
import { coldStart, cpuMicros, freePort, nodeArgs, prepareGallery, publicPageJs, samplePeakRss, treeRss } from './ops.ts';
import { announceHalfYear, scoreRound } from '../../server/db/results.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * npm run bench [-- --json FILE] [--seconds N] [--only likes]
 * `--only likes` measures the baseline and the two like figures alone (same settings).
 * Each figure is measured in this run next to its baseline (a plain Hono JSON endpoint), so
 * the ratios hold on any machine even when the absolute numbers drift.
 */
const ROOT = resolve(import.meta.dirname, '../..');

// The benchmark's data folders (a county, 20,000 signed-in accounts…) and its servers' files go
// in one folder of its own, removed when it ends: they come to a few gigabytes a run.
const scratch = mkdtempSync(join(tmpdir(), 'courtyard-bench-'));
process.env.TMPDIR = scratch;
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
process.on('SIGINT', () => process.exit(130));
const seconds = Number(arg('seconds') ?? 10);
const connections = 50;
const only = arg('only');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline: string | null;
  ratio: number | null;
  p50?: number;
  p99?: number;
  /** Server CPU time per request (user and system, all threads), in microseconds. */
  cpuUs?: number;
  /** The load generator's CPU time per request: it shares the machine's cores with the server. */
  generatorUs?: number;
}

async function start(script: string, port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, nodeArgs(script), {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/${script.includes('plain') ? 'json' : 'healthz'}`);
      if (r.ok) return child;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${script} did not start`);
}

interface Server {
  port: number;
  process: ChildProcess;
}

/** `connections` clients requesting `request(n)` for the run's seconds; the server's CPU time per answer with it. */
async function measure(server: Server, request: (n: number) => string, c = connections, count?: number) {
  const cpu0 = cpuMicros(server.process.pid!);
  const r = await hammer({ port: server.port, connections: c, seconds, count, request });
  const cpuUs = (cpuMicros(server.process.pid!) - cpu0) / Math.max(1, r.total);
  return { rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors + r.non2xx, cpuUs: round1(cpuUs), generatorUs: round1(r.generatorUs) };
}

/** What every request carries, as a phone's browser sends it: it takes gzip. */
const BROWSER = 'accept-encoding: gzip, deflate, br\r\n';
const get = (port: number, path: string, headers = '') => `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n${BROWSER}${headers}\r\n`;

async function load(server: Server, path: string, c = connections) {
  const request = get(server.port, path);
  return measure(server, () => request, c);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** A load figure in requests a second, as a ratio of the plain endpoint measured in this run. */
const againstPlain = (name: string, r: Awaited<ReturnType<typeof measure>>, plainRps: number): Figure => ({
  name,
  value: Math.round(r.rps),
  unit: 'req/s',
  baseline: 'plain Hono JSON',
  ratio: r.rps / plainRps,
  p50: r.p50,
  p99: r.p99,
  cpuUs: r.cpuUs,
  generatorUs: r.generatorUs,
});

/** A 4000 × 3000 JPEG with texture, so that decoding costs what a phone photo costs. */
async function twelveMegapixelPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 120, sigma: 40 } } })
    .blur(1.2)
    .jpeg({ quality: 88 })
    .toBuffer();
}

async function timeEach(job: () => Promise<unknown>, n: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) await job();
  return (performance.now() - started) / n;
}

/**
 * Villagers uploading photos without pause, from a separate process so that building and
 * sending the uploads does not stall the load generator that measures the latency.
 */
async function uploadLoop(base: string, workers: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/uploader.ts', base, String(workers)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  while (!out.includes('started')) await new Promise((r) => setTimeout(r, 100));
  return {
    stop: () =>
      new Promise<number>((ok) => {
        child.on('exit', () => ok(Number(/uploaded (\d+)/.exec(out)?.[1] ?? 0)));
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Like load on a fresh server: 20,000 signed-in villagers liking the 60 entries of 洋尾村,
 * each request a new like (a row and a counter in one transaction). The per-network limit is
 * raised because the load generator is one address; every other rule applies.
 */
async function likeLoad(synchronous: 'FULL' | 'NORMAL') {
  const dir = mkdtempSync(join(tmpdir(), 'courtyard-bench-likes-'));
  const now = Date.now();
  const { entryIds, cookies } = prepareLikeBench(dir, 20_000, now);
  const port = await freePort();
  const server = {
    port,
    process: await start('server/main.ts', port, {
      DATA_DIR: dir,
      DEMO: '1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SQLITE_SYNCHRONOUS: synchronous,
      LIKES_PER_NETWORK_PER_MINUTE: '100000000',
    }),
  };
  try {
    const entryOf = (n: number) => entryIds[(Math.floor(n / cookies.length) + (n % cookies.length)) % entryIds.length]!;
    // A villager likes from the entry's page: each opens one first, as the web app does.
    await measure(server, (n) => get(port, `/api/entries/${entryOf(n)}`, `cookie: ${cookies[n % cookies.length]}\r\n`), connections, cookies.length);
    const r = await measure(server, (n) => likeRequest(port, entryOf(n), cookies[n % cookies.length]!));
    const problems = r.errors ? `likes (${synchronous}): ${r.errors} errors or non-2xx answers` : '';
    return { ...r, problems };
  } finally {
    server.process.kill('SIGTERM');
  }
}

const likeRequest = (port: number, entryId: string, cookie: string) =>
  `PUT /api/entries/${entryId}/like HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n${BROWSER}cookie: ${cookie}\r\norigin: http://127.0.0.1:${port}\r\ncontent-length: 0\r\n\r\n`;

/** Thrown to end a partial run (`--only`) and go straight to the table. */
class Done extends Error {}

/**
 * Figures computed on the county data set (built once, below) by other areas of the app. The
 * half-year star computation for the county belongs here: push a function that times it and
 * returns its figure (name, value in ms, unit, baseline, ratio), and it is printed and written
 * with the others.
 */
type County = ReturnType<typeof prepareCounty>;
const countyFigures: Array<(county: County) => Figure | Promise<Figure>> = [
  (county) => {
    const h = timeCountyHalfYear(county);
    console.log(`county half-year: ${h.lines} monthly result lines read, ${h.households} households rated`);
    return { name: `half-year stars, county size (${h.households} households over 6 months), median of 3`, value: Math.round(h.ms), unit: 'ms', baseline: 'target < 2000 ms', ratio: null };
  },
  // Announcing (公示) is one transaction: the server answers nobody while it runs.
  (county) => {
    const campaign = (county.db.$client.prepare(`select campaign_id as c from rounds where id = ?`).get(county.roundId) as { c: string }).c;
    const t0 = performance.now();
    const r = announceHalfYear(county.db, campaign, '2026H1', 7, 'ac_admin', Date.now());
    const ms = performance.now() - t0;
    const lines = (county.db.$client.prepare(`select count(*) n from result_lines where result_id = ?`).get(r.id) as { n: number }).n;
    return { name: `announcing the county's half-year stars (${lines} households: recomputed, stored, each told), once`, value: Math.round(ms), unit: 'ms', baseline: 'no target; requests wait meanwhile', ratio: null };
  },
  (county) => {
    const v = timeAuditVerify(county);
    return { name: `npm run audit:verify on the county (${county.counts.sheets} sheets, ${v.lines} result lines, ${v.auditRows} audit rows), spawn to exit, once`, value: Math.round(v.ms), unit: 'ms', baseline: 'no target; only reads', ratio: null };
  },
];

/**
 * Peak memory of the server and its photo workers while it takes likes at full speed and four
 * villagers upload 12-megapixel photos at once; the same process at rest is the baseline.
 */
async function memoryUnderLoad(port: number) {
  const dir = mkdtempSync(join(tmpdir(), 'courtyard-bench-rss-'));
  const { entryIds, cookies } = prepareGallery(dir, 20_000, Date.now());
  const base = `http://127.0.0.1:${port}`;
  const server = await start('server/main.ts', port, { DATA_DIR: dir, DEMO: '1', PUBLIC_URL: base, LIKES_PER_NETWORK_PER_MINUTE: '100000000' });
  try {
    await fetch(`${base}/api/villages/350582102207`);
    const rest = treeRss(server.pid!);
    const sampler = samplePeakRss(server.pid!);
    const uploads = await uploadLoop(base, 4);
    const likes = await measure({ port, process: server }, (n) => likeRequest(port, entryIds[(Math.floor(n / cookies.length) + (n % cookies.length)) % entryIds.length]!, cookies[n % cookies.length]!));
    const uploaded = await uploads.stop();
    const peak = sampler.stop();
    if (likes.errors) console.warn(`likes during the memory run: ${likes.errors} errors or non-2xx answers`);
    return { dir, rest, peak, likeRps: likes.rps, uploaded };
  } finally {
    await new Promise<void>((ok) => {
      server.once('exit', () => ok());
      server.kill('SIGTERM');
    });
  }
}

const figures: Figure[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-bench-'));
// The demo county with 40 submitted entries in 洋尾村's current round, for the entry and gallery APIs.
const gallery = prepareGallery(dataDir, 10, Date.now());
const plainPort = await freePort();
const plain: Server = { port: plainPort, process: await start('tests/bench/plain-server.js', plainPort) };
const appPort = await freePort();
const appBase = `http://127.0.0.1:${appPort}`;
const app: Server = { port: appPort, process: await start('server/main.ts', appPort, { DATA_DIR: dataDir, DEMO: '1', PUBLIC_URL: appBase }) };
try {
  const base = await load(plain, '/json');
  figures.push({ name: 'plain Hono JSON (baseline)', value: Math.round(base.rps), unit: 'req/s', baseline: null, ratio: null, p50: base.p50, p99: base.p99, cpuUs: base.cpuUs, generatorUs: base.generatorUs });

  const village = await (await fetch(`${appBase}/api/villages/350582102207`)).json() as { campaigns: Array<{ id: string }> };
  const targets: Array<[string, string]> = [
    ['village page API (GET /api/villages/:id)', '/api/villages/350582102207'],
    ['campaign API (GET /api/campaigns/:id)', `/api/campaigns/${village.campaigns[0]!.id}`],
    ['villages of a town (GET /api/places/villages)', '/api/places/villages?town=350582102'],
    ['entry page API (GET /api/entries/:id)', `/api/entries/${gallery.entryIds[0]}`],
    ['village gallery API, 40 entries (GET /api/rounds/:id/entries)', `/api/rounds/${gallery.roundId}/entries`],
  ];
  for (const [name, path] of only === 'likes' ? [] : targets) {
    const r = await load(app, path);
    if (r.errors) console.warn(`${name}: ${r.errors} errors or non-2xx answers`);
    figures.push({ name, value: Math.round(r.rps), unit: 'req/s', baseline: 'plain Hono JSON', ratio: r.rps / base.rps, p50: r.p50, p99: r.p99, cpuUs: r.cpuUs });
  }

  // ---- likes: the full rules, durable (synchronous=FULL, group commit), then NORMAL for comparison ----
  for (const synchronous of ['FULL', 'NORMAL'] as const) {
    const r = await likeLoad(synchronous);
    figures.push(againstPlain(`likes, synchronous=${synchronous}${synchronous === 'FULL' ? ' (durable)' : ''} (PUT /api/entries/:id/like)`, r, base.rps));
    if (r.problems) console.warn(r.problems);
  }
  // The same like requests answered by a plain Hono route that stores and checks nothing: the
  // ceiling that HTTP alone sets a like on this machine.
  {
    const ids = Array.from({ length: 60 }, (_, i) => `en_bench${String(i).padStart(8, '0')}`);
    const r = await measure(plain, (n) => likeRequest(plain.port, ids[n % ids.length]!, `cy_session=bench-token-${n % 20_000}`));
    figures.push(againstPlain('the like request answered at once by a plain Hono route (nothing stored or checked)', r, base.rps));
  }
  // What SQLite alone costs a like, as a share of the plain endpoint's whole answer.
  {
    const store = timeLikeStore(mkdtempSync(join(tmpdir(), 'courtyard-bench-store-')));
    figures.push({
      name: `likes written straight to SQLite in batches of 50, no HTTP, no fsync (${round1(store.systemUs)} µs of it system time)`,
      value: round1(store.cpuUs),
      unit: 'µs CPU/like',
      baseline: 'plain Hono JSON, server CPU/request',
      ratio: store.cpuUs / base.cpuUs,
    });
  }

  if (only === 'likes') throw new Done();

  // ---- one month's results for a county-sized contest, computed from the database ----
  {
    const started = performance.now();
    const county = prepareCounty(mkdtempSync(join(tmpdir(), 'courtyard-bench-county-')));
    const built = performance.now() - started;
    scoreRound(county.db, county.roundId);
    const times: number[] = [];
    let ranked = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      ranked = scoreRound(county.db, county.roundId).filter((e) => e.rank !== null).length;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const c = county.counts;
    console.log(`county data: ${c.villages} villages, ${c.households} households, ${c.entries} qualified entries, ${c.sheets} sheets (written in ${Math.round(built)} ms); ${ranked} ranked`);
    figures.push({ name: `one month's results, county size (${c.villages} villages, ${c.entries} entries, ${c.sheets} sheets), median of 3`, value: Math.round(times[1]!), unit: 'ms', baseline: 'target < 1000 ms', ratio: null });
    for (const figure of countyFigures) figures.push(await figure(county));
    county.db.$client.close();
  }

  // ---- photo pipeline: the whole pipeline vs a bare sharp resize of the same 12-megapixel photo ----
  const photo = await twelveMegapixelPhoto();
  const bare = async () => sharp(photo).resize(1600, 1600, { fit: 'inside' }).webp({ quality: 80 }).toBuffer();
  const pool = new PhotoPool(1);
  const full = async () => pool.process(photo);
  await bare();
  await full();
  const bareMs = await timeEach(bare, 6);
  const fullMs = await timeEach(full, 6);
  figures.push({ name: 'bare sharp resize, 12 MP JPEG → 1600 px WebP (baseline)', value: round1(bareMs), unit: 'ms/photo', baseline: null, ratio: null });
  pool.close();
  figures.push({ name: 'photo pipeline, 12 MP JPEG (worker process: check, re-encode, thumb, hashes)', value: round1(fullMs), unit: 'ms/photo', baseline: 'bare sharp resize', ratio: fullMs / bareMs });

  // ---- a JSON endpoint's p99 at rest and while photos are being uploaded and processed ----
  const jsonPath = '/api/villages/350582102207';
  const rest = await load(app, jsonPath, 10);
  figures.push({ name: 'village API p99 at rest (baseline)', value: rest.p99, unit: 'ms', baseline: null, ratio: null, p50: rest.p50, p99: rest.p99 });
  const uploads = await uploadLoop(appBase, 2);
  const busy = await load(app, jsonPath, 10);
  const uploaded = await uploads.stop();
  figures.push({ name: `village API p99 while photos are processed (${uploaded} uploads)`, value: busy.p99, unit: 'ms', baseline: 'p99 at rest', ratio: busy.p99 / Math.max(0.1, rest.p99), p50: busy.p50, p99: busy.p99 });
} catch (e) {
  if (!(e instanceof Done)) throw e;
} finally {
  plain.process.kill('SIGTERM');
  app.process.kill('SIGTERM');
}

// ---- memory: the server and its photo workers under the like load with four uploads at once ----
{
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  const m = await memoryUnderLoad(await freePort());
  figures.push({ name: 'server RSS at rest (server + photo workers) (baseline)', value: mb(m.rest.total), unit: 'MB', baseline: null, ratio: null });
  figures.push({
    name: `peak RSS, likes at ${Math.round(m.likeRps)} req/s + 4 uploads of 12 MP photos at once (${m.uploaded} done): server ${mb(m.peak.main)} MB + workers ${mb(m.peak.children)} MB`,
    value: mb(m.peak.total),
    unit: 'MB',
    baseline: 'target ≤ 250 MB',
    ratio: m.peak.total / Math.max(1, m.rest.total),
  });

  // ---- cold start on that data folder (20,000 accounts, 40 entries): spawn to first answers, median of 3 ----
  // The baseline is the plain Hono endpoint started the same way (plain Node + Hono, nothing else).
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  const plainStarts: number[] = [];
  const starts: number[][] = [];
  for (let i = 0; i < 3; i++) {
    plainStarts.push((await coldStart(await freePort(), 'tests/bench/plain-server.js', ['/json']))[0]!);
    starts.push(await coldStart(await freePort(), 'server/main.ts', ['/healthz', '/api/villages/350582102207'], { DATA_DIR: m.dir }));
  }
  const plainMs = median(plainStarts);
  figures.push({ name: 'cold start of the plain Hono endpoint: spawn to first 200, median of 3 (baseline)', value: Math.round(plainMs), unit: 'ms', baseline: null, ratio: null });
  const healthMs = median(starts.map((s) => s[0]!));
  const villageMs = median(starts.map((s) => s[1]!));
  figures.push({ name: 'cold start: spawn to first 200 of /healthz, median of 3', value: Math.round(healthMs), unit: 'ms', baseline: 'plain Hono cold start', ratio: healthMs / plainMs });
  figures.push({ name: 'cold start: spawn to first 200 of the village page API, median of 3', value: Math.round(villageMs), unit: 'ms', baseline: 'plain Hono cold start', ratio: villageMs / plainMs });
}

// ---- JavaScript a phone downloads for the public village and entry pages (production build) ----
{
  const js = publicPageJs();
  console.log(`public-page JavaScript: ${js.files.map((f) => `${f.file} ${f.gzipKb} KB`).join(', ')}${js.serviceWorkerGzipKb === null ? '' : `; service worker ${js.serviceWorkerGzipKb} KB (fetched separately)`}`);
  figures.push({ name: `JavaScript for the public village and entry pages, gzip (${js.files.length} files, ${js.rawKb} KB raw)`, value: js.gzipKb, unit: 'KB', baseline: 'target ≤ 60 KB', ratio: null });
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(`\nCourtyard benchmark — ${new Date().toISOString()} — ${machine}`);
console.log(`load: tests/bench/hammer.ts, ${connections} keep-alive connections, ${seconds} s each, server and load generator on the same machine\n`);
const rows = figures.map((f) => [
  f.name,
  `${f.value} ${f.unit}`,
  f.p50 === undefined ? '' : `${f.p50} ms`,
  f.p99 === undefined ? '' : `${f.p99} ms`,
  f.cpuUs === undefined ? '' : `${f.cpuUs} µs`,
  f.generatorUs === undefined ? '' : `${f.generatorUs} µs`,
  f.ratio === null ? (f.baseline ?? 'baseline') : f.ratio.toFixed(2),
]);
const head = ['figure', 'value', 'p50', 'p99', 'server CPU/request', 'load generator CPU/request', 'ratio to baseline'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log([line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));

const jsonFile = arg('json');
if (jsonFile) {
  writeFileSync(jsonFile, JSON.stringify({ machine, at: new Date().toISOString(), figures }, null, 2));
  console.log(`\nfigures written to ${jsonFile}`);
}

import { serve } from '@hono/node-server';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { createApp } from './app.ts';
import { demoDataRefusal, hasStaff, loadSecret, prepareData } from './boot.ts';
import { loadEnv } from './env.ts';
import { offsetClock } from './lib/clock.ts';
import { consoleDelivery, webhookDelivery } from './lib/delivery.ts';
import { jsonLogger } from './lib/log.ts';
import { startOutboxWorker } from './lib/outbox.ts';
import { localPhotoStore } from './media/store.ts';
import { PhotoPool } from './media/pool.ts';
import { LikeWriter } from './db/likes.ts';
import { DatabaseTooNew } from './db/client.ts';
import { program, ROOT } from './lib/paths.ts';
import { missingDemoPhotos } from './db/seed.ts';
import { PID_NAME, runningServer } from './cli/snapshot.ts';

// WEB_DIST serves another build (tests building in parallel use their own folders).
const webRoot = join(ROOT, process.env.WEB_DIST ?? 'dist/web');

const env = loadEnv();
const log = jsonLogger(env.LOG_LEVEL);

// Two servers on one data folder would each think they alone write it; the pid file also tells
// `npm run restore` that a server is using the folder.
const other = runningServer(env.DATA_DIR);
if (other !== null && other !== process.pid) {
  log.error(`another Courtyard server (pid ${other}) is using ${env.DATA_DIR}; stop it first, or set DATA_DIR to another folder`);
  process.exit(1);
}
// Claimed at once, before migrating or seeding, so a second server started meanwhile sees it.
const pidFile = join(env.DATA_DIR, PID_NAME);
mkdirSync(env.DATA_DIR, { recursive: true });
writeFileSync(pidFile, String(process.pid));

const clock = offsetClock(env.CLOCK_OFFSET_DAYS);
if (env.CLOCK_OFFSET_DAYS) log.warn('demo clock runs ahead', { days: env.CLOCK_OFFSET_DAYS });
/** Say why, let go of the data folder, and stop: nothing has been served. */
function refuseToStart(why: string): never {
  log.error(`Courtyard cannot start: ${why}`);
  rmSync(pidFile, { force: true });
  process.exit(1);
}

let prepared: ReturnType<typeof prepareData>;
try {
  prepared = prepareData(env.DATA_DIR, { demo: env.DEMO, now: clock.now(), synchronous: env.SQLITE_SYNCHRONOUS });
} catch (e) {
  if (!(e instanceof DatabaseTooNew)) throw e;
  refuseToStart(e.message);
}
const { db, seeded, dbFile, migrations } = prepared;
if (migrations.length) log.info('database migrated', { dbFile, applied: migrations });
if (seeded) log.info('demo county seeded', { dbFile });
if (!env.DEMO) {
  const refusal = demoDataRefusal(db, env.DATA_DIR);
  if (refusal) {
    db.$client.close();
    refuseToStart(refusal);
  }
  if (env.DELIVERY === 'console') {
    log.warn('DELIVERY=console: sign-in codes and notices, with the phone numbers they go to, are written to this log instead of being sent; set DELIVERY=webhook and DELIVERY_WEBHOOK_URL');
  }
  if (!hasStaff(db)) {
    log.warn('no cadre or town admin yet: give the first one a role with npm run account:create (see README, Running it for a county)', {
      example: `DATA_DIR=${env.DATA_DIR} npm run account:create -- --phone <mobile> --role town_admin --scope <9-digit town code>`,
    });
  }
}

const delivery = env.DELIVERY === 'webhook' ? webhookDelivery(env.DELIVERY_WEBHOOK_URL!) : consoleDelivery((line) => log.info(line));
const photoPool = new PhotoPool();
const photos = localPhotoStore(join(env.DATA_DIR, 'photos'));
const likes = new LikeWriter(db);
const app = createApp(
  { db, clock, delivery, log, photos, photoPool, likes, secret: loadSecret(env.DATA_DIR), demo: env.DEMO, publicUrl: env.PUBLIC_URL },
  { webRoot, codesPerIpPerHour: env.SIGNIN_CODES_PER_IP_PER_HOUR, likeLimits: { perAccountPerMinute: env.LIKES_PER_ACCOUNT_PER_MINUTE, perNetworkPerMinute: env.LIKES_PER_NETWORK_PER_MINUTE } },
);

const stopOutbox = startOutboxWorker(db, delivery, log, clock.now, () => likes.synced());
if (env.DEMO && missingDemoPhotos(db, photos).length) {
  // The demo history's photos are drawn by a low-priority child process that exits when done.
  const demo = program('demo-photos');
  // The IPC channel ends when this process does, however it ends: the child then stops too.
  const child = spawn(process.execPath, [...demo.execArgv, demo.file, env.DATA_DIR, env.LOG_LEVEL], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (child.pid) setPriority(child.pid, 19);
  child.on('exit', (code) => code && log.warn('demo photos not drawn', { code }));
}


const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  log.info('Courtyard is listening', { url: env.PUBLIC_URL, port: info.port, demo: env.DEMO, dataDir: env.DATA_DIR });
});
server.on('error', (error: NodeJS.ErrnoException) => {
  const message = error.code === 'EADDRINUSE' ? `port ${env.PORT} is already in use (another Courtyard running?); stop it or set PORT` : 'cannot listen';
  log.error(message, { code: error.code, error: String(error) });
  db.$client.close();
  rmSync(pidFile, { force: true });
  process.exit(1);
});

// Stop taking connections, let requests in flight finish, then close the database.
let stopping = false;
function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  stopOutbox();
  log.info('stopping', { signal });
  const force = setTimeout(() => {
    log.warn('requests still open after 10 s; closing anyway');
    db.$client.close();
    rmSync(pidFile, { force: true });
    process.exit(1);
  }, 10_000);
  force.unref();
  server.close(() => {
    photoPool.close();
    db.$client.close();
    rmSync(pidFile, { force: true });
    log.info('stopped');
    process.exit(0);
  });
  (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

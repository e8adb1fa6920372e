import { resolve } from 'node:path';
import { OpsError, backup, summary } from './snapshot.ts';

// npm run backup [-- <folder>] — an online backup of the database, photos and secret into a
// timestamped folder under <folder> (default DATA_DIR/backups); the server may keep running.
const dataDir = resolve(process.env.DATA_DIR ?? './data');
const parent = process.argv.slice(2).find((a) => !a.startsWith('--'));
try {
  const started = Date.now();
  const { dir, manifest, linked } = await backup(dataDir, parent);
  console.log(`备份完成 / backup written: ${dir} (${Date.now() - started} ms)`);
  console.log(summary(manifest));
  if (linked) console.log(`  ${linked} photo files unchanged since the previous backup are hard links to it (no extra disk space); rsync -H keeps them so.`);
  console.log('  Copy this folder off the machine (e.g. rsync, rclone) to keep it safe from a disk failure.');
} catch (e) {
  console.error(e instanceof OpsError ? e.message : `备份失败 / Backup failed: ${(e as Error).message}`);
  process.exit(1);
}

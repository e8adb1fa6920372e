import { resolve } from 'node:path';
import { OpsError, restore, summary } from './snapshot.ts';

// npm run restore -- <backup folder> [--force] — replace DATA_DIR's database, photos and
// secret with a backup's, after checking the backup. The server must be stopped.
const dataDir = resolve(process.env.DATA_DIR ?? './data');
const folder = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!folder) {
  console.error('用法 / usage: npm run restore -- <备份文件夹 backup folder> [--force]');
  process.exit(1);
}
try {
  const { manifest, replaced } = restore(folder, dataDir, { force: process.argv.includes('--force') });
  console.log(`恢复完成 / restored ${resolve(folder)} (backup of ${manifest.createdAt}) into ${dataDir}`);
  console.log(summary(manifest));
  if (replaced) console.log(`  原有数据已移到 / the data that was there is kept in: ${replaced}`);
  console.log('  Start the server again (npm start); npm run audit:verify checks the audit chain.');
} catch (e) {
  console.error(e instanceof OpsError ? e.message : `恢复失败 / Restore failed: ${(e as Error).message}`);
  process.exit(1);
}

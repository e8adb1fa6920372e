import { dirname, resolve } from 'node:path';
import { OpsError, backup, pruneBackups, summary } from './snapshot.ts';

// npm run backup [-- <folder>] [--keep N] — an online backup of the database, photos and secret
// into a timestamped folder under <folder> (default DATA_DIR/backups); the server may keep
// running. With --keep N, then the older backups in that folder are removed but the newest N.
const usage = '用法 / usage: npm run backup [-- <folder>] [--keep <N: how many of the newest backups to keep>]';
const dataDir = resolve(process.env.DATA_DIR ?? './data');

/** The folder and the number to keep, or exit 1 saying what is wrong, before anything is written or removed. */
function parseArgs(args: string[]): { parent: string | undefined; keep: number | null } {
  let parent: string | undefined;
  let keep: number | null = null;
  const refuse = (zh: string, en: string): never => {
    console.error(`备份未进行：${zh}\nBackup not taken: ${en}\n${usage}`);
    process.exit(1);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--keep') {
      const given = args[++i];
      if (given === undefined || !/^\d+$/.test(given) || Number(given) < 1) {
        const shown = given === undefined ? '' : `「${given}」`;
        refuse(
          `--keep 后面要写一个不小于 1 的整数（保留最新的几份备份）${shown ? `，不是${shown}` : ''}。没有删除任何备份。`,
          `--keep needs a whole number of backups to keep, 1 or more${given === undefined ? '' : `, not "${given}"`}${given === '0' ? ' (0 would remove the backup just made)' : ''}. No backup was removed.`,
        );
      }
      keep = Number(given);
    } else if (a.startsWith('-')) {
      refuse(`不认识的选项「${a}」。`, `unknown option "${a}".`);
    } else if (parent !== undefined) {
      refuse(`只能给一个备份文件夹，收到「${parent}」和「${a}」。`, `give one backup folder, not both "${parent}" and "${a}".`);
    } else {
      parent = a;
    }
  }
  return { parent, keep };
}

const { parent, keep } = parseArgs(process.argv.slice(2));
try {
  const started = Date.now();
  const { dir, manifest, linked } = await backup(dataDir, parent);
  console.log(`备份完成 / backup written: ${dir} (${Date.now() - started} ms)`);
  console.log(summary(manifest));
  if (linked) console.log(`  ${linked} photo files unchanged since the previous backup are hard links to it (no extra disk space); rsync -H keeps them so.`);
  console.log('  Copy this folder off the machine (e.g. rsync, rclone) to keep it safe from a disk failure.');
  if (keep !== null) prune(dirname(dir), keep, dir);
} catch (e) {
  console.error(e instanceof OpsError ? e.message : `备份失败 / Backup failed: ${(e as Error).message}`);
  process.exit(1);
}

/** Remove the older backups but the newest `keep`, saying which went and which were left alone. */
function prune(root: string, keep: number, justMade: string): void {
  try {
    const { removed, leftAlone } = pruneBackups(root, keep, justMade);
    console.log(
      removed.length
        ? `  removed ${removed.length} older backup(s), keeping the newest ${keep} in ${root}:\n${removed.map((name) => `    ${name}`).join('\n')}`
        : `  no backup removed: ${root} holds no more than the newest ${keep}.`,
    );
    for (const { name, why } of leftAlone) console.log(`  left alone, not counted: ${name} is not a whole backup (${why}); look at it and remove it by hand if it is not needed.`);
  } catch (e) {
    console.error(`备份已完成，但删除旧备份失败 / The backup is written, but removing older backups failed: ${(e as Error).message}`);
    process.exit(1);
  }
}

import { join } from 'node:path';
import { openDb } from '../../server/db/client.ts';
import { LikeStore, type LikeOp } from '../../server/db/likes.ts';
import { prepareLikeBench } from './like-setup.ts';

/**
 * What SQLite alone costs a like: the like benchmark's data (20,000 villagers, 洋尾村's
 * entries, the same order of likes), written straight through the like path's store in
 * transactions of `batch` likes as group commit makes them, without HTTP and without the
 * fsync (which the server makes off its main thread). The process's CPU time (user and
 * system) per like, after a warm-up; how much of it is system time (page writes to the WAL
 * and the checkpoints that copy them into the database).
 */
export function timeLikeStore(dataDir: string, batch = 50, likes = 100_000): { cpuUs: number; systemUs: number } {
  const now = Date.now();
  const accounts = 20_000;
  const { entryIds } = prepareLikeBench(dataDir, accounts, now);
  const db = openDb(join(dataDir, 'courtyard.db'), { synchronous: 'NORMAL' });
  const store = new LikeStore(db);
  const write = db.$client.transaction((ops: LikeOp[]) => ops.map((op) => store.apply(op)));
  let n = 0;
  const nextLike = (): LikeOp => {
    const i = n++;
    const entryId = entryIds[(Math.floor(i / accounts) + (i % accounts)) % entryIds.length]!;
    return { kind: 'like', entryId, accountId: `ac_bench${i % accounts}`, likerHouseholdId: null, ipPrefix: '127.0.0', deviceHash: 'bench', now };
  };
  const run = (count: number) => {
    for (let k = 0; k < count / batch; k++) {
      store.beginBatch();
      write.immediate(Array.from({ length: batch }, nextLike));
      store.committed();
    }
  };
  run(20_000);
  const cpu0 = process.cpuUsage();
  run(likes);
  const cpu = process.cpuUsage(cpu0);
  db.$client.close();
  return { cpuUs: (cpu.user + cpu.system) / likes, systemUs: cpu.system / likes };
}

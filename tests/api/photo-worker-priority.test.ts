import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { PhotoPool } from '../../server/media/pool.ts';
import { makeJpeg } from '../support/images.ts';

/** The nice value of every thread of a process, by thread name (Linux /proc). */
function threadNices(pid: number): Array<{ name: string; nice: number }> {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // pid (comm) state ppid …: fields after the name's closing parenthesis; nice is field 19.
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { name, nice: Number(fields[16]) };
  });
}

/** This process's children (Linux /proc). */
function children(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const pool = new PhotoPool(1);
afterAll(() => pool.close());

describe('photo workers give way to the request thread', () => {
  it('every thread of a worker that has processed a photo, libvips\'s among them, runs at the lowest priority', async () => {
    await pool.process(await makeJpeg(1600, 1200, { seed: 5 }));
    const workers = children().filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('worker'));
    expect(workers).toHaveLength(1);
    const threads = threadNices(workers[0]!);
    expect(threads.some((t) => t.name.includes('vips'))).toBe(true);
    expect(threads.filter((t) => t.nice !== 19)).toEqual([]);
  });
});

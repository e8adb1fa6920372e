import { connect, type Socket } from 'node:net';

export interface LoadResult {
  /** Answers a second, over the whole run. */
  rps: number;
  total: number;
  /** Latency percentiles in milliseconds (one decimal). */
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** The load generator's own CPU time per request, in microseconds. */
  generatorUs: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('0\r\n\r\n');

/**
 * A lean HTTP/1.1 load generator: `connections` keep-alive sockets, each sending its next
 * request as soon as the previous answer is complete. Requests are written as they are made
 * (`request(n)` gives the nth), without a request object per send, so the generator's own cost
 * per request is the same whether every request is alike (the plain endpoint) or each one is
 * different (every like from another account). Answers are read only as far as HTTP needs:
 * status, Content-Length or a chunked body's end.
 */
export async function hammer(options: {
  port: number;
  connections: number;
  /** How long to send for; with `count`, an upper bound. */
  seconds: number;
  /** Send this many requests in all, then stop. */
  count?: number;
  request: (n: number) => string;
}): Promise<LoadResult> {
  const { port, connections, seconds, request, count = Infinity } = options;
  let next = 0;
  let latencies = new Float64Array(1 << 16);
  let done = 0;
  let non2xx = 0;
  let errors = 0;
  let running = true;
  const cpu0 = process.cpuUsage();
  const started = performance.now();

  const record = (ms: number) => {
    if (done === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[done++] = ms;
  };

  const open = () =>
    new Promise<void>((finished) => {
      const socket: Socket = connect({ port, host: '127.0.0.1', noDelay: true });
      let pending: Buffer | null = null;
      let sentAt = 0;
      const send = () => {
        if (!running || next >= count) {
          socket.end();
          return;
        }
        sentAt = performance.now();
        socket.write(request(next++), 'latin1');
      };
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        pending = pending ? Buffer.concat([pending, chunk]) : chunk;
        const headEnd = pending.indexOf(HEADER_END);
        if (headEnd < 0) return;
        const head = pending.toString('latin1', 0, headEnd).toLowerCase();
        const bodyStart = headEnd + 4;
        let complete: number;
        const length = /\r\ncontent-length: *(\d+)/.exec(head);
        if (length) {
          complete = bodyStart + Number(length[1]);
          if (pending.length < complete) return;
        } else if (head.includes('transfer-encoding: chunked')) {
          const end = pending.indexOf(CHUNKED_END, bodyStart);
          if (end < 0) return;
          complete = end + CHUNKED_END.length;
        } else {
          complete = bodyStart;
        }
        const status = Number(head.slice(9, 12));
        if (status < 200 || status >= 300) non2xx++;
        record(performance.now() - sentAt);
        // One request at a time per connection, so nothing follows the answer.
        pending = complete < pending.length ? pending.subarray(complete) : null;
        send();
      });
      socket.on('error', () => {
        errors++;
      });
      socket.on('close', () => finished());
    });

  const sockets = Promise.all(Array.from({ length: connections }, open));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([sockets, new Promise((r) => (timer = setTimeout(r, seconds * 1000)))]);
  clearTimeout(timer);
  running = false;
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await sockets;
  const sorted = latencies.subarray(0, done).sort();
  const at = (q: number) => Math.round((sorted[Math.min(done - 1, Math.floor(q * done))] ?? 0) * 10) / 10;
  return { rps: done / elapsed, total: done, p50: at(0.5), p99: at(0.99), non2xx, errors, generatorUs: (cpu.user + cpu.system) / Math.max(1, done) };
}

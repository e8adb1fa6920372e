import { describe, expect, it } from 'vitest';
import { DrawingQueue, RenderCache } from '../../server/lib/render-cache.ts';

describe('RenderCache: documents drawn once for each content', () => {
  const drawer = () => {
    const drawn: string[] = [];
    const draw = (what: string) => () => {
      drawn.push(what);
      return Promise.resolve(new TextEncoder().encode(what));
    };
    return { drawn, draw };
  };

  it('the same content is drawn once, even when asked for at the same time; other content is drawn anew', async () => {
    const cache = new RenderCache();
    const { drawn, draw } = drawer();
    const [a, b] = await Promise.all([cache.get({ serial: 'X-1', status: 'issued' }, draw('a')), cache.get({ serial: 'X-1', status: 'issued' }, draw('b'))]);
    expect(new TextDecoder().decode(a)).toBe('a');
    expect(b).toBe(a);
    // A revoked plate is another content: drawn again, not served from before.
    expect(new TextDecoder().decode(await cache.get({ serial: 'X-1', status: 'revoked' }, draw('c')))).toBe('c');
    expect(drawn).toEqual(['a', 'c']);
  });

  it('a failed drawing is forgotten, so the next request draws again', async () => {
    const cache = new RenderCache();
    await expect(cache.get('k', () => Promise.reject(new Error('font missing')))).rejects.toThrow('font missing');
    expect(new TextDecoder().decode(await cache.get('k', () => Promise.resolve(new TextEncoder().encode('ok'))))).toBe('ok');
  });

  it('keeps at most its bound, dropping the least recently used', async () => {
    const cache = new RenderCache(2);
    const { drawn, draw } = drawer();
    await cache.get(1, draw('1'));
    await cache.get(2, draw('2'));
    await cache.get(1, draw('1 again')); // used: 2 is now the oldest
    await cache.get(3, draw('3'));
    await cache.get(1, draw('1 third'));
    await cache.get(2, draw('2 again'));
    expect(drawn).toEqual(['1', '2', '3', '2 again']);
  });

  it('draws two at a time; the rest wait their turn, and past the queue the request is 429', async () => {
    const cache = new RenderCache(16, new DrawingQueue(2, 1));
    const running: string[] = [];
    const finish: Array<() => void> = [];
    const slow = (what: string) => () => {
      running.push(what);
      return new Promise<Uint8Array>((done) => finish.push(() => done(new TextEncoder().encode(what))));
    };
    const a = cache.get('a', slow('a'));
    const b = cache.get('b', slow('b'));
    const c = cache.get('c', slow('c'));
    await Promise.resolve();
    expect(running).toEqual(['a', 'b']);
    // Two drawing, one waiting: a fourth is turned away, but content already asked for is shared.
    expect(() => cache.get('d', slow('d'))).toThrow(expect.objectContaining({ status: 429, code: 'drawing_busy' }));
    expect(cache.get('a', slow('a again'))).toBe(a);
    finish.shift()!();
    await a;
    await new Promise((r) => setTimeout(r, 0));
    expect(running).toEqual(['a', 'b', 'c']);
    for (const f of finish.splice(0)) f();
    await Promise.all([b, c]);
    // With the line clear, what was turned away is drawn.
    const d = cache.get('d', slow('d'));
    await new Promise((r) => setTimeout(r, 0));
    finish.shift()!();
    expect(new TextDecoder().decode(await d)).toBe('d');
  });
});

import { tooMany } from '../domain/errors.ts';
import { sha256 } from './ids.ts';

/**
 * Drawings (posters, notices, plates) a few at a time, the rest waiting their turn, and past a
 * bound turned away (429): drawing fills the threads that also read the files of every page.
 */
export class DrawingQueue {
  private drawingNow = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly atOnce = 2,
    private readonly maxWaiting = 32,
  ) {}

  run<T>(draw: () => Promise<T>): Promise<T> {
    if (this.drawingNow >= this.atOnce && this.waiting.length >= this.maxWaiting) {
      throw tooMany('drawing_busy', '现在请求的人太多，请过一会儿再试。', 5);
    }
    return this.turn()
      .then(draw)
      .finally(() => this.next());
  }

  private turn(): Promise<void> {
    if (this.drawingNow < this.atOnce) {
      this.drawingNow++;
      return Promise.resolve();
    }
    return new Promise((go) => this.waiting.push(go));
  }

  /** A drawing is done: the next in line takes its place. */
  private next(): void {
    const go = this.waiting.shift();
    if (go) go();
    else this.drawingNow--;
  }
}

/** The server's one queue of drawings, shared by every kind of document. */
export const drawings = new DrawingQueue();

/**
 * Documents drawn once for each content: the key is a hash of everything the drawing depends
 * on, so changed content is simply another key and nothing needs invalidating. Public PDFs
 * (notices, plates) cost a font load and a layout each; a page opened by a whole village, or
 * asked for again and again, is drawn once. Bounded, least recently used first out; a drawing
 * in progress is shared by the requests that ask for it meanwhile, and a failed one is forgotten.
 */
export class RenderCache {
  private readonly kept = new Map<string, Promise<Uint8Array>>();

  constructor(
    private readonly max = 16,
    private readonly queue = drawings,
  ) {}

  /** The drawing of `content`: kept, or drawn in its turn (429 when too many wait). */
  get(content: unknown, draw: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const key = sha256(JSON.stringify(content));
    let drawing = this.kept.get(key);
    if (drawing) {
      this.kept.delete(key);
      this.kept.set(key, drawing);
      return drawing;
    }
    drawing = this.queue.run(draw);
    this.kept.set(key, drawing);
    const mine = drawing;
    // Forgotten if it fails, unless a newer drawing of the same content has taken its place.
    drawing.catch(() => {
      if (this.kept.get(key) === mine) this.kept.delete(key);
    });
    if (this.kept.size > this.max) this.kept.delete(this.kept.keys().next().value!);
    return drawing;
  }
}

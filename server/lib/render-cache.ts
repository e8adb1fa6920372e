import { tooMany } from '../domain/errors.ts';
import { sha256 } from './ids.ts';

/**
 * Documents drawn once for each content: the key is a hash of everything the drawing depends
 * on, so changed content is simply another key and nothing needs invalidating. Public PDFs
 * (notices, plates) cost a font load and a layout each; a page opened by a whole village, or
 * asked for again and again, is drawn once. Bounded, least recently used first out; a drawing
 * in progress is shared by the requests that ask for it meanwhile, and a failed one is forgotten.
 */
export class RenderCache {
  private readonly kept = new Map<string, Promise<Uint8Array>>();
  /** Drawings under way, and those waiting their turn: drawing fills the threads that also read files for every page. */
  private drawingNow = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly max = 16,
    private readonly atOnce = 2,
    private readonly maxWaiting = 32,
  ) {}

  /** The drawing of `content`, drawn now, after those ahead of it, or refused (429) when too many wait. */
  get(content: unknown, draw: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const key = sha256(JSON.stringify(content));
    let drawing = this.kept.get(key);
    if (drawing) {
      this.kept.delete(key);
      this.kept.set(key, drawing);
      return drawing;
    }
    if (this.drawingNow >= this.atOnce && this.queue.length >= this.maxWaiting) {
      throw tooMany('drawing_busy', '现在请求的人太多，请过一会儿再试。', 5);
    }
    drawing = this.turn()
      .then(draw)
      .finally(() => this.next());
    this.kept.set(key, drawing);
    drawing.catch(() => this.kept.delete(key));
    if (this.kept.size > this.max) this.kept.delete(this.kept.keys().next().value!);
    return drawing;
  }

  private turn(): Promise<void> {
    if (this.drawingNow < this.atOnce) {
      this.drawingNow++;
      return Promise.resolve();
    }
    return new Promise((go) => this.queue.push(go));
  }

  /** A drawing is done: the next in line takes its place. */
  private next(): void {
    const go = this.queue.shift();
    if (go) go();
    else this.drawingNow--;
  }
}

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

  constructor(private readonly max = 16) {}

  get(content: unknown, draw: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const key = sha256(JSON.stringify(content));
    let drawing = this.kept.get(key);
    if (drawing) {
      this.kept.delete(key);
      this.kept.set(key, drawing);
      return drawing;
    }
    drawing = draw();
    this.kept.set(key, drawing);
    drawing.catch(() => this.kept.delete(key));
    if (this.kept.size > this.max) this.kept.delete(this.kept.keys().next().value!);
    return drawing;
  }
}

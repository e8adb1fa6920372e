/**
 * Fixed-window counters in memory, keyed by what is limited (a phone, an IP, an account).
 * One process serves one county, so memory is the right place; a restart forgets, which
 * only ever errs towards letting a person in.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { startsAt: number; count: number }>();
  private sweptAt = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Count one hit; return 0 if allowed, otherwise the seconds until the window resets. */
  hit(key: string, now: number): number {
    const w = this.windows.get(key);
    if (!w || now - w.startsAt >= this.windowMs) {
      this.windows.set(key, { startsAt: now, count: 1 });
      this.sweep(now);
      return 0;
    }
    if (w.count >= this.limit) return Math.ceil((w.startsAt + this.windowMs - now) / 1000);
    w.count++;
    return 0;
  }

  /** Forget finished windows, at most once a window, so memory stays bounded without a cost per hit. */
  private sweep(now: number): void {
    if (now - this.sweptAt < this.windowMs) return;
    this.sweptAt = now;
    for (const [k, w] of this.windows) if (now - w.startsAt >= this.windowMs) this.windows.delete(k);
  }
}

/** The clock is a dependency so tests can stand at 23:59:59 on a round's last day. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

/** The system clock run `days` ahead (demo rehearsals of a whole cycle). */
export function offsetClock(days: number): Clock {
  const offset = days * 86_400_000;
  return offset ? { now: () => Date.now() + offset } : systemClock;
}

export function fixedClock(start: number): Clock & { set(t: number): void; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    set: (v) => void (t = v),
    advance: (ms) => void (t += ms),
  };
}

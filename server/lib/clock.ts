/** The clock is a dependency so tests can stand at 23:59:59 on a round's last day. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

export function fixedClock(start: number): Clock & { set(t: number): void; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    set: (v) => void (t = v),
    advance: (ms) => void (t += ms),
  };
}

/*
 * The server's time, as this phone reckons it. Cheap phones often have the wrong date (it is
 * lost with the battery, or set by hand), so whatever follows the contest's calendar — a round
 * past its last day, an objection period over, a visit past its due day, the day something
 * was kept on the phone — is decided by the server's clock, not the phone's. Every answer of
 * the server carries its time in the Date header (server/routes/answer.ts); `request()` in
 * api.ts hands each one here. The offset is kept on the phone, so that a page opened without
 * signal (the panel's offline queue) still goes by the server's time.
 */

const STORAGE_KEY = 'courtyard.clockOffset';
/** A Date header names whole seconds: a newer reading closer than this to the kept one changes nothing. */
const PRECISION_MS = 2000;

let offset = loadOffset();

/** The server's time now, in milliseconds: this phone's clock corrected by the last answer heard. */
export function serverNow(): number {
  return Date.now() + offset;
}

/**
 * How far the server's clock is ahead of this phone's (negative: behind), from an answer's
 * Date header and this phone's times when the request went out and its answer came back; null
 * when the header is missing or unreadable. The server's moment lies within the second the
 * header names, taken as its middle, and within the request's round trip, taken as its middle.
 */
export function clockOffset(dateHeader: string | null, sentAt: number, receivedAt: number): number | null {
  const at = dateHeader ? Date.parse(dateHeader) : Number.NaN;
  if (!Number.isFinite(at)) return null;
  return Math.round(at + 500 - (sentAt + receivedAt) / 2);
}

/**
 * Set the clock by an answer of the server. An answer the service worker kept for use without
 * signal carries no Date (web/public/sw.js takes it off): its time is when it was kept.
 */
export function heardServerDate(dateHeader: string | null, sentAt: number, receivedAt: number): void {
  const next = clockOffset(dateHeader, sentAt, receivedAt);
  if (next === null || Math.abs(next - offset) < PRECISION_MS) return;
  offset = next;
  try {
    localStorage.setItem(STORAGE_KEY, String(next));
  } catch {
    // private mode or storage full: the offset holds until the page is closed
  }
}

function loadOffset(): number {
  try {
    const kept = Number(globalThis.localStorage?.getItem(STORAGE_KEY));
    return Number.isFinite(kept) ? kept : 0;
  } catch {
    return 0;
  }
}

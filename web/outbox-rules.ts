/*
 * What the panel's outboxes (score sheets, on-site photos) decide without touching the phone's
 * storage or the network: what one failed try means, and whether one more photo may be kept.
 */

/** After a failed try: wait and send again, wait for a sign-in, or stop and show the refusal. */
export type AttemptOutcome = 'wait' | 'signed_out' | 'refused';

/**
 * `status` is the server's answer (0: no network or given up waiting; null: no answer of the
 * API's kind at all). A refusal that says nothing about the record itself (no line, 408, 429,
 * 5xx) is tried again later; any other is the server's word on that record, shown and not sent
 * again.
 */
export function attemptOutcome(status: number | null): AttemptOutcome {
  if (status === null || status === 0 || status === 408 || status === 429 || status >= 500) return 'wait';
  if (status === 401) return 'signed_out';
  return 'refused';
}

/**
 * On-site photos kept on one phone at most, waiting or refused: about 10 MB of shrunk photos,
 * two full villages' worth of courtyards between two places with signal.
 */
export const MAX_KEPT_PHOTOS = 24;

export type PhotoRoom = 'ok' | 'sheet_full' | 'phone_full';

/**
 * Whether one more on-site photo may be taken for a sheet: the server keeps at most `maxPerSheet`
 * with a sheet (those it has and those on their way count), and the phone keeps at most
 * MAX_KEPT_PHOTOS until they are sent or removed.
 */
export function photoRoom(p: { onServer: number; waitingForSheet: number; keptOnPhone: number; maxPerSheet: number }): PhotoRoom {
  if (p.onServer + p.waitingForSheet >= p.maxPerSheet) return 'sheet_full';
  if (p.keptOnPhone >= MAX_KEPT_PHOTOS) return 'phone_full';
  return 'ok';
}

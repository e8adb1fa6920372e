import { msg, str } from '@lit/localize';
import type { Entry } from './api';

/*
 * What the page may offer for an entry, mirroring server/domain/entries.ts (isPublic) so that
 * buttons the server would refuse are not shown in the first place. Whether it may be changed
 * the server says itself (`editable`).
 */

/** Whether people other than the household and its cadres can see the entry. */
export function isPublicEntry(e: Entry): boolean {
  return !e.hidden && e.status !== 'draft' && e.status !== 'withdrawn';
}

/** The API adds `hidden` (null or a reason) only for the household and its cadres. */
export function isOwnView(e: Entry): boolean {
  return 'hidden' in e;
}

/**
 * Whether to mark an entry 已达标: it reached its campaign's like threshold. A campaign without
 * one (a single scored evaluation) qualifies every entry on submission; there is nothing to mark.
 */
export function reachedThreshold(qualifiedAt: string | null | undefined, threshold: number): boolean {
  return !!qualifiedAt && threshold > 0;
}

/** An entry's number as people say it (编号 3), or '' before it has one. */
export function entryNumberLabel(n: number | null | undefined): string {
  return n ? msg(str`编号 ${n}`, { id: 'entry.number' }) : '';
}

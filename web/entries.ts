import type { Entry } from './api';

/*
 * What the page may offer for an entry, mirroring server/domain/entries.ts (isPublic,
 * isEditable) so that buttons the server would refuse are not shown in the first place.
 */

/** Whether people other than the household and its cadres can see the entry. */
export function isPublicEntry(e: Entry): boolean {
  return !e.hidden && e.status !== 'draft' && e.status !== 'withdrawn';
}

/**
 * Whether the household may still change the entry: an early state, in a round that takes
 * changes. The server decides the latter by its own clock; a phone's may be wrong by days.
 */
export function isEditableEntry(e: Entry): boolean {
  return (e.status === 'draft' || e.status === 'submitted' || e.status === 'qualified') && e.takesChanges;
}

/** The API adds `hidden` (null or a reason) only for the household and its cadres. */
export function isOwnView(e: Entry): boolean {
  return 'hidden' in e;
}

import { html, nothing } from 'lit';
import { currentLocale } from './localization';

/*
 * What the server writes stays Chinese whatever language the page is in: a village's or a
 * town's name, a household (陈家庭院), a campaign's title, a description, a reason, a notice, a
 * refusal. In English mode it is marked lang="zh-CN", so that a screen reader reads it in
 * Chinese rather than spelling it out with English sounds, and the browser draws it with a
 * Chinese font. In Chinese mode nothing changes: the page's own lang is right.
 *
 * An element that uses these must re-render on a language switch (`@localized()`).
 */

/** Server text: in English mode, in a span marked Chinese; in Chinese mode, as it is. */
export function zh(text: string | null | undefined) {
  if (!text) return nothing;
  return currentLocale() === 'en' ? html`<span lang="zh-CN">${text}</span>` : text;
}

/**
 * For `lang=${zhLang()}` on an element that holds only server text and may hold no span (an
 * `<option>`, or an `<optgroup>` whose label is a campaign's title): Chinese in English mode,
 * otherwise no attribute at all.
 */
export function zhLang(): 'zh-CN' | typeof nothing {
  return currentLocale() === 'en' ? 'zh-CN' : nothing;
}

/** Sentences heard from the server (a refusal's message, a field's problem), to tell them from the app's own. */
const heard = new Set<string>();
const HEARD_AT_MOST = 500;

/** Remember a sentence the server wrote, to mark it wherever it is shown (web/api.ts, for each refusal). */
export function heardFromServer(text: string | null | undefined): void {
  if (!text) return;
  if (heard.size >= HEARD_AT_MOST) heard.clear();
  heard.add(text);
}

/**
 * A message for the person (an error, a refusal, a problem with a field): marked Chinese when
 * the server wrote it, as it is when the app did (in the page's language).
 */
export function said(text: string | null | undefined) {
  return text && heard.has(text) ? zh(text) : (text ?? '');
}

import { configureLocalization } from '@lit/localize';

/** Chinese is the source language; English is loaded on demand (its own small chunk). */
export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

const STORAGE_KEY = 'courtyard.locale';

const { getLocale, setLocale } = configureLocalization({
  sourceLocale: 'zh-CN',
  targetLocales: ['en'],
  loadLocale: () => import('./en'),
});

export function currentLocale(): Locale {
  return getLocale() === 'en' ? 'en' : 'zh-CN';
}

/** The language the person chose last time on this phone; Chinese otherwise. */
export function savedLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/**
 * Switch the whole app's language: remember the choice, load the texts, then set
 * `<html lang>` so screen readers pronounce the page in the right language. Elements marked
 * `@localized()` re-render by themselves.
 */
export async function switchLocale(locale: Locale): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // private mode or storage full: the choice just is not remembered
  }
  await setLocale(locale);
  document.documentElement.lang = currentLocale();
}

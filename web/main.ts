import './styles/tokens.css';
import { savedLocale, switchLocale } from './i18n/localization';
import './components/courtyard-app';

// Chinese is built in; English (if chosen earlier on this phone) loads as a small extra file.
if (savedLocale() === 'en') void switchLocale('en');

// The panel's scoring screen works offline once loaded: the service worker keeps the app and the
// queue. Built app over http(s) only: `vite dev` (where import.meta.hot exists) serves modules that
// must not be cached. (Not import.meta.env.PROD: a build run with NODE_ENV=test, as the browser
// tests do, has PROD = false.)
if (!import.meta.hot && /^https?:$/.test(location.protocol) && 'serviceWorker' in navigator) {
  void import('./offline').then((m) => m.registerServiceWorker());
}

// Score sheets filled in without signal wait on the phone: send them whichever page is opened.
// The flag is kept by web/sheet-outbox.ts; the sender comes with the panel's own chunk, so the
// public pages load nothing more unless something waits.
if (hasWaitingSheets()) void import('./pages/panel-page').then((m) => m.sheetOutbox.start());

function hasWaitingSheets(): boolean {
  try {
    return localStorage.getItem('courtyard.outbox.waiting') !== null;
  } catch {
    return false;
  }
}

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

// Score sheets and on-site photos kept without signal wait on the phone: send them whichever page
// is opened. The flags are kept by web/outbox.ts; the senders come with the panel's own chunk, so
// the public pages load nothing more unless something waits.
const waitingSheets = flagged('courtyard.outbox.waiting');
const waitingPhotos = flagged('courtyard.photos.waiting');
if (waitingSheets || waitingPhotos) {
  void import('./pages/panel-page').then((m) => {
    if (waitingSheets) m.sheetOutbox.start();
    if (waitingPhotos) m.photoOutbox.start();
  });
}

function flagged(key: string): boolean {
  try {
    return localStorage.getItem(key) !== null;
  } catch {
    return false;
  }
}

import './styles/tokens.css';
import { savedLocale, switchLocale } from './i18n/localization';
import './components/courtyard-app';

// Chinese is built in; English (if chosen earlier on this phone) loads as a small extra file.
if (savedLocale() === 'en') void switchLocale('en');

export {
  apiLocale,
  DEFAULT_LOCALE,
  dong,
  foldVietnamese,
  isLocale,
  LOCALES,
  type Locale,
  localeFrom,
  nfc,
  pick,
  type Text,
  tx,
} from './i18n.ts';

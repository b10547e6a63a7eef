import { useContext } from 'react';
import { I18nContext, type I18n } from './I18nProvider';

/** The current language, its messages and the switch. */
export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (ctx === null) throw new Error('useI18n outside <I18nProvider>');
  return ctx;
}

import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { catalogue } from './catalogue';
import { detectLang, I18nProvider, LANG_STORAGE_KEY } from './I18nProvider';
import { useI18n } from './useI18n';

function Probe() {
  const { t } = useI18n();
  return <p data-testid="probe">{t.signIn}</p>;
}

describe('i18n', () => {
  it.each([
    [null, ['ja-JP', 'en-US'], 'ja'],
    [null, ['en-GB', 'ja'], 'en'],
    [null, ['fr-FR', 'ja'], 'ja'],
    [null, ['fr-FR'], 'en'],
    [null, [], 'en'],
    ['en', ['ja-JP'], 'en'],
    ['xx', ['ja-JP'], 'ja'],
  ] as const)('saved %s, browser %j -> %s', (saved, browser, want) => {
    expect(detectLang(saved, browser)).toBe(want);
  });

  it('switches language, persists it and sets <html lang>', async () => {
    render(
      <I18nProvider initial="en">
        <LanguageSwitch />
        <Probe />
      </I18nProvider>,
    );
    expect(screen.getByTestId('probe')).toHaveTextContent('Sign in with Twitter');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Language' }), '日本語');
    expect(screen.getByTestId('probe')).toHaveTextContent('Twitterでサインイン');
    expect(localStorage.getItem(LANG_STORAGE_KEY)).toBe('ja');
    expect(document.documentElement.lang).toBe('ja');
  });

  it('starts from the saved choice', () => {
    localStorage.setItem(LANG_STORAGE_KEY, 'ja');
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    expect(screen.getByTestId('probe')).toHaveTextContent('Twitterでサインイン');
  });

  it('has no empty strings in either language', () => {
    for (const messages of Object.values(catalogue)) {
      for (const [key, value] of Object.entries(messages)) {
        if (typeof value === 'string') expect(value, key).not.toBe('');
      }
    }
  });
});

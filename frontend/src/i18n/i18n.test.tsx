import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { useTranslation } from 'react-i18next';
import Empty from 'antd/es/empty';
import { renderAt, setupUser } from '../test/render';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { SECTIONS } from '../app/nav';
import i18n, { detectLanguage, LANGUAGE_STORAGE_KEY } from './index';
import { en } from './en';
import { ru } from './ru';
// Strings loaded with their pages' chunks (sections/*): registered here so every key is checked.
import { systemsEn, systemsRu } from './sections/systems';
import { statsEn, statsRu } from './sections/stats';
import { selfServiceEn, selfServiceRu } from './sections/selfservice';
import { devicesEn, devicesRu } from './sections/devices';
import { certSigninEn, certSigninRu } from './sections/certsignin';

function Probe() {
  const { t } = useTranslation();
  return (
    <div>
      <h1>{t('nav.users')}</h1>
      <button type="button">{t('table.clearFilters')}</button>
      <LanguageSwitcher />
      <Empty />
    </div>
  );
}

function flatKeys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : flatKeys(v as object, `${prefix}${k}.`)));
}

describe('i18n', () => {
  it('switches the language from the header control, remembers it, and antd follows', async () => {
    const user = setupUser();
    renderAt(<Probe />);
    expect(screen.getByRole('heading')).toHaveTextContent('Users');
    expect(screen.getByText('No data', { selector: '.ant-empty-description' })).toBeInTheDocument();

    const group = screen.getByRole('radiogroup', { name: 'Language' });
    expect(group).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Русский' }));

    await waitFor(() => expect(screen.getByRole('heading')).toHaveTextContent('Пользователи'));
    expect(screen.getByRole('button', { name: 'Очистить фильтры' })).toBeInTheDocument();
    expect(screen.getByRole('radiogroup', { name: 'Язык' })).toBeInTheDocument();
    expect(screen.getByText('Нет данных', { selector: '.ant-empty-description' })).toBeInTheDocument();
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('ru');
    expect(document.documentElement.lang).toBe('ru');
  });

  it('takes the language from storage first, then the browser, else English', () => {
    const langs = vi.spyOn(window.navigator, 'languages', 'get');
    langs.mockReturnValue(['ru-RU', 'en-US']);
    expect(detectLanguage()).toBe('ru');
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    expect(detectLanguage()).toBe('en');
    window.localStorage.clear();
    langs.mockReturnValue(['de-DE', 'fr']);
    expect(detectLanguage()).toBe('en');
  });

  it('has the same keys in Russian and English, and every literal key used in the code exists', () => {
    expect(flatKeys(ru).sort()).toEqual(flatKeys(en).sort());
    expect(flatKeys(systemsRu).sort()).toEqual(flatKeys(systemsEn).sort());
    expect(flatKeys(statsRu).sort()).toEqual(flatKeys(statsEn).sort());
    expect(flatKeys(selfServiceRu).sort()).toEqual(flatKeys(selfServiceEn).sort());
    expect(flatKeys(devicesRu).sort()).toEqual(flatKeys(devicesEn).sort());
    expect(flatKeys(certSigninRu).sort()).toEqual(flatKeys(certSigninEn).sort());
    const sources = import.meta.glob('../**/*.{ts,tsx}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
    const used = new Set<string>();
    for (const [file, text] of Object.entries(sources)) {
      if (file.endsWith('.test.ts') || file.endsWith('.test.tsx')) continue;
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.]*)'/g)) used.add(m[1] as string);
    }
    SECTIONS.forEach((s) => used.add(s.labelKey));
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((k) => !i18n.exists(k, { lng: 'en' }) || !i18n.exists(k, { lng: 'ru' }));
    expect(missing).toEqual([]);
  });

  it('translates API error codes from the contract in both languages', () => {
    const codes = [
      'validation.failed',
      'auth.invalidCredentials',
      'auth.unauthenticated',
      'auth.tooManyAttempts',
      'auth.csrf',
      'authz.denied',
      'authz.grantNotHeld',
      'authz.techAdminOnly',
      'authz.targetOutranksCaller',
      'authz.groupOutranksCaller',
      'auth.crossOrigin',
      'auth.sessionRequired',
      'token.personalTokenCannotManageTokens',
      'token.scopeNotHeld',
      'resource.notFound',
      'resource.versionConflict',
      'user.loginTaken',
      'group.codeTaken',
      'group.systemCannotBeDeleted',
      'userType.quotaExceeded',
      'list.invalidSort',
      'list.invalidPageSize',
      'list.invalidFilter',
      'request.tooLarge',
      'request.malformedJson',
      'request.unknownField',
      'request.invalidUtf8',
      'db.unavailable',
    ];
    for (const lng of ['en', 'ru']) {
      const missing = codes.filter((c) => !i18n.exists(`errors.${c}`, { lng }));
      expect(missing, lng).toEqual([]);
    }
    for (const code of ['required', 'tooLong', 'invalidFormat', 'taken', 'unknown', 'outOfRange']) {
      expect(i18n.exists(`fieldErrors.${code}`, { lng: 'ru' })).toBe(true);
    }
  });
});

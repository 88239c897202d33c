import { useTranslation } from 'react-i18next';
import Segmented from 'antd/es/segmented';
import { currentLanguage, setLanguage, type Language } from '../i18n';
import { TID } from '../testids';

const OPTIONS: { value: Language; label: string }[] = [
  { value: 'ru', label: 'Русский' },
  { value: 'en', label: 'English' },
];

/**
 * LanguageSwitcher switches the UI language (remembered in localStorage). It is a
 * radiogroup named "Language"/"Язык" with one radio per language.
 */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  void i18n.language; // re-render on change
  return (
    <Segmented<Language>
      data-testid={TID.languageSwitch}
      aria-label={t('header.language')}
      title={t('header.language')}
      size="small"
      value={currentLanguage()}
      options={OPTIONS}
      onChange={(v) => void setLanguage(v)}
    />
  );
}

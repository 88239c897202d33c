// The providers every screen needs: query cache, antd theme + locale (following the UI language).
// antd's App context (notifications) is added by the signed-in layout, keeping it off the login route.
import { useEffect, useState, type ReactNode } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import ConfigProvider from 'antd/es/config-provider';
import type { ThemeConfig } from 'antd';
// The ES modules: with the CommonJS antd/locale/* the built app showed antd's own texts (empty
// tables, pagination, date pickers) in English only, and the row expand button had no name.
import enUS from 'antd/es/locale/en_US';
import ruRU from 'antd/es/locale/ru_RU';
import dayjs from 'dayjs';
import 'dayjs/locale/ru';
import 'dayjs/locale/en';
import { createQueryClient } from './queryClient';

/**
 * THEME: antd's default greys, red, green, link blue, the lighter hover shades and the green,
 * orange and gold tag texts fall below WCAG 2.1 AA's 4.5:1 (2-4.2:1); these keep antd's look a
 * shade darker, and hovering darkens instead of lightening.
 */
const THEME: ThemeConfig = {
  token: {
    colorPrimary: '#1f5fbf',
    colorPrimaryHover: '#184c99',
    colorLink: '#1f5fbf',
    colorLinkHover: '#184c99',
    colorError: '#cf1322',
    colorErrorHover: '#a8071a',
    colorSuccessText: '#237804',
    // Tag color="processing" writes colorInfo on its light shade: antd's #1677ff on #e6f4ff
    // is 3.7:1 (an issuance's history), the link blue 5.6:1.
    colorInfo: '#1f5fbf',
    // Secondary text, form hints, legends, empty states (colorTextDescription follows it).
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.57)',
    // Tag color="green" / "orange" / "gold" write their text in the palette's 7th shade
    // (gold: antd's #d48806 on #fffbe6 is 2.8:1, this 5.3:1).
    green7: '#237804',
    orange7: '#ad4e00',
    gold7: '#965c00',
  },
};

interface AppProvidersProps {
  children: ReactNode;
  queryClient?: QueryClient;
}

export function AppProviders({ children, queryClient }: AppProvidersProps) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  const { i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? i18n.language;
  useEffect(() => {
    dayjs.locale(lang === 'ru' ? 'ru' : 'en');
  }, [lang]);
  return (
    <QueryClientProvider client={client}>
      <ConfigProvider locale={lang === 'ru' ? ruRU : enUS} theme={THEME}>
        {children}
      </ConfigProvider>
    </QueryClientProvider>
  );
}

// The providers every screen needs: query cache, antd theme + locale (following the UI language).
// antd's App context (notifications) is added by the signed-in layout, keeping it off the login route.
import { useEffect, useState, type ReactNode } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import ConfigProvider from 'antd/es/config-provider';
// The ES modules: with the CommonJS antd/locale/* the built app showed antd's own texts (empty
// tables, pagination, date pickers) in English only, and the row expand button had no name.
import enUS from 'antd/es/locale/en_US';
import ruRU from 'antd/es/locale/ru_RU';
import dayjs from 'dayjs';
import 'dayjs/locale/ru';
import 'dayjs/locale/en';
import { createQueryClient } from './queryClient';

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
      <ConfigProvider locale={lang === 'ru' ? ruRU : enUS} theme={{ token: { colorPrimary: '#1f5fbf' } }}>
        {children}
      </ConfigProvider>
    </QueryClientProvider>
  );
}

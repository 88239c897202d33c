// The strings of the statistics view (system, token and cabinet pages), the home dashboard
// and the client cabinet, loaded with the chunks that show them rather than with the login
// route: importing this module adds them to i18next.
import i18n from '../index';

export const statsEn = {
  statsView: {
    tab: 'Statistics',
    periods: { today: 'Today', '7d': '7 days', '30d': '30 days', custom: 'Custom range' },
    range: 'Date range',
    date: 'Date (UTC)',
    total: 'Total',
    totalLine: 'Requests from {{from}} to {{to}} (UTC): {{total}}',
    export: 'Export CSV',
    chart: 'Requests per day by status class',
    empty: 'No requests in this period',
  },
  dashboard: {
    title: 'Overview',
    requests: 'Requests, last 30 days',
    requestsTotal: 'Requests',
    requestsErrors: 'Errors (4xx, 5xx)',
    ok: 'Successful',
    errors: 'Errors',
    chart: 'Requests per day over the last 30 days: successful and errors',
    noRequests: 'No requests in the last 30 days',
    expiringCertificates: 'Certificates expiring within 30 days',
    expiringTokens: 'Access tokens expiring within 30 days',
    failedDeliveries: 'Failed webhook deliveries, last 7 days',
    failedDeliveriesHint: 'Open a system’s Webhooks tab to see the delivery log and redeliver.',
    noneExpiring: 'Nothing expires in the next 30 days',
    more: 'and {{count}} more',
    expiresOn: 'until {{date}}',
    openSystems: 'Integrated systems',
    openTokens: 'Access tokens',
  },
  cabinet: {
    title: 'Client cabinet',
    systemTitle: 'Client cabinet: “{{name}}”',
    intro: 'The integrated systems whose owner group you belong to.',
    empty: 'You are not in the owner group of any integrated system.',
    notFound: 'There is no such system among yours.',
    back: 'All my systems',
    certificateCount: 'Certificates',
    tabs: { stats: 'Statistics', params: 'Parameters', certs: 'Certificates', services: 'Services' },
    params: {
      intro: 'The administrator decides which parameters you may change here; the others are read-only.',
      readOnly: 'Read-only',
      saved: 'Parameters saved',
      notEditable: 'The administrator has not allowed changing this parameter here',
    },
    certs: {
      intro: 'The certificates the system calls Custos with. Install the CA certificate (ca.crt) to trust the mTLS entry.',
      downloadCa: 'Download CA certificate (ca.crt)',
      generate: 'Generate key pair and certificate',
      issueNotAllowed: 'The administrator has not allowed issuing certificates here',
    },
    services: {
      intro: 'What the system may do when it calls with its certificate.',
      empty: 'No services are allowed for this system yet.',
    },
  },
};

export const statsRu: typeof statsEn = {
  statsView: {
    tab: 'Статистика',
    periods: { today: 'Сегодня', '7d': '7 дней', '30d': '30 дней', custom: 'Период' },
    range: 'Диапазон дат',
    date: 'Дата (UTC)',
    total: 'Итого',
    totalLine: 'Запросов с {{from}} по {{to}} (UTC): {{total}}',
    export: 'Выгрузить CSV',
    chart: 'Запросы по дням и классам статусов',
    empty: 'За этот период запросов не было',
  },
  dashboard: {
    title: 'Обзор',
    requests: 'Запросы за 30 дней',
    requestsTotal: 'Запросов',
    requestsErrors: 'Ошибок (4xx, 5xx)',
    ok: 'Успешные',
    errors: 'Ошибки',
    chart: 'Запросы по дням за последние 30 дней: успешные и ошибки',
    noRequests: 'За последние 30 дней запросов не было',
    expiringCertificates: 'Сертификаты, истекающие в ближайшие 30 дней',
    expiringTokens: 'Токены доступа, истекающие в ближайшие 30 дней',
    failedDeliveries: 'Недоставленные вебхуки за 7 дней',
    failedDeliveriesHint: 'Журнал доставки и повторная отправка — на вкладке «Вебхуки» системы.',
    noneExpiring: 'В ближайшие 30 дней ничего не истекает',
    more: 'и ещё {{count}}',
    expiresOn: 'до {{date}}',
    openSystems: 'Информационные системы',
    openTokens: 'Токены доступа',
  },
  cabinet: {
    title: 'Кабинет клиента',
    systemTitle: 'Кабинет клиента: «{{name}}»',
    intro: 'Информационные системы, владельцем которых является ваша группа.',
    empty: 'Вы не состоите в группе-владельце ни одной информационной системы.',
    notFound: 'Среди ваших систем такой нет.',
    back: 'Все мои системы',
    certificateCount: 'Сертификаты',
    tabs: { stats: 'Статистика', params: 'Параметры', certs: 'Сертификаты', services: 'Сервисы' },
    params: {
      intro: 'Какие параметры можно менять здесь, решает администратор; остальные доступны только для чтения.',
      readOnly: 'Только чтение',
      saved: 'Параметры сохранены',
      notEditable: 'Администратор не разрешил менять этот параметр здесь',
    },
    certs: {
      intro: 'Сертификаты, с которыми система обращается к Custos. Установите сертификат УЦ (ca.crt), чтобы доверять mTLS-адресу.',
      downloadCa: 'Скачать сертификат УЦ (ca.crt)',
      generate: 'Сгенерировать ключевую пару и сертификат',
      issueNotAllowed: 'Администратор не разрешил выпускать сертификаты здесь',
    },
    services: {
      intro: 'Что система может делать, обращаясь со своим сертификатом.',
      empty: 'Для этой системы пока не разрешено ни одного сервиса.',
    },
  },
};

i18n.addResourceBundle('en', 'translation', statsEn, true, false);
i18n.addResourceBundle('ru', 'translation', statsRu, true, false);

// The strings of signing in with a client certificate (the login page on the mTLS entry)
// and of the certificates bound to a user (the user card): importing this module adds
// them to i18next.
import i18n from '../index';

export const certSigninEn = {
  login: {
    certificate: {
      signIn: 'Sign in with certificate',
      signInAs: 'Sign in with certificate (CN {{cn}})',
      use: 'Use my certificate (CN {{cn}})',
      refused: 'The certificate CN {{cn}} cannot sign you in: {{reason}}',
    },
  },
  errors: {
    auth: {
      certificateMissing: 'No client certificate was presented. Open the console on its certificate (mTLS) address.',
      certificateUnknown: 'This certificate is not bound to any account. Ask an administrator to bind it.',
      certificateRevoked: 'This certificate was revoked.',
      certificateExpired: 'This certificate has expired or is not valid yet.',
      deviceBlocked: 'The device this certificate is on is blocked. Ask an administrator.',
      certificateNotYours: 'The certificate presented belongs to another account.',
    },
    certificate: {
      alreadyBound: 'This certificate is already bound to an account.',
      issuedToDevice: 'Custos wrote this certificate on a device: it signs its holder in already.',
    },
  },
  users: {
    tabs: { certificates: 'Certificates' },
    certificates: {
      intro: 'Client certificates that sign this person in on the certificate (mTLS) address without a password. Certificates Custos wrote on their devices do so without being bound here.',
      bind: 'Bind certificate',
      bindTitle: 'Bind a certificate',
      pem: 'Certificate (PEM)',
      pemHelp: 'Paste the certificate, or give its SHA-256 fingerprint instead.',
      fingerprint: 'SHA-256 fingerprint',
      comment: 'Comment',
      subject: 'Subject',
      validTo: 'Valid to',
      boundBy: 'Bound by',
      empty: 'No certificates are bound to this person',
      unbind: 'Unbind',
      unbindTitle: 'Unbind the certificate?',
      unbindText: 'The certificate {{name}} will no longer sign {{login}} in. Their open sessions stay.',
      bound: 'Certificate bound',
      unbound: 'Certificate unbound',
      onlyFingerprint: 'known by its fingerprint only',
    },
    sessions: { byCertificate: 'Certificate', byPasswordCertificate: 'Password + certificate' },
  },
};

export const certSigninRu: typeof certSigninEn = {
  login: {
    certificate: {
      signIn: 'Войти по сертификату',
      signInAs: 'Войти по сертификату (CN {{cn}})',
      use: 'Подтвердить сертификатом (CN {{cn}})',
      refused: 'Сертификат CN {{cn}} не подходит для входа: {{reason}}',
    },
  },
  errors: {
    auth: {
      certificateMissing: 'Клиентский сертификат не предъявлен. Откройте консоль по её адресу с сертификатом (mTLS).',
      certificateUnknown: 'Этот сертификат не привязан ни к одной учетной записи. Попросите администратора привязать его.',
      certificateRevoked: 'Этот сертификат отозван.',
      certificateExpired: 'Срок действия сертификата истёк или ещё не начался.',
      deviceBlocked: 'Устройство с этим сертификатом заблокировано. Обратитесь к администратору.',
      certificateNotYours: 'Предъявленный сертификат принадлежит другой учетной записи.',
    },
    certificate: {
      alreadyBound: 'Этот сертификат уже привязан к учетной записи.',
      issuedToDevice: 'Этот сертификат Custos записал на устройство: он и так позволяет владельцу войти.',
    },
  },
  users: {
    tabs: { certificates: 'Сертификаты' },
    certificates: {
      intro: 'Клиентские сертификаты, по которым этот человек входит без пароля на адресе с сертификатом (mTLS). Сертификаты, записанные Custos на его устройства, действуют и без привязки.',
      bind: 'Привязать сертификат',
      bindTitle: 'Привязка сертификата',
      pem: 'Сертификат (PEM)',
      pemHelp: 'Вставьте сертификат или укажите вместо него его отпечаток SHA-256.',
      fingerprint: 'Отпечаток SHA-256',
      comment: 'Комментарий',
      subject: 'Субъект',
      validTo: 'Действует до',
      boundBy: 'Привязал',
      empty: 'К этому человеку не привязано ни одного сертификата',
      unbind: 'Отвязать',
      unbindTitle: 'Отвязать сертификат?',
      unbindText: 'Сертификат {{name}} больше не будет позволять входить {{login}}. Открытые сеансы сохранятся.',
      bound: 'Сертификат привязан',
      unbound: 'Сертификат отвязан',
      onlyFingerprint: 'известен только отпечаток',
    },
    sessions: { byCertificate: 'Сертификат', byPasswordCertificate: 'Пароль + сертификат' },
  },
};

i18n.addResourceBundle('en', 'translation', certSigninEn, true, false);
i18n.addResourceBundle('ru', 'translation', certSigninRu, true, false);

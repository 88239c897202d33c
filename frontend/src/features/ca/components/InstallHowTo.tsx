// How to install ca.crt and a system's .p12 in Chrome and Firefox, as seed 000 explains
// for its client cabinet (Windows menus), ending on the login page over mTLS.
import { useTranslation } from 'react-i18next';
import Collapse from 'antd/es/collapse';
import Typography from 'antd/es/typography';
import { TID } from '../../../testids';

const CHROME = ['s1', 's2', 's3', 's4', 's5', 's6', 's7'] as const;
const FIREFOX = ['s1', 's2', 's3', 's4', 's5', 's6'] as const;

function Steps({ browser, steps }: { browser: 'chrome' | 'firefox'; steps: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <ol style={{ paddingInlineStart: 20, margin: 0 }}>
      {steps.map((s) => (
        <li key={s} style={{ marginBottom: 6 }}>
          {t(`ca.howto.${browser}.${s}`)}
        </li>
      ))}
    </ol>
  );
}

export function InstallHowTo() {
  const { t } = useTranslation();
  return (
    <section data-testid={TID.caHowTo} aria-labelledby="ca-howto-title">
      <Typography.Title level={4} id="ca-howto-title">
        {t('ca.howto.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('ca.howto.intro')}</Typography.Paragraph>
      <Collapse
        defaultActiveKey={['chrome']}
        items={[
          { key: 'chrome', label: t('ca.howto.chromeTitle'), children: <Steps browser="chrome" steps={CHROME} /> },
          { key: 'firefox', label: t('ca.howto.firefoxTitle'), children: <Steps browser="firefox" steps={FIREFOX} /> },
        ]}
      />
    </section>
  );
}

// The services the system may use with its certificate: each permission with its label and
// description from the permission catalogue's strings.
import { useTranslation } from 'react-i18next';
import List from 'antd/es/list';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { TID } from '../../../testids';
import type { CabinetSystem } from '../api/types';

export function ServicesTab({ system }: { system: CabinetSystem }) {
  const { t } = useTranslation();
  const services = system.allowed_services ?? [];
  return (
    <div style={{ maxWidth: 720 }} data-testid={TID.cabinetServices}>
      <Typography.Paragraph type="secondary">{t('cabinet.services.intro')}</Typography.Paragraph>
      <List
        bordered
        dataSource={services}
        locale={{ emptyText: t('cabinet.services.empty') }}
        renderItem={(code) => {
          const [resource = code] = code.split('.');
          return (
            <List.Item>
              <List.Item.Meta
                title={
                  <>
                    {t(`permissionResources.${resource}`, { defaultValue: resource })} <Tag>{code}</Tag>
                  </>
                }
                description={t(`permissions.${code}`, { defaultValue: code })}
              />
            </List.Item>
          );
        }}
      />
    </div>
  );
}

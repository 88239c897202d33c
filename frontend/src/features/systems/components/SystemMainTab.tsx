// The Main tab of a system: name, description, enabled, owner group, allowed services and
// the per-language settings texts (how to check this system's documents).
import { useTranslation } from 'react-i18next';
import Form from 'antd/es/form';
import Checkbox from 'antd/es/checkbox';
import Input from 'antd/es/input';
import Select from 'antd/es/select';
import Switch from 'antd/es/switch';
import { usePermissions } from '../../../api/auth';
import { TID } from '../../../testids';
import { useGroupOptions, usePermissionCatalogue } from '../api/systems';

const SETTINGS_TEXT_MAX = 20 * 1024;

export function SystemMainTab() {
  const { t } = useTranslation();
  const groups = useGroupOptions();
  const catalogue = usePermissionCatalogue();
  const { permissions: held } = usePermissions();
  const required = { required: true, whitespace: true, message: t('fieldErrors.required') };
  const serviceOptions = (catalogue.data ?? []).map((p) => ({
    value: p.code,
    label: `${t(`permissions.${p.code}`, { defaultValue: p.code })} (${p.code})`,
    disabled: !held.has(p.code),
    title: held.has(p.code) ? undefined : t('groups.permissionNotHeld'),
  }));
  return (
    <div style={{ maxWidth: 720 }}>
      <Form.Item label={t('systems.name')} name="name" rules={[required, { max: 200, message: t('fieldErrors.tooLong') }]}>
        <Input autoComplete="off" maxLength={200} />
      </Form.Item>
      <Form.Item label={t('systems.description')} name="description" rules={[{ max: 2000, message: t('fieldErrors.tooLong') }]}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <Form.Item label={t('systems.enabled')} name="enabled" valuePropName="checked" extra={t('systems.enabledHint')}>
        <Switch data-testid={TID.systemEnabled} />
      </Form.Item>
      <Form.Item label={t('systems.ownerGroup')} name="owner_group_id" extra={t('systems.ownerGroupHint')}>
        <Select
          data-testid={TID.systemOwnerGroup}
          allowClear
          showSearch
          optionFilterProp="label"
          loading={groups.isPending}
          placeholder={t('systems.noOwnerGroup')}
          options={(groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name }))}
        />
      </Form.Item>
      <Form.Item label={t('systems.allowedServices')} name="allowed_services" extra={t('systems.allowedServicesHint')}>
        <Select data-testid={TID.systemServices} mode="multiple" allowClear optionFilterProp="label" loading={catalogue.isPending} options={serviceOptions} />
      </Form.Item>
      <Form.Item label={t('systems.settingsTextRu')} name={['settings_texts', 'ru']} extra={t('systems.settingsTextHint')} rules={[{ max: SETTINGS_TEXT_MAX, message: t('fieldErrors.tooLong') }]}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item label={t('systems.settingsTextEn')} name={['settings_texts', 'en']} rules={[{ max: SETTINGS_TEXT_MAX, message: t('fieldErrors.tooLong') }]}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item label={t('systems.clientEditable')} name="client_editable" extra={t('systems.clientEditableHint')}>
        <Checkbox.Group
          data-testid={TID.systemClientEditable}
          options={[
            { value: 'description', label: t('systems.description') },
            { value: 'settings_texts', label: t('systems.settingsTexts') },
          ]}
        />
      </Form.Item>
      <Form.Item label={t('systems.clientMayIssue')} name="client_may_issue" valuePropName="checked" extra={t('systems.clientMayIssueHint')}>
        <Switch data-testid={TID.systemClientMayIssue} />
      </Form.Item>
    </div>
  );
}

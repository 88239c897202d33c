// The Main tab: active, name, type (fixed after creation), the sign-in button caption
// (oidc only), base groups, user creation (locked under a cloud licence) and the user type.
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Select from 'antd/es/select';
import Switch from 'antd/es/switch';
import Tag from 'antd/es/tag';
import { FormSelect } from '../../../components/FormSelect';
import { TID } from '../../../testids';
import { useGroupOptions, useLicenceAccessType, useUserTypeOptions } from '../api/providers';
import { PROVIDER_TYPES, type ProviderType } from '../api/types';
import { fieldsFor, SINGLE_ACTIVE } from './providerForm';

interface ProviderMainTabProps {
  isNew: boolean;
  /** The saved state of allow_user_creation: under a cloud licence it may still be switched off. */
  savedAllowCreation: boolean;
}

export function ProviderMainTab({ isNew, savedAllowCreation }: ProviderMainTabProps) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const type = Form.useWatch('type', form) as ProviderType | undefined;
  const allow = Form.useWatch('allow_user_creation', form) as boolean | undefined;
  const groups = useGroupOptions();
  const userTypes = useUserTypeOptions();
  const licence = useLicenceAccessType();
  const cloud = licence.data === 'cloud';
  const f = fieldsFor(type);
  const required = { required: true, whitespace: true, message: t('fieldErrors.required') };

  return (
    <>
      <Form.Item
        label={t('providers.fields.active')}
        name="active"
        valuePropName="checked"
        extra={type && SINGLE_ACTIVE.includes(type) ? t('providers.hints.singleActive') : undefined}
      >
        <Switch data-testid={TID.providerActive} />
      </Form.Item>
      <Form.Item label={t('providers.fields.name')} name="name" rules={[required, { max: 200, message: t('fieldErrors.tooLong') }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item
        label={t('providers.fields.type')}
        name="type"
        rules={[{ required: true, message: t('fieldErrors.required') }]}
        extra={isNew ? t(`providers.typeHints.${type ?? 'oidc'}`) : t('providers.hints.typeFixed')}
      >
        <FormSelect
          data-testid={TID.providerTypeSelect}
          disabled={!isNew}
          options={PROVIDER_TYPES.map((v) => ({ value: v, label: t(`providers.types.${v}`) }))}
        />
      </Form.Item>
      {f.buttonLabel && (
        <Form.Item
          label={t('providers.fields.buttonLabel')}
          name="button_label"
          extra={t('providers.hints.buttonLabel')}
          rules={[{ max: 200, message: t('fieldErrors.tooLong') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item label={t('providers.fields.baseGroups')} name="base_group_ids" extra={t('providers.hints.baseGroups')}>
        <Select
          data-testid={TID.providerBaseGroups}
          mode="multiple"
          allowClear
          showSearch
          optionFilterProp="label"
          loading={groups.isLoading}
          placeholder={t('providers.chooseGroups')}
          options={(groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name, code: g.code }))}
          optionRender={(opt) => (
            <span>
              {opt.label} <Tag style={{ marginInlineStart: 8 }}>{String(opt.data.code)}</Tag>
            </span>
          )}
        />
      </Form.Item>
      <Form.Item
        label={t('providers.fields.allowCreation')}
        name="allow_user_creation"
        valuePropName="checked"
        extra={t('providers.hints.allowCreation')}
      >
        <Switch data-testid={TID.providerAllowCreation} disabled={cloud && !savedAllowCreation} />
      </Form.Item>
      {cloud && (
        <Alert
          data-testid={TID.providerCloudLock}
          type="info"
          showIcon
          style={{ marginTop: -8, marginBottom: 16 }}
          message={t('providers.hints.cloudLocked')}
        />
      )}
      {allow && (
        <Form.Item label={t('providers.fields.userType')} name="user_type_id" extra={t('providers.hints.userType')}>
          <Select
            data-testid={TID.providerUserType}
            allowClear
            showSearch
            optionFilterProp="label"
            loading={userTypes.isLoading}
            placeholder={t('providers.noUserType')}
            options={(userTypes.data?.items ?? []).map((ut) => ({ value: ut.id, label: ut.name }))}
          />
        </Form.Item>
      )}
    </>
  );
}

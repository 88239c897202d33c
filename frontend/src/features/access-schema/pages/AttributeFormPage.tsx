import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import type { Attribute, AttributeCreate, AttributeType, AttributeUpdate } from '../../../api/types';
import { EntityFormShell, useCrudFormPage } from '../../../components/EntityForm';
import { FormSelect } from '../../../components/FormSelect';
import { attributes } from '../api/attributes';

interface Values {
  code: string;
  name: string;
  type: AttributeType;
}

const empty: Values = { code: '', name: '', type: 'string' };
const toValues = (a: Attribute): Values => ({ code: a.code, name: a.name, type: a.type });
const toCreate = (v: Values): AttributeCreate => ({ code: v.code.trim(), name: v.name.trim(), type: v.type });
// A system attribute's code cannot change, so it is not sent.
const toUpdate = (v: Values, version: number, a: Attribute): AttributeUpdate =>
  a.system ? { version, name: v.name.trim(), type: v.type } : { version, code: v.code.trim(), name: v.name.trim(), type: v.type };

export function AttributeFormPage() {
  const { t } = useTranslation();
  const page = useCrudFormPage({ resource: attributes, listPath: '/access-schema', writePermission: 'users.write', toValues, toCreate, toUpdate });
  if (page.placeholder) return page.placeholder;

  const attr = page.entity;
  const required = { required: true, message: t('fieldErrors.required') };
  const main = (
    <>
      {attr?.system && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('attributes.systemNotice')} />}
      <Form.Item label={t('attributes.code')} name="code" rules={[required, { pattern: /^[A-Za-z0-9_.-]+$/, message: t('fieldErrors.invalidFormat') }]}>
        <Input autoComplete="off" disabled={attr?.system} />
      </Form.Item>
      <Form.Item label={t('attributes.name')} name="name" rules={[required]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('attributes.type')} name="type" rules={[required]}>
        <FormSelect
          options={[
            { value: 'string', label: t('attributes.types.string') },
            { value: 'list', label: t('attributes.types.list') },
          ]}
        />
      </Form.Item>
    </>
  );
  return (
    <EntityFormShell
      page={page}
      title={attr ? t('attributes.editTitle', { name: attr.name }) : t('attributes.newTitle')}
      initialValues={empty}
      resourceType="attribute"
      main={main}
      deleteConfirmText={t('attributes.deleteConfirm', { name: attr?.name ?? '' })}
      deleteDisabledReason={attr?.system ? t('attributes.systemCannotBeDeleted') : undefined}
    />
  );
}

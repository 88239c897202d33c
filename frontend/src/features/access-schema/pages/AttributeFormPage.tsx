import { useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Select from 'antd/es/select';
import { usePermissions } from '../../../api/auth';
import type { Attribute, AttributeType } from '../../../api/types';
import { EntityFormShell, useEntityForm } from '../../../components/EntityForm';
import { PageSpinner } from '../../../app/PageSpinner';
import { errorMessage } from '../../../lib/errors';
import { attributes } from '../api/attributes';

interface Values {
  code: string;
  name: string;
  type: AttributeType;
}

const empty: Values = { code: '', name: '', type: 'string' };
const toValues = (a: Attribute): Values => ({ code: a.code, name: a.name, type: a.type });

export function AttributeFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const isNew = !id || id === 'new';
  const { has } = usePermissions();
  const canWrite = has('users.write');
  const [form] = Form.useForm<Values>();
  const one = attributes.useOne(isNew ? undefined : id);
  const create = attributes.useCreate();
  const update = attributes.useUpdate();
  const remove = attributes.useRemove();
  const setDetail = attributes.useSetDetail();
  const attr = one.data;

  const ef = useEntityForm({
    form,
    listPath: '/access-schema',
    entity: attr,
    toValues,
    create: (v) => create.mutateAsync({ code: v.code.trim(), name: v.name.trim(), type: v.type }),
    update: (aid, v, version) =>
      update.mutateAsync({ id: aid, body: attr?.system ? { version, name: v.name.trim(), type: v.type } : { version, code: v.code.trim(), name: v.name.trim(), type: v.type } }),
    remove: (aid) => remove.mutateAsync(aid),
    onCurrent: setDetail,
    refetch: () => void one.refetch(),
  });

  if (!isNew && one.isPending) return <PageSpinner />;
  if (!isNew && one.isError) return <Alert type="error" showIcon message={errorMessage(t, one.error)} />;

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
        <Select
          options={[
            { value: 'string', label: t('attributes.types.string') },
            { value: 'list', label: t('attributes.types.list') },
          ]}
        />
      </Form.Item>
    </>
  );
  return (
    <EntityFormShell<Values>
      title={attr ? t('attributes.editTitle', { name: attr.name }) : t('attributes.newTitle')}
      form={form}
      initialValues={empty}
      ef={ef}
      canWrite={canWrite}
      entity={attr}
      resourceType="attribute"
      main={main}
      deleteConfirmText={t('attributes.deleteConfirm', { name: attr?.name ?? '' })}
      deleteDisabledReason={attr?.system ? t('attributes.systemCannotBeDeleted') : undefined}
    />
  );
}

// Rename a token or change its scopes (PATCH with the version it was read at). A
// revoked or expired token is shown read-only.
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import Descriptions from 'antd/es/descriptions';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Tabs from 'antd/es/tabs';
import { http } from '../../../api/http';
import { StatsView, type StatsReport } from '../../../components/stats';
import { isApiError } from '../../../api/http';
import { applyFieldErrors, errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { TID } from '../../../testids';
import type { TokenResource } from '../api/tokens';
import type { ApiToken } from '../api/types';
import { ScopesField } from './ScopesField';
import { TokenStatusTag } from './TokenStatusTag';

interface Values {
  name: string;
  scopes: string[];
}

interface EditTokenDialogProps {
  res: TokenResource;
  token: ApiToken | null;
  held: ReadonlySet<string>;
  canWrite: boolean;
  /** A Statistics tab: the token's requests by day and status. */
  showStats?: boolean;
  onClose: () => void;
}

export function EditTokenDialog({ res, token, held, canWrite, showStats = false, onClose }: EditTokenDialogProps) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const [form] = Form.useForm<Values>();
  const update = res.hooks.useUpdate();
  const editable = canWrite && token?.status === 'active';
  // Scopes the token already carries stay selectable even if the caller lacks them (removing is allowed).
  const selectable = new Set([...held, ...(token?.scopes ?? [])]);

  const submit = async (v: Values) => {
    if (!token) return;
    try {
      await update.mutateAsync({ id: token.id, body: { version: token.version, name: v.name, scopes: v.scopes } });
      notification.success({ message: t('common.saved') });
      onClose();
    } catch (e) {
      const unplaced = applyFieldErrors(t, form, e);
      if (!(isApiError(e) && e.errors.length > unplaced.length)) notification.error({ message: errorMessage(t, e) });
    }
  };

  const details = token && (
    <>
      <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('tokens.col.token')}>
          <code>{`${token.prefix}.${token.public_id}`}</code>
        </Descriptions.Item>
        <Descriptions.Item label={t('tokens.col.status')}>
          <TokenStatusTag token={token} />
        </Descriptions.Item>
        <Descriptions.Item label={t('tokens.col.createdBy')}>{token.created_by || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('tokens.col.lastUsed')}>
          {formatDateTime(token.last_used_at)} {token.last_used_ip && `(${token.last_used_ip})`}
        </Descriptions.Item>
      </Descriptions>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        preserve={false}
        disabled={!editable}
        initialValues={{ name: token.name, scopes: token.scopes }}
      >
        <Form.Item label={t('tokens.name')} name="name" rules={[{ required: true, whitespace: true, message: t('fieldErrors.required') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item label={t('tokens.scopes')} name="scopes" rules={[{ required: true, type: 'array', min: 1, message: t('tokens.scopesRequired') }]}>
          <ScopesField kind={res.kind} held={selectable} />
        </Form.Item>
      </Form>
    </>
  );
  const tabs = token && (
    <Tabs
      data-testid={TID.tokenTabs}
      items={[
        { key: 'main', label: t('common.tabMain'), forceRender: true, children: details },
        {
          key: 'stats',
          label: t('statsView.tab'),
          children: (
            <StatsView
              queryKey={[res.hooks.keys.all[0], 'stats', token.id]}
              fetch={(range, signal) => http.get<StatsReport>(`${res.path}/${encodeURIComponent(token.id)}/stats`, { query: range, signal })}
              fileBase={token.name}
              testId={TID.tokenStats}
            />
          ),
        },
      ]}
    />
  );

  return (
    <Modal
      open={token !== null}
      title={t('tokens.editTitle', { name: token?.name ?? '' })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !editable }}
      confirmLoading={update.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      width={showStats ? 960 : 640}
      wrapProps={{ 'data-testid': TID.tokenEditDialog }}
    >
      {token && (showStats ? tabs : details)}
    </Modal>
  );
}

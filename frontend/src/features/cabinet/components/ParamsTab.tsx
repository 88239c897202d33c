// The system's parameters in the cabinet. The fields the administrator listed in
// client_editable can be changed and are saved with PATCH and the version read; the others
// are read-only. A stale version shows the app's conflict alert; a field the server refuses
// (cabinet.notEditable) gets its message on the field.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Switch from 'antd/es/switch';
import Typography from 'antd/es/typography';
import { isApiError } from '../../../api/http';
import { VersionConflictAlert } from '../../../components/EntityForm/VersionConflictAlert';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { usePatchCabinetSystem } from '../api/cabinet';
import type { CabinetPatch, CabinetSystem } from '../api/types';

interface Values {
  name: string;
  description: string;
  enabled: boolean;
  settings_texts: { ru: string; en: string };
}

const FIELD_NAMES: Record<string, (string | number)[][]> = {
  description: [['description']],
  settings_texts: [['settings_texts', 'ru'], ['settings_texts', 'en']],
};

export function ParamsTab({ system, onReload }: { system: CabinetSystem; onReload: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const patch = usePatchCabinetSystem(system.id);
  const [conflict, setConflict] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const editable = new Set(system.client_editable ?? []);
  const canDescription = editable.has('description');
  const canTexts = editable.has('settings_texts');
  const readOnly = t('cabinet.params.readOnly');

  const submit = async (v: Values) => {
    setError(null);
    setConflict(false);
    const body: CabinetPatch = { version: system.version };
    if (canDescription) body.description = v.description ?? '';
    if (canTexts) body.settings_texts = { ru: v.settings_texts?.ru ?? '', en: v.settings_texts?.en ?? '' };
    try {
      await patch.mutateAsync(body);
      void message.success(t('cabinet.params.saved'));
    } catch (e) {
      if (isApiError(e) && e.status === 409) {
        setConflict(true);
        return;
      }
      const placed = isApiError(e) ? e.errors.flatMap((fe) => (FIELD_NAMES[fe.field] ?? []).map((name) => ({ name, fe }))) : [];
      if (placed.length > 0 && isApiError(e)) {
        const text = e.code === 'cabinet.notEditable' ? t('cabinet.params.notEditable') : errorMessage(t, e);
        form.setFields(placed.map(({ name }) => ({ name, errors: [text] })) as Parameters<typeof form.setFields>[0]);
      } else {
        setError(errorMessage(t, e));
      }
    }
  };

  return (
    <div style={{ maxWidth: 720 }} data-testid={TID.cabinetParams}>
      <Typography.Paragraph type="secondary">{t('cabinet.params.intro')}</Typography.Paragraph>
      {conflict && (
        <VersionConflictAlert
          onReload={() => {
            setConflict(false);
            onReload();
          }}
        />
      )}
      <Form<Values>
        key={system.version}
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{
          name: system.name,
          description: system.description,
          enabled: system.enabled,
          settings_texts: { ru: system.settings_texts?.ru ?? '', en: system.settings_texts?.en ?? '' },
        }}
      >
        <Form.Item label={t('systems.name')} name="name" extra={readOnly}>
          <Input disabled />
        </Form.Item>
        <Form.Item label={t('systems.description')} name="description" extra={canDescription ? undefined : readOnly}>
          <Input.TextArea rows={2} maxLength={2000} disabled={!canDescription} />
        </Form.Item>
        <Form.Item label={t('systems.settingsTextRu')} name={['settings_texts', 'ru']} extra={canTexts ? t('systems.settingsTextHint') : readOnly}>
          <Input.TextArea rows={3} disabled={!canTexts} />
        </Form.Item>
        <Form.Item label={t('systems.settingsTextEn')} name={['settings_texts', 'en']} extra={canTexts ? undefined : readOnly}>
          <Input.TextArea rows={3} disabled={!canTexts} />
        </Form.Item>
        <Form.Item label={t('systems.enabled')} name="enabled" valuePropName="checked" extra={readOnly}>
          <Switch disabled />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        {(canDescription || canTexts) && (
          <Button type="primary" htmlType="submit" loading={patch.isPending} data-testid={TID.cabinetParamsSave}>
            {t('common.save')}
          </Button>
        )}
      </Form>
    </div>
  );
}

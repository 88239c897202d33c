// The save/cancel/delete logic every edit form shares: create then open the edit form,
// update with the version (optimistic locking), 409 → offer the current state, server
// validation errors[] → form fields, success notifications.
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import type { FormInstance } from 'antd';
import { isApiError } from '../../api/http';
import { applyFieldErrors, errorMessage, fieldErrorMessage } from '../../lib/errors';

interface Versioned {
  id: string;
  version: number;
}

export interface EntityFormOptions<E extends Versioned, V> {
  form: FormInstance<V>;
  /** The list route, e.g. "/users". The edit form is `${listPath}/${id}`. */
  listPath: string;
  entity?: E;
  toValues: (e: E) => V;
  create: (v: V) => Promise<E>;
  update: (id: string, v: V, version: number) => Promise<E>;
  remove?: (id: string) => Promise<void>;
  /** Puts the server's current state (from a 409) into the cache; the form follows it. */
  onCurrent: (e: E) => void;
  /** Reloads the entity when a 409 came without `current`. */
  refetch?: () => void;
}

interface BackState {
  back?: string;
}

export function useEntityForm<E extends Versioned, V>(o: EntityFormOptions<E, V>) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const { notification } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<{ current?: E } | null>(null);
  const back = (location.state as BackState | null)?.back ?? '';
  const { form, entity } = o;

  // The form shows the entity as loaded, and follows it only when another entity or version
  // arrives (after a save or a conflict reload). No resetFields: that would remount the inputs.
  // The create form starts from the Form's initialValues.
  useEffect(() => {
    if (entity) form.setFieldsValue(o.toValues(entity) as Parameters<typeof form.setFieldsValue>[0]);
  }, [entity?.id, entity?.version]);

  const fail = (e: unknown) => {
    if (isApiError(e) && e.code === 'resource.versionConflict') {
      setConflict({ current: (e.current as E | undefined) ?? undefined });
      return;
    }
    const rest = applyFieldErrors(t, form, e);
    const placed = isApiError(e) && e.errors.length > rest.length;
    const extra = rest.map((fe) => `${fe.field}: ${fieldErrorMessage(t, fe)}`).join('; ');
    if (!placed || extra) notification.error({ message: errorMessage(t, e), description: extra || undefined });
  };

  const submit = async (values: V) => {
    setSaving(true);
    try {
      if (entity) {
        await o.update(entity.id, values, entity.version);
        setConflict(null);
        notification.success({ message: t('common.saved') });
      } else {
        const created = await o.create(values);
        notification.success({ message: t('common.created') });
        navigate(`${o.listPath}/${created.id}`, { replace: true, state: { back } });
      }
    } catch (e) {
      fail(e);
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!entity || !o.remove) return;
    try {
      await o.remove(entity.id);
      notification.success({ message: t('common.deleted') });
      navigate(`${o.listPath}${back}`);
    } catch (e) {
      notification.error({ message: errorMessage(t, e) });
    }
  };

  return {
    saving,
    conflict: conflict !== null,
    submit,
    remove,
    cancel: () => navigate(`${o.listPath}${back}`),
    reloadFromConflict: () => {
      if (conflict?.current) o.onCurrent(conflict.current);
      else o.refetch?.();
      setConflict(null);
    },
  };
}

// The wiring every create/edit page of a CRUD resource shares: the id from the route, the
// entity loaded by it (a spinner, or the load error, meanwhile), the antd form following
// the entity, create then open the edit form, update with the version (optimistic
// locking), 409 → offer the current state, server errors[] → form fields, delete with a
// confirmation, and back to the list view the page was opened from.
import { useEffect, useState, type ReactNode } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import App from 'antd/es/app';
import Form, { type FormInstance } from 'antd/es/form';
import { usePermissions } from '../../api/auth';
import type { CrudHooks } from '../../api/crud';
import { isApiError } from '../../api/http';
import type { Permission } from '../../api/types';
import { PageSpinner } from '../../app/PageSpinner';
import { applyFieldErrors, errorMessage, fieldErrorMessage } from '../../lib/errors';

interface Versioned {
  id: string;
  version: number;
}

export interface CrudFormPageOptions<E extends Versioned, C, U, V> {
  /** The resource's hooks (createCrudHooks). */
  resource: Pick<CrudHooks<E, C, U>, 'useOne' | 'useCreate' | 'useUpdate' | 'useRemove' | 'useSetDetail'>;
  /** The list route, e.g. "/users". The edit form is `${listPath}/${id}`. */
  listPath: string;
  /** The permission that lets the caller change the resource (the form is read-only without it). */
  writePermission: Permission;
  toValues: (e: E) => V;
  toCreate: (v: V) => C;
  toUpdate: (v: V, version: number, e: E) => U;
  /** Rewrites a failed save's error before it reaches the form (e.g. renames fields). */
  mapSaveError?: (err: unknown, v: V) => unknown;
}

/** CrudFormPage is what a form page composes its view from. */
export interface CrudFormPage<E extends Versioned, V> {
  form: FormInstance<V>;
  isNew: boolean;
  canWrite: boolean;
  /** The saved entity, undefined while creating. */
  entity?: E;
  /** Loads the entity again (a fresh read of counts, say). */
  refetch: () => void;
  /** A spinner while the entity loads, or its load error; render it instead of the form. */
  placeholder: ReactNode;
  saving: boolean;
  conflict: boolean;
  submit: (v: V) => Promise<void>;
  cancel: () => void;
  reloadFromConflict: () => void;
  /** The delete confirmation: open, ask, cancel, confirm (deletes and goes back to the list). */
  deleting: boolean;
  askDelete: () => void;
  cancelDelete: () => void;
  confirmDelete: () => void;
}

interface BackState {
  back?: string;
}

export function useCrudFormPage<E extends Versioned, C, U, V>(o: CrudFormPageOptions<E, C, U, V>): CrudFormPage<E, V> {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const { notification } = App.useApp();
  const { id } = useParams();
  const isNew = !id || id === 'new';
  const canWrite = usePermissions().has(o.writePermission);
  const [form] = Form.useForm<V>();
  const one = o.resource.useOne(isNew ? undefined : id);
  const create = o.resource.useCreate();
  const update = o.resource.useUpdate();
  const remove = o.resource.useRemove();
  const setDetail = o.resource.useSetDetail();
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<{ current?: E } | null>(null);
  const [deleting, setDeleting] = useState(false);
  const back = (location.state as BackState | null)?.back ?? '';
  const entity = one.data;

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
        await update.mutateAsync({ id: entity.id, body: o.toUpdate(values, entity.version, entity) });
        setConflict(null);
        notification.success({ message: t('common.saved') });
      } else {
        const created = await create.mutateAsync(o.toCreate(values));
        notification.success({ message: t('common.created') });
        navigate(`${o.listPath}/${created.id}`, { replace: true, state: { back } });
      }
    } catch (e) {
      fail(o.mapSaveError ? o.mapSaveError(e, values) : e);
    } finally {
      setSaving(false);
    }
  };

  const removeEntity = async () => {
    if (!entity) return;
    try {
      await remove.mutateAsync(entity.id);
      notification.success({ message: t('common.deleted') });
      navigate(`${o.listPath}${back}`);
    } catch (e) {
      notification.error({ message: errorMessage(t, e) });
    }
  };

  let placeholder: ReactNode = null;
  if (!isNew && one.isPending) placeholder = <PageSpinner />;
  else if (!isNew && one.isError) placeholder = <Alert type="error" showIcon message={errorMessage(t, one.error)} />;

  return {
    form,
    isNew,
    canWrite,
    entity,
    refetch: () => void one.refetch(),
    placeholder,
    saving,
    conflict: conflict !== null,
    submit,
    cancel: () => navigate(`${o.listPath}${back}`),
    reloadFromConflict: () => {
      if (conflict?.current) setDetail(conflict.current);
      else void one.refetch();
      setConflict(null);
    },
    deleting,
    askDelete: () => setDeleting(true),
    cancelDelete: () => setDeleting(false),
    confirmDelete: () => {
      setDeleting(false);
      void removeEntity();
    },
  };
}

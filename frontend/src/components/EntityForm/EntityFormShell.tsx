// The frame every simple directory form shares: title, version-conflict alert, the tabbed
// antd Form (with a History tab for saved entities when the caller may read the audit
// log), Save/Cancel/Delete, and the delete confirmation.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Form, { type FormInstance } from 'antd/es/form';
import Tabs from 'antd/es/tabs';
import { usePermissions } from '../../api/auth';
import { ConfirmDialog } from '../ConfirmDialog';
import { ResourceHistory } from '../History/ResourceHistory';
import { PageHeader } from '../PageHeader';
import { FormActions } from './FormActions';
import { VersionConflictAlert } from './VersionConflictAlert';

interface EntityFormShellProps<V> {
  title: ReactNode;
  form: FormInstance<V>;
  initialValues: V;
  /** The controller from useEntityForm. */
  ef: {
    saving: boolean;
    conflict: boolean;
    submit: (v: V) => unknown;
    remove: () => unknown;
    cancel: () => void;
    reloadFromConflict: () => void;
  };
  canWrite: boolean;
  /** The saved entity, undefined while creating. */
  entity?: { id: string };
  /** The audit resource type of the History tab. */
  resourceType: string;
  main: ReactNode;
  maxWidth?: number;
  deleteConfirmText: ReactNode;
  deleteDisabledReason?: string;
}

export function EntityFormShell<V>(p: EntityFormShellProps<V>) {
  const { t } = useTranslation();
  const { has } = usePermissions();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const tabs = [{ key: 'main', label: t('common.tabMain'), forceRender: true, children: p.main }];
  if (p.entity && has('audit.read')) {
    tabs.push({ key: 'history', label: t('common.tabHistory'), forceRender: false, children: <ResourceHistory resourceType={p.resourceType} resourceId={p.entity.id} /> });
  }
  return (
    <>
      <PageHeader title={p.title} />
      {p.ef.conflict && <VersionConflictAlert onReload={p.ef.reloadFromConflict} />}
      <Form<V> form={p.form} layout="vertical" style={{ maxWidth: p.maxWidth ?? 640 }} disabled={!p.canWrite} initialValues={p.initialValues as Record<string, unknown>} onFinish={(v) => void p.ef.submit(v)}>
        <Tabs items={tabs} />
        <FormActions
          saving={p.ef.saving}
          canSave={p.canWrite}
          onCancel={p.ef.cancel}
          onDelete={p.entity && p.canWrite ? () => setConfirmDelete(true) : undefined}
          deleteDisabledReason={p.deleteDisabledReason}
        />
      </Form>
      <ConfirmDialog
        open={confirmDelete}
        title={t('table.deleteConfirmTitle')}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => {
          setConfirmDelete(false);
          void p.ef.remove();
        }}
      >
        {p.deleteConfirmText}
      </ConfirmDialog>
    </>
  );
}

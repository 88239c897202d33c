// The frame every entity form shares: title (with the page's actions), version-conflict
// alert, the tabbed antd Form (a simple form gets a Main tab and, for saved entities when
// the caller may read the audit log, a History tab), Save/Cancel/Delete, and the delete
// confirmation. The page's useCrudFormPage drives it.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Form from 'antd/es/form';
import Tabs, { type TabsProps } from 'antd/es/tabs';
import { usePermissions } from '../../api/auth';
import { ConfirmDialog } from '../ConfirmDialog';
import { ResourceHistory } from '../History/ResourceHistory';
import { PageHeader } from '../PageHeader';
import { FormActions } from './FormActions';
import type { CrudFormPage } from './useCrudFormPage';
import { VersionConflictAlert } from './VersionConflictAlert';

type TabItem = NonNullable<TabsProps['items']>[number];

interface EntityFormShellProps<E extends { id: string; version: number }, V> {
  page: CrudFormPage<E, V>;
  title: ReactNode;
  /** Actions beside the title (shown as given). */
  headerExtra?: ReactNode;
  initialValues: V;
  /** The content of the Main tab of a simple form; its History tab shows this audit resource type. */
  main?: ReactNode;
  resourceType?: string;
  /** The whole tab list of a richer form (instead of main/resourceType). */
  tabs?: TabItem[];
  tabsTestId?: string;
  /** A controlled tab (the page shows the tab of the first error, say). */
  activeTab?: string;
  /** Tabs that are not part of the form (a certificate list, sessions): Save, Cancel and
   * Delete are not shown while one of them is open. */
  formlessTabs?: string[];
  onTabChange?: (key: string) => void;
  maxWidth?: number;
  /** Replaces the plain submit of the form's values. */
  onFinish?: (v: V) => unknown;
  onFinishFailed?: () => void;
  /** Whether Delete is offered; by default on a saved entity to those who may write. */
  canDelete?: boolean;
  /** Runs when Delete opens the confirmation. */
  onAskDelete?: () => void;
  deleteTitle?: ReactNode;
  deleteTestId?: string;
  deleteConfirmText: ReactNode;
  deleteDisabledReason?: string;
  /** Dialogs and the like the page adds. */
  children?: ReactNode;
}

export function EntityFormShell<E extends { id: string; version: number }, V>(p: EntityFormShellProps<E, V>) {
  const { t } = useTranslation();
  const { has } = usePermissions();
  const { page } = p;
  let tabs = p.tabs;
  if (!tabs) {
    tabs = [{ key: 'main', label: t('common.tabMain'), forceRender: true, children: p.main }];
    if (page.entity && p.resourceType && has('audit.read')) {
      tabs.push({ key: 'history', label: t('common.tabHistory'), forceRender: false, children: <ResourceHistory resourceType={p.resourceType} resourceId={page.entity.id} /> });
    }
  }
  const canDelete = p.canDelete ?? (!!page.entity && page.canWrite);
  const [shown, setShown] = useState<string>(String(tabs[0]?.key ?? 'main'));
  const active = p.activeTab ?? shown;
  const formless = p.formlessTabs?.includes(active) ?? false;
  const changeTab = (key: string) => {
    setShown(key);
    p.onTabChange?.(key);
  };
  return (
    <>
      <PageHeader title={p.title} extra={p.headerExtra} />
      {page.conflict && <VersionConflictAlert onReload={page.reloadFromConflict} />}
      <Form<V>
        form={page.form}
        layout="vertical"
        style={{ maxWidth: p.maxWidth ?? 640 }}
        disabled={!page.canWrite}
        initialValues={p.initialValues as Record<string, unknown>}
        onFinish={(v) => void (p.onFinish ?? page.submit)(v)}
        onFinishFailed={p.onFinishFailed}
      >
        <Tabs data-testid={p.tabsTestId} activeKey={active} onChange={changeTab} items={tabs} />
        {!formless && (
          <FormActions
            saving={page.saving}
            canSave={page.canWrite}
            onCancel={page.cancel}
            onDelete={
              canDelete
                ? () => {
                    page.askDelete();
                    p.onAskDelete?.();
                  }
                : undefined
            }
            deleteDisabledReason={p.deleteDisabledReason}
          />
        )}
      </Form>
      {p.children}
      <ConfirmDialog open={page.deleting} testId={p.deleteTestId} title={p.deleteTitle ?? t('table.deleteConfirmTitle')} onCancel={page.cancelDelete} onConfirm={page.confirmDelete}>
        {p.deleteConfirmText}
      </ConfirmDialog>
    </>
  );
}

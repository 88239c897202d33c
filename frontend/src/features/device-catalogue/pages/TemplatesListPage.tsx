import { useTranslation } from 'react-i18next';
import Tag from 'antd/es/tag';
import { DataTable, useListPage, type DataTableColumn, type FilterDef } from '../../../components/DataTable';
import { KEY_ALGORITHMS, templates, type CertificateTemplate } from '../api/catalogue';

export function TemplatesListPage() {
  const { t } = useTranslation();
  const filters: FilterDef[] = [
    {
      type: 'select',
      key: 'qualified',
      label: t('devices.templates.qualified'),
      allLabel: t('devices.all'),
      options: [
        { value: 'true', label: t('devices.yes') },
        { value: 'false', label: t('devices.no') },
      ],
    },
    {
      type: 'select',
      key: 'key_algorithm',
      label: t('devices.templates.keyAlgorithm'),
      allLabel: t('devices.all'),
      options: KEY_ALGORITHMS.map((a) => ({ value: a, label: t(`devices.templates.algorithms.${a}`) })),
    },
  ];
  const page = useListPage({ resource: templates, path: '/certificate-templates', writePermission: 'devices.write', filters, rowLabel: (c) => c.name });
  const columns: DataTableColumn<CertificateTemplate>[] = [
    { key: 'name', title: t('devices.templates.name') },
    { key: 'key_algorithm', title: t('devices.templates.keyAlgorithm'), render: (c) => t(`devices.templates.algorithms.${c.key_algorithm}`) },
    { key: 'validity_days', title: t('devices.templates.validityDays') },
    { key: 'subject', title: t('devices.templates.subject'), sortable: false, ellipsis: true, render: (c) => c.subject.map((r) => `${r.attr}=${r.value}`).join(', ') },
    { key: 'qualified', title: t('devices.templates.qualified'), sortable: false, render: (c) => (c.qualified ? <Tag color="gold">{t('devices.yes')}</Tag> : t('devices.no')) },
  ];
  return <DataTable<CertificateTemplate> {...page.tableProps} title={t('devices.templates.title')} columns={columns} searchPlaceholder={t('devices.templates.search')} />;
}

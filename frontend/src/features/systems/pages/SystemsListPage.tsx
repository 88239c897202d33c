import { useTranslation } from 'react-i18next';
import Tag from 'antd/es/tag';
import dayjs from 'dayjs';
import { DataTable, useListPage, type DataTableColumn, type FilterDef } from '../../../components/DataTable';
import { useGroupOptions, systems } from '../api/systems';
import type { System } from '../api/types';

export function SystemsListPage() {
  const { t } = useTranslation();
  const groups = useGroupOptions();
  const groupName = new Map((groups.data?.items ?? []).map((g) => [g.id, g.name]));
  const filters: FilterDef[] = [
    {
      type: 'select',
      key: 'enabled',
      label: t('systems.enabled'),
      allLabel: t('systems.filter.all'),
      options: [
        { value: 'true', label: t('systems.on') },
        { value: 'false', label: t('systems.off') },
      ],
    },
  ];
  const page = useListPage({ resource: systems, path: '/systems', writePermission: 'certificates.write', filters, rowLabel: (s) => s.name });
  const columns: DataTableColumn<System>[] = [
    { key: 'name', title: t('systems.name') },
    { key: 'enabled', title: t('systems.enabled'), render: (s) => (s.enabled ? <Tag color="green">{t('systems.on')}</Tag> : <Tag>{t('systems.off')}</Tag>) },
    { key: 'owner_group_id', title: t('systems.ownerGroup'), sortable: false, render: (s) => (s.owner_group_id ? (groupName.get(s.owner_group_id) ?? '…') : '—') },
    { key: 'certificate_count', title: t('systems.certificateCount'), sortable: false },
    { key: 'created_at', title: t('systems.created'), render: (s) => dayjs(s.created_at).format('YYYY-MM-DD') },
  ];
  return (
    <DataTable<System>
      {...page.tableProps}
      title={t('systems.title')}
      columns={columns}
      searchPlaceholder={t('systems.searchPlaceholder')}
    />
  );
}

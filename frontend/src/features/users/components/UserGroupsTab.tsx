import { useTranslation } from 'react-i18next';
import Form from 'antd/es/form';
import Select from 'antd/es/select';
import Tag from 'antd/es/tag';
import { TID } from '../../../testids';
import { useGroupOptions } from '../api/users';

/** UserGroupsTab: the groups the user belongs to (system and custom). */
export function UserGroupsTab() {
  const { t } = useTranslation();
  const groups = useGroupOptions();
  return (
    <Form.Item label={t('users.groups')} name="group_ids">
      <Select
        data-testid={TID.userGroupsSelect}
        mode="multiple"
        allowClear
        showSearch
        optionFilterProp="label"
        loading={groups.isLoading}
        placeholder={t('users.chooseGroups')}
        options={(groups.data?.items ?? []).map((g) => ({
          value: g.id,
          label: g.name,
          title: g.code,
        }))}
        optionRender={(opt) => {
          const g = groups.data?.items.find((x) => x.id === opt.value);
          return (
            <span>
              {opt.label} <Tag style={{ marginInlineStart: 8 }}>{g?.code}</Tag>
              {g?.system && <Tag color="blue">{t('groups.systemTag')}</Tag>}
            </span>
          );
        }}
      />
    </Form.Item>
  );
}

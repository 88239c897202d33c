import type { ReactNode } from 'react';
import Typography from 'antd/es/typography';
import { TID } from '../testids';

interface PageHeaderProps {
  title: ReactNode;
  extra?: ReactNode;
}

/** PageHeader is a page's title with its actions on the right. */
export function PageHeader({ title, extra }: PageHeaderProps) {
  return (
    <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 16, marginBottom: 16 }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid={TID.pageTitle}>
        {title}
      </Typography.Title>
      {extra && <div style={{ display: 'flex', gap: 8 }}>{extra}</div>}
    </div>
  );
}

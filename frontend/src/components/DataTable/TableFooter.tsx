// Bottom of the table: "Shown X–Y of N" on the left, page navigation in the centre, page size on the right.
import { useTranslation } from 'react-i18next';
import Pagination from 'antd/es/pagination';
import Select from 'antd/es/select';
import Typography from 'antd/es/typography';
import { TID } from '../../testids';
import { formatNumber } from '../../lib/format';
import { COUNT_CAP, PAGE_SIZES } from './types';

interface TableFooterProps {
  page: number;
  pageSize: number;
  total: number;
  totalCapped: boolean;
  /** the total is the server's estimate (a common search term): shown as "about N" */
  totalEstimated?: boolean;
  itemCount: number;
  onPageChange: (page: number) => void;
  onPageSizeChange: (size: number) => void;
}

/** shownRange computes the 1-based first and last row numbers of a page. */
export function shownRange(page: number, pageSize: number, itemCount: number): [number, number] {
  if (itemCount === 0) return [0, 0];
  const from = (page - 1) * pageSize + 1;
  return [from, from + itemCount - 1];
}

export function TableFooter(p: TableFooterProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? i18n.language;
  const [from, to] = shownRange(p.page, p.pageSize, p.itemCount);
  // An estimated total offers no more page numbers than a capped one: a jump deep into a
  // common search term is an offset the server walks to; the next-page cursor goes on.
  const pageable = p.totalEstimated ? Math.min(p.total, COUNT_CAP) : p.total;
  const totalText = p.totalCapped ? `${formatNumber(p.total, lang)}+` : formatNumber(p.total, lang);
  return (
    <div
      className="custos-tablefooter"
      style={{ display: 'grid', gridTemplateColumns: '1fr auto 1fr', alignItems: 'center', gap: 16, marginTop: 16 }}
    >
      <Typography.Text type="secondary" data-testid={TID.tableShownRange}>
        {p.itemCount === 0
          ? t('table.shownNone')
          : t(p.totalEstimated ? 'table.shownAbout' : 'table.shown', {
              from: formatNumber(from, lang),
              to: formatNumber(to, lang),
              total: totalText,
            })}
      </Typography.Text>
      <Pagination
        data-testid={TID.tablePagination}
        current={p.page}
        pageSize={p.pageSize}
        total={Math.max(pageable, (p.page - 1) * p.pageSize + p.itemCount)}
        showSizeChanger={false}
        hideOnSinglePage={false}
        onChange={(page) => p.onPageChange(page)}
      />
      <div style={{ justifySelf: 'end' }}>
        <Select
          data-testid={TID.tablePageSize}
          aria-label={t('table.pageSize')}
          value={p.pageSize}
          style={{ width: 140 }}
          options={PAGE_SIZES.map((s) => ({ value: s, label: t('table.perPage', { count: s }) }))}
          onChange={(v: number) => p.onPageSizeChange(v)}
        />
      </div>
    </div>
  );
}

import { escapeHtml } from '@kitajs/html';
import type { MessageKey, Translate } from '../../platform/i18n/index.js';
import { Badge, type Column, DataTable, formatRupiah } from '../../platform/web/components.js';
import type { DepositJson } from './extra-deposits.js';

/**
 * A member's open term deposits (simpanan berjangka), shown with their balances on the member's
 * page and on /anggota/saya: reference, product, principal, rate, deposit date, maturity, the
 * interest due at maturity and the status. Kept apart from extra-web.tsx so web.tsx can use it
 * without importing the extras' routes (which import web.tsx).
 */
export function MemberOpenDeposits(p: { t: Translate; locale: string; id: string; memberId: string; rows: DepositJson[] }) {
  const { t } = p;
  const e = (v: string) => escapeHtml(v);
  const cols: Column<DepositJson>[] = [
    { key: 'ref', label: t('books.x.receiptNo'), render: (d) => e(d.reference) },
    { key: 'product', label: t('books.x.product'), render: (d) => e(d.productName) },
    { key: 'principal', label: t('books.x.principal'), class: 'num', render: (d) => formatRupiah(d.principal) },
    { key: 'rate', label: t('books.x.rate'), class: 'num', render: (d) => e(`${(d.rateBp / 100).toLocaleString(p.locale)}%`) },
    { key: 'open', label: t('books.x.openDate'), render: (d) => e(d.openDate) },
    { key: 'maturity', label: t('books.x.maturity'), render: (d) => e(d.maturityDate) },
    { key: 'interest', label: t('books.x.interestAtMaturity'), class: 'num', render: (d) => formatRupiah(d.interestAtMaturity) },
    {
      key: 'status',
      label: t('books.w.status'),
      render: (d) => <Badge tone="success">{e(t(`books.x.depositStatus.${d.status}` as MessageKey))}</Badge>,
    },
  ];
  return (
    <DataTable
      caption={t('books.x.openDeposits')}
      columns={cols}
      rows={p.rows}
      baseUrl={`/koperasi/${p.id}/anggota/${p.memberId}/berjangka`}
      query={{}}
      t={t}
      emptyState={<p class="field-hint">{e(t('books.x.noOpenDeposits'))}</p>}
    />
  );
}

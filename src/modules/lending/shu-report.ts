import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { RequestContext } from '../../platform/context.js';
import { translator } from '../../platform/i18n/index.js';
import { type ReportDoc, wibTimestamp } from '../books/report-export.js';
import { int } from '../books/service.js';
import { listShuMembers } from './shu-service.js';

type Db = Kysely<Database>;

/**
 * The SHU distribution of a year as a ReportDoc (books/report-export.ts writes it as XLSX or PDF):
 * the allocation (with cadangan's leftover) and every member's bases and parts, with totals. In
 * the books' language (Indonesian) like the other reports. Pengurus and dinas (listShuMembers checks).
 */
export async function shuReport(db: Db, ctx: RequestContext, koperasiId: string, year: number): Promise<ReportDoc> {
  const { run, members } = await listShuMembers(db, ctx, koperasiId, year);
  const t = translator('id');
  const kop = await db.selectFrom('organizations').select('name').where('id', '=', koperasiId).executeTakeFirstOrThrow();
  const sum = (pick: (m: (typeof members)[number]) => bigint) => members.reduce((s, m) => s + pick(m), 0n);
  const paid = (m: (typeof members)[number]) =>
    m.paidMethod ? `${t(`shu.method.${m.paidMethod}`)} ${m.paidOn ?? ''}`.trim() : t('shu.unpaid');
  return {
    kind: 'shu',
    title: t('shu.report.title', { year }),
    koperasiName: kop.name,
    period: t('shu.report.subtitle', { shu: run.shu.toLocaleString('id-ID'), status: t(`shu.status.${run.status}`) }),
    generatedAt: wibTimestamp(),
    sections: [
      {
        heading: t('shu.allocations'),
        columns: [t('shu.col.percent'), t('shu.col.key'), t('shu.col.amount'), t('shu.col.account')],
        rows: run.allocations.map((a) => [
          `${a.percent}%`,
          a.label,
          int(a.key === 'cadangan' ? a.amount + run.cadanganExtra : a.amount),
          a.account,
        ]),
        total: ['', t('shu.total'), int(run.shu), ''],
      },
      {
        heading: t('shu.membersTitle'),
        columns: [
          t('shu.col.number'),
          t('shu.col.name'),
          t('shu.col.savings'),
          t('shu.col.transactions'),
          t('shu.col.jasaModal'),
          t('shu.col.jasaUsaha'),
          t('shu.col.total'),
          t('shu.col.paid'),
        ],
        rows: members.map((m) => [
          m.memberNumber,
          m.name,
          int(m.savings),
          int(m.transactions),
          int(m.jasaModal),
          int(m.jasaUsaha),
          int(m.total),
          paid(m),
        ]),
        total: [
          '',
          t('shu.total'),
          int(sum((m) => m.savings)),
          int(sum((m) => m.transactions)),
          int(sum((m) => m.jasaModal)),
          int(sum((m) => m.jasaUsaha)),
          int(sum((m) => m.total)),
          '',
        ],
        widths: [6, 26, 13, 13, 12, 12, 12, 14],
        amountFrom: 2,
      },
    ],
    summary: [
      [t('shu.amount'), int(run.shu)],
      [t('shu.col.jasaModal'), int(run.jasaModalTotal)],
      [t('shu.col.jasaUsaha'), int(run.jasaUsahaTotal)],
    ],
    fileBase: `pembagian-shu-${year}`,
  };
}

/**
 * The extra reports of the books as ReportDoc (same XLSX/PDF writers as report-export.ts): arus kas
 * (cash flow, direct method), simpanan per anggota at a date, daftar anggota with totals and the
 * simpanan wajib arrears. Figures come from extra-service.ts (which checks who may read).
 */
import { type TSchema, Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { RequestContext } from '../../platform/context.js';
import { type MessageKey, translator } from '../../platform/i18n/index.js';
import { CASH_FLOW_CLASSES } from './extra-domain.js';
import {
  cashFlow,
  koperasiNameOf,
  MEMBER_SAVINGS_ACCOUNT,
  MEMBER_SAVINGS_COLUMNS,
  memberListReport,
  memberSavingsReport,
  wajibArrearsList,
} from './extra-service.js';
import type { Cell, ReportDoc, ReportKind } from './report-export.js';
import { wibTimestamp } from './report-export.js';
import { int, todayWib } from './service.js';

type Db = Kysely<Database>;
export type ExtraReportKind = 'cash-flow' | 'member-savings' | 'member-list' | 'wajib-arrears';

const idT = translator('id');
const dmy = (d: string) => `${d.slice(8, 10)}-${d.slice(5, 7)}-${d.slice(0, 4)}`;
const n = (x: bigint) => int(x);
const ok = (b: boolean) => (b ? 'Seimbang' : 'TIDAK SEIMBANG');

const DateStr = Type.String({ format: 'date' });
/** Query strings of the extra reports' file routes (api-extra.ts). */
export const EXTRA_REPORT_QUERIES: Record<ExtraReportKind, TSchema> = {
  'cash-flow': Type.Object({ from: Type.Optional(DateStr), to: Type.Optional(DateStr) }),
  'member-savings': Type.Object({ asOf: Type.Optional(DateStr) }),
  'member-list': Type.Object({}),
  'wajib-arrears': Type.Object({ asOf: Type.Optional(DateStr) }),
};
export const EXTRA_REPORT_NAMES: Record<ExtraReportKind, string> = {
  'cash-flow': 'Cash flow (arus kas, direct method) over from..to (default: 1 January to today)',
  'member-savings': 'Simpanan per member (pokok, wajib, sukarela, berjangka) as of a day, tied to the ledger accounts',
  'member-list': 'Members with status, join date and simpanan (incl. open term deposits)',
  'wajib-arrears': 'Active members in arrears of simpanan wajib as of a day',
};

export async function buildExtraReport(
  db: Db,
  ctx: RequestContext,
  koperasiId: string,
  kind: ReportKind,
  q: { asOf?: string; from?: string; to?: string },
  now = new Date(),
): Promise<ReportDoc> {
  const generatedAt = wibTimestamp(now);
  if (kind === 'cash-flow') {
    const to = q.to ?? todayWib();
    const from = q.from ?? `${to.slice(0, 4)}-01-01`;
    const r = await cashFlow(db, ctx, koperasiId, from, to);
    const name = await koperasiNameOf(db, koperasiId);
    return {
      kind,
      title: 'Laporan Arus Kas',
      koperasiName: name,
      period: `${dmy(r.from)} s.d. ${dmy(r.to)} (metode langsung; kas dan bank)`,
      generatedAt,
      sections: CASH_FLOW_CLASSES.map((c) => ({
        heading: `Arus kas dari aktivitas ${c}`,
        columns: ['Akun', 'Keterangan', 'Jumlah'],
        rows: r.classes[c].lines.map((l): Cell[] => [
          l.code,
          `${l.direction === 'in' ? 'Penerimaan' : 'Pengeluaran'} ${idT(`books.x.source.${l.sourceType}` as MessageKey)} — ${l.name}`,
          n(l.amount),
        ]),
        total: ['', `Arus kas bersih aktivitas ${c}`, n(r.classes[c].net)],
      })),
      summary: [
        ['Kas dan bank awal periode', n(r.opening)],
        ['Kenaikan (penurunan) kas bersih', n(r.net)],
        ['Kas dan bank akhir periode', n(r.closing)],
        ['Awal + bersih = akhir', ok(r.ties)],
      ],
      fileBase: `arus-kas-${r.from}-${r.to}`,
    };
  }
  if (kind === 'member-savings') {
    const r = await memberSavingsReport(db, ctx, koperasiId, q.asOf);
    const name = await koperasiNameOf(db, koperasiId);
    return {
      kind,
      title: 'Simpanan per Anggota',
      koperasiName: name,
      period: `Per ${dmy(r.asOf)}`,
      generatedAt,
      sections: [
        {
          heading: null,
          columns: ['No.', 'Nama', 'Status', 'Pokok', 'Wajib', 'Sukarela', 'Berjangka', 'Jumlah'],
          rows: r.items.map((x): Cell[] => [
            x.memberNumber,
            x.name,
            x.status,
            n(x.pokok),
            n(x.wajib),
            n(x.sukarela),
            n(x.berjangka),
            n(x.total),
          ]),
          total: ['', 'Jumlah', '', n(r.totals.pokok), n(r.totals.wajib), n(r.totals.sukarela), n(r.totals.berjangka), n(r.total)],
          widths: [6, 28, 10, 13, 13, 14, 14, 15],
          amountFrom: 3,
        },
      ],
      summary: [
        ...MEMBER_SAVINGS_COLUMNS.map((k): [string, Cell] => [`Simpanan ${k} (akun ${MEMBER_SAVINGS_ACCOUNT[k]})`, n(r.ledger[k])]),
        ['Jumlah buku besar', n(r.ledgerTotal)],
        ['Jumlah per anggota = buku besar', ok(r.ties)],
      ],
      fileBase: `simpanan-per-anggota-${r.asOf}`,
    };
  }
  if (kind === 'member-list') {
    const r = await memberListReport(db, ctx, koperasiId);
    const name = await koperasiNameOf(db, koperasiId);
    return {
      kind,
      title: 'Daftar Anggota',
      koperasiName: name,
      period: `Per ${dmy(r.asOf)} (simpanan saat ini)`,
      generatedAt,
      sections: [
        {
          heading: null,
          columns: ['No.', 'Nama', 'Masuk', 'Status', 'Keluar', 'Pokok, wajib, sukarela', 'Berjangka', 'Jumlah simpanan'],
          rows: r.items.map((x): Cell[] => [
            x.memberNumber,
            x.name,
            dmy(x.joinDate),
            x.status,
            x.leftAt ? dmy(x.leftAt) : '',
            n(x.savings),
            n(x.berjangka),
            n(x.total),
          ]),
          total: ['', 'Jumlah', '', '', '', n(r.totalSavings - r.totalBerjangka), n(r.totalBerjangka), n(r.totalSavings)],
          widths: [6, 30, 12, 10, 12, 16, 15, 16],
          amountFrom: 5,
        },
      ],
      summary: [
        ['Anggota aktif', r.counts.aktif],
        ['Anggota keluar', r.counts.keluar],
        ['Anggota meninggal', r.counts.meninggal],
        ['Jumlah anggota', r.items.length],
      ],
      fileBase: `daftar-anggota-${r.asOf}`,
    };
  }
  const r = await wajibArrearsList(db, ctx, koperasiId, q.asOf);
  const name = await koperasiNameOf(db, koperasiId);
  return {
    kind,
    title: 'Tunggakan Simpanan Wajib',
    koperasiName: name,
    period: `Per ${dmy(r.asOf)}; simpanan wajib Rp${r.monthlyAmount.toLocaleString('id-ID')} per bulan sejak bulan masuk`,
    generatedAt,
    sections: [
      {
        heading: null,
        columns: ['No.', 'Nama', 'Masuk', 'Bulan wajib', 'Dibayar', 'Bulan tunggakan', 'Tunggakan'],
        rows: r.items.map((x): Cell[] => [x.memberNumber, x.name, dmy(x.joinDate), x.monthsDue, n(x.paid), x.monthsInArrears, n(x.owed)]),
        total: ['', 'Jumlah', '', '', '', r.totalMonths, n(r.totalOwed)],
        widths: [6, 30, 12, 10, 14, 11, 15],
        amountFrom: 3,
      },
    ],
    summary: [
      ['Anggota menunggak', r.members],
      ['Jumlah tunggakan', n(r.totalOwed)],
    ],
    fileBase: `tunggakan-simpanan-wajib-${r.asOf}`,
  };
}

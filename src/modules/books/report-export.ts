/**
 * The books' reports as files: trial balance (neraca saldo), balance sheet (neraca) and income
 * statement (perhitungan hasil usaha) and one account's general ledger (buku besar) as XLSX (exceljs) and PDF (pdfkit, built-in Helvetica; no
 * network fonts). Figures come from the service's report functions (same permissions, nothing
 * recomputed); each file states the koperasi, the date or period, "Dibuat <timestamp WIB>" and the
 * totals (debit = kredit; aset = liabilitas + ekuitas).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { RequestContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { balanceSheetReport, generalLedger, incomeStatementReport, int, LEDGER_LIMIT, todayWib, trialBalance } from './service.js';

type Db = Kysely<Database>;

export const REPORT_KINDS = [
  'trial-balance',
  'balance-sheet',
  'income-statement',
  'general-ledger',
  // Built in extra-reports.ts (arus kas, simpanan per anggota, daftar anggota, tunggakan simpanan wajib).
  'cash-flow',
  'member-savings',
  'member-list',
  'wajib-arrears',
] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const EXPORT_FORMATS = ['xlsx', 'pdf'] as const;
export type ReportFormat = (typeof EXPORT_FORMATS)[number];

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

export type Cell = string | number | null;
const EXTRA_KINDS: ReadonlySet<ReportKind> = new Set(['cash-flow', 'member-savings', 'member-list', 'wajib-arrears']);

/** One table of a report: its rows (label cells then amounts) and a bold total row. */
export interface Section {
  /** XLSX only: the worksheet this section goes on (documents of several sheets, e.g. the RAT report); default one sheet. */
  sheet?: string;
  heading: string | null;
  columns: string[];
  rows: Cell[][];
  total: Cell[] | null;
  /** Optional PDF layout for other column counts: relative widths of the columns and the first amount column (right-aligned). */
  widths?: number[];
  amountFrom?: number;
}

/** A report ready to be written in any format. */
export interface ReportDoc {
  /** 'rat': the RAT report of lending/rat-service.ts, built from these same pieces. */
  kind: ReportKind | 'rat' | 'shu';
  title: string;
  koperasiName: string;
  period: string;
  generatedAt: string;
  sections: Section[];
  /** Closing lines: the grand totals and the check (debit = kredit, aset = pasiva). */
  summary: [string, Cell][];
  fileBase: string;
}

/** "28-11-2026 18:05 WIB" (Kota Malang, UTC+7). */
export function wibTimestamp(now = new Date()) {
  const s = new Date(now.getTime() + 7 * 3600_000).toISOString();
  return `${s.slice(8, 10)}-${s.slice(5, 7)}-${s.slice(0, 4)} ${s.slice(11, 16)} WIB`;
}

const dmy = (d: string) => `${d.slice(8, 10)}-${d.slice(5, 7)}-${d.slice(0, 4)}`;
const n = (x: bigint) => int(x);

async function koperasiName(db: Db, koperasiId: string) {
  const r = await db.selectFrom('organizations').select('name').where('id', '=', koperasiId).executeTakeFirst();
  if (!r) throw notFound();
  return r.name;
}

/** Builds a report from the service (which checks who may read it: same rules as the JSON reports). */
export async function buildReport(
  db: Db,
  ctx: RequestContext,
  koperasiId: string,
  kind: ReportKind,
  q: { asOf?: string; from?: string; to?: string; accountCode?: string },
  now = new Date(),
): Promise<ReportDoc> {
  const generatedAt = wibTimestamp(now);
  if (EXTRA_KINDS.has(kind)) {
    const { buildExtraReport } = await import('./extra-reports.js');
    return buildExtraReport(db, ctx, koperasiId, kind, q, now);
  }
  if (kind === 'trial-balance') {
    const r = await trialBalance(db, ctx, koperasiId, q.asOf);
    const name = await koperasiName(db, koperasiId);
    return {
      kind,
      title: 'Neraca Saldo',
      koperasiName: name,
      period: `Per ${dmy(r.asOf)}`,
      generatedAt,
      sections: [
        {
          heading: null,
          columns: ['Kode', 'Akun', 'Debit', 'Kredit'],
          rows: r.accounts.map((a) => [a.code, a.name, n(a.debit), n(a.credit)]),
          total: ['', 'Jumlah', n(r.totalDebit), n(r.totalCredit)],
        },
      ],
      summary: [['Debit = Kredit', r.totalDebit === r.totalCredit ? 'Seimbang' : 'TIDAK SEIMBANG']],
      fileBase: `neraca-saldo-${r.asOf}`,
    };
  }
  if (kind === 'balance-sheet') {
    const r = await balanceSheetReport(db, ctx, koperasiId, q.asOf);
    const name = await koperasiName(db, koperasiId);
    const lines = (xs: { code: string; name: string; amount: bigint }[]) => xs.map((x): Cell[] => [x.code, x.name, n(x.amount)]);
    return {
      kind,
      title: 'Neraca',
      koperasiName: name,
      period: `Per ${dmy(r.asOf)} (tahun buku mulai ${dmy(r.fiscalYearStart)})`,
      generatedAt,
      sections: [
        { heading: 'Aset', columns: ['Kode', 'Akun', 'Jumlah'], rows: lines(r.assets), total: ['', 'Jumlah Aset', n(r.totalAssets)] },
        {
          heading: 'Liabilitas',
          columns: ['Kode', 'Akun', 'Jumlah'],
          rows: lines(r.liabilities),
          total: ['', 'Jumlah Liabilitas', n(r.totalLiabilities)],
        },
        { heading: 'Ekuitas', columns: ['Kode', 'Akun', 'Jumlah'], rows: lines(r.equity), total: ['', 'Jumlah Ekuitas', n(r.totalEquity)] },
      ],
      summary: [
        ['Jumlah Aset (aktiva)', n(r.totalAssets)],
        ['Jumlah Liabilitas dan Ekuitas (pasiva)', n(r.totalLiabilitiesAndEquity)],
        ['Aktiva = Pasiva', r.balanced ? 'Seimbang' : 'TIDAK SEIMBANG'],
      ],
      fileBase: `neraca-${r.asOf}`,
    };
  }
  if (kind === 'general-ledger') {
    // Same defaults as the JSON ledger: up to today, from the 1st of January of that year.
    const to = q.to ?? todayWib();
    const from = q.from ?? `${to.slice(0, 4)}-01-01`;
    const r = await generalLedger(db, ctx, koperasiId, q.accountCode ?? '', from, to);
    const name = await koperasiName(db, koperasiId);
    return {
      kind,
      title: 'Buku Besar',
      koperasiName: name,
      period: `Akun ${r.account.code} ${r.account.name}, ${dmy(r.from)} s.d. ${dmy(r.to)}`,
      generatedAt,
      sections: [
        {
          heading: null,
          columns: ['Tanggal', 'No.', 'Keterangan', 'Debit', 'Kredit', 'Saldo'],
          rows: [
            [dmy(r.from), '', 'Saldo awal', null, null, n(r.openingBalance)],
            ...r.lines.map((l): Cell[] => [dmy(l.date), l.entryNumber, l.memo, n(l.debit), n(l.credit), n(l.balance)]),
          ],
          total: ['', '', 'Jumlah', n(r.totalDebit), n(r.totalCredit), n(r.closingBalance)],
        },
      ],
      summary: [
        ['Saldo awal', n(r.openingBalance)],
        ['Jumlah debit', n(r.totalDebit)],
        ['Jumlah kredit', n(r.totalCredit)],
        ['Saldo akhir', n(r.closingBalance)],
        ...(r.truncated ? ([['Catatan', `Hanya ${LEDGER_LIMIT} baris pertama; persempit periode.`]] as [string, Cell][]) : []),
      ],
      fileBase: `buku-besar-${r.account.code}-${r.from}-${r.to}`,
    };
  }
  const r = await incomeStatementReport(db, ctx, koperasiId, q.from ?? '', q.to ?? '');
  const name = await koperasiName(db, koperasiId);
  const lines = (xs: { code: string; name: string; amount: bigint }[]) => xs.map((x): Cell[] => [x.code, x.name, n(x.amount)]);
  return {
    kind,
    title: 'Perhitungan Hasil Usaha',
    koperasiName: name,
    period: `${dmy(r.from)} s.d. ${dmy(r.to)}`,
    generatedAt,
    sections: [
      {
        heading: 'Pendapatan',
        columns: ['Kode', 'Akun', 'Jumlah'],
        rows: lines(r.income),
        total: ['', 'Jumlah Pendapatan', n(r.totalIncome)],
      },
      { heading: 'Beban', columns: ['Kode', 'Akun', 'Jumlah'], rows: lines(r.expenses), total: ['', 'Jumlah Beban', n(r.totalExpense)] },
    ],
    summary: [
      ['Jumlah Pendapatan', n(r.totalIncome)],
      ['Jumlah Beban', n(r.totalExpense)],
      ['SHU (pendapatan − beban)', n(r.shu)],
    ],
    fileBase: `perhitungan-hasil-usaha-${r.from}-${r.to}`,
  };
}

// ---------------------------------------------------------------------------------------------
// XLSX

/** One sheet: title, koperasi, period, "Dibuat …", then each section (label in B, amounts from C). */
export async function toXlsx(doc: ReportDoc): Promise<Buffer> {
  // exceljs is loaded on first use (it costs ~30 MB of memory in every process otherwise).
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Ngalam Laris';
  wb.title = `${doc.title} — ${doc.koperasiName}`;
  // Sections may name their sheet (several sheets); the summary goes on the first one.
  const sheetNames = [...new Set(doc.sections.map((s) => s.sheet ?? doc.title))];
  if (sheetNames.length === 0) sheetNames.push(doc.title);
  const sheets = new Map<string, import('exceljs').Worksheet>();
  for (const name of sheetNames) {
    const sheet = wb.addWorksheet(name.slice(0, 31));
    sheet.columns =
      doc.kind === 'general-ledger'
        ? [{ width: 12 }, { width: 8 }, { width: 48 }, { width: 16 }, { width: 16 }, { width: 18 }]
        : [{ width: 10 }, { width: 48 }, { width: 20 }, { width: 20 }];
    sheet.addRow([doc.title]).font = { bold: true, size: 14 };
    sheet.addRow([doc.koperasiName]).font = { bold: true };
    sheet.addRow([doc.period]);
    sheet.addRow([`Dibuat ${doc.generatedAt}`]);
    sheets.set(name, sheet);
  }
  const first = sheets.get(sheetNames[0]!)!;
  let ws = first;
  const money = (row: import('exceljs').Row, from: number) => {
    row.eachCell((c, col) => {
      if (col >= from && typeof c.value === 'number') c.numFmt = '#,##0;-#,##0';
    });
  };
  for (const s of doc.sections) {
    ws = sheets.get(s.sheet ?? doc.title) ?? first;
    ws.addRow([]);
    if (s.heading) ws.addRow([s.heading]).font = { bold: true };
    const head = ws.addRow(s.columns);
    head.font = { bold: true };
    for (const r of s.rows) money(ws.addRow(r), 3);
    if (s.total) {
      const t = ws.addRow(s.total);
      t.font = { bold: true };
      money(t, 3);
    }
  }
  ws = first;
  ws.addRow([]);
  for (const [label, value] of doc.summary) {
    const r = ws.addRow(['', label, value]);
    r.font = { bold: true };
    money(r, 3);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------
// PDF

const rp = (v: Cell) => (typeof v === 'number' ? v.toLocaleString('id-ID') : (v ?? ''));

/** A4 portrait, Helvetica; the koperasi name is also the document's Author (PDF Info). */
export async function toPdf(doc: ReportDoc, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 40,
    compress: opts.compress ?? true,
    info: { Title: `${doc.title} ${doc.koperasiName}`, Author: doc.koperasiName, Subject: doc.period, Creator: 'Ngalam Laris' },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const left = 40;
  const width = pdf.page.width - 80;
  const bottom = () => pdf.page.height - 50;
  // Column x and width: code, name, then one or two amount columns, right-aligned.
  const layout = (cols: number) =>
    cols === 6
      ? [
          { x: left, w: 52 },
          { x: left + 54, w: 34 },
          { x: left + 90, w: width - 90 - 230 },
          { x: left + width - 228, w: 74 },
          { x: left + width - 152, w: 74 },
          { x: left + width - 76, w: 76 },
        ]
      : cols === 4
        ? [
            { x: left, w: 55 },
            { x: left + 60, w: width - 60 - 220 },
            { x: left + width - 215, w: 105 },
            { x: left + width - 105, w: 105 },
          ]
        : [
            { x: left, w: 55 },
            { x: left + 60, w: width - 60 - 130 },
            { x: left + width - 125, w: 125 },
          ];
  let y = 40;
  const ensure = (h: number) => {
    if (y + h > bottom()) {
      pdf.addPage();
      y = 40;
    }
  };
  // A section's own layout (widths relative to the page width), when it has one.
  const custom = (s: Section) => {
    if (!s.widths) return undefined;
    const sum = s.widths.reduce((a, b) => a + b, 0);
    let x = left;
    return s.widths.map((w) => {
      const col = { x, w: (width * w) / sum - 4 };
      x += (width * w) / sum;
      return col;
    });
  };
  const row = (cells: Cell[], bold = false, s?: Section) => {
    const own = s ? custom(s) : undefined;
    const cols = own ?? layout(cells.length === 6 ? 6 : cells.length === 4 ? 4 : 3);
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    const h = Math.max(...cells.map((c, i) => pdf.heightOfString(String(rp(c)), { width: cols[i]?.w ?? 100 }))) + 3;
    ensure(h);
    cells.forEach((c, i) => {
      const col = cols[i];
      if (!col) return;
      const amount = own ? i >= (s?.amountFrom ?? cells.length) : cells.length === 6 ? i >= 3 : i >= 2;
      pdf.text(String(rp(c)), col.x, y, { width: col.w, align: amount ? 'right' : 'left', lineBreak: true });
    });
    y += h;
  };
  const rule = () => {
    pdf
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.5)
      .stroke();
    y += 3;
  };

  pdf.font('Helvetica-Bold').fontSize(14).text(doc.title, left, y, { width });
  y = pdf.y + 2;
  pdf.font('Helvetica-Bold').fontSize(11).text(doc.koperasiName, left, y, { width });
  y = pdf.y + 2;
  pdf.font('Helvetica').fontSize(9).text(doc.period, left, y, { width });
  y = pdf.y + 1;
  pdf.text(`Dibuat ${doc.generatedAt}`, left, y, { width });
  y = pdf.y + 10;

  for (const s of doc.sections) {
    ensure(40);
    if (s.heading) {
      pdf.font('Helvetica-Bold').fontSize(11).text(s.heading, left, y, { width });
      y = pdf.y + 3;
    }
    row(s.columns, true, s);
    rule();
    for (const r of s.rows) row(r, false, s);
    if (s.total) {
      rule();
      row(s.total, true, s);
    }
    y += 8;
  }
  ensure(20 * doc.summary.length);
  rule();
  for (const [label, value] of doc.summary) row(['', label, value], true);

  pdf.end();
  return done;
}

/** File name and content type of a report. */
export function reportFile(doc: ReportDoc, format: ReportFormat) {
  return { fileName: `${doc.fileBase}.${format}`, contentType: REPORT_CONTENT_TYPES[format] };
}

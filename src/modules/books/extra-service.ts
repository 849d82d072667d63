import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { RequestContext } from '../../platform/context.js';
import { AppError, notFound, validationFailed } from '../../platform/errors.js';
import { translator } from '../../platform/i18n/index.js';
import { type MemberCardData, type ReceiptData, terbilangRupiah } from './documents.js';
import { DEFAULT_SETTINGS, isCalendarDate, SAVINGS_ACCOUNT, SAVINGS_KINDS, type SavingsKind } from './domain.js';
import { CASH_ACCOUNTS, CASH_FLOW_CLASSES, type CashFlowClass, cashFlowClass, TERM_DEPOSIT_ACCOUNT } from './extra-domain.js';
import * as xrepo from './extra-repository.js';
import { wibTimestamp } from './report-export.js';
import * as repo from './repository.js';
import { getMember, requireRead, todayWib } from './service.js';

/**
 * Use cases of the books extras (issue 5): savings receipts, member cards, simpanan wajib arrears,
 * cash flow (arus kas), simpanan per member and the member list. All are reads; who may read is
 * the books' rule (service.ts): pengurus and dinas read the whole koperasi, an anggota only their
 * own member record (receipt, card, wajib status), anyone else 404.
 */

type Db = Kysely<Database>;
/** Documents are written in the books' language (Indonesian), whatever the reader uses. */
const idT = translator('id');

function checkDate(date: string, field: string) {
  if (!isCalendarDate(date)) throw validationFailed([{ field, message: 'books.dateInvalid' }]);
}

/** The koperasi's name; an unknown koperasi is 404 (dinas may read any koperasi that exists). */
export async function koperasiNameOf(db: Db, koperasiId: string): Promise<string> {
  const r = await db.selectFrom('organizations').select('name').where('id', '=', koperasiId).executeTakeFirst();
  if (!r) throw notFound();
  return r.name;
}

const wibDateTime = (d: Date) => wibTimestamp(d);

// ---------------------------------------------------------------------------------------------
// Receipts (bukti setor / tarik)

export type Receipt = ReceiptData & { id: string; memberId: string; kind: SavingsKind; type: string };

/** The receipt of one savings transaction; its member must be readable by the caller (an anggota: only their own). */
export async function savingsReceipt(db: Db, ctx: RequestContext, koperasiId: string, txnId: string, now = new Date()): Promise<Receipt> {
  const koperasiName = await koperasiNameOf(db, koperasiId);
  const t = await xrepo.findSavingsTransaction(db, koperasiId, txnId);
  if (!t) {
    // Same answer for "no such receipt" and "not yours": 404 (checked through the member when it exists).
    requireRead(ctx, koperasiId);
    throw notFound('books.x.receiptNotFound');
  }
  const member = await getMember(db, ctx, koperasiId, t.member_id).catch((err: unknown) => {
    if (err instanceof AppError && err.status === 404) throw notFound('books.x.receiptNotFound');
    throw err;
  });
  const prefix = t.type === 'deposit' ? 'BS' : t.type === 'withdrawal' ? 'BT' : t.type === 'interest' ? 'BB' : 'BP';
  return {
    id: t.id,
    memberId: member.id,
    kind: t.kind,
    type: t.type,
    koperasiName,
    receiptNumber: `${prefix}-${String(t.entry_number).padStart(6, '0')}`,
    title: idT(`books.x.receiptTitle.${t.type}`),
    memberName: member.name,
    memberNumber: member.member_number,
    kindLabel: `Simpanan ${idT(`books.kind.${t.kind}`)}`,
    typeLabel: idT(`books.w.type.${t.type}`),
    date: t.txn_date,
    amount: t.amount,
    amountWords: terbilangRupiah(t.amount),
    balanceAfter: t.balance_after,
    recordedBy: t.recorded_by ?? idT('books.x.system'),
    recordedAt: wibDateTime(new Date(t.created_at)),
    journalEntryNumber: t.entry_number,
    generatedAt: wibTimestamp(now),
  };
}

// ---------------------------------------------------------------------------------------------
// Member card

/** Data of a member's card. The QR encodes the member's page in the books (`publicUrl` + path): no NIK, nothing public. */
export async function memberCard(
  db: Db,
  ctx: RequestContext,
  koperasiId: string,
  memberId: string,
  publicUrl: string,
  now = new Date(),
): Promise<MemberCardData> {
  const member = await getMember(db, ctx, koperasiId, memberId);
  return {
    koperasiName: await koperasiNameOf(db, koperasiId),
    memberName: member.name,
    memberNumber: member.member_number,
    joinDate: member.join_date,
    status: idT(`books.w.status.${member.status}`),
    qrText: `${publicUrl}/koperasi/${koperasiId}/anggota/${member.id}`,
    generatedAt: wibTimestamp(now),
  };
}

// ---------------------------------------------------------------------------------------------
// Simpanan wajib due and arrears

async function wajibMonthly(db: Db, koperasiId: string): Promise<bigint> {
  const s = await repo.findSettings(db, koperasiId);
  return s ? s.wajib_monthly_amount : DEFAULT_SETTINGS.wajibMonthlyAmount;
}

const arrearsJson = (r: xrepo.ArrearsRow) => ({
  memberId: r.member_id,
  memberNumber: r.member_number,
  name: r.name,
  joinDate: r.join_date,
  monthsDue: r.months_due,
  paid: r.paid,
  paidMonths: r.paid_months,
  monthsInArrears: r.months_in_arrears,
  owed: r.owed,
});
export type ArrearsItem = ReturnType<typeof arrearsJson>;

/** Active members in arrears of simpanan wajib as of a day (default today), with months and amount owed; totals. */
export async function wajibArrearsList(db: Db, ctx: RequestContext, koperasiId: string, asOf = todayWib()) {
  requireRead(ctx, koperasiId);
  checkDate(asOf, 'asOf');
  await koperasiNameOf(db, koperasiId);
  const monthly = await wajibMonthly(db, koperasiId);
  const rows = (await xrepo.wajibStatus(db, koperasiId, asOf, monthly, { onlyArrears: true })).map(arrearsJson);
  return {
    asOf,
    monthlyAmount: monthly,
    items: rows,
    members: rows.length,
    totalOwed: rows.reduce((s, r) => s + r.owed, 0n),
    totalMonths: rows.reduce((s, r) => s + r.monthsInArrears, 0),
  };
}

/** One member's simpanan wajib status (an anggota: their own). */
export async function memberWajib(db: Db, ctx: RequestContext, koperasiId: string, memberId: string, asOf = todayWib()) {
  checkDate(asOf, 'asOf');
  const member = await getMember(db, ctx, koperasiId, memberId);
  const monthly = await wajibMonthly(db, koperasiId);
  const [row] = await xrepo.wajibStatus(db, koperasiId, asOf, monthly, { memberId: member.id });
  if (!row) throw notFound('books.memberNotFound');
  return { asOf, monthlyAmount: monthly, active: member.status === 'aktif', ...arrearsJson(row) };
}

// ---------------------------------------------------------------------------------------------
// Reports

function checkRange(from: string, to: string) {
  checkDate(from, 'from');
  checkDate(to, 'to');
  if (to < from) throw validationFailed([{ field: 'to', message: 'books.rangeInvalid' }]);
}

export interface CashFlowLine {
  code: string;
  name: string;
  sourceType: string;
  direction: 'in' | 'out';
  amount: bigint;
}

/**
 * Arus kas (direct method) over from..to: every posted entry that moves Kas or Bank, split by its
 * counter-lines into receipts (their credits) and payments (their debits), grouped per class
 * (operasi / investasi / pendanaan, by the counter-account), source type and account. Ties:
 * opening cash + net = closing cash, both read from the ledger.
 */
export async function cashFlow(db: Db, ctx: RequestContext, koperasiId: string, from: string, to: string) {
  requireRead(ctx, koperasiId);
  checkRange(from, to);
  await koperasiNameOf(db, koperasiId);
  const rows = await xrepo.cashCounterLines(db, koperasiId, CASH_ACCOUNTS, from, to);
  const classes = Object.fromEntries(CASH_FLOW_CLASSES.map((c) => [c, { lines: [] as CashFlowLine[], net: 0n }])) as Record<
    CashFlowClass,
    { lines: CashFlowLine[]; net: bigint }
  >;
  for (const r of rows) {
    const c = classes[cashFlowClass(r.code, r.type)];
    if (r.inflow > 0n) c.lines.push({ code: r.code, name: r.name, sourceType: r.source_type, direction: 'in', amount: r.inflow });
    if (r.outflow > 0n) c.lines.push({ code: r.code, name: r.name, sourceType: r.source_type, direction: 'out', amount: -r.outflow });
    c.net += r.inflow - r.outflow;
  }
  const opening = await xrepo.cashBalance(db, koperasiId, CASH_ACCOUNTS, { before: from });
  const closing = await xrepo.cashBalance(db, koperasiId, CASH_ACCOUNTS, { upTo: to });
  const net = CASH_FLOW_CLASSES.reduce((s, c) => s + classes[c].net, 0n);
  return { from, to, classes, opening, net, closing, ties: opening + net === closing };
}

/** The columns of the simpanan-per-member report: the three kinds and simpanan berjangka. */
export const MEMBER_SAVINGS_COLUMNS = [...SAVINGS_KINDS, 'berjangka'] as const;
export type MemberSavingsColumn = (typeof MEMBER_SAVINGS_COLUMNS)[number];
/** The ledger account of each column: 3-1100, 3-1200, 2-1100 (domain.ts) and 2-1200 (extra-domain.ts). */
export const MEMBER_SAVINGS_ACCOUNT: Record<MemberSavingsColumn, string> = { ...SAVINGS_ACCOUNT, berjangka: TERM_DEPOSIT_ACCOUNT };

/**
 * Simpanan per member as of a day: pokok, wajib, sukarela and the term deposits open at the end of
 * that day; totals per column tied to the ledger accounts (3-1100, 3-1200, 2-1100, 2-1200).
 */
export async function memberSavingsReport(db: Db, ctx: RequestContext, koperasiId: string, asOf = todayWib()) {
  requireRead(ctx, koperasiId);
  checkDate(asOf, 'asOf');
  await koperasiNameOf(db, koperasiId);
  const rows = await xrepo.memberSavingsAt(db, koperasiId, asOf);
  const zero = (): Record<MemberSavingsColumn, bigint> => ({ pokok: 0n, wajib: 0n, sukarela: 0n, berjangka: 0n });
  const totals = zero();
  for (const r of rows) for (const k of MEMBER_SAVINGS_COLUMNS) totals[k] += r[k];
  const accounts = await repo.accountTotals(db, koperasiId, null, asOf);
  const ledger = zero();
  for (const k of MEMBER_SAVINGS_COLUMNS) {
    const a = accounts.find((x) => x.code === MEMBER_SAVINGS_ACCOUNT[k]);
    ledger[k] = a ? a.credit - a.debit : 0n;
  }
  const sum = (x: Record<MemberSavingsColumn, bigint>) => MEMBER_SAVINGS_COLUMNS.reduce((s, k) => s + x[k], 0n);
  const items = rows.map((r) => ({
    memberId: r.member_id,
    memberNumber: r.member_number,
    name: r.name,
    status: r.status,
    pokok: r.pokok,
    wajib: r.wajib,
    sukarela: r.sukarela,
    berjangka: r.berjangka,
    total: sum(r),
  }));
  return {
    asOf,
    items,
    totals,
    total: sum(totals),
    ledger,
    ledgerTotal: sum(ledger),
    ties: MEMBER_SAVINGS_COLUMNS.every((k) => totals[k] === ledger[k]),
  };
}

/** All members with status, join date and current simpanan (pokok + wajib + sukarela, berjangka, total); counts per status. */
export async function memberListReport(db: Db, ctx: RequestContext, koperasiId: string) {
  requireRead(ctx, koperasiId);
  await koperasiNameOf(db, koperasiId);
  const rows = await xrepo.membersWithTotals(db, koperasiId);
  const counts = { aktif: 0, keluar: 0, meninggal: 0 };
  for (const r of rows) counts[r.status] += 1;
  return {
    asOf: todayWib(),
    items: rows.map((r) => ({
      memberId: r.member_id,
      memberNumber: r.member_number,
      name: r.name,
      status: r.status,
      joinDate: r.join_date,
      leftAt: r.left_at,
      savings: r.savings,
      berjangka: r.berjangka,
      total: r.savings + r.berjangka,
    })),
    counts,
    totalSavings: rows.reduce((s, r) => s + r.savings + r.berjangka, 0n),
    totalBerjangka: rows.reduce((s, r) => s + r.berjangka, 0n),
  };
}

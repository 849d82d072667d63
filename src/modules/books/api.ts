import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ACCOUNT_TYPES, ENTRY_STATUSES, MEMBER_STATUSES, SAVINGS_KINDS, SAVINGS_TYPES } from './domain.js';
import { memberOpenDeposits } from './extra-deposits.js';
import {
  EntryListQuery,
  InterestInput,
  JournalInput,
  LeaveInput,
  MemberInput,
  MemberListQuery,
  Period,
  RejectInput,
  ReopenInput,
  ReverseInput,
  SavingsInput,
  SettingsInput,
} from './schemas.js';
import * as svc from './service.js';

const N = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const lit = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const Money = (description?: string) => Type.Integer({ description: description ?? 'Whole Rupiah' });
const DateStr = Type.String({ format: 'date' });
const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
const Kop = Type.Object({ id: Type.String({ format: 'uuid' }) });
const KopMember = Type.Object({ id: Type.String({ format: 'uuid' }), memberId: Type.String({ format: 'uuid' }) });
const KopEntry = Type.Object({ id: Type.String({ format: 'uuid' }), entryId: Type.String({ format: 'uuid' }) });
const KopPeriod = Type.Object({ id: Type.String({ format: 'uuid' }), period: Period });
const tags = ['books'];
/** Routes whose body fields are all optional also accept a POST without a body. */
const emptyBody = async (req: FastifyRequest) => {
  if (req.body === undefined || req.body === null) req.body = {};
};

const SettingsJson = Type.Object({
  koperasiId: Type.String(),
  pokokAmount: Money('Simpanan pokok per member'),
  wajibMonthlyAmount: Money('Simpanan wajib per month'),
  sukarelaRateBp: Type.Integer({ description: 'Annual simpanan sukarela interest, basis points' }),
  sukarelaMinBalance: Money(),
  fiscalYearStartMonth: Type.Integer(),
  features: Type.Record(Type.String(), Type.Boolean()),
});

const AccountJson = Type.Object({
  code: Type.String(),
  name: Type.String(),
  type: lit(ACCOUNT_TYPES),
  normalSide: Type.Union([Type.Literal('debit'), Type.Literal('credit')]),
  parentCode: N(Type.String()),
  isHeader: Type.Boolean(),
  isSystem: Type.Boolean(),
});

const MemberJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  koperasiId: Type.String({ format: 'uuid' }),
  memberNumber: Type.Integer(),
  name: Type.String(),
  nik: Type.String(),
  address: N(Type.String()),
  kelurahanCode: N(Type.String()),
  phone: N(Type.String()),
  joinDate: DateStr,
  status: lit(MEMBER_STATUSES),
  leftAt: N(DateStr),
  userId: N(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});

const Balances = Type.Object({ pokok: Money(), wajib: Money(), sukarela: Money() });
/** An open term deposit of a member (simpanan berjangka, extra-deposits.ts), as listed with their balances. */
const TermDepositJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  reference: Type.String({ description: 'SB- + number of the opening journal entry' }),
  productName: Type.String(),
  principal: Money('Amount deposited'),
  termMonths: Type.Integer(),
  rateBp: Type.Integer({ description: 'Annual interest, basis points' }),
  openDate: DateStr,
  maturityDate: DateStr,
  interestAtMaturity: Money('Interest paid at maturity for the whole term (rounded down)'),
  status: Type.Literal('aktif'),
});

const SavingsJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  memberId: Type.String({ format: 'uuid' }),
  kind: lit(SAVINGS_KINDS),
  type: Type.Union([Type.Literal('deposit'), Type.Literal('withdrawal')]),
  amount: Money(),
  date: DateStr,
  journalEntryId: Type.String({ format: 'uuid' }),
  journalEntryNumber: Type.Integer(),
  balance: Money('Balance of this kind after the transaction'),
});

const EntryJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.Integer({ description: 'Per koperasi, 1, 2, 3 …' }),
  date: DateStr,
  memo: Type.String(),
  sourceType: Type.String(),
  sourceId: N(Type.String()),
  status: lit(ENTRY_STATUSES),
  createdBy: N(Type.String()),
  approvedBy: N(Type.String()),
  approvedAt: N(Type.String({ format: 'date-time' })),
  rejectedBy: N(Type.String()),
  rejectedReason: N(Type.String()),
  reversalOf: N(Type.String()),
  reversedBy: N(Type.String()),
  lines: Type.Array(
    Type.Object({ accountCode: Type.String(), accountName: Type.String(), debit: Money(), credit: Money(), memberId: N(Type.String()) }),
  ),
  totalDebit: Money(),
  totalCredit: Money(),
  createdAt: Type.String({ format: 'date-time' }),
});

const PeriodJson = Type.Object({
  period: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  closedBy: N(Type.String()),
  closedAt: N(Type.String({ format: 'date-time' })),
  reopenedBy: N(Type.String()),
  reopenedAt: N(Type.String({ format: 'date-time' })),
});

const StatementLine = Type.Object({ code: Type.String(), name: Type.String(), amount: Money() });

const page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

const int = svc.int;
const settingsOut = svc.toSettingsJson;
const memberOut = svc.toMemberJson;
const periodOut = svc.toPeriodJson;
const lineOut = (xs: { code: string; name: string; amount: bigint }[]) =>
  xs.map((x) => ({ code: x.code, name: x.name, amount: int(x.amount) }));
const balancesOut = (b: Record<'pokok' | 'wajib' | 'sukarela', bigint>) => ({
  pokok: int(b.pokok),
  wajib: int(b.wajib),
  sukarela: int(b.sukarela),
});

/**
 * The cooperative books' JSON API under /api/v1/koperasi/{id}/…: members, simpanan, journal,
 * periods and reports. Writers are the koperasi's pengurus; dinas reads; an anggota reads only
 * their own member record; everyone else gets 404.
 */
export async function booksApi(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const kop = (req: { params: unknown }) => (req.params as { id: string }).id;

  // --- Setup -----------------------------------------------------------------------------------

  app.post(
    '/api/v1/koperasi/:id/books/init',
    {
      schema: {
        tags,
        summary: 'Set up the books (settings and the SAK EP chart of accounts for a KSP); idempotent',
        description: 'Books are also set up on the first write (member, savings, journal, period).',
        params: Kop,
        response: { 200: SettingsJson, ...errors },
      },
    },
    async (req) => settingsOut(await svc.initBooks(db(), req.ctx, kop(req))),
  );

  app.get(
    '/api/v1/koperasi/:id/books/settings',
    { schema: { tags, summary: 'Book settings (pengurus, dinas)', params: Kop, response: { 200: SettingsJson, ...errors } } },
    async (req) => settingsOut(await svc.getSettings(db(), req.ctx, kop(req))),
  );

  app.patch(
    '/api/v1/koperasi/:id/books/settings',
    {
      schema: {
        tags,
        summary: 'Change book settings (pengurus): pokok, wajib, sukarela rate and minimum, fiscal year, features',
        params: Kop,
        body: SettingsInput,
        response: { 200: SettingsJson, ...errors },
      },
    },
    async (req) => settingsOut(await svc.updateSettings(db(), req.ctx, kop(req), req.body as SettingsInput)),
  );

  app.get(
    '/api/v1/koperasi/:id/accounts',
    {
      schema: {
        tags,
        summary: 'Chart of accounts (bagan akun)',
        params: Kop,
        response: { 200: Type.Object({ items: Type.Array(AccountJson) }), ...errors },
      },
    },
    async (req) => ({
      items: (await svc.listAccounts(db(), req.ctx, kop(req))).map((a) => ({
        code: a.code,
        name: a.name,
        type: a.type,
        normalSide: a.normal_side,
        parentCode: a.parent_code,
        isHeader: a.is_header,
        isSystem: a.is_system,
      })),
    }),
  );

  // --- Members ---------------------------------------------------------------------------------

  app.post(
    '/api/v1/koperasi/:id/members',
    {
      schema: {
        tags,
        summary: 'Add a member; the member number is the next of this koperasi',
        params: Kop,
        body: MemberInput,
        response: { 201: MemberJson, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(memberOut(await svc.addMember(db(), req.ctx, kop(req), req.body as MemberInput))),
  );

  app.get(
    '/api/v1/koperasi/:id/members',
    {
      schema: {
        tags,
        summary: 'Members (pengurus, dinas), by member number',
        params: Kop,
        querystring: MemberListQuery,
        response: { 200: page(MemberJson), ...errors },
      },
    },
    async (req) => {
      const r = await svc.listMembers(db(), req.ctx, kop(req), req.query as MemberListQuery);
      return { ...r, items: r.items.map(memberOut) };
    },
  );

  app.get(
    '/api/v1/koperasi/:id/members/me',
    { schema: { tags, summary: "The caller's own member record (anggota)", params: Kop, response: { 200: MemberJson, ...errors } } },
    async (req) => memberOut(await svc.getOwnMember(db(), req.ctx, kop(req))),
  );

  app.get(
    '/api/v1/koperasi/:id/members/:memberId',
    {
      schema: { tags, summary: 'One member (pengurus, dinas, or the member)', params: KopMember, response: { 200: MemberJson, ...errors } },
    },
    async (req) => {
      const p = req.params as { id: string; memberId: string };
      return memberOut(await svc.getMember(db(), req.ctx, p.id, p.memberId));
    },
  );

  app.post(
    '/api/v1/koperasi/:id/members/:memberId/leave',
    {
      schema: {
        tags,
        summary: 'A member leaves (keluar) or has died (meninggal): all simpanan paid back in one step',
        description: 'Pokok, wajib and any sukarela are refunded from Kas with one journal entry; the member becomes inactive.',
        params: KopMember,
        body: LeaveInput,
        response: {
          200: Type.Object({ member: MemberJson, refunded: Balances, total: Money(), journalEntryId: N(Type.String()) }),
          ...errors,
        },
      },
      preValidation: emptyBody,
    },
    async (req) => {
      const p = req.params as { id: string; memberId: string };
      const r = await svc.memberLeaves(db(), req.ctx, p.id, p.memberId, (req.body ?? {}) as LeaveInput);
      return { member: memberOut(r.member), refunded: balancesOut(r.refunded), total: int(r.total), journalEntryId: r.journalEntryId };
    },
  );

  app.get(
    '/api/v1/koperasi/:id/members/:memberId/savings',
    {
      schema: {
        tags,
        summary: "A member's simpanan balances per kind and open term deposits (pengurus, dinas, or the member)",
        description:
          '`total` is pokok + wajib + sukarela (as before); `berjangka` is the principal of the open term deposits ' +
          '(account 2-1200), listed in `termDeposits`; `totalWithBerjangka` = `total` + `berjangka`.',
        params: KopMember,
        response: {
          200: Type.Object({
            memberId: Type.String(),
            memberNumber: Type.Integer(),
            balances: Balances,
            total: Money('Simpanan pokok + wajib + sukarela'),
            berjangka: Money('Principal of the open term deposits (simpanan berjangka, 2-1200)'),
            totalWithBerjangka: Money('total + berjangka'),
            termDeposits: Type.Array(TermDepositJson),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const p = req.params as { id: string; memberId: string };
      const r = await svc.memberBalances(db(), req.ctx, p.id, p.memberId);
      const b = r.balances;
      const total = b.pokok + b.wajib + b.sukarela;
      const deposits = await memberOpenDeposits(db(), p.id, r.member.id);
      return {
        memberId: r.member.id,
        memberNumber: r.member.member_number,
        balances: balancesOut(b),
        total: int(total),
        berjangka: int(deposits.total),
        totalWithBerjangka: int(total + deposits.total),
        termDeposits: deposits.items.map((d) => ({
          id: d.id,
          reference: d.reference,
          productName: d.productName,
          principal: d.principal,
          termMonths: d.termMonths,
          rateBp: d.rateBp,
          openDate: d.openDate,
          maturityDate: d.maturityDate,
          interestAtMaturity: d.interestAtMaturity,
          status: d.status,
        })),
      };
    },
  );

  app.get(
    '/api/v1/koperasi/:id/members/:memberId/statement',
    {
      schema: {
        tags,
        summary: "A member's savings statement over a period (pengurus, dinas, or the member)",
        params: KopMember,
        querystring: Type.Object({ from: Type.Optional(DateStr), to: Type.Optional(DateStr) }),
        response: {
          200: Type.Object({
            member: MemberJson,
            from: DateStr,
            to: DateStr,
            opening: Balances,
            closing: Balances,
            transactions: Type.Array(
              Type.Object({
                id: Type.String(),
                date: DateStr,
                kind: lit(SAVINGS_KINDS),
                type: lit(SAVINGS_TYPES),
                amount: Money(),
                balanceAfter: Money('Balance of this kind after the movement'),
                journalEntryNumber: Type.Integer(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const p = req.params as { id: string; memberId: string };
      const q = req.query as { from?: string; to?: string };
      const to = q.to ?? svc.todayWib();
      const from = q.from ?? `${to.slice(0, 4)}-01-01`;
      const s = await svc.memberStatement(db(), req.ctx, p.id, p.memberId, from, to);
      return {
        member: memberOut(s.member),
        from,
        to,
        opening: balancesOut(s.opening),
        closing: balancesOut(s.closing),
        transactions: s.transactions.map((t) => ({ ...t, amount: int(t.amount), balanceAfter: int(t.balanceAfter) })),
      };
    },
  );

  // --- Savings ---------------------------------------------------------------------------------

  app.post(
    '/api/v1/koperasi/:id/savings/transactions',
    {
      schema: {
        tags,
        summary: 'Record a simpanan deposit or withdrawal (pengurus); returns the new balance',
        description:
          'Posts a balanced journal entry (Kas against the simpanan account) in the same transaction. Pokok and wajib cannot be ' +
          'withdrawn (422); a sukarela withdrawal above the balance or below the minimum balance is refused (409); pokok is paid once ' +
          '(422); a date in a closed period is refused (409). A refused request records nothing.',
        params: Kop,
        body: SavingsInput,
        response: { 201: SavingsJson, ...errors },
      },
    },
    async (req, reply) => {
      const r = await svc.recordSavings(db(), req.ctx, kop(req), req.body as SavingsInput);
      return reply.status(201).send({ ...r, amount: int(r.amount), balance: int(r.balance) });
    },
  );

  app.post(
    '/api/v1/koperasi/:id/savings/interest',
    {
      schema: {
        tags,
        summary: 'Credit simpanan sukarela interest for a month that has ended (pengurus); idempotent per month',
        description:
          'Daily interest on end-of-day balances at the annual rate / 365, summed over the month and rounded down to the Rupiah ' +
          '(ADR 0007). 201 when credited now, 200 with alreadyCredited=true when that month was credited before.',
        params: Kop,
        body: InterestInput,
        response: {
          201: Type.Object({
            period: Type.String(),
            alreadyCredited: Type.Boolean(),
            total: Money(),
            members: Type.Integer(),
            rateBp: Type.Integer(),
            journalEntryId: N(Type.String()),
          }),
          200: Type.Object({
            period: Type.String(),
            alreadyCredited: Type.Boolean(),
            total: Money(),
            members: Type.Integer(),
            rateBp: Type.Integer(),
            journalEntryId: N(Type.String()),
          }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const r = await svc.creditSukarelaInterest(db(), req.ctx, kop(req), (req.body as { month: string }).month);
      return reply.status(r.alreadyCredited ? 200 : 201).send({ ...r, total: int(r.total) });
    },
  );

  // --- Journal ---------------------------------------------------------------------------------

  app.post(
    '/api/v1/koperasi/:id/journal-entries',
    {
      schema: {
        tags,
        summary: 'Write a manual journal entry (pengurus); it waits for approval by another pengurus',
        description:
          'Each line has a debit or a credit (one, above zero). Unbalanced → 422; a date in a closed period → 409. The simpanan ' +
          'accounts (3-1100, 3-1200, 2-1100) change only through savings transactions (422).',
        params: Kop,
        body: JournalInput,
        response: { 201: EntryJson, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createManualEntry(db(), req.ctx, kop(req), req.body as JournalInput)),
  );

  app.get(
    '/api/v1/koperasi/:id/journal-entries',
    {
      schema: {
        tags,
        summary: 'Journal entries, newest first (pengurus, dinas)',
        params: Kop,
        querystring: EntryListQuery,
        response: { 200: page(EntryJson), ...errors },
      },
    },
    async (req) => svc.listEntries(db(), req.ctx, kop(req), req.query as EntryListQuery),
  );

  app.get(
    '/api/v1/koperasi/:id/journal-entries/:entryId',
    { schema: { tags, summary: 'One journal entry with its lines', params: KopEntry, response: { 200: EntryJson, ...errors } } },
    async (req) => {
      const p = req.params as { id: string; entryId: string };
      return svc.getEntry(db(), req.ctx, p.id, p.entryId);
    },
  );

  app.post(
    '/api/v1/koperasi/:id/journal-entries/:entryId/approve',
    {
      schema: {
        tags,
        summary: 'Approve and post a pending entry (another pengurus than its writer: 403 otherwise)',
        params: KopEntry,
        response: { 200: EntryJson, ...errors },
      },
    },
    async (req) => {
      const p = req.params as { id: string; entryId: string };
      return svc.approveEntry(db(), req.ctx, p.id, p.entryId);
    },
  );

  app.post(
    '/api/v1/koperasi/:id/journal-entries/:entryId/reject',
    {
      schema: {
        tags,
        summary: 'Reject a pending entry (pengurus)',
        params: KopEntry,
        body: RejectInput,
        response: { 200: EntryJson, ...errors },
      },
      preValidation: emptyBody,
    },
    async (req) => {
      const p = req.params as { id: string; entryId: string };
      return svc.rejectEntry(db(), req.ctx, p.id, p.entryId, (req.body as { reason?: string } | undefined)?.reason);
    },
  );

  app.post(
    '/api/v1/koperasi/:id/journal-entries/:entryId/reverse',
    {
      schema: {
        tags,
        summary: 'Reverse a posted manual entry: a new posted entry with debits and credits swapped, linked both ways',
        description:
          'Posted entries are never edited or deleted. Reversing twice → 409; savings entries → 422 (record a savings transaction).',
        params: KopEntry,
        body: ReverseInput,
        response: { 201: EntryJson, ...errors },
      },
      preValidation: emptyBody,
    },
    async (req, reply) => {
      const p = req.params as { id: string; entryId: string };
      return reply.status(201).send(await svc.reverseEntry(db(), req.ctx, p.id, p.entryId, (req.body ?? {}) as ReverseInput));
    },
  );

  // --- Periods ---------------------------------------------------------------------------------

  app.get(
    '/api/v1/koperasi/:id/periods',
    {
      schema: {
        tags,
        summary: 'Months that have been used, closed or reopened',
        params: Kop,
        response: { 200: Type.Object({ items: Type.Array(PeriodJson) }), ...errors },
      },
    },
    async (req) => ({ items: (await svc.listPeriods(db(), req.ctx, kop(req))).map(periodOut) }),
  );

  app.post(
    '/api/v1/koperasi/:id/periods/:period/close',
    {
      schema: {
        tags,
        summary: 'Close a month (pengurus): nothing dated in it can be posted; pending entries in it block closing (409)',
        params: KopPeriod,
        response: { 200: PeriodJson, ...errors },
      },
    },
    async (req) => {
      const p = req.params as { id: string; period: string };
      return periodOut(await svc.closePeriod(db(), req.ctx, p.id, p.period));
    },
  );

  app.post(
    '/api/v1/koperasi/:id/periods/:period/reopen',
    {
      schema: {
        tags,
        summary: 'Reopen a closed month (pengurus; audited)',
        params: KopPeriod,
        body: ReopenInput,
        response: { 200: PeriodJson, ...errors },
      },
      preValidation: emptyBody,
    },
    async (req) => {
      const p = req.params as { id: string; period: string };
      return periodOut(await svc.reopenPeriod(db(), req.ctx, p.id, p.period, (req.body as { reason?: string } | undefined)?.reason));
    },
  );

  // --- Reports ---------------------------------------------------------------------------------

  app.get(
    '/api/v1/koperasi/:id/reports/trial-balance',
    {
      schema: {
        tags,
        summary: 'Trial balance (neraca saldo) as of a day, posted entries only',
        params: Kop,
        querystring: Type.Object({ asOf: Type.Optional(DateStr) }),
        response: {
          200: Type.Object({
            asOf: DateStr,
            accounts: Type.Array(
              Type.Object({ code: Type.String(), name: Type.String(), type: lit(ACCOUNT_TYPES), debit: Money(), credit: Money() }),
            ),
            totalDebit: Money(),
            totalCredit: Money(),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await svc.trialBalance(db(), req.ctx, kop(req), (req.query as { asOf?: string }).asOf);
      return {
        asOf: r.asOf,
        accounts: r.accounts.map((a) => ({ ...a, debit: int(a.debit), credit: int(a.credit) })),
        totalDebit: int(r.totalDebit),
        totalCredit: int(r.totalCredit),
      };
    },
  );

  app.get(
    '/api/v1/koperasi/:id/reports/balance-sheet',
    {
      schema: {
        tags,
        summary: 'Balance sheet (neraca) as of a day; the fiscal year result so far shows as SHU tahun berjalan',
        params: Kop,
        querystring: Type.Object({ asOf: Type.Optional(DateStr) }),
        response: {
          200: Type.Object({
            asOf: DateStr,
            fiscalYearStart: DateStr,
            assets: Type.Array(StatementLine),
            liabilities: Type.Array(StatementLine),
            equity: Type.Array(StatementLine),
            totalAssets: Money(),
            totalLiabilities: Money(),
            totalEquity: Money(),
            totalLiabilitiesAndEquity: Money(),
            balanced: Type.Boolean(),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await svc.balanceSheetReport(db(), req.ctx, kop(req), (req.query as { asOf?: string }).asOf);
      return {
        asOf: r.asOf,
        fiscalYearStart: r.fiscalYearStart,
        assets: lineOut(r.assets),
        liabilities: lineOut(r.liabilities),
        equity: lineOut(r.equity),
        totalAssets: int(r.totalAssets),
        totalLiabilities: int(r.totalLiabilities),
        totalEquity: int(r.totalEquity),
        totalLiabilitiesAndEquity: int(r.totalLiabilitiesAndEquity),
        balanced: r.balanced,
      };
    },
  );

  app.get(
    '/api/v1/koperasi/:id/reports/income-statement',
    {
      schema: {
        tags,
        summary: 'Income statement (perhitungan hasil usaha) over a period; SHU = income − expenses',
        params: Kop,
        querystring: Type.Object({ from: DateStr, to: DateStr }),
        response: {
          200: Type.Object({
            from: DateStr,
            to: DateStr,
            income: Type.Array(StatementLine),
            expenses: Type.Array(StatementLine),
            totalIncome: Money(),
            totalExpense: Money(),
            shu: Money('Income − expenses (before tax)'),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const q = req.query as { from: string; to: string };
      const r = await svc.incomeStatementReport(db(), req.ctx, kop(req), q.from, q.to);
      return {
        from: r.from,
        to: r.to,
        income: lineOut(r.income),
        expenses: lineOut(r.expenses),
        totalIncome: int(r.totalIncome),
        totalExpense: int(r.totalExpense),
        shu: int(r.shu),
      };
    },
  );

  app.get(
    '/api/v1/koperasi/:id/reports/general-ledger',
    {
      schema: {
        tags,
        summary: 'General ledger (buku besar) of one account with a running balance',
        description: `At most ${svc.LEDGER_LIMIT} lines; \`truncated\` says when there are more (narrow the dates).`,
        params: Kop,
        querystring: Type.Object({
          accountCode: Type.String({ pattern: '^[0-9]-[0-9]{4}$' }),
          from: Type.Optional(DateStr),
          to: Type.Optional(DateStr),
        }),
        response: {
          200: Type.Object({
            account: Type.Object({ code: Type.String(), name: Type.String(), type: lit(ACCOUNT_TYPES), normalSide: Type.String() }),
            from: DateStr,
            to: DateStr,
            openingBalance: Money('On the normal side'),
            lines: Type.Array(
              Type.Object({
                date: DateStr,
                entryId: Type.String(),
                entryNumber: Type.Integer(),
                memo: Type.String(),
                debit: Money(),
                credit: Money(),
                memberId: N(Type.String()),
                balance: Money(),
              }),
            ),
            totalDebit: Money(),
            totalCredit: Money(),
            closingBalance: Money(),
            truncated: Type.Boolean(),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const q = req.query as { accountCode: string; from?: string; to?: string };
      const to = q.to ?? svc.todayWib();
      const from = q.from ?? `${to.slice(0, 4)}-01-01`;
      const r = await svc.generalLedger(db(), req.ctx, kop(req), q.accountCode, from, to);
      return {
        ...r,
        openingBalance: int(r.openingBalance),
        lines: r.lines.map((l) => ({ ...l, debit: int(l.debit), credit: int(l.credit), balance: int(l.balance) })),
        totalDebit: int(r.totalDebit),
        totalCredit: int(r.totalCredit),
        closingBalance: int(r.closingBalance),
      };
    },
  );
}

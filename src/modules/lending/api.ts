import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  AnalysisInput,
  AsOfQuery,
  DisburseInput,
  EARLY_PAYOFF_RULES,
  LendingSettingsInput,
  LOAN_STATUSES,
  LoanInput,
  LoanListQuery,
  METHODS,
  PayoffInput,
  PENALTY_MODES,
  ProductInput,
  ProductPatch,
  ReasonInput,
  RepaymentInput,
  RescheduleInput,
  WriteoffInput,
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
const KopLoan = Type.Object({ id: Type.String({ format: 'uuid' }), loanId: Type.String({ format: 'uuid' }) });
const KopProduct = Type.Object({ id: Type.String({ format: 'uuid' }), productId: Type.String({ format: 'uuid' }) });
const tags = ['lending'];

const ProductJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  koperasiId: Type.String({ format: 'uuid' }),
  name: Type.String(),
  method: lit(METHODS),
  annualRatePercent: Type.Number(),
  rateBasis: lit(['year', 'month'] as const),
  monthlyRatePercent: Type.Number(),
  minTerm: Type.Integer(),
  maxTerm: Type.Integer(),
  minAmount: Money(),
  maxAmount: Money(),
  maxSavingsMultiple: N(Type.Number()),
  adminFeePercent: Type.Number(),
  adminFeeFlat: Money(),
  provisiPercent: Type.Number(),
  feeTiming: lit(['deducted', 'upfront'] as const),
  penaltyMode: lit(PENALTY_MODES),
  penaltyRatePercent: Type.Number(),
  graceMonths: Type.Integer(),
  roundingUnit: Money(),
  earlyPayoffRule: lit(EARLY_PAYOFF_RULES),
  writeoffMinDays: Type.Integer(),
  active: Type.Boolean(),
});

const Component = Type.Object({ principal: Money(), interest: Money(), penalty: Money(), total: Money() });

const LoanJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  koperasiId: Type.String({ format: 'uuid' }),
  number: Type.Integer(),
  memberId: Type.String({ format: 'uuid' }),
  memberName: Type.String(),
  memberNumber: Type.Integer(),
  productId: Type.String({ format: 'uuid' }),
  productName: Type.String(),
  principal: Money(),
  termMonths: Type.Integer(),
  method: lit(METHODS),
  annualRatePercent: Type.Number(),
  roundingUnit: Money(),
  graceMonths: Type.Integer(),
  purpose: Type.String(),
  collateral: N(Type.String()),
  guarantor: N(Type.String()),
  analysisNotes: N(Type.String()),
  status: lit(LOAN_STATUSES),
  enteredBy: N(Type.String()),
  appliedOn: DateStr,
  decidedBy: N(Type.String()),
  rejectionReason: N(Type.String()),
  disbursedOn: N(DateStr),
  disbursementMethod: N(lit(['cash', 'transfer'] as const)),
  adminFee: Money(),
  provisiFee: Money(),
  scheduleVersion: Type.Integer(),
  closedOn: N(DateStr),
  asOf: DateStr,
  daysPastDue: Type.Integer(),
  kolektibilitas: Type.String(),
  outstanding: Component,
  dueNow: Component,
  schedule: Type.Array(
    Type.Object({
      number: Type.Integer(),
      dueDate: DateStr,
      principal: Money(),
      interest: Money(),
      total: Money(),
      paidPrincipal: Money(),
      paidInterest: Money(),
      waivedInterest: Money(),
      penalty: Money(),
      paidPenalty: Money(),
      owed: Money(),
      settledOn: N(DateStr),
      state: lit(['lunas', 'terlambat', 'belum'] as const),
    }),
  ),
});

const LoanSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.Integer(),
  memberId: Type.String({ format: 'uuid' }),
  memberName: Type.String(),
  memberNumber: Type.Integer(),
  productName: Type.String(),
  principal: Money(),
  principalOutstanding: Money(),
  termMonths: Type.Integer(),
  status: lit(LOAN_STATUSES),
  appliedOn: DateStr,
  disbursedOn: N(DateStr),
  daysPastDue: Type.Integer(),
  kolektibilitas: Type.String(),
});

const RepaymentJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  loanId: Type.String({ format: 'uuid' }),
  date: DateStr,
  amount: Money(),
  penalty: Money(),
  interest: Money(),
  principal: Money(),
  kind: lit(['angsuran', 'pelunasan'] as const),
  journalEntryId: Type.String({ format: 'uuid' }),
  journalEntryNumber: Type.Integer(),
  loanStatus: lit(LOAN_STATUSES),
  principalOutstanding: Money(),
});

const QuoteJson = Type.Object({
  asOf: DateStr,
  penalty: Money(),
  interest: Money(),
  principal: Money(),
  waivedInterest: Money('Scheduled interest not charged under the early-payoff rule'),
  total: Money('What settles the loan on that day'),
});

const Band = Type.Object({ code: Type.String(), minDays: Type.Integer(), maxDays: N(Type.Integer()) });
const SettingsJson = Type.Object({ kolBands: Type.Array(Band), reminderDaysBefore: Type.Integer() });

const int = (n: bigint) => Number(n);
const summary = (l: svc.LoanRow) => ({
  id: l.id,
  number: l.number,
  memberId: l.member_id,
  memberName: l.member_name,
  memberNumber: l.member_number,
  productName: l.product_name,
  principal: int(l.principal),
  principalOutstanding: int(l.principal_outstanding),
  termMonths: l.term_months,
  status: l.status,
  appliedOn: l.applied_on,
  disbursedOn: l.disbursed_on,
  daysPastDue: l.days_past_due,
  kolektibilitas: l.kolektibilitas,
});
const repaymentOut = (r: svc.RepaymentResult) => ({
  ...r,
  amount: int(r.amount),
  penalty: int(r.penalty),
  interest: int(r.interest),
  principal: int(r.principal),
  principalOutstanding: int(r.principalOutstanding),
});

/**
 * Lending JSON API under /api/v1/koperasi/{id}/…: loan products, loans through their lifecycle
 * (diajukan → disetujui|ditolak → aktif → lunas|dihapusbukukan), repayments, payoff, reschedule,
 * write-off, arrears and aging. Pengurus of the koperasi write; dinas reads; a member sees and
 * applies for only their own loans; everyone else gets 404.
 */
export async function lendingApi(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const p = (req: FastifyRequest) => req.params as { id: string; loanId: string; productId: string };
  const loanOut = async (req: FastifyRequest, loan: svc.LoanRow) =>
    svc.toLoanJson(await svc.getLoan(db(), req.ctx, loan.koperasi_id, loan.id));

  // --- Settings ----------------------------------------------------------------------------------

  app.get(
    '/api/v1/koperasi/:id/lending/settings',
    { schema: { tags, summary: 'Kolektibilitas bands and reminder days', params: Kop, response: { 200: SettingsJson, ...errors } } },
    async (req) => svc.getLendingSettings(db(), req.ctx, p(req).id),
  );
  app.patch(
    '/api/v1/koperasi/:id/lending/settings',
    {
      schema: {
        tags,
        summary: 'Change kolektibilitas bands (contiguous from 0 days, last open-ended) or reminder days (pengurus)',
        params: Kop,
        body: LendingSettingsInput,
        response: { 200: SettingsJson, ...errors },
      },
    },
    async (req) => svc.updateLendingSettings(db(), req.ctx, p(req).id, req.body as LendingSettingsInput),
  );

  // --- Products ----------------------------------------------------------------------------------

  app.get(
    '/api/v1/koperasi/:id/loan-products',
    {
      schema: {
        tags,
        summary: 'Loan products of the koperasi (members see the active ones)',
        params: Kop,
        response: { 200: Type.Object({ items: Type.Array(ProductJson) }), ...errors },
      },
    },
    async (req) => ({ items: (await svc.listProducts(db(), req.ctx, p(req).id)).map(svc.toProductJson) }),
  );
  app.post(
    '/api/v1/koperasi/:id/loan-products',
    {
      schema: {
        tags,
        summary: 'Create a loan product (pengurus)',
        params: Kop,
        body: ProductInput,
        response: { 201: ProductJson, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(svc.toProductJson(await svc.createProduct(db(), req.ctx, p(req).id, req.body as ProductInput))),
  );
  app.get(
    '/api/v1/koperasi/:id/loan-products/:productId',
    { schema: { tags, summary: 'One loan product', params: KopProduct, response: { 200: ProductJson, ...errors } } },
    async (req) => svc.toProductJson(await svc.getProduct(db(), req.ctx, p(req).id, p(req).productId)),
  );
  app.patch(
    '/api/v1/koperasi/:id/loan-products/:productId',
    {
      schema: {
        tags,
        summary: 'Change a loan product (pengurus); loans already applied for keep their terms',
        params: KopProduct,
        body: ProductPatch,
        response: { 200: ProductJson, ...errors },
      },
    },
    async (req) => svc.toProductJson(await svc.updateProduct(db(), req.ctx, p(req).id, p(req).productId, req.body as ProductPatch)),
  );

  // --- Loans -------------------------------------------------------------------------------------

  app.get(
    '/api/v1/koperasi/:id/loans',
    {
      schema: {
        tags,
        summary: 'Loans (pengurus, dinas; a member gets only their own), applications first',
        params: Kop,
        querystring: LoanListQuery,
        response: {
          200: Type.Object({ items: Type.Array(LoanSummary), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await svc.listLoans(db(), req.ctx, p(req).id, req.query as LoanListQuery);
      return { ...r, items: r.items.map(summary) };
    },
  );
  app.post(
    '/api/v1/koperasi/:id/loans',
    {
      schema: {
        tags,
        summary: 'Apply for a loan (pengurus for a member, or a member for themself) → diajukan',
        params: Kop,
        body: LoanInput,
        response: { 201: LoanJson, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await loanOut(req, await svc.applyForLoan(db(), req.ctx, p(req).id, req.body as LoanInput))),
  );
  app.get(
    '/api/v1/koperasi/:id/loans/aging',
    {
      schema: {
        tags,
        summary: 'Aging report: active loans per kolektibilitas band',
        params: Kop,
        querystring: AsOfQuery,
        response: {
          200: Type.Object({
            asOf: DateStr,
            bands: Type.Array(
              Type.Object({
                code: Type.String(),
                minDays: Type.Integer(),
                maxDays: N(Type.Integer()),
                loans: Type.Integer(),
                principal: Money(),
              }),
            ),
            totalPrincipal: Money(),
            problemPrincipal: Money('Outstanding principal more than 90 days past due'),
            nonCurrentPrincipal: Money(
              'Outstanding principal of every loan not lancar (any day past due): the "problem loans" of the health self-assessment',
            ),
            loans: Type.Array(
              Type.Object({
                id: Type.String(),
                number: Type.Integer(),
                memberName: Type.String(),
                memberNumber: Type.Integer(),
                principalOutstanding: Money(),
                daysPastDue: Type.Integer(),
                kolektibilitas: Type.String(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await svc.agingReport(db(), req.ctx, p(req).id, (req.query as { asOf?: string }).asOf);
      return {
        asOf: r.asOf,
        bands: r.bands.map((b) => ({ code: b.code, minDays: b.minDays, maxDays: b.maxDays, loans: b.loans, principal: int(b.principal) })),
        totalPrincipal: int(r.totalPrincipal),
        problemPrincipal: int(r.problemPrincipal),
        nonCurrentPrincipal: int(r.nonCurrentPrincipal),
        loans: r.loans.map((l) => ({
          id: l.id,
          number: l.number,
          memberName: l.member_name,
          memberNumber: l.member_number,
          principalOutstanding: int(l.principal_outstanding),
          daysPastDue: l.days_past_due,
          kolektibilitas: l.kolektibilitas,
        })),
      };
    },
  );
  app.post(
    '/api/v1/koperasi/:id/loans/arrears-run',
    {
      schema: {
        tags,
        summary:
          'Run the arrears (penalties, days past due, kolektibilitas, reminders) now for this koperasi (pengurus); the job runner does it nightly',
        params: Kop,
        response: {
          200: Type.Object({ loans: Type.Integer(), penaltiesAccrued: Money(), reminders: Type.Integer() }),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await svc.runArrearsFor(db(), req.ctx, p(req).id);
      return { loans: r.loans, penaltiesAccrued: int(r.penaltiesAccrued), reminders: r.reminders };
    },
  );
  app.get(
    '/api/v1/koperasi/:id/loans/:loanId',
    {
      schema: {
        tags,
        summary: 'A loan with its schedule, days past due and kolektibilitas (pengurus, dinas, the member)',
        params: KopLoan,
        querystring: AsOfQuery,
        response: { 200: LoanJson, ...errors },
      },
    },
    async (req) => svc.toLoanJson(await svc.getLoan(db(), req.ctx, p(req).id, p(req).loanId, (req.query as { asOf?: string }).asOf)),
  );
  app.get(
    '/api/v1/koperasi/:id/loans/:loanId/payoff-quote',
    {
      schema: {
        tags,
        summary: 'What settles the loan on a day (early-payoff rule of its product)',
        params: KopLoan,
        querystring: AsOfQuery,
        response: { 200: QuoteJson, ...errors },
      },
    },
    async (req) => {
      const date = (req.query as { date?: string; asOf?: string }).date ?? (req.query as { asOf?: string }).asOf ?? svc.todayWibText();
      return svc.toQuoteJson(await svc.quotePayoff(db(), req.ctx, p(req).id, p(req).loanId, date), date);
    },
  );

  const transition = (path: string, summaryText: string, body: TSchema | null, run: (req: FastifyRequest) => Promise<svc.LoanRow>) =>
    app.post(
      `/api/v1/koperasi/:id/loans/:loanId/${path}`,
      {
        schema: { tags, summary: summaryText, params: KopLoan, ...(body ? { body } : {}), response: { 200: LoanJson, ...errors } },
        preValidation: async (req) => {
          if (req.body === undefined || req.body === null) req.body = {};
        },
      },
      async (req) => loanOut(req, await run(req)),
    );

  transition('analysis', 'Analysis notes (pengurus), while diajukan', AnalysisInput, (req) =>
    svc.addAnalysis(db(), req.ctx, p(req).id, p(req).loanId, req.body as AnalysisInput),
  );
  transition('approve', 'Approve (a pengurus who did not enter the loan; 403 otherwise) → disetujui', null, (req) =>
    svc.approveLoan(db(), req.ctx, p(req).id, p(req).loanId),
  );
  transition('reject', 'Reject with a reason → ditolak', ReasonInput, (req) =>
    svc.rejectLoan(db(), req.ctx, p(req).id, p(req).loanId, req.body as ReasonInput),
  );
  transition('disburse', 'Disburse (cash or transfer, fees handled) → aktif; the schedule starts that day', DisburseInput, (req) =>
    svc.disburseLoan(db(), req.ctx, p(req).id, p(req).loanId, req.body as DisburseInput),
  );
  transition('reschedule', 'Reschedule the remaining principal (a new schedule version; the old one is kept)', RescheduleInput, (req) =>
    svc.rescheduleLoan(db(), req.ctx, p(req).id, p(req).loanId, req.body as RescheduleInput),
  );
  transition('write-off', 'Write off by the product’s rule (days past due) → dihapusbukukan', WriteoffInput, (req) =>
    svc.writeOffLoan(db(), req.ctx, p(req).id, p(req).loanId, req.body as WriteoffInput),
  );

  app.post(
    '/api/v1/koperasi/:id/loans/:loanId/repayments',
    {
      schema: {
        tags,
        summary: 'Record a repayment: applied to penalty, then interest, then principal, oldest instalment first',
        params: KopLoan,
        body: RepaymentInput,
        response: { 201: RepaymentJson, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(repaymentOut(await svc.recordRepayment(db(), req.ctx, p(req).id, p(req).loanId, req.body as RepaymentInput))),
  );
  app.post(
    '/api/v1/koperasi/:id/loans/:loanId/payoff',
    {
      schema: {
        tags,
        summary: 'Early payoff: the amount must equal the day’s payoff quote (409 with the quote otherwise) → lunas',
        params: KopLoan,
        body: PayoffInput,
        response: { 201: RepaymentJson, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(repaymentOut(await svc.payOff(db(), req.ctx, p(req).id, p(req).loanId, req.body as PayoffInput))),
  );
}

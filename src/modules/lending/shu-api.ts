import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validationFailed } from '../../platform/errors.js';
import { EXPORT_FORMATS, reportFile, toPdf, toXlsx } from '../books/report-export.js';
import { shuReport } from './shu-report.js';
import * as shu from './shu-service.js';

const N = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const lit = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const Money = (description?: string) => Type.Integer({ description: description ?? 'Whole Rupiah' });
const DateStr = Type.String({ format: 'date' });
const Percent = Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]{1,6})?$', description: 'Decimal percent, e.g. "40" or "2.5"' });
const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
const Kop = Type.Object({ id: Type.String({ format: 'uuid' }) });
const KopYear = Type.Object({
  id: Type.String({ format: 'uuid' }),
  year: Type.String({ pattern: '^[0-9]{4}$', description: 'Fiscal year, YYYY' }),
});
const KopYearMember = Type.Object({
  id: Type.String({ format: 'uuid' }),
  year: Type.String({ pattern: '^[0-9]{4}$' }),
  memberId: Type.String({ format: 'uuid' }),
});
const tags = ['shu'];

export const ShuSettingsBody = Type.Object(
  {
    allocations: Type.Array(Type.Object({ key: lit(shu.SHU_ALLOCATION_KEYS), percent: Percent }, { additionalProperties: false }), {
      minItems: 3,
      maxItems: shu.SHU_ALLOCATION_KEYS.length,
    }),
    savingsBase: Type.Optional(lit(shu.SHU_SAVINGS_BASES)),
    transactions: Type.Optional(
      Type.Object(
        { loanInterest: Type.Optional(Type.Boolean()), shopPurchases: Type.Optional(Type.Boolean()) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
const SettingsJson = Type.Object({
  allocations: Type.Array(Type.Object({ key: lit(shu.SHU_ALLOCATION_KEYS), percent: Type.String() })),
  savingsBase: lit(shu.SHU_SAVINGS_BASES),
  transactions: Type.Object({ loanInterest: Type.Boolean(), shopPurchases: Type.Boolean() }),
});
export const ApproveBody = Type.Object(
  { ratDate: DateStr, note: Type.String({ minLength: 1, maxLength: 2000, description: 'The RAT decision' }) },
  { additionalProperties: false },
);
export const PostBody = Type.Object({ date: Type.Optional(DateStr) }, { additionalProperties: false });
export const CancelBody = Type.Object(
  { date: Type.Optional(DateStr), reason: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
export const PayoutBody = Type.Object(
  {
    method: lit(shu.SHU_PAYOUT_METHODS),
    memberId: Type.Optional(Type.String({ format: 'uuid', description: 'One member; without it every member not yet paid' })),
    date: Type.Optional(DateStr),
  },
  { additionalProperties: false },
);

const RunJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  koperasiId: Type.String({ format: 'uuid' }),
  year: Type.Integer(),
  status: lit(shu.SHU_STATUSES),
  shu: Money('SHU from the books (what the year-end close credited to 3-1500)'),
  allocations: Type.Array(
    Type.Object({ key: Type.String(), label: Type.String(), percent: Type.String(), amount: Money(), account: Type.String() }),
  ),
  cadanganExtra: Money('Rounding leftover and zero-base pools, added to cadangan'),
  cadanganTotal: Money(),
  settings: SettingsJson,
  members: Type.Integer(),
  savingsTotal: Money(),
  transactionsTotal: Money(),
  jasaModalTotal: Money(),
  jasaUsahaTotal: Money(),
  paidTotal: Money(),
  paidMembers: Type.Integer(),
  simulatedAt: Type.String({ format: 'date-time' }),
  ratDate: N(DateStr),
  decisionNote: N(Type.String()),
  approvedBy: N(Type.String()),
  approvedAt: N(Type.String({ format: 'date-time' })),
  postedEntryId: N(Type.String({ format: 'uuid' })),
  postedAt: N(Type.String({ format: 'date-time' })),
});
const MemberJson = Type.Object({
  memberId: Type.String({ format: 'uuid' }),
  memberNumber: Type.Integer(),
  name: Type.String(),
  savings: Money('Savings base'),
  loanInterest: Money('Loan interest paid in the year (0 when not in the base)'),
  purchases: Money('Shop purchases in the year (0 when not in the base)'),
  transactions: Money('Transactions base'),
  jasaModal: Money(),
  jasaUsaha: Money(),
  total: Money(),
  paidMethod: N(lit(shu.SHU_PAYOUT_METHODS)),
  paidOn: N(DateStr),
});

const int = (n: bigint) => Number(n);
export function runOut(r: shu.ShuRunJson) {
  return {
    ...r,
    shu: int(r.shu),
    allocations: r.allocations.map((a) => ({ ...a, amount: int(a.amount) })),
    cadanganExtra: int(r.cadanganExtra),
    cadanganTotal: int(r.cadanganTotal),
    savingsTotal: int(r.savingsTotal),
    transactionsTotal: int(r.transactionsTotal),
    jasaModalTotal: int(r.jasaModalTotal),
    jasaUsahaTotal: int(r.jasaUsahaTotal),
    paidTotal: int(r.paidTotal),
  };
}
export function memberOut(m: shu.ShuMemberJson) {
  return {
    ...m,
    savings: int(m.savings),
    loanInterest: int(m.loanInterest),
    purchases: int(m.purchases),
    transactions: int(m.transactions),
    jasaModal: int(m.jasaModal),
    jasaUsaha: int(m.jasaUsaha),
    total: int(m.total),
  };
}

/**
 * SHU JSON API under /api/v1/koperasi/{id}/shu/…: settings, and per closed fiscal year simulate →
 * approve (RAT) → post (→ cancel-post) → payout, the members' parts, one member's statement and the
 * XLSX/PDF export. Pengurus of the koperasi write; pengurus and dinas read; a member reads only
 * their own statement (and /shu/mine); everyone else gets 404.
 */
export async function shuApi(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const kop = (req: FastifyRequest) => (req.params as { id: string }).id;
  const year = (req: FastifyRequest) => {
    const y = Number((req.params as { year: string }).year);
    if (!Number.isInteger(y)) throw validationFailed([{ field: 'year', message: 'field.invalid' }]);
    return y;
  };

  app.get(
    '/api/v1/koperasi/:id/shu/settings',
    {
      schema: {
        tags,
        summary: 'SHU settings: allocation percentages, savings and transactions base',
        params: Kop,
        response: { 200: SettingsJson, ...errors },
      },
    },
    async (req) => shu.getShuSettings(db(), req.ctx, kop(req)),
  );
  app.put(
    '/api/v1/koperasi/:id/shu/settings',
    {
      schema: {
        tags,
        summary: 'Save the SHU settings (pengurus); percentages must add up to exactly 100 (else 422)',
        params: Kop,
        body: ShuSettingsBody,
        response: { 200: SettingsJson, ...errors },
      },
    },
    async (req) => shu.updateShuSettings(db(), req.ctx, kop(req), req.body as shu.ShuSettingsInput),
  );
  app.get(
    '/api/v1/koperasi/:id/shu/years',
    {
      schema: {
        tags,
        summary: 'Closed fiscal years with their result and SHU run status',
        params: Kop,
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ year: Type.Integer(), result: Money(), status: N(lit(shu.SHU_STATUSES)) })),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const years = await shu.closedYears(db(), req.ctx, kop(req));
      const runs = new Map((await shu.listShuRuns(db(), req.ctx, kop(req))).map((r) => [r.year, r.status]));
      return { items: years.map((y) => ({ year: y.year, result: int(y.result), status: runs.get(y.year) ?? null })) };
    },
  );
  app.get(
    '/api/v1/koperasi/:id/shu/mine',
    {
      schema: {
        tags,
        summary: "The signed-in member's SHU of every year approved by the RAT",
        params: Kop,
        response: {
          200: Type.Object({
            memberId: Type.String({ format: 'uuid' }),
            years: Type.Array(
              Type.Composite([Type.Object({ year: Type.Integer(), status: lit(shu.SHU_STATUSES), ratDate: N(DateStr) }), MemberJson]),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await shu.myShu(db(), req.ctx, kop(req));
      return {
        memberId: r.member.id,
        years: r.years.map((y) => ({ ...memberOut(y), year: y.year, status: y.status, ratDate: y.ratDate })),
      };
    },
  );
  app.post(
    '/api/v1/koperasi/:id/shu/years/:year/simulate',
    {
      schema: {
        tags,
        summary: 'Simulate the SHU of a closed year (pengurus): a draft run, replacing an earlier draft',
        description: '409 when the year is not closed, has no surplus, or its run is posted.',
        params: KopYear,
        response: { 200: RunJson, ...errors },
      },
    },
    async (req) => runOut(await shu.simulateShu(db(), req.ctx, kop(req), year(req))),
  );
  app.get(
    '/api/v1/koperasi/:id/shu/years/:year',
    { schema: { tags, summary: 'The SHU run of a year (pengurus, dinas)', params: KopYear, response: { 200: RunJson, ...errors } } },
    async (req) => runOut(await shu.getShuRun(db(), req.ctx, kop(req), year(req))),
  );
  app.post(
    '/api/v1/koperasi/:id/shu/years/:year/approve',
    {
      schema: {
        tags,
        summary: 'Record the RAT approval of a draft run (pengurus): RAT date and decision',
        params: KopYear,
        body: ApproveBody,
        response: { 200: RunJson, ...errors },
      },
    },
    async (req) => runOut(await shu.approveShu(db(), req.ctx, kop(req), year(req), req.body as shu.ApproveInput)),
  );
  app.post(
    '/api/v1/koperasi/:id/shu/years/:year/post',
    {
      schema: {
        tags,
        summary: 'Post an approved run (pengurus): one balanced journal entry; twice → 409',
        params: KopYear,
        body: Type.Optional(PostBody),
        response: { 200: RunJson, ...errors },
      },
    },
    async (req) => runOut(await shu.postShu(db(), req.ctx, kop(req), year(req), (req.body ?? {}) as { date?: string })),
  );
  app.post(
    '/api/v1/koperasi/:id/shu/years/:year/cancel-post',
    {
      schema: {
        tags,
        summary: 'Cancel a posting with a reversing entry (pengurus); the run goes back to approved. 409 once anyone is paid',
        params: KopYear,
        body: Type.Optional(CancelBody),
        response: { 200: RunJson, ...errors },
      },
    },
    async (req) =>
      runOut(await shu.cancelShuPosting(db(), req.ctx, kop(req), year(req), (req.body ?? {}) as { date?: string; reason?: string })),
  );
  app.post(
    '/api/v1/koperasi/:id/shu/years/:year/payout',
    {
      schema: {
        tags,
        summary: 'Pay members their SHU (pengurus): one member or all unpaid, in cash or into simpanan sukarela; each once',
        params: KopYear,
        body: PayoutBody,
        response: {
          200: Type.Object({
            paid: Type.Integer(),
            amount: Money(),
            skipped: Type.Integer({ description: 'Members no longer active, left for a cash payout' }),
            journalEntryId: N(Type.String({ format: 'uuid' })),
            journalEntryNumber: N(Type.Integer()),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await shu.payoutShu(db(), req.ctx, kop(req), year(req), req.body as shu.PayoutInput);
      return { ...r, amount: int(r.amount) };
    },
  );
  app.get(
    '/api/v1/koperasi/:id/shu/years/:year/members',
    {
      schema: {
        tags,
        summary: "Every member's part of a year's SHU (pengurus, dinas)",
        params: KopYear,
        response: { 200: Type.Object({ run: RunJson, items: Type.Array(MemberJson) }), ...errors },
      },
    },
    async (req) => {
      const r = await shu.listShuMembers(db(), req.ctx, kop(req), year(req));
      return { run: runOut(r.run), items: r.members.map(memberOut) };
    },
  );
  app.get(
    '/api/v1/koperasi/:id/shu/years/:year/members/:memberId',
    {
      schema: {
        tags,
        summary: "One member's SHU statement (pengurus, dinas; a member only their own)",
        params: KopYearMember,
        response: { 200: Type.Object({ run: RunJson, member: MemberJson }), ...errors },
      },
    },
    async (req) => {
      const r = await shu.shuMemberStatement(db(), req.ctx, kop(req), year(req), (req.params as { memberId: string }).memberId);
      return { run: runOut(r.run), member: memberOut(r.member) };
    },
  );
  for (const format of EXPORT_FORMATS) {
    app.get(
      `/api/v1/koperasi/:id/shu/years/:year/export.${format}`,
      {
        schema: {
          tags,
          summary: `The SHU distribution of a year as ${format.toUpperCase()} (pengurus, dinas)`,
          params: KopYear,
          response: { 200: { description: format === 'pdf' ? 'PDF file' : 'XLSX file', type: 'string', format: 'binary' }, ...errors },
        },
      },
      async (req, reply) => {
        const doc = await shuReport(db(), req.ctx, kop(req), year(req));
        const body = format === 'pdf' ? await toPdf(doc) : await toXlsx(doc);
        const file = reportFile(doc, format);
        reply.header('content-type', file.contentType);
        reply.header('content-disposition', `attachment; filename="${file.fileName}"`);
        reply.header('cache-control', 'private, no-store');
        reply.header('x-content-type-options', 'nosniff');
        return reply.send(body);
      },
    );
  }
}

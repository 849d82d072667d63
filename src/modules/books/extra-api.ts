import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { memberCardPdf, receiptPdf } from './documents.js';
import {
  addDepositProduct,
  CloseDepositInput,
  closeTermDeposit,
  DepositProductInput,
  getTermDeposit,
  listDepositProducts,
  listTermDeposits,
  openTermDeposit,
  TermDepositInput,
} from './extra-deposits.js';
import { CASH_FLOW_CLASSES } from './extra-domain.js';
import {
  cashFlow,
  memberCard,
  memberListReport,
  memberSavingsReport,
  memberWajib,
  savingsReceipt,
  wajibArrearsList,
} from './extra-service.js';
import { int, todayWib } from './service.js';

/**
 * Routes of the books extras under /api/v1/koperasi/{id}/…: savings receipts (JSON and PDF), the
 * member card (PDF), simpanan wajib arrears, cash flow, simpanan per member and the member list
 * (JSON; their XLSX/PDF come from the report loop in api-extra.ts). Same permissions as the books.
 */
const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
const tags = ['books'];
const Uuid = Type.String({ format: 'uuid' });
const Kop = Type.Object({ id: Uuid });
const KopMember = Type.Object({ id: Uuid, memberId: Uuid });
const KopTxn = Type.Object({ id: Uuid, txnId: Uuid });
const DateStr = Type.String({ format: 'date' });
const Money = Type.Integer({ description: 'whole Rupiah' });
const pdfResponse = { 200: { description: 'PDF file', type: 'string', format: 'binary' }, ...errors };

const ReceiptJson = Type.Object({
  id: Type.String(),
  receiptNumber: Type.String({ description: 'BS-/BT-/BB-/BP- + journal entry number (setor, tarik, bunga, pengembalian)' }),
  memberId: Type.String(),
  memberNumber: Type.Integer(),
  memberName: Type.String(),
  kind: Type.String(),
  type: Type.String(),
  date: Type.String({ format: 'date' }),
  amount: Money,
  amountWords: Type.String({ description: 'terbilang (Indonesian)' }),
  balanceAfter: Money,
  recordedBy: Type.String(),
  recordedAt: Type.String(),
  journalEntryNumber: Type.Integer(),
});
const ArrearsJson = Type.Object({
  memberId: Type.String(),
  memberNumber: Type.Integer(),
  name: Type.String(),
  joinDate: Type.String({ format: 'date' }),
  monthsDue: Type.Integer(),
  paid: Money,
  paidMonths: Type.Integer(),
  monthsInArrears: Type.Integer(),
  owed: Money,
});

function sendPdf(reply: FastifyReply, body: Buffer, fileName: string) {
  reply.header('content-type', 'application/pdf');
  reply.header('content-disposition', `inline; filename="${fileName}"`);
  reply.header('cache-control', 'private, no-store');
  reply.header('x-content-type-options', 'nosniff');
  return reply.send(body);
}

const arrearsOut = (x: Awaited<ReturnType<typeof wajibArrearsList>>['items'][number]) => ({
  ...x,
  paid: int(x.paid),
  owed: int(x.owed),
});

export async function booksExtrasApi(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const p = <T>(req: { params: unknown }) => req.params as T;

  app.get(
    '/api/v1/koperasi/:id/savings/transactions/:txnId/receipt',
    {
      schema: {
        tags,
        summary: 'Receipt (bukti setor / tarik) of one savings transaction',
        description: 'Pengurus and dinas: any; an anggota: only their own (404 otherwise).',
        params: KopTxn,
        response: { 200: ReceiptJson, ...errors },
      },
    },
    async (req) => {
      const { id, txnId } = p<{ id: string; txnId: string }>(req);
      const r = await savingsReceipt(db(), req.ctx, id, txnId);
      return {
        id: r.id,
        receiptNumber: r.receiptNumber,
        memberId: r.memberId,
        memberNumber: r.memberNumber,
        memberName: r.memberName,
        kind: r.kind,
        type: r.type,
        date: r.date,
        amount: int(r.amount),
        amountWords: r.amountWords,
        balanceAfter: int(r.balanceAfter),
        recordedBy: r.recordedBy,
        recordedAt: r.recordedAt,
        journalEntryNumber: r.journalEntryNumber,
      };
    },
  );

  app.get(
    '/api/v1/koperasi/:id/savings/transactions/:txnId/receipt.pdf',
    { schema: { tags, summary: 'Receipt of one savings transaction as PDF (A5)', params: KopTxn, response: pdfResponse } },
    async (req, reply) => {
      const { id, txnId } = p<{ id: string; txnId: string }>(req);
      const r = await savingsReceipt(db(), req.ctx, id, txnId);
      return sendPdf(reply, await receiptPdf(r), `${r.receiptNumber}.pdf`);
    },
  );

  app.get(
    '/api/v1/koperasi/:id/members/:memberId/card.pdf',
    {
      schema: {
        tags,
        summary: 'Member card (kartu anggota) as PDF, ID-1 size, with a QR code of the member page (no NIK)',
        params: KopMember,
        response: pdfResponse,
      },
    },
    async (req, reply) => {
      const { id, memberId } = p<{ id: string; memberId: string }>(req);
      const c = await memberCard(db(), req.ctx, id, memberId, app.deps.config.publicUrl);
      return sendPdf(reply, await memberCardPdf(c), `kartu-anggota-${c.memberNumber}.pdf`);
    },
  );

  app.get(
    '/api/v1/koperasi/:id/members/:memberId/wajib',
    {
      schema: {
        tags,
        summary: 'Simpanan wajib of one member: months due since joining, paid, arrears (an anggota: their own)',
        params: KopMember,
        querystring: Type.Object({ asOf: Type.Optional(DateStr) }),
        response: {
          200: Type.Composite([
            Type.Object({ asOf: Type.String({ format: 'date' }), monthlyAmount: Money, active: Type.Boolean() }),
            ArrearsJson,
          ]),
          ...errors,
        },
      },
    },
    async (req) => {
      const { id, memberId } = p<{ id: string; memberId: string }>(req);
      const r = await memberWajib(db(), req.ctx, id, memberId, (req.query as { asOf?: string }).asOf);
      return { ...arrearsOut(r), asOf: r.asOf, monthlyAmount: int(r.monthlyAmount), active: r.active };
    },
  );

  app.get(
    '/api/v1/koperasi/:id/savings/wajib-arrears',
    {
      schema: {
        tags,
        summary: 'Active members in arrears of simpanan wajib as of a day (months and amount owed)',
        params: Kop,
        querystring: Type.Object({ asOf: Type.Optional(DateStr) }),
        response: {
          200: Type.Object({
            asOf: Type.String({ format: 'date' }),
            monthlyAmount: Money,
            items: Type.Array(ArrearsJson),
            members: Type.Integer(),
            totalOwed: Money,
            totalMonths: Type.Integer(),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await wajibArrearsList(db(), req.ctx, p<{ id: string }>(req).id, (req.query as { asOf?: string }).asOf);
      return { ...r, monthlyAmount: int(r.monthlyAmount), items: r.items.map(arrearsOut), totalOwed: int(r.totalOwed) };
    },
  );

  const FlowLine = Type.Object({
    code: Type.String(),
    name: Type.String(),
    sourceType: Type.String(),
    direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
    amount: Money,
  });
  const FlowClass = Type.Object({ lines: Type.Array(FlowLine), net: Money });
  app.get(
    '/api/v1/koperasi/:id/reports/cash-flow',
    {
      schema: {
        tags,
        summary: 'Cash flow (arus kas, direct method) over from..to: operasi, investasi, pendanaan; opening + net = closing',
        params: Kop,
        querystring: Type.Object({ from: Type.Optional(DateStr), to: Type.Optional(DateStr) }),
        response: {
          200: Type.Object({
            from: Type.String({ format: 'date' }),
            to: Type.String({ format: 'date' }),
            classes: Type.Object({ operasi: FlowClass, investasi: FlowClass, pendanaan: FlowClass }),
            opening: Money,
            net: Money,
            closing: Money,
            ties: Type.Boolean(),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const q = req.query as { from?: string; to?: string };
      const to = q.to ?? todayWib();
      const r = await cashFlow(db(), req.ctx, p<{ id: string }>(req).id, q.from ?? `${to.slice(0, 4)}-01-01`, to);
      const classes = Object.fromEntries(
        CASH_FLOW_CLASSES.map((c) => [
          c,
          { lines: r.classes[c].lines.map((l) => ({ ...l, amount: int(l.amount) })), net: int(r.classes[c].net) },
        ]),
      );
      return { ...r, classes, opening: int(r.opening), net: int(r.net), closing: int(r.closing) };
    },
  );

  const Kinds = Type.Object({ pokok: Money, wajib: Money, sukarela: Money, berjangka: Money });
  app.get(
    '/api/v1/koperasi/:id/reports/member-savings',
    {
      schema: {
        tags,
        summary: 'Simpanan per member as of a day (pokok, wajib, sukarela, berjangka); totals tied to the ledger accounts',
        description:
          'berjangka = principal of the term deposits open at the end of asOf (opened on or before it, not paid out on or before it). ' +
          '`ledger` reads 3-1100, 3-1200, 2-1100 and 2-1200 from the posted journal up to asOf; `ties` is true when every total equals its account.',
        params: Kop,
        querystring: Type.Object({ asOf: Type.Optional(DateStr) }),
        response: {
          200: Type.Object({
            asOf: Type.String({ format: 'date' }),
            items: Type.Array(
              Type.Object({
                memberId: Type.String(),
                memberNumber: Type.Integer(),
                name: Type.String(),
                status: Type.String(),
                pokok: Money,
                wajib: Money,
                sukarela: Money,
                berjangka: Money,
                total: Type.Integer({ description: 'pokok + wajib + sukarela + berjangka (whole Rupiah)' }),
              }),
            ),
            totals: Kinds,
            total: Money,
            ledger: Kinds,
            ledgerTotal: Money,
            ties: Type.Boolean(),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await memberSavingsReport(db(), req.ctx, p<{ id: string }>(req).id, (req.query as { asOf?: string }).asOf);
      const k = (x: { pokok: bigint; wajib: bigint; sukarela: bigint; berjangka: bigint }) => ({
        pokok: int(x.pokok),
        wajib: int(x.wajib),
        sukarela: int(x.sukarela),
        berjangka: int(x.berjangka),
      });
      return {
        ...r,
        items: r.items.map((x) => ({ ...x, ...k(x), total: int(x.total) })),
        totals: k(r.totals),
        total: int(r.total),
        ledger: k(r.ledger),
        ledgerTotal: int(r.ledgerTotal),
      };
    },
  );

  app.get(
    '/api/v1/koperasi/:id/reports/member-list',
    {
      schema: {
        tags,
        summary: 'Members with status, join date and current simpanan (incl. open term deposits); counts per status',
        params: Kop,
        response: {
          200: Type.Object({
            asOf: Type.String({ format: 'date' }),
            items: Type.Array(
              Type.Object({
                memberId: Type.String(),
                memberNumber: Type.Integer(),
                name: Type.String(),
                status: Type.String(),
                joinDate: Type.String({ format: 'date' }),
                leftAt: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
                savings: Type.Integer({ description: 'pokok + wajib + sukarela (whole Rupiah)' }),
                berjangka: Type.Integer({ description: 'open term deposits (whole Rupiah)' }),
                total: Type.Integer({ description: 'savings + berjangka (whole Rupiah)' }),
              }),
            ),
            counts: Type.Object({ aktif: Type.Integer(), keluar: Type.Integer(), meninggal: Type.Integer() }),
            totalSavings: Type.Integer({ description: 'Σ total, including open term deposits (whole Rupiah)' }),
            totalBerjangka: Money,
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await memberListReport(db(), req.ctx, p<{ id: string }>(req).id);
      return {
        ...r,
        items: r.items.map((x) => ({ ...x, savings: int(x.savings), berjangka: int(x.berjangka), total: int(x.total) })),
        totalSavings: int(r.totalSavings),
        totalBerjangka: int(r.totalBerjangka),
      };
    },
  );

  // --- simpanan berjangka (term deposits) -----------------------------------------------------

  const ProductJson = Type.Object({
    id: Type.String(),
    name: Type.String(),
    termMonths: Type.Integer(),
    rateBp: Type.Integer({ description: 'annual, basis points' }),
    active: Type.Boolean(),
  });
  const DepositJson = Type.Object({
    id: Type.String(),
    reference: Type.String({ description: 'SB- + number of the opening journal entry' }),
    memberId: Type.String(),
    memberNumber: Type.Integer(),
    memberName: Type.String(),
    productId: Type.String(),
    productName: Type.String(),
    principal: Money,
    termMonths: Type.Integer(),
    rateBp: Type.Integer(),
    openDate: Type.String({ format: 'date' }),
    maturityDate: Type.String({ format: 'date' }),
    interestAtMaturity: Money,
    status: Type.Union([Type.Literal('aktif'), Type.Literal('cair')]),
    closeDate: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
    interestPaid: Money,
    early: Type.Union([Type.Boolean(), Type.Null()]),
  });
  const KopDeposit = Type.Object({ id: Uuid, depositId: Uuid });

  app.get(
    '/api/v1/koperasi/:id/term-deposit-products',
    {
      schema: {
        tags,
        summary: 'Term deposit products (simpanan berjangka)',
        params: Kop,
        response: { 200: Type.Object({ items: Type.Array(ProductJson) }), ...errors },
      },
    },
    async (req) => ({ items: await listDepositProducts(db(), req.ctx, p<{ id: string }>(req).id) }),
  );

  app.post(
    '/api/v1/koperasi/:id/term-deposit-products',
    {
      schema: {
        tags,
        summary: 'Add a term deposit product (pengurus): term in months and annual rate in basis points',
        params: Kop,
        body: DepositProductInput,
        response: { 201: ProductJson, ...errors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await addDepositProduct(db(), req.ctx, p<{ id: string }>(req).id, req.body as DepositProductInput)),
  );

  app.get(
    '/api/v1/koperasi/:id/term-deposits',
    {
      schema: {
        tags,
        summary: 'Term deposits of the koperasi, or of one member (memberId; an anggota: their own only)',
        params: Kop,
        querystring: Type.Object({ memberId: Type.Optional(Uuid) }),
        response: { 200: Type.Object({ items: Type.Array(DepositJson) }), ...errors },
      },
    },
    async (req) => ({
      items: await listTermDeposits(db(), req.ctx, p<{ id: string }>(req).id, (req.query as { memberId?: string }).memberId),
    }),
  );

  app.get(
    '/api/v1/koperasi/:id/term-deposits/:depositId',
    { schema: { tags, summary: 'One term deposit', params: KopDeposit, response: { 200: DepositJson, ...errors } } },
    async (req) => {
      const { id, depositId } = p<{ id: string; depositId: string }>(req);
      return getTermDeposit(db(), req.ctx, id, depositId);
    },
  );

  app.post(
    '/api/v1/koperasi/:id/term-deposits',
    {
      schema: {
        tags,
        summary: 'Open a term deposit for a member (pengurus): Dr Kas / Cr 2-1200 Simpanan Berjangka',
        description: 'Maturity = date + the product term. Unknown product 400; inactive member 409; closed month 409.',
        params: Kop,
        body: TermDepositInput,
        response: { 201: DepositJson, ...errors },
      },
    },
    async (req, reply) => {
      const id = p<{ id: string }>(req).id;
      const r = await openTermDeposit(db(), req.ctx, id, req.body as TermDepositInput);
      return reply.code(201).send(await getTermDeposit(db(), req.ctx, id, r.id));
    },
  );

  app.post(
    '/api/v1/koperasi/:id/term-deposits/:depositId/close',
    {
      schema: {
        tags,
        summary: 'Pay out a term deposit (pengurus): at/after maturity principal + interest, before it principal only',
        description:
          'Dr 2-1200 principal, Dr 5-1100 Beban Bunga Simpanan interest / Cr Kas. Interest = floor(principal × rateBp × termMonths / 120000), only at or after maturity. Already paid out 409; date before the deposit 422; closed month 409.',
        params: KopDeposit,
        body: CloseDepositInput,
        response: { 201: DepositJson, ...errors },
      },
    },
    async (req, reply) => {
      const { id, depositId } = p<{ id: string; depositId: string }>(req);
      await closeTermDeposit(db(), req.ctx, id, depositId, (req.body ?? {}) as CloseDepositInput);
      return reply.code(201).send(await getTermDeposit(db(), req.ctx, id, depositId));
    },
  );
}

import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { firstDay, periodOf } from './domain.js';
import * as svc from './service.js';
import {
  CashCloseInput,
  ItemInput,
  ItemListQuery,
  ItemPatch,
  PurchaseInput,
  RangeQuery,
  SaleInput,
  SalesListQuery,
  VoidInput,
} from './shop-schemas.js';
import * as shop from './shop-service.js';

/**
 * The koperasi shop's JSON API under /api/v1/koperasi/{id}/shop/…: items, stock purchases,
 * point-of-sale sales and voids, the daily cash close and the sales report. Writers are the
 * koperasi's pengurus (and only when the koperasi uses the shop, features.penjualan); dinas reads;
 * everyone else gets 404.
 */
const N = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const Money = (description?: string) => Type.Integer({ description: description ?? 'Whole Rupiah' });
const DateStr = Type.String({ format: 'date' });
const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
const tags = ['books'];
const Kop = Type.Object({ id: Type.String({ format: 'uuid' }) });
const KopItem = Type.Object({ id: Type.String({ format: 'uuid' }), itemId: Type.String({ format: 'uuid' }) });
const KopSale = Type.Object({ id: Type.String({ format: 'uuid' }), saleId: Type.String({ format: 'uuid' }) });
const emptyBody = async (req: FastifyRequest) => {
  if (req.body === undefined || req.body === null) req.body = {};
};

const ItemJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  code: Type.String(),
  name: Type.String(),
  unit: Type.String(),
  salePrice: Money(),
  avgCost: Money('Moving average cost per unit (rounded down)'),
  stock: Type.Integer(),
  stockValue: Money('Exact value of the stock in Persediaan'),
  active: Type.Boolean(),
});

const SaleJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.Integer({ description: 'Receipt number = journal entry number' }),
  date: DateStr,
  status: Type.Union([Type.Literal('posted'), Type.Literal('void')]),
  memberId: N(Type.String()),
  memberNumber: N(Type.Integer()),
  memberName: N(Type.String()),
  total: Money(),
  cost: Money('HPP at moving average cost'),
  cashPaid: Money(),
  change: Money(),
  journalEntryId: Type.String(),
  voidDate: N(DateStr),
  voidEntryId: N(Type.String()),
  lines: Type.Array(
    Type.Object({
      itemId: Type.String(),
      code: Type.String(),
      name: Type.String(),
      quantity: Type.Integer(),
      unitPrice: Money(),
      amount: Money(),
    }),
  ),
});

const PurchaseJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  date: DateStr,
  supplier: Type.String(),
  payment: Type.Union([Type.Literal('kas'), Type.Literal('bank'), Type.Literal('kredit')]),
  total: Money(),
  journalEntryId: Type.String(),
  journalEntryNumber: Type.Integer(),
  lines: Type.Optional(
    Type.Array(
      Type.Object({ itemId: Type.String(), code: Type.String(), name: Type.String(), quantity: Type.Integer(), unitCost: Money() }),
    ),
  ),
});

const CashCloseJson = Type.Object({
  date: DateStr,
  expected: Money('Sales of the day less refunds of voids dated that day'),
  counted: Money(),
  difference: Money('counted − expected (posted to Selisih Lebih / Kurang Kas)'),
  journalEntryId: N(Type.String()),
  note: N(Type.String()),
  createdBy: N(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});

const ReportRow = {
  units: Type.Integer(),
  revenue: Money(),
  cost: Money('HPP'),
  margin: Money('Gross margin = revenue − HPP'),
};

const int = svc.int;

export async function shopApi(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const kop = (req: { params: unknown }) => (req.params as { id: string }).id;
  const range = (q: RangeQuery) => {
    const to = q.to ?? svc.todayWib();
    return { from: q.from ?? firstDay(periodOf(to)), to };
  };

  // --- items ---------------------------------------------------------------------------------

  app.get(
    '/api/v1/koperasi/:id/shop/items',
    {
      schema: {
        tags,
        summary: 'Shop items with price, stock and average cost (pengurus, dinas)',
        params: Kop,
        querystring: ItemListQuery,
        response: { 200: Type.Object({ items: Type.Array(ItemJson) }), ...errors },
      },
    },
    async (req) => ({ items: (await shop.listItems(db(), req.ctx, kop(req), req.query as ItemListQuery)).map(shop.toItemJson) }),
  );

  app.post(
    '/api/v1/koperasi/:id/shop/items',
    {
      schema: {
        tags,
        summary: 'Add a shop item (stock 0; stock comes in through purchases)',
        description: 'Code unique per koperasi (409). The koperasi must use the shop (features.penjualan), else 422.',
        params: Kop,
        body: ItemInput,
        response: { 201: ItemJson, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(shop.toItemJson(await shop.createItem(db(), req.ctx, kop(req), req.body as ItemInput))),
  );

  app.patch(
    '/api/v1/koperasi/:id/shop/items/:itemId',
    {
      schema: {
        tags,
        summary: 'Change code, name, unit, sale price or active of an item',
        params: KopItem,
        body: ItemPatch,
        response: { 200: ItemJson, ...errors },
      },
    },
    async (req) => {
      const p = req.params as { id: string; itemId: string };
      return shop.toItemJson(await shop.updateItem(db(), req.ctx, p.id, p.itemId, req.body as ItemPatch));
    },
  );

  // --- purchases -----------------------------------------------------------------------------

  app.get(
    '/api/v1/koperasi/:id/shop/purchases',
    {
      schema: {
        tags,
        summary: 'Stock purchases over a period (default this month)',
        params: Kop,
        querystring: RangeQuery,
        response: { 200: Type.Object({ from: DateStr, to: DateStr, items: Type.Array(PurchaseJson) }), ...errors },
      },
    },
    async (req) => {
      const r = range(req.query as RangeQuery);
      const rows = await shop.listPurchases(db(), req.ctx, kop(req), r.from, r.to);
      return {
        ...r,
        items: rows.map(({ purchase: p, lines }) => ({
          id: p.id,
          date: p.purchase_date,
          supplier: p.supplier,
          payment: p.payment,
          total: int(p.total),
          journalEntryId: p.journal_entry_id,
          journalEntryNumber: p.entry_number,
          lines: lines.map((l) => ({ itemId: l.item_id, code: l.code, name: l.name, quantity: l.quantity, unitCost: int(l.unit_cost) })),
        })),
      };
    },
  );

  app.post(
    '/api/v1/koperasi/:id/shop/purchases',
    {
      schema: {
        tags,
        summary: 'Record a stock purchase: stock and average cost up; Dr Persediaan / Cr Kas, Bank or Utang Dagang',
        description: 'Unknown item 400; closed month 409; shop not used 422.',
        params: Kop,
        body: PurchaseInput,
        response: { 201: PurchaseJson, ...errors },
      },
    },
    async (req, reply) => {
      const r = await shop.recordPurchase(db(), req.ctx, kop(req), req.body as PurchaseInput);
      return reply.status(201).send({ ...r, total: int(r.total) });
    },
  );

  // --- sales ---------------------------------------------------------------------------------

  app.get(
    '/api/v1/koperasi/:id/shop/sales',
    {
      schema: {
        tags,
        summary: 'Sales over a period (default this month), newest first',
        params: Kop,
        querystring: SalesListQuery,
        response: {
          200: Type.Object({
            from: DateStr,
            to: DateStr,
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                number: N(Type.Integer()),
                date: DateStr,
                status: Type.String(),
                memberId: N(Type.String()),
                memberNumber: N(Type.Integer()),
                total: Money(),
                cashPaid: Money(),
                change: Money(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await shop.listSales(db(), req.ctx, kop(req), req.query as SalesListQuery);
      return {
        ...r,
        items: r.items.map((s) => ({
          id: s.id,
          number: s.entry_number,
          date: s.sale_date,
          status: s.status,
          memberId: s.member_id,
          memberNumber: s.member_number,
          total: int(s.total),
          cashPaid: int(s.cash_paid),
          change: int(s.change),
        })),
      };
    },
  );

  app.post(
    '/api/v1/koperasi/:id/shop/sales',
    {
      schema: {
        tags,
        summary: 'A cash sale at the counter; Dr Kas / Cr Penjualan and Dr HPP / Cr Persediaan at average cost',
        description:
          'memberId or memberNumber records the purchase for the member (SHU); leave both out for a non-member. ' +
          'More than the stock 409; closed month or a day whose cash is closed 409; cash paid below the total 400.',
        params: Kop,
        body: SaleInput,
        response: { 201: SaleJson, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(shop.toSaleJson(await shop.recordSale(db(), req.ctx, kop(req), req.body as SaleInput))),
  );

  app.get(
    '/api/v1/koperasi/:id/shop/sales/:saleId',
    { schema: { tags, summary: 'One sale (receipt)', params: KopSale, response: { 200: SaleJson, ...errors } } },
    async (req) => {
      const p = req.params as { id: string; saleId: string };
      return shop.toSaleJson(await shop.getSale(db(), req.ctx, p.id, p.saleId));
    },
  );

  app.post(
    '/api/v1/koperasi/:id/shop/sales/:saleId/void',
    {
      schema: {
        tags,
        summary: 'Void a sale with a reversing entry; the stock comes back',
        description: 'Twice 409; dated in a closed month or on a closed cash day 409; before the sale 422.',
        params: KopSale,
        body: VoidInput,
        response: { 200: SaleJson, ...errors },
      },
      preValidation: emptyBody,
    },
    async (req) => {
      const p = req.params as { id: string; saleId: string };
      return shop.toSaleJson(await shop.voidSale(db(), req.ctx, p.id, p.saleId, (req.body ?? {}) as VoidInput));
    },
  );

  // --- cash close ----------------------------------------------------------------------------

  app.get(
    '/api/v1/koperasi/:id/shop/cash-closes',
    {
      schema: {
        tags,
        summary: 'Daily cash closes over a period (default this month)',
        params: Kop,
        querystring: RangeQuery,
        response: { 200: Type.Object({ from: DateStr, to: DateStr, items: Type.Array(CashCloseJson) }), ...errors },
      },
    },
    async (req) => {
      const r = range(req.query as RangeQuery);
      return { ...r, items: (await shop.listCashCloses(db(), req.ctx, kop(req), r.from, r.to)).map(shop.toCashCloseJson) };
    },
  );

  app.get(
    '/api/v1/koperasi/:id/shop/cash-closes/expected',
    {
      schema: {
        tags,
        summary: "A day's expected cash from the shop (sales less refunds) and its close, if any",
        params: Kop,
        querystring: Type.Object({ date: Type.Optional(DateStr) }),
        response: {
          200: Type.Object({
            date: DateStr,
            sales: Money(),
            refunds: Money(),
            count: Type.Integer(),
            expected: Money(),
            close: N(CashCloseJson),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const q = req.query as { date?: string };
      const r = await shop.expectedCash(db(), req.ctx, kop(req), q.date ?? svc.todayWib());
      return {
        ...r,
        sales: int(r.sales),
        refunds: int(r.refunds),
        expected: int(r.expected),
        close: r.close ? shop.toCashCloseJson(r.close) : null,
      };
    },
  );

  app.post(
    '/api/v1/koperasi/:id/shop/cash-closes',
    {
      schema: {
        tags,
        summary: "Close a day's cash: counted vs expected; the difference posts to Selisih Lebih / Kurang Kas",
        description: 'One close per day (409 again); afterwards no sale or void dated that day (409). A future day 422.',
        params: Kop,
        body: CashCloseInput,
        response: { 201: CashCloseJson, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(shop.toCashCloseJson(await shop.closeCashDay(db(), req.ctx, kop(req), req.body as CashCloseInput))),
  );

  // --- report --------------------------------------------------------------------------------

  app.get(
    '/api/v1/koperasi/:id/shop/reports/sales',
    {
      schema: {
        tags,
        summary: 'Sales report per day and per item: units, revenue, HPP, gross margin (sales not voided, by sale date)',
        params: Kop,
        querystring: RangeQuery,
        response: {
          200: Type.Object({
            from: DateStr,
            to: DateStr,
            days: Type.Array(Type.Object({ date: DateStr, sales: Type.Integer(), ...ReportRow })),
            items: Type.Array(
              Type.Object({ itemId: Type.String(), code: Type.String(), name: Type.String(), unit: Type.String(), ...ReportRow }),
            ),
            totals: Type.Object({ sales: Type.Integer(), ...ReportRow }),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = range(req.query as RangeQuery);
      const rep = await shop.salesReport(db(), req.ctx, kop(req), r.from, r.to);
      const row = (x: { units: bigint; revenue: bigint; cost: bigint; margin: bigint }) => ({
        units: int(x.units),
        revenue: int(x.revenue),
        cost: int(x.cost),
        margin: int(x.margin),
      });
      return {
        from: rep.from,
        to: rep.to,
        days: rep.days.map((d) => ({ date: d.date, sales: d.sales, ...row(d) })),
        items: rep.items.map((i) => ({ itemId: i.itemId, code: i.code, name: i.name, unit: i.unit, ...row(i) })),
        totals: { sales: rep.totals.sales, ...row(rep.totals) },
      };
    },
  );
}

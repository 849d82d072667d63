import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage.js';
import { readMultipart } from '../registry/multipart.js';
import { CheckoutInput, CheckoutJson, OrderJson, StoreOrdersQuery, TransitionInput } from './orders-schemas.js';
import * as svc from './orders-service.js';

const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
const tags = ['marketplace orders'];
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
const TokenHeader = Type.Object({
  'x-tracking-token': Type.Optional(
    Type.String({ maxLength: 100, description: "The buyer's private tracking token (the last part of trackingUrl) — for guests" }),
  ),
});

/** Who a checkout's Idempotency-Key belongs to: the account, or for guests the client address. */
export function apiIdempotencyScope(req: FastifyRequest): string {
  return req.ctx.user ? `user:${req.ctx.user.id}` : `anon:${req.ip ?? 'unknown'}`;
}

/**
 * The orders JSON API: checkout (guests and users, Idempotency-Key required), an order's view,
 * status transitions by the buyer (account or tracking token) or the seller, and a store's orders.
 */
export async function ordersApi(app: FastifyInstance, storage: FileStorage) {
  const db = () => app.deps.db.db;
  const deps = (): svc.OrdersDeps => ({ config: app.deps.config });

  app.post(
    '/api/v1/orders',
    {
      schema: {
        tags,
        summary: 'Checkout: one order per store (guests and logged-in users)',
        description:
          'Send an `Idempotency-Key` header (8–100 characters, e.g. a UUID). The same key with the same body returns the same orders (no new ones); with a different body → 422. Not enough stock → 409 with `details.items` = [{variantId, productName, requested, available}] and nothing created. Prices come from the store, never from the client.',
        security: [{ bearer: [] }, {}],
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: CheckoutInput,
        response: { 200: CheckoutJson, 201: CheckoutJson, ...errors },
      },
    },
    async (req, reply) => {
      const key = req.headers['idempotency-key'];
      if (typeof key !== 'string' || key.trim().length < 8 || key.length > 100) {
        throw new AppError('bad_request', 'orders.idempotencyKeyRequired', {}, undefined, [
          { field: 'Idempotency-Key', message: 'orders.idempotencyKeyRequired' },
        ]);
      }
      const r = await svc.checkout(db(), req.ctx, deps(), req.body as CheckoutInput, { scope: apiIdempotencyScope(req), key: key.trim() });
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(r.status).send(r.body);
    },
  );

  app.get(
    '/api/v1/orders/:id',
    {
      schema: {
        tags,
        summary: 'One order (its seller, its logged-in buyer, or with the X-Tracking-Token header)',
        security: [{ bearer: [] }, {}],
        params: IdParam,
        headers: TokenHeader,
        response: { 200: OrderJson, ...errors },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const token = req.headers['x-tracking-token'];
      if (typeof token === 'string' && token) {
        const v = await svc.getOrderByToken(db(), token);
        if (v.order.id !== id) throw new AppError('not_found', 'error.notFound');
        return svc.toOrderJson(v);
      }
      return svc.toOrderJson(await svc.getOrder(db(), req.ctx, id));
    },
  );

  app.post(
    '/api/v1/orders/:id/transitions',
    {
      schema: {
        tags,
        summary: 'Move an order to another status',
        description:
          'Seller (store owner/pengurus): dibayar (confirm payment), diproses, dikirim or siap_diambil, selesai, dibatalkan (with `reason`). Buyer (account or X-Tracking-Token): dibatalkan before payment, selesai after delivery. 409 for a move the rules forbid, 403 for the wrong party, 404 for strangers.',
        security: [{ bearer: [] }, {}],
        params: IdParam,
        headers: TokenHeader,
        body: TransitionInput,
        response: { 200: OrderJson, ...errors },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const token = req.headers['x-tracking-token'];
      const v = await svc.transitionOrder(db(), req.ctx, deps(), id, req.body as TransitionInput, {
        token: typeof token === 'string' && token ? token : undefined,
      });
      return svc.toOrderJson(v);
    },
  );

  app.post(
    '/api/v1/orders/:id/payment-proof',
    {
      schema: {
        tags,
        summary: 'Upload the payment proof (buyer with X-Tracking-Token; multipart field `file`, JPG/PNG/WebP ≤ 8 MB)',
        description:
          'Only for transfer/QRIS orders awaiting payment (else 409). Stored as WebP; seen only by the buyer (token) and the seller.',
        security: [{}],
        consumes: ['multipart/form-data'],
        params: IdParam,
        headers: TokenHeader,
        response: { 200: OrderJson, ...errors },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const token = req.headers['x-tracking-token'];
      const v = typeof token === 'string' && token ? await svc.getOrderByToken(db(), token) : null;
      if (!v || v.order.id !== id) throw new AppError('not_found', 'error.notFound');
      const { file } = await readMultipart(req, svc.MAX_PROOF_BYTES);
      await svc.uploadPaymentProof(
        db(),
        storage,
        req.ctx,
        deps(),
        token as string,
        file ? { bytes: file.bytes, truncated: !!file.truncated } : null,
      );
      return svc.toOrderJson(await svc.getOrderByToken(db(), token as string));
    },
  );

  app.get(
    '/api/v1/stores/:storeId/orders',
    {
      schema: {
        tags,
        summary: "A store's orders (its owner/pengurus): orders to act on first",
        params: Type.Object({ storeId: Type.String({ format: 'uuid' }) }),
        querystring: StoreOrdersQuery,
        response: {
          200: Type.Object({
            items: Type.Array(Type.Omit(OrderJson, ['items', 'trackingUrl'])),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
            counts: Type.Record(Type.String(), Type.Integer(), { description: 'Orders per status' }),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const { storeId } = req.params as { storeId: string };
      const q = req.query as { status?: svc.OrderRow['status']; page?: number };
      const r = await svc.listStoreOrders(db(), req.ctx, storeId, q);
      return {
        items: r.orders.map((o) => {
          const { items: _items, ...rest } = svc.toOrderJson({ order: o, items: [] });
          return rest;
        }),
        total: r.total,
        page: r.page,
        pageSize: r.pageSize,
        counts: r.byStatus as Record<string, number>,
      };
    },
  );
}

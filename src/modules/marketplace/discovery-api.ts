import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../platform/errors.js';
import * as svc from './discovery-service.js';
import { clearHomeCampaignCache } from './discovery-views.js';

const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
const CodeParam = Type.Object({ code: Type.String({ maxLength: 30 }) });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const OriginJson = Type.Object({
  id: Type.String(),
  productId: Type.String(),
  status: Type.String({ enum: ['requested', 'verified', 'rejected', 'revoked'] }),
  code: Nullable(Type.String()),
  note: Nullable(Type.String()),
  requestNote: Nullable(Type.String()),
  requestedAt: Nullable(Type.String()),
  verifiedAt: Nullable(Type.String()),
  rejectionReason: Nullable(Type.String()),
  revokeReason: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
});

const VerifyJson = Type.Object({
  code: Type.String(),
  status: Type.String({ enum: ['verified', 'revoked'] }),
  verifiedAt: Type.String(),
  note: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
  revokeReason: Nullable(Type.String()),
  url: Type.String({ description: 'The public verification page' }),
  product: Type.Object({ id: Type.String(), name: Type.String(), slug: Type.String(), status: Type.String(), storeSlug: Type.String() }),
  store: Type.Object({ name: Type.String(), slug: Type.String() }),
  maker: Type.Object({
    name: Type.String(),
    kind: Type.String({ enum: ['umkm', 'koperasi'] }),
    kelurahan: Nullable(Type.String()),
    kecamatan: Nullable(Type.String()),
  }),
  permits: Type.Array(
    Type.Object({
      kind: Type.String(),
      number: Nullable(Type.String()),
      issuedOn: Nullable(Type.String()),
      expiresOn: Nullable(Type.String()),
    }),
  ),
});

const CampaignProductJson = Type.Object({
  id: Type.String(),
  name: Type.String(),
  slug: Type.String(),
  price: Type.Integer(),
  inStock: Type.Boolean(),
  storeName: Type.String(),
  storeSlug: Type.String(),
  ratingAvg: Type.Union([Type.Number(), Type.Null()]),
  ratingCount: Type.Integer(),
});
const CampaignJson = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  kind: Type.String({ enum: ['collection', 'event'] }),
  startsOn: Nullable(Type.String()),
  endsOn: Nullable(Type.String()),
  place: Nullable(Type.String()),
  published: Type.Boolean(),
  url: Type.String(),
  products: Type.Optional(Type.Array(CampaignProductJson)),
});
const CampaignInput = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 200 })),
    slug: Type.Optional(Type.String({ maxLength: 100 })),
    description: Type.Optional(Type.String({ maxLength: 6000 })),
    kind: Type.Optional(Type.String({ enum: ['collection', 'event'] })),
    startsOn: Type.Optional(Type.Union([Type.String({ maxLength: 10, description: 'YYYY-MM-DD (WIB)' }), Type.Null()])),
    endsOn: Type.Optional(Type.Union([Type.String({ maxLength: 10 }), Type.Null()])),
    place: Type.Optional(Type.Union([Type.String({ maxLength: 300 }), Type.Null()])),
    published: Type.Optional(Type.Boolean()),
    productIds: Type.Optional(Type.Array(Type.String(), { maxItems: 100, description: 'Replaces the product list (curated order)' })),
  },
  { additionalProperties: false },
);

const ReviewJson = Type.Object({
  id: Type.String(),
  rating: Type.Integer(),
  comment: Type.String(),
  reviewerName: Type.String(),
  createdAt: Type.String(),
  reply: Nullable(Type.String()),
  repliedAt: Nullable(Type.String()),
});
const ReviewInput = Type.Object(
  {
    productId: Type.Optional(Type.String({ format: 'uuid' })),
    variantId: Type.Optional(Type.String({ format: 'uuid' })),
    orderItemId: Type.Optional(Type.String({ format: 'uuid' })),
    rating: Type.Integer({ description: '1 to 5 (else 422)' }),
    comment: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);
const TokenHeader = Type.Object({
  'x-tracking-token': Type.Optional(Type.String({ maxLength: 100, description: "The buyer's private tracking token — for guests" })),
});

type ReviewRow = Awaited<ReturnType<typeof svc.replyReview>>;
const reviewJson = (r: ReviewRow) => svc.toReviewJson(r);

/**
 * JSON API of marketplace discovery: "Produk Asli Malang" (request, verify, reject, revoke, the
 * public record behind a label code, the label sheet), campaigns and reviews.
 */
export async function discoveryApi(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const publicUrl = () => app.deps.config.publicUrl;

  // --- Produk Asli Malang ------------------------------------------------------------------------
  const tagsO = ['marketplace: produk asli malang'];

  app.get(
    '/api/v1/verify/:code',
    {
      schema: {
        tags: tagsO,
        summary: 'The verification record behind a QR label code (public)',
        description: 'Verified or revoked records (a revoked one says so, with date and reason); 404 for unknown codes.',
        security: [{}],
        params: CodeParam,
        response: { 200: VerifyJson, ...errors },
      },
    },
    async (req) => {
      const rec = await svc.findByCode(db(), (req.params as { code: string }).code);
      if (!rec) throw new AppError('not_found', 'error.notFound');
      return { ...rec, url: `${publicUrl().replace(/\/$/, '')}/verifikasi/${rec.code}` };
    },
  );

  app.post(
    '/api/v1/products/:id/origin-requests',
    {
      schema: {
        tags: tagsO,
        summary: "The seller asks dinas to verify a product as made in Malang (the store's owner)",
        params: IdParam,
        body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
        response: { 201: OriginJson, ...errors },
      },
    },
    async (req, reply) => {
      const row = await svc.requestOrigin(
        db(),
        req.ctx,
        (req.params as { id: string }).id,
        (req.body as { note?: string } | undefined)?.note,
      );
      return reply.status(201).send(svc.toOriginJson(row));
    },
  );

  app.post(
    '/api/v1/products/:id/origin-verification',
    {
      schema: {
        tags: tagsO,
        summary: 'Dinas verifies a product as Produk Asli Malang (with a note); returns the label code',
        params: IdParam,
        body: Type.Object({ note: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 201: OriginJson, ...errors },
      },
    },
    async (req, reply) => {
      const row = await svc.verifyOrigin(db(), req.ctx, (req.params as { id: string }).id, (req.body as { note: string }).note);
      return reply.status(201).send(svc.toOriginJson(row));
    },
  );

  app.post(
    '/api/v1/origin-requests/:id/reject',
    {
      schema: {
        tags: tagsO,
        summary: 'Dinas rejects a pending request (with a reason)',
        params: IdParam,
        body: Type.Object({ reason: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: OriginJson, ...errors },
      },
    },
    async (req) =>
      svc.toOriginJson(await svc.rejectOrigin(db(), req.ctx, (req.params as { id: string }).id, (req.body as { reason: string }).reason)),
  );

  app.post(
    '/api/v1/verify/:code/revoke',
    {
      schema: {
        tags: tagsO,
        summary: 'Dinas revokes a verification (with a reason); its labels then say it was revoked',
        params: CodeParam,
        body: Type.Object({ reason: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: OriginJson, ...errors },
      },
    },
    async (req) =>
      svc.toOriginJson(
        await svc.revokeOrigin(db(), req.ctx, (req.params as { code: string }).code, (req.body as { reason: string }).reason),
      ),
  );

  app.get(
    '/api/v1/products/:id/origin-labels.pdf',
    {
      schema: {
        tags: tagsO,
        summary: "A4 PDF sheet of 24 QR labels of a verified product (the store's owner or dinas)",
        params: IdParam,
        produces: ['application/pdf'],
      },
    },
    async (req, reply) => {
      const { pdf, code } = await svc.labelsPdf(db(), req.ctx, (req.params as { id: string }).id, publicUrl());
      reply.header('content-type', 'application/pdf');
      reply.header('content-disposition', `attachment; filename="label-asli-malang-${code}.pdf"`);
      reply.header('cache-control', 'private, no-store');
      return reply.send(pdf);
    },
  );

  // --- Campaigns ---------------------------------------------------------------------------------
  const tagsC = ['marketplace: campaigns'];

  app.get(
    '/api/v1/campaigns',
    {
      schema: {
        tags: tagsC,
        summary: 'Published campaigns that have not ended (dinas: `all=true` adds drafts and past ones)',
        security: [{ bearer: [] }, {}],
        querystring: Type.Object({ all: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ items: Type.Array(CampaignJson) }), ...errors },
      },
    },
    async (req) => {
      const rows = await svc.listCampaigns(db(), req.ctx, { all: (req.query as { all?: boolean }).all });
      return { items: rows.map((c) => svc.toCampaignJson(c)) };
    },
  );

  app.get(
    '/api/v1/campaigns/:slug',
    {
      schema: {
        tags: tagsC,
        summary: 'One campaign (by slug or id) with its active products; drafts only for dinas',
        security: [{ bearer: [] }, {}],
        params: Type.Object({ slug: Type.String({ maxLength: 100 }) }),
        response: { 200: CampaignJson, ...errors },
      },
    },
    async (req) => {
      const r = await svc.getCampaign(db(), req.ctx, (req.params as { slug: string }).slug);
      return svc.toCampaignJson(r.campaign, r.products);
    },
  );

  app.post(
    '/api/v1/campaigns',
    {
      schema: {
        tags: tagsC,
        summary: 'Dinas creates a campaign (collection or event)',
        description: 'Required: title, kind. An event needs startsOn and place. Unpublished unless `published: true`.',
        body: CampaignInput,
        response: { 201: CampaignJson, ...errors },
      },
    },
    async (req, reply) => {
      const row = await svc.createCampaign(db(), req.ctx, req.body as svc.CampaignInput);
      clearHomeCampaignCache();
      const r = await svc.getCampaign(db(), req.ctx, row.id);
      return reply.status(201).send(svc.toCampaignJson(r.campaign, r.products));
    },
  );

  app.patch(
    '/api/v1/campaigns/:id',
    {
      schema: {
        tags: tagsC,
        summary: 'Dinas changes a campaign (absent fields stay; productIds replaces the list)',
        params: IdParam,
        body: CampaignInput,
        response: { 200: CampaignJson, ...errors },
      },
    },
    async (req) => {
      const row = await svc.updateCampaign(db(), req.ctx, (req.params as { id: string }).id, req.body as svc.CampaignInput);
      clearHomeCampaignCache();
      const r = await svc.getCampaign(db(), req.ctx, row.id);
      return svc.toCampaignJson(r.campaign, r.products);
    },
  );

  // --- Reviews -----------------------------------------------------------------------------------
  const tagsR = ['marketplace: reviews'];

  app.post(
    '/api/v1/orders/:id/reviews',
    {
      schema: {
        tags: tagsR,
        summary: 'The buyer reviews an item of a completed order (logged-in buyer or X-Tracking-Token)',
        description:
          'Name the item by `orderItemId`, `variantId` or `productId`. Once per order item (409 the second time); 409 before the order is `selesai`; rating outside 1–5 → 422.',
        security: [{ bearer: [] }, {}],
        params: IdParam,
        headers: TokenHeader,
        body: ReviewInput,
        response: { 201: ReviewJson, ...errors },
      },
    },
    async (req, reply) => {
      const token = req.headers['x-tracking-token'];
      const row = await svc.submitReview(db(), req.ctx, (req.params as { id: string }).id, req.body as svc.ReviewInput, {
        token: typeof token === 'string' && token ? token : undefined,
      });
      return reply.status(201).send(reviewJson(row));
    },
  );

  app.get(
    '/api/v1/products/:id/reviews',
    {
      schema: {
        tags: tagsR,
        summary: "A product's visible reviews (newest first) with its average and count",
        security: [{}],
        params: IdParam,
        querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }),
        response: {
          200: Type.Object({
            items: Type.Array(ReviewJson),
            average: Type.Union([Type.Number(), Type.Null()]),
            count: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await svc.productReviews(db(), (req.params as { id: string }).id, (req.query as { page?: number }).page ?? 1);
      return { ...r, items: r.items.map(svc.toReviewJson) };
    },
  );

  app.post(
    '/api/v1/reviews/:id/reply',
    {
      schema: {
        tags: tagsR,
        summary: "The seller replies once to a review of their store's product (others: 404)",
        params: IdParam,
        body: Type.Object({ reply: Type.String({ maxLength: 4000 }) }, { additionalProperties: false }),
        response: { 200: ReviewJson, ...errors },
      },
    },
    async (req) =>
      reviewJson(await svc.replyReview(db(), req.ctx, (req.params as { id: string }).id, (req.body as { reply: string }).reply)),
  );

  app.post(
    '/api/v1/reviews/:id/hide',
    {
      schema: {
        tags: tagsR,
        summary: 'Dinas hides an abusive review (with a reason); it leaves public lists and the average',
        params: IdParam,
        body: Type.Object({ reason: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ id: Type.String(), hidden: Type.Boolean(), hiddenReason: Nullable(Type.String()) }), ...errors },
      },
    },
    async (req) => {
      const r = await svc.hideReview(db(), req.ctx, (req.params as { id: string }).id, (req.body as { reason: string }).reason);
      return { id: r.id, hidden: r.hidden, hiddenReason: r.hidden_reason };
    },
  );
}

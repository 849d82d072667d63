import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../platform/errors.js';
import type { FileStorage, StoredFile } from '../../platform/storage.js';
import { readMultipart } from '../registry/multipart.js';
import {
  CreateProductInput,
  CreateStoreInput,
  PhotoOrderInput,
  ProductJson,
  StoreJson,
  UpdateProductInput,
  UpdateStoreInput,
} from './catalogue-schemas.js';
import * as svc from './catalogue-service.js';
import type { ProductStatus } from './tables.js';

const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 422: ErrorBody };
const tags = ['marketplace catalogue'];
const StoreIdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ProductIdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Sends a stored image privately (the seller's own files) with its content type. */
export function sendImage(reply: FastifyReply, file: StoredFile, cache = 'private, max-age=31536000, immutable') {
  return reply.type(file.contentType).header('cache-control', cache).header('x-content-type-options', 'nosniff').send(file.bytes);
}

/**
 * The seller-side catalogue JSON API: open a store for a verified UMKM/koperasi, edit its
 * settings and images, create/edit products with variants and photos, list the store's products.
 * (Public product reads — GET /api/v1/products… — belong to the search module.)
 */
export async function catalogueApi(app: FastifyInstance, storage: FileStorage) {
  const db = () => app.deps.db.db;

  app.post(
    '/api/v1/stores',
    {
      schema: {
        tags,
        summary: 'Open the store of a verified UMKM (its owner) or koperasi (its pengurus)',
        description:
          '404 when the caller does not run the organisation; 422 `rule_violated` when it is not verified; 409 when it already has a store (`details.storeId`).',
        body: CreateStoreInput,
        response: { 201: Type.Object({ id: Type.String(), slug: Type.String() }), ...errors },
      },
    },
    async (req, reply) => {
      const store = await svc.createStore(db(), req.ctx, (req.body as CreateStoreInput).organizationId);
      return reply.status(201).send(store);
    },
  );

  app.get(
    '/api/v1/stores',
    {
      schema: {
        tags,
        summary: "The caller's stores (`mine=true`)",
        description: 'Only `mine=true` is served here; the public finds stores through `GET /api/v1/products` and `/toko/{slug}`.',
        querystring: Type.Object({ mine: Type.Boolean() }),
        response: { 200: Type.Object({ items: Type.Array(StoreJson) }), ...errors },
      },
    },
    async (req) => {
      if (!(req.query as { mine: boolean }).mine) throw new AppError('bad_request', 'catalogue.mineOnly');
      if (!req.ctx.user) throw new AppError('unauthorized', 'error.unauthorized');
      return { items: (await svc.listOwnStores(db(), req.ctx)).map(svc.toStoreJson) };
    },
  );

  app.get(
    '/api/v1/stores/:id',
    {
      schema: {
        tags,
        summary: 'One of the caller’s stores, with its settings',
        params: StoreIdParam,
        response: { 200: StoreJson, ...errors },
      },
    },
    async (req) => svc.toStoreJson(await svc.getOwnStore(db(), req.ctx, (req.params as { id: string }).id)),
  );

  app.patch(
    '/api/v1/stores/:id',
    {
      schema: {
        tags,
        summary: "Edit the store's settings",
        description:
          '`deliveryFees` and `pickupPoints` replace the stored lists. At least one delivery option; pickup needs a pickup point; delivery/COD need at least one kecamatan fee; bank name, number and holder go together.',
        params: StoreIdParam,
        body: UpdateStoreInput,
        response: { 200: StoreJson, ...errors },
      },
    },
    async (req) => svc.toStoreJson(await svc.updateStore(db(), req.ctx, (req.params as { id: string }).id, req.body as UpdateStoreInput)),
  );

  for (const which of ['logo', 'banner', 'qris'] as const) {
    app.put(
      `/api/v1/stores/:id/${which}`,
      {
        schema: {
          tags,
          summary: `Upload the store's ${which === 'qris' ? 'static QRIS image' : which} (multipart field \`file\`, JPG/PNG/WebP ≤ 8 MB)`,
          description: 'Re-encoded to WebP (metadata stripped) and resized; replaces the previous one.',
          consumes: ['multipart/form-data'],
          params: StoreIdParam,
          response: { 200: StoreJson, ...errors },
        },
      },
      async (req) => {
        const { id } = req.params as { id: string };
        const { file } = await readMultipart(req, svc.MAX_IMAGE_BYTES);
        await svc.uploadStoreImage(db(), storage, req.ctx, id, which, file);
        return svc.toStoreJson(await svc.getOwnStore(db(), req.ctx, id));
      },
    );
    app.get(
      `/api/v1/stores/:id/${which}`,
      { schema: { tags, summary: `The store's ${which} image (its seller)`, params: StoreIdParam } },
      async (req, reply) =>
        sendImage(reply, await svc.storeImageFile(db(), storage, req.ctx, (req.params as { id: string }).id, which), 'private, no-cache'),
    );
  }

  app.get(
    '/api/v1/stores/:id/products',
    {
      schema: {
        tags,
        summary: "The store's products for its seller (any status; archived only with status=archived)",
        params: StoreIdParam,
        querystring: Type.Object({
          status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('active'), Type.Literal('archived')])),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                name: Type.String(),
                slug: Type.String(),
                status: Type.String(),
                price: Type.Integer(),
                stock: Type.Integer(),
                inStock: Type.Boolean(),
                lowStock: Type.Boolean(),
                variantCount: Type.Integer(),
              }),
            ),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
            counts: Type.Object({ draft: Type.Integer(), active: Type.Integer(), archived: Type.Integer() }),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const q = req.query as { status?: ProductStatus; page?: number };
      const r = await svc.listStoreProducts(db(), req.ctx, (req.params as { id: string }).id, q);
      return {
        items: r.items.map((p) => ({
          id: p.id,
          name: p.name,
          slug: p.slug,
          status: p.status,
          price: Number(p.min_price),
          stock: p.stock,
          inStock: p.in_stock,
          lowStock: p.lowStock,
          variantCount: p.variant_count,
        })),
        total: r.total,
        page: r.page,
        pageSize: r.pageSize,
        counts: r.byStatus,
      };
    },
  );

  app.post(
    '/api/v1/stores/:id/products',
    {
      schema: {
        tags,
        summary: 'Create a product (the store’s owner/pengurus)',
        description:
          'Either `price` + `stock` (one variant) or `variants` [{name, price, stock}]. `active` unless `status: "draft"`. The slug is made from the name, unique in the store. `description` is Markdown (raw HTML is escaped).',
        params: StoreIdParam,
        body: CreateProductInput,
        response: { 201: ProductJson, ...errors },
      },
    },
    async (req, reply) => {
      const p = await svc.createProduct(db(), req.ctx, (req.params as { id: string }).id, req.body as CreateProductInput);
      return reply.status(201).send(svc.toProductJson(p));
    },
  );

  app.patch(
    '/api/v1/products/:id',
    {
      schema: {
        tags,
        summary: 'Edit a product (the store’s owner/pengurus)',
        description:
          '`price`/`stock` edit a single-variant product. `variants`: items with `id` edit that variant (`active: false` deactivates it), items without `id` add one. `status: "archived"` takes it off sale. At least one active variant stays.',
        params: ProductIdParam,
        body: UpdateProductInput,
        response: { 200: ProductJson, ...errors },
      },
    },
    async (req) =>
      svc.toProductJson(await svc.updateProduct(db(), req.ctx, (req.params as { id: string }).id, req.body as UpdateProductInput)),
  );

  app.post(
    '/api/v1/products/:id/photos',
    {
      schema: {
        tags,
        summary: 'Add a product photo (multipart field `file`, JPG/PNG/WebP ≤ 8 MB; at most 5)',
        description: 'Re-encoded to WebP at 200, 600 and 1200 px wide, metadata stripped. 409 when the product already has 5.',
        consumes: ['multipart/form-data'],
        params: ProductIdParam,
        response: { 201: ProductJson, ...errors },
      },
    },
    async (req, reply) => {
      const { file } = await readMultipart(req, svc.MAX_IMAGE_BYTES);
      const p = await svc.addProductPhoto(db(), storage, req.ctx, (req.params as { id: string }).id, file);
      return reply.status(201).send(svc.toProductJson(p));
    },
  );

  app.put(
    '/api/v1/products/:id/photos/order',
    {
      schema: {
        tags,
        summary: 'Reorder the photos (every photo id once)',
        params: ProductIdParam,
        body: PhotoOrderInput,
        response: { 200: ProductJson, ...errors },
      },
    },
    async (req) =>
      svc.toProductJson(
        await svc.reorderProductPhotos(db(), req.ctx, (req.params as { id: string }).id, (req.body as { photoIds: string[] }).photoIds),
      ),
  );

  app.delete(
    '/api/v1/products/:id/photos/:photoId',
    {
      schema: {
        tags,
        summary: 'Delete a product photo',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), photoId: Type.String({ format: 'uuid' }) }),
        response: { 200: ProductJson, ...errors },
      },
    },
    async (req) => {
      const { id, photoId } = req.params as { id: string; photoId: string };
      return svc.toProductJson(await svc.deleteProductPhoto(db(), storage, req.ctx, id, photoId));
    },
  );

  app.get(
    '/api/v1/stores/:id/photos/:photoId/:size',
    {
      schema: {
        tags,
        summary: 'A product photo of the caller’s store (any product status), WebP',
        params: Type.Object({
          id: Type.String({ format: 'uuid' }),
          photoId: Type.String({ format: 'uuid' }),
          size: Type.Union([Type.Literal('small'), Type.Literal('medium'), Type.Literal('large')]),
        }),
      },
    },
    async (req, reply) => {
      const { id, photoId, size } = req.params as { id: string; photoId: string; size: svc.PhotoSize };
      return sendImage(reply, await svc.sellerPhotoFile(db(), storage, req.ctx, id, photoId, size));
    },
  );
}

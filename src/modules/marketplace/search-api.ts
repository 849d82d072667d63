import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { productById } from './public-service.js';
import { categoryTree, MAX_PAGE, SORTS, searchProducts, suggestProducts } from './search-service.js';

const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});
const errors = { 400: ErrorBody, 404: ErrorBody, 422: ErrorBody };
const tags = ['marketplace search'];

const Money = Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 });
const Bool = Type.Boolean();

export const SearchQuery = Type.Object({
  q: Type.Optional(
    Type.String({
      maxLength: 100,
      description: 'Words; Indonesian full text; when it finds fewer than 5, words are corrected from the vocabulary of product names',
    }),
  ),
  category: Type.Optional(Type.String({ maxLength: 60, pattern: '^[a-z0-9-]+$', description: 'Category id; includes its sub-categories' })),
  kecamatan: Type.Optional(Type.String({ maxLength: 20, description: 'Kecamatan code, e.g. 35.73.01' })),
  halal: Type.Optional(Bool),
  minPrice: Type.Optional(Money),
  maxPrice: Type.Optional(Money),
  inStock: Type.Optional(Bool),
  kind: Type.Optional(Type.Union([Type.Literal('umkm'), Type.Literal('koperasi')])),
  sort: Type.Optional(Type.Union(SORTS.map((s) => Type.Literal(s)))),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
});

const Card = Type.Object({
  id: Type.String(),
  name: Type.String(),
  slug: Type.String(),
  url: Type.String(),
  price: Type.Integer(),
  storeId: Type.String(),
  storeName: Type.String(),
  storeSlug: Type.String(),
  kind: Type.String(),
  categoryId: Type.Union([Type.String(), Type.Null()]),
  photo: Type.Union([Type.String(), Type.Null()]),
  inStock: Type.Boolean(),
  halal: Type.Boolean(),
  soldCount: Type.Integer(),
  createdAt: Type.String(),
});
const FacetValue = Type.Object({ id: Type.String(), label: Type.String(), count: Type.Integer() });
const SearchJson = Type.Object({
  items: Type.Array(Card),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  sort: Type.String(),
  match: Type.String(),
  approximate: Type.Boolean(),
  facets: Type.Object({
    category: Type.Array(FacetValue),
    kecamatan: Type.Array(FacetValue),
    halal: Type.Integer(),
    inStock: Type.Integer(),
    kind: Type.Array(FacetValue),
  }),
});

const Badge = Type.Union([Type.Literal('halal'), Type.Literal('spp_irt'), Type.Literal('bpom_md')]);
const Link = Type.Object({ id: Type.String(), label: Type.String(), url: Type.String() });
const DetailJson = Type.Object({
  id: Type.String(),
  name: Type.String(),
  slug: Type.String(),
  url: Type.String(),
  description: Type.String(),
  price: Type.Integer(),
  inStock: Type.Boolean(),
  halal: Type.Boolean(),
  weightGrams: Type.Union([Type.Integer(), Type.Null()]),
  soldCount: Type.Integer(),
  category: Type.Union([Link, Type.Null()]),
  categoryPath: Type.Array(Link),
  variants: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), price: Type.Integer(), stock: Type.Integer(), inStock: Type.Boolean() }),
  ),
  photos: Type.Array(Type.Object({ id: Type.String(), small: Type.String(), medium: Type.String(), large: Type.String() })),
  store: Type.Object({
    id: Type.String(),
    organizationId: Type.String(),
    name: Type.String(),
    slug: Type.String(),
    url: Type.String(),
    kind: Type.String(),
    kecamatan: Type.Union([Type.String(), Type.Null()]),
    whatsapp: Type.Union([Type.String(), Type.Null()]),
    logo: Type.Union([Type.String(), Type.Null()]),
    offersPickup: Type.Boolean(),
    offersDelivery: Type.Boolean(),
    offersCod: Type.Boolean(),
  }),
  badges: Type.Array(Badge),
  updatedAt: Type.String(),
});

type CategoryOut = { id: string; label: string; url: string; children: CategoryOut[] };
const CategoryJson = Type.Recursive((Self) =>
  Type.Object({ id: Type.String(), label: Type.String(), url: Type.String(), children: Type.Array(Self) }),
);

/** The public marketplace JSON API: search with facets, suggestions, a product, the category tree. No login needed. */
export async function searchApi(app: FastifyInstance) {
  const db = () => app.deps.db.db;

  app.get(
    '/api/v1/products',
    {
      schema: {
        tags,
        summary: 'Search and browse products (active products of open stores)',
        description:
          'Full-text search in Indonesian (name above description); when that finds fewer than 5 products every word may also match a product name by trigram similarity (`match: "typo"`). Filters combine with AND; facet counts describe the whole filtered result (category counts one level below the chosen category). Sort: relevance (default with `q`), newest, price_asc, price_desc, bestselling (default without `q`). 24 per page, at most 200 pages.',
        querystring: SearchQuery,
        response: { 200: SearchJson, ...errors },
      },
    },
    async (req) => searchProducts(db(), req.query as never, req.ctx.locale),
  );

  app.get(
    '/api/v1/products/suggest',
    {
      schema: {
        tags,
        summary: 'As-you-type suggestions (at most 8 products)',
        querystring: Type.Object({ q: Type.String({ maxLength: 60 }) }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), url: Type.String(), storeName: Type.String() })),
          }),
          ...errors,
        },
      },
    },
    async (req) => ({ items: await suggestProducts(db(), (req.query as { q: string }).q) }),
  );

  app.get(
    '/api/v1/products/:id',
    {
      schema: {
        tags,
        summary: 'A product as the public sees it (404 unless active in an open store)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: DetailJson, ...errors },
      },
    },
    async (req) => productById(db(), (req.params as { id: string }).id, req.ctx.locale),
  );

  app.get(
    '/api/v1/categories',
    {
      schema: { tags, summary: 'The category tree', response: { 200: Type.Object({ items: Type.Array(CategoryJson) }) } },
    },
    async (req, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return { items: (await categoryTree(db(), req.ctx.locale)) as CategoryOut[] };
    },
  );
}

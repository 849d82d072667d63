import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldIssue } from '../../platform/errors.js';
import type { MessageKey } from '../../platform/i18n/index.js';
import { type FileStorage, LocalDiskStorage } from '../../platform/storage.js';
import { validate } from '../../platform/validation.js';
import {
  Badge,
  Button,
  Card,
  CheckboxField,
  DataTable,
  EmptyState,
  ErrorSummary,
  escapeHtml,
  Form,
  formatNumber,
  formatRupiah,
  LinkButton,
  PageHeader,
  SelectField,
  TextArea,
  TextField,
} from '../../platform/web/components.js';
import { Layout } from '../../platform/web/layout.js';
import { type FormErrors, formErrors, type PageContext } from '../../platform/web/page.js';
import { listKelurahanGrouped } from '../regions/service.js';
import { multipartFromBody, multipartPreValidation } from '../registry/multipart.js';
import { catalogueApi, sendImage } from './catalogue-api.js';
import { CreateProductInput, UpdateProductInput, UpdateStoreInput } from './catalogue-schemas.js';
import * as svc from './catalogue-service.js';
import type { ProductStatus } from './tables.js';

type FormValues = Record<string, string>;
const formOf = (req: FastifyRequest): FormValues => {
  const out: FormValues = {};
  for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
};
const html = (reply: FastifyReply, body: string | Promise<string>, status = 200) =>
  reply.status(status).type('text/html; charset=utf-8').send(body);
const login = (req: FastifyRequest, reply: FastifyReply) => reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`);
/** "15.000", "Rp 15000" → 15000; anything else stays as text so validation reports it. */
const rupiah = (s: string | undefined): number | string | undefined => {
  const v = (s ?? '').replace(/^\s*rp\.?\s*/i, '').replace(/[.\s]/g, '');
  if (v === '') return undefined;
  return /^\d{1,13}$/.test(v) ? Number(v) : v;
};
const int = (s: string | undefined): number | string | undefined => {
  const v = (s ?? '').trim();
  if (v === '') return undefined;
  return /^\d{1,9}$/.test(v) ? Number(v) : v;
};
const STATUSES: ProductStatus[] = ['active', 'draft', 'archived'];
const VARIANT_ROWS = 3;
const PICKUP_ROWS = 2;

/**
 * The seller's catalogue (mobile first): my stores and "Buka toko", store settings with images,
 * delivery fees and pickup points, products with variants and photos. Registers the JSON API too.
 */
export async function catalogueModule(app: FastifyInstance) {
  const storage = new LocalDiskStorage(path.join(app.deps.config.dataDir, 'files'));
  await catalogueApi(app, storage);
  await catalogueWeb(app, storage);
  app.nav.add({ href: '/toko-saya', label: 'catalogue.nav.myStore', audience: ['pelaku_umkm', 'pengurus_koperasi'], order: 30 });
}

export async function catalogueWeb(app: FastifyInstance, storage: FileStorage) {
  const db = () => app.deps.db.db;

  // --- My stores ---------------------------------------------------------------------------------

  app.get('/toko-saya', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) return login(req, reply);
    const orgs = await svc.sellerOrganizations(db(), req.ctx);
    return html(reply, <MyStoresPage page={req.page(reply)} orgs={orgs} />);
  });

  app.post('/toko-saya/buka', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) throw new AppError('unauthorized', 'error.unauthorized');
    const f = formOf(req);
    try {
      const store = await svc.createStore(db(), req.ctx, f.organizationId ?? '');
      reply.flash({ kind: 'success', key: 'catalogue.w.storeOpened' });
      return reply.redirect(`/toko-saya/${store.id}/pengaturan`, 303);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'rule_violated' || err.code === 'conflict')) {
        const orgs = await svc.sellerOrganizations(db(), req.ctx);
        return html(reply, <MyStoresPage page={req.page(reply)} orgs={orgs} error={req.ctx.t(err.messageKey)} />, err.status);
      }
      throw err;
    }
  });

  // --- Settings -----------------------------------------------------------------------------------

  const renderSettings = async (
    req: FastifyRequest,
    reply: FastifyReply,
    storeId: string,
    status = 200,
    errors: FormErrors = {},
    values?: FormValues,
  ) => {
    const d = await svc.getOwnStore(db(), req.ctx, storeId);
    const regions = await listKelurahanGrouped(db());
    return html(
      reply,
      <SettingsPage page={req.page(reply)} d={d} regions={regions} errors={errors} values={values ?? settingsValues(d)} />,
      status,
    );
  };

  app.get('/toko-saya/:storeId/pengaturan', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) return login(req, reply);
    return renderSettings(req, reply, (req.params as { storeId: string }).storeId);
  });

  app.post('/toko-saya/:storeId/pengaturan', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) throw new AppError('unauthorized', 'error.unauthorized');
    const { storeId } = req.params as { storeId: string };
    const d = await svc.getOwnStore(db(), req.ctx, storeId);
    const f = formOf(req);
    const kecamatan = (await listKelurahanGrouped(db())).map((g) => g.kecamatan.code);
    const input = settingsInput(f, kecamatan, d.points.length + PICKUP_ROWS);
    const v = validate(UpdateStoreInput, input);
    try {
      if (!v.ok) throw new AppError('validation_failed', 'error.validation', {}, undefined, v.issues);
      await svc.updateStore(db(), req.ctx, storeId, v.value);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed')
        return renderSettings(req, reply, storeId, 400, formErrors(req.ctx.t, err.fields.map(storeFieldOf)), f);
      throw err;
    }
    reply.flash({ kind: 'success', key: 'catalogue.w.saved' });
    return reply.redirect(`/toko-saya/${storeId}/pengaturan`, 303);
  });

  app.post(
    '/toko-saya/:storeId/gambar/:which',
    { schema: { hide: true }, preValidation: multipartPreValidation(svc.MAX_IMAGE_BYTES) },
    async (req, reply) => {
      if (!req.ctx.user) throw new AppError('unauthorized', 'error.unauthorized');
      const { storeId, which } = req.params as { storeId: string; which: string };
      if (which !== 'logo' && which !== 'banner' && which !== 'qris') throw new AppError('not_found', 'error.notFound');
      const { file } = multipartFromBody(req);
      try {
        await svc.uploadStoreImage(db(), storage, req.ctx, storeId, which, file);
      } catch (err) {
        if (err instanceof AppError && err.code === 'validation_failed') {
          const msg = err.fields[0] ? req.ctx.t(err.fields[0].message, err.fields[0].params) : req.ctx.t('error.validation');
          return renderSettings(req, reply, storeId, 400, { [`image_${which}`]: msg });
        }
        throw err;
      }
      reply.flash({ kind: 'success', key: 'catalogue.w.imageSaved' });
      return reply.redirect(`/toko-saya/${storeId}/pengaturan#gambar`, 303);
    },
  );

  app.get('/toko-saya/:storeId/gambar/:which', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) throw new AppError('unauthorized', 'error.unauthorized');
    const { storeId, which } = req.params as { storeId: string; which: string };
    if (which !== 'logo' && which !== 'banner' && which !== 'qris') throw new AppError('not_found', 'error.notFound');
    return sendImage(reply, await svc.storeImageFile(db(), storage, req.ctx, storeId, which), 'private, no-cache');
  });

  // --- Products -----------------------------------------------------------------------------------

  app.get('/toko-saya/:storeId/produk', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) return login(req, reply);
    const { storeId } = req.params as { storeId: string };
    const q = req.query as Record<string, string | undefined>;
    const status = STATUSES.includes(q.status as ProductStatus) ? (q.status as ProductStatus) : undefined;
    const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
    const d = await svc.getOwnStore(db(), req.ctx, storeId);
    const r = await svc.listStoreProducts(db(), req.ctx, storeId, { status, page });
    return html(reply, <ProductsPage page={req.page(reply)} d={d} r={r} status={status} />);
  });

  const renderProductForm = async (
    req: FastifyRequest,
    reply: FastifyReply,
    storeId: string,
    product: svc.ProductView | null,
    status = 200,
    errors: FormErrors = {},
    values?: FormValues,
  ) => {
    const d = await svc.getOwnStore(db(), req.ctx, storeId);
    const categories = await svc.listCategories(db());
    return html(
      reply,
      <ProductFormPage
        page={req.page(reply)}
        d={d}
        product={product}
        categories={categories}
        errors={errors}
        values={values ?? (product ? productValues(product) : { status: 'active' })}
      />,
      status,
    );
  };

  app.get('/toko-saya/:storeId/produk/baru', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) return login(req, reply);
    return renderProductForm(req, reply, (req.params as { storeId: string }).storeId, null);
  });

  app.post('/toko-saya/:storeId/produk/baru', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) throw new AppError('unauthorized', 'error.unauthorized');
    const { storeId } = req.params as { storeId: string };
    const f = formOf(req);
    const rows = variantRows(f, VARIANT_ROWS).filter((r) => r.name || r.price !== undefined || r.stock !== undefined);
    const single = rows.length <= 1 && !rows[0]?.name;
    const input: Record<string, unknown> = {
      name: f.name ?? '',
      description: f.description ?? '',
      categoryId: f.categoryId || null,
      status: f.status === 'draft' ? 'draft' : 'active',
      weightGrams: int(f.weightGrams) ?? null,
      ...(single
        ? { price: rows[0]?.price, stock: rows[0]?.stock }
        : { variants: rows.map((r) => ({ name: r.name ?? '', price: r.price, stock: r.stock })) }),
    };
    for (const k of ['price', 'stock'] as const) if (input[k] === undefined) delete input[k];
    const v = validate(CreateProductInput, input);
    let product: svc.ProductView;
    try {
      if (!v.ok) throw new AppError('validation_failed', 'error.validation', {}, undefined, v.issues);
      product = await svc.createProduct(db(), req.ctx, storeId, v.value);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed')
        return renderProductForm(req, reply, storeId, null, 400, formErrors(req.ctx.t, err.fields.map(productFieldOf)), f);
      throw err;
    }
    reply.flash({ kind: 'success', key: 'catalogue.w.productCreated' });
    return reply.redirect(`/toko-saya/${storeId}/produk/${product.id}#foto`, 303);
  });

  const ownProductInStore = async (req: FastifyRequest, storeId: string, productId: string) => {
    const p = await svc.getOwnProduct(db(), req.ctx, productId);
    if (p.store_id !== storeId) throw new AppError('not_found', 'error.notFound');
    return p;
  };

  app.get('/toko-saya/:storeId/produk/:productId', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) return login(req, reply);
    const { storeId, productId } = req.params as { storeId: string; productId: string };
    return renderProductForm(req, reply, storeId, await ownProductInStore(req, storeId, productId));
  });

  app.post('/toko-saya/:storeId/produk/:productId', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) throw new AppError('unauthorized', 'error.unauthorized');
    const { storeId, productId } = req.params as { storeId: string; productId: string };
    const product = await ownProductInStore(req, storeId, productId);
    const f = formOf(req);
    const rows = variantRows(f, product.variants.length + VARIANT_ROWS);
    const variants = rows.flatMap((r, i): Record<string, unknown>[] => {
      const existing = product.variants[i];
      if (existing)
        return [
          { id: existing.id, ...(r.name ? { name: r.name } : {}), price: r.price, stock: r.stock, active: f[`v${i}_active`] === 'true' },
        ];
      if (!r.name && r.price === undefined && r.stock === undefined) return [];
      return [{ name: r.name ?? '', price: r.price, stock: r.stock }];
    });
    const input = {
      name: f.name ?? '',
      description: f.description ?? '',
      categoryId: f.categoryId || null,
      status: STATUSES.includes(f.status as ProductStatus) ? f.status : 'x',
      weightGrams: int(f.weightGrams) ?? null,
      variants,
    };
    const v = validate(UpdateProductInput, input);
    try {
      if (!v.ok) throw new AppError('validation_failed', 'error.validation', {}, undefined, v.issues);
      await svc.updateProduct(db(), req.ctx, productId, v.value);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed')
        return renderProductForm(req, reply, storeId, product, 400, formErrors(req.ctx.t, err.fields.map(productFieldOf)), f);
      throw err;
    }
    reply.flash({ kind: 'success', key: 'catalogue.w.saved' });
    return reply.redirect(`/toko-saya/${storeId}/produk/${productId}`, 303);
  });

  app.post('/toko-saya/:storeId/produk/:productId/arsip', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) throw new AppError('unauthorized', 'error.unauthorized');
    const { storeId, productId } = req.params as { storeId: string; productId: string };
    await ownProductInStore(req, storeId, productId);
    await svc.updateProduct(db(), req.ctx, productId, { status: 'archived' });
    reply.flash({ kind: 'success', key: 'catalogue.w.archived' });
    return reply.redirect(`/toko-saya/${storeId}/produk`, 303);
  });

  app.post(
    '/toko-saya/:storeId/produk/:productId/foto',
    { schema: { hide: true }, preValidation: multipartPreValidation(svc.MAX_IMAGE_BYTES) },
    async (req, reply) => {
      if (!req.ctx.user) throw new AppError('unauthorized', 'error.unauthorized');
      const { storeId, productId } = req.params as { storeId: string; productId: string };
      const product = await ownProductInStore(req, storeId, productId);
      const { file } = multipartFromBody(req);
      try {
        await svc.addProductPhoto(db(), storage, req.ctx, productId, file);
      } catch (err) {
        if (err instanceof AppError && (err.code === 'validation_failed' || err.code === 'conflict')) {
          const msg = err.fields[0] ? req.ctx.t(err.fields[0].message, err.fields[0].params) : req.ctx.t(err.messageKey, err.params);
          return renderProductForm(req, reply, storeId, product, err.status, { file: msg });
        }
        throw err;
      }
      reply.flash({ kind: 'success', key: 'catalogue.w.photoAdded' });
      return reply.redirect(`/toko-saya/${storeId}/produk/${productId}#foto`, 303);
    },
  );

  for (const action of ['hapus', 'naik'] as const) {
    app.post(`/toko-saya/:storeId/produk/:productId/foto/:photoId/${action}`, { schema: { hide: true } }, async (req, reply) => {
      if (!req.ctx.user) throw new AppError('unauthorized', 'error.unauthorized');
      const { storeId, productId, photoId } = req.params as { storeId: string; productId: string; photoId: string };
      await ownProductInStore(req, storeId, productId);
      if (action === 'hapus') await svc.deleteProductPhoto(db(), storage, req.ctx, productId, photoId);
      else await svc.movePhotoUp(db(), req.ctx, productId, photoId);
      reply.flash({ kind: 'success', key: action === 'hapus' ? 'catalogue.w.photoDeleted' : 'catalogue.w.saved' });
      return reply.redirect(`/toko-saya/${storeId}/produk/${productId}#foto`, 303);
    });
  }

  app.get('/toko-saya/:storeId/foto/:photoId/:size', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) throw new AppError('unauthorized', 'error.unauthorized');
    const { storeId, photoId, size } = req.params as { storeId: string; photoId: string; size: string };
    if (size !== 'small' && size !== 'medium' && size !== 'large') throw new AppError('not_found', 'error.notFound');
    return sendImage(reply, await svc.sellerPhotoFile(db(), storage, req.ctx, storeId, photoId, size));
  });
}

// =============================================================================================
// Form ↔ input
// =============================================================================================

function settingsValues(d: svc.StoreDetails): FormValues {
  const s = d.store;
  const v: FormValues = {
    name: s.name,
    story: s.story ?? '',
    whatsapp: s.whatsapp ?? '',
    openingHours: s.opening_hours ?? '',
    address: s.address ?? '',
    kelurahanCode: s.kelurahan_code ?? '',
    offersPickup: s.offers_pickup ? 'true' : '',
    offersDelivery: s.offers_delivery ? 'true' : '',
    offersCod: s.offers_cod ? 'true' : '',
    bankName: s.bank_name ?? '',
    bankAccountNumber: s.bank_account_number ?? '',
    bankAccountName: s.bank_account_name ?? '',
    status: s.status,
  };
  for (const f of d.fees) v[`fee_${f.kecamatan_code}`] = String(f.fee);
  d.points.forEach((p, i) => {
    v[`pp${i}_id`] = p.id;
    v[`pp${i}_kind`] = p.kind;
    v[`pp${i}_label`] = p.label;
    v[`pp${i}_address`] = p.address ?? '';
  });
  return v;
}

function settingsInput(f: FormValues, kecamatanCodes: string[], pickupRows: number) {
  const opt = (s: string | undefined) => (s?.trim() ? s.trim() : null);
  const deliveryFees = kecamatanCodes.flatMap((code) => {
    const fee = rupiah(f[`fee_${code}`]);
    return fee === undefined ? [] : [{ kecamatanCode: code, fee }];
  });
  const pickupPoints = [];
  for (let i = 0; i < pickupRows; i++) {
    const label = f[`pp${i}_label`]?.trim();
    if (!label) continue;
    pickupPoints.push({
      ...(f[`pp${i}_id`] ? { id: f[`pp${i}_id`] } : {}),
      kind: f[`pp${i}_kind`] || 'alamat',
      label,
      address: opt(f[`pp${i}_address`]),
    });
  }
  return {
    name: f.name ?? '',
    story: opt(f.story),
    whatsapp: opt(f.whatsapp),
    openingHours: opt(f.openingHours),
    address: opt(f.address),
    kelurahanCode: opt(f.kelurahanCode),
    offersPickup: f.offersPickup === 'true',
    offersDelivery: f.offersDelivery === 'true',
    offersCod: f.offersCod === 'true',
    deliveryFees,
    pickupPoints,
    bankName: opt(f.bankName),
    bankAccountNumber: opt(f.bankAccountNumber),
    bankAccountName: opt(f.bankAccountName),
    status: f.status === 'closed' ? 'closed' : 'open',
  };
}

/** API field names → form field names (so each error sits beside its input). */
function storeFieldOf(i: FieldIssue): FieldIssue {
  const m = /^pickupPoints\.(\d+)\.(\w+)$/.exec(i.field);
  if (m) return { ...i, field: `pp${m[1]}_${m[2] === 'kind' ? 'label' : m[2]}` };
  if (i.field.startsWith('deliveryFees')) return { ...i, field: 'deliveryFees' };
  if (i.field.startsWith('pickupPoints')) return { ...i, field: 'pp0_label' };
  return i;
}

function productFieldOf(i: FieldIssue): FieldIssue {
  const m = /^variants\.(\d+)\.(\w+)$/.exec(i.field);
  if (m) return { ...i, field: `v${m[1]}_${m[2] === 'id' || m[2] === 'active' ? 'name' : m[2]}` };
  if (i.field === 'price' || i.field === 'stock') return { ...i, field: `v0_${i.field}` };
  if (i.field.startsWith('variants')) return { ...i, field: 'v0_name' };
  return i;
}

function variantRows(f: FormValues, n: number) {
  const rows: { name?: string; price?: number | string; stock?: number | string }[] = [];
  for (let i = 0; i < n; i++)
    rows.push({ name: f[`v${i}_name`]?.trim() || undefined, price: rupiah(f[`v${i}_price`]), stock: int(f[`v${i}_stock`]) });
  return rows;
}

function productValues(p: svc.ProductView): FormValues {
  const v: FormValues = {
    name: p.name,
    description: p.description,
    categoryId: p.category_id ?? '',
    status: p.status,
    weightGrams: p.weight_grams === null ? '' : String(p.weight_grams),
  };
  p.variants.forEach((x, i) => {
    v[`v${i}_name`] = x.name;
    v[`v${i}_price`] = String(x.price);
    v[`v${i}_stock`] = String(x.stock);
    v[`v${i}_active`] = x.active ? 'true' : '';
  });
  return v;
}

// =============================================================================================
// Views
// =============================================================================================

function StoreNav(p: { page: PageContext; storeId: string; current: 'produk' | 'pengaturan' }) {
  const { t } = p.page;
  const base = `/toko-saya/${p.storeId}`;
  const link = (href: string, label: MessageKey, key?: string) => (
    <li>
      <a href={href} aria-current={key === p.current ? 'page' : undefined}>
        {escapeHtml(t(label))}
      </a>
    </li>
  );
  return (
    <nav aria-label={t('catalogue.w.storeMenu')}>
      <ul class="link-list store-menu">
        {link(`${base}/produk`, 'catalogue.w.products', 'produk')}
        {link(`${base}/pesanan`, 'catalogue.w.orders')}
        {link(`${base}/dasbor`, 'catalogue.w.dashboard')}
        {link(`${base}/pengaturan`, 'catalogue.w.settings', 'pengaturan')}
        {link('/toko-saya', 'catalogue.w.allStores')}
      </ul>
    </nav>
  );
}

function MyStoresPage(p: { page: PageContext; orgs: svc.SellerOrganization[]; error?: string }) {
  const { t } = p.page;
  return (
    <Layout page={p.page} title={t('catalogue.w.myStores')}>
      <PageHeader title={t('catalogue.w.myStores')} subtitle={t('catalogue.w.myStoresIntro')} />
      {p.error ? (
        <div class="error-summary" role="alert">
          <p>{escapeHtml(p.error)}</p>
        </div>
      ) : (
        ''
      )}
      {p.orgs.length === 0 ? (
        <EmptyState
          title={t('catalogue.w.noOrg')}
          body={t('catalogue.w.noOrgBody')}
          action={{ href: '/umkm/baru', label: t('catalogue.w.registerUmkm') }}
        />
      ) : (
        <div class="grid">
          {p.orgs.map((o) => (
            <Card title={o.name}>
              <p>
                <Badge tone="neutral">{escapeHtml(t(o.kind === 'umkm' ? 'catalogue.w.kindUmkm' : 'catalogue.w.kindKoperasi'))}</Badge>
              </p>
              {o.storeId ? (
                <ul class="link-list">
                  <li>
                    <a href={`/toko-saya/${o.storeId}/produk`}>{escapeHtml(t('catalogue.w.products'))}</a>
                  </li>
                  <li>
                    <a href={`/toko-saya/${o.storeId}/pesanan`}>{escapeHtml(t('catalogue.w.orders'))}</a>
                  </li>
                  <li>
                    <a href={`/toko-saya/${o.storeId}/dasbor`}>{escapeHtml(t('catalogue.w.dashboard'))}</a>
                  </li>
                  <li>
                    <a href={`/toko-saya/${o.storeId}/pengaturan`}>{escapeHtml(t('catalogue.w.settings'))}</a>
                  </li>
                </ul>
              ) : o.status === 'verified' ? (
                <Form action="/toko-saya/buka" csrfToken={p.page.csrfToken}>
                  <input type="hidden" name="organizationId" value={o.id} />
                  <p>{escapeHtml(t('catalogue.w.openHint'))}</p>
                  <Button>{escapeHtml(t('catalogue.w.openStore'))}</Button>
                </Form>
              ) : (
                <p class="field-hint">{escapeHtml(t('catalogue.w.needsVerification'))}</p>
              )}
            </Card>
          ))}
        </div>
      )}
    </Layout>
  );
}

function SettingsPage(p: {
  page: PageContext;
  d: svc.StoreDetails;
  regions: Awaited<ReturnType<typeof listKelurahanGrouped>>;
  errors: FormErrors;
  values: FormValues;
}) {
  const { t } = p.page;
  const s = p.d.store;
  const v = p.values;
  const e = p.errors;
  const base = `/toko-saya/${s.id}`;
  const kelOptions = p.regions.flatMap((g) => g.kelurahan.map((k) => ({ value: k.code, label: `${k.name} (${g.kecamatan.name})` })));
  const pickupRows = p.d.points.length + PICKUP_ROWS;
  const imageForm = (which: svc.StoreImage, label: MessageKey, has: boolean) => (
    <Form action={`${base}/gambar/${which}`} csrfToken={p.page.csrfToken} enctype="multipart/form-data" class="stack">
      <div class={e[`image_${which}`] ? 'field field-invalid' : 'field'}>
        <label for={`field-image_${which}`}>{escapeHtml(t(label))}</label>
        {e[`image_${which}`] ? <p class="field-error-message">{escapeHtml(e[`image_${which}`] as string)}</p> : ''}
        {has ? <img src={`${base}/gambar/${which}`} alt={t(label)} width="160" loading="lazy" class="store-image-preview" /> : ''}
        <input id={`field-image_${which}`} type="file" name="file" accept="image/jpeg,image/png,image/webp" required />
      </div>
      <Button variant="secondary" small>
        {escapeHtml(t('catalogue.w.upload'))}
      </Button>
    </Form>
  );
  return (
    <Layout page={p.page} title={t('catalogue.w.settingsTitle', { store: s.name })}>
      <PageHeader
        title={t('catalogue.w.settingsTitle', { store: s.name })}
        actions={
          <LinkButton href={`/toko/${s.slug}`} variant="secondary" small>
            {escapeHtml(t('catalogue.w.viewPublic'))}
          </LinkButton>
        }
      />
      <StoreNav page={p.page} storeId={s.id} current="pengaturan" />
      <ErrorSummary t={t} errors={e} />
      <Form action={`${base}/pengaturan`} csrfToken={p.page.csrfToken} novalidate>
        <Card title={t('catalogue.w.profile')}>
          <TextField name="name" label={t('catalogue.f.storeName')} value={v.name} error={e.name} required maxlength={120} />
          <TextArea
            name="story"
            label={t('catalogue.f.story')}
            value={v.story}
            error={e.story}
            hint={t('catalogue.f.storyHint')}
            rows={5}
          />
          <TextField
            name="whatsapp"
            label={t('catalogue.f.whatsapp')}
            type="tel"
            value={v.whatsapp}
            error={e.whatsapp}
            inputmode="tel"
            autocomplete="tel"
          />
          <TextField
            name="openingHours"
            label={t('catalogue.f.openingHours')}
            value={v.openingHours}
            error={e.openingHours}
            hint={t('catalogue.f.openingHoursHint')}
          />
          <TextField name="address" label={t('catalogue.f.address')} value={v.address} error={e.address} />
          <SelectField
            name="kelurahanCode"
            label={t('catalogue.f.kelurahan')}
            value={v.kelurahanCode}
            options={kelOptions}
            error={e.kelurahanCode}
            placeholder="—"
          />
          <SelectField
            name="status"
            label={t('catalogue.f.storeStatus')}
            value={v.status}
            options={[
              { value: 'open', label: t('catalogue.storeStatus.open') },
              { value: 'closed', label: t('catalogue.storeStatus.closed') },
            ]}
          />
        </Card>
        <Card title={t('catalogue.w.delivery')}>
          {e.offersPickup ? (
            <p class="field-error-message" id="field-offersPickup">
              {escapeHtml(e.offersPickup)}
            </p>
          ) : (
            ''
          )}
          <CheckboxField name="offersPickup" label={t('catalogue.f.offersPickup')} checked={v.offersPickup === 'true'} />
          <CheckboxField name="offersDelivery" label={t('catalogue.f.offersDelivery')} checked={v.offersDelivery === 'true'} />
          <CheckboxField name="offersCod" label={t('catalogue.f.offersCod')} checked={v.offersCod === 'true'} />
          <fieldset class={e.deliveryFees ? 'field-invalid' : undefined}>
            <legend>{escapeHtml(t('catalogue.f.fees'))}</legend>
            <p class="field-hint">{escapeHtml(t('catalogue.f.feesHint'))}</p>
            {e.deliveryFees ? (
              <p class="field-error-message" id="field-deliveryFees">
                {escapeHtml(e.deliveryFees)}
              </p>
            ) : (
              ''
            )}
            {p.regions.map((g) => (
              <TextField
                name={`fee_${g.kecamatan.code}`}
                label={g.kecamatan.name}
                value={v[`fee_${g.kecamatan.code}`]}
                inputmode="numeric"
              />
            ))}
          </fieldset>
          <fieldset>
            <legend>{escapeHtml(t('catalogue.f.pickupPoints'))}</legend>
            {Array.from({ length: pickupRows }, (_, i) => (
              <div class="pickup-row">
                {v[`pp${i}_id`] ? <input type="hidden" name={`pp${i}_id`} value={v[`pp${i}_id`]} /> : ''}
                <SelectField
                  name={`pp${i}_kind`}
                  label={t('catalogue.f.pickupKind')}
                  value={v[`pp${i}_kind`] ?? 'alamat'}
                  options={(['alamat', 'pasar', 'sentra'] as const).map((k) => ({ value: k, label: t(`catalogue.pickup.${k}`) }))}
                />
                <TextField
                  name={`pp${i}_label`}
                  label={t('catalogue.f.pickupLabel')}
                  value={v[`pp${i}_label`]}
                  error={e[`pp${i}_label`]}
                  hint={i === 0 ? t('catalogue.f.pickupHint') : undefined}
                />
                <TextField
                  name={`pp${i}_address`}
                  label={t('catalogue.f.address')}
                  value={v[`pp${i}_address`]}
                  error={e[`pp${i}_address`]}
                />
              </div>
            ))}
          </fieldset>
        </Card>
        <Card title={t('catalogue.w.payment')}>
          <p class="field-hint">{escapeHtml(t('catalogue.f.bankHint'))}</p>
          <TextField name="bankName" label={t('catalogue.f.bankName')} value={v.bankName} error={e.bankName} />
          <TextField
            name="bankAccountNumber"
            label={t('catalogue.f.bankAccountNumber')}
            value={v.bankAccountNumber}
            error={e.bankAccountNumber}
            inputmode="numeric"
          />
          <TextField name="bankAccountName" label={t('catalogue.f.bankAccountName')} value={v.bankAccountName} error={e.bankAccountName} />
        </Card>
        <div class="form-actions">
          <Button>{escapeHtml(t('catalogue.w.save'))}</Button>
        </div>
      </Form>
      <section id="gambar">
        <Card title={t('catalogue.w.images')}>
          <p class="field-hint">{escapeHtml(t('catalogue.w.imagesHint'))}</p>
          {imageForm('logo', 'catalogue.f.logo', !!s.logo_key)}
          {imageForm('banner', 'catalogue.f.banner', !!s.banner_key)}
          {imageForm('qris', 'catalogue.f.qris', !!s.qris_key)}
        </Card>
      </section>
    </Layout>
  );
}

function ProductsPage(p: {
  page: PageContext;
  d: svc.StoreDetails;
  r: Awaited<ReturnType<typeof svc.listStoreProducts>>;
  status?: ProductStatus;
}) {
  const { t, locale } = p.page;
  const s = p.d.store;
  const base = `/toko-saya/${s.id}`;
  const tab = (status: ProductStatus | undefined, label: string) => (
    <li>
      <a href={status ? `${base}/produk?status=${status}` : `${base}/produk`} aria-current={p.status === status ? 'page' : undefined}>
        {escapeHtml(label)}
      </a>
    </li>
  );
  return (
    <Layout page={p.page} title={t('catalogue.w.productsTitle', { store: s.name })}>
      <PageHeader
        title={t('catalogue.w.productsTitle', { store: s.name })}
        actions={<LinkButton href={`${base}/produk/baru`}>{escapeHtml(t('catalogue.w.newProduct'))}</LinkButton>}
      />
      <StoreNav page={p.page} storeId={s.id} current="produk" />
      <nav aria-label={t('catalogue.w.filter')}>
        <ul class="link-list filter-tabs">
          {tab(undefined, t('catalogue.w.allLive', { n: p.r.byStatus.active + p.r.byStatus.draft }))}
          {STATUSES.map((st) => tab(st, `${t(`catalogue.status.${st}`)} (${p.r.byStatus[st]})`))}
        </ul>
      </nav>
      {p.r.items.length === 0 ? (
        <EmptyState
          title={t('catalogue.w.noProducts')}
          body={t('catalogue.w.noProductsBody')}
          action={{ href: `${base}/produk/baru`, label: t('catalogue.w.newProduct') }}
        />
      ) : (
        <DataTable
          caption={t('catalogue.w.productsTitle', { store: s.name })}
          rows={p.r.items}
          baseUrl={`${base}/produk`}
          query={{ status: p.status }}
          t={t}
          emptyState={t('catalogue.w.noProducts')}
          columns={[
            {
              key: 'photo',
              label: t('catalogue.f.photo'),
              render: (r) =>
                r.photo_id ? <img src={`${base}/foto/${r.photo_id}/small`} alt="" width="64" height="64" loading="lazy" /> : '—',
            },
            {
              key: 'name',
              label: t('catalogue.f.productName'),
              render: (r) => <a href={`${base}/produk/${r.id}`}>{escapeHtml(r.name)}</a>,
            },
            { key: 'price', label: t('catalogue.f.price'), render: (r) => escapeHtml(formatRupiah(r.min_price)), class: 'num' },
            {
              key: 'stock',
              label: t('catalogue.f.stock'),
              class: 'num',
              render: (r) =>
                r.lowStock ? (
                  <span class="low-stock">
                    <Badge tone="warning">{escapeHtml(t('catalogue.w.lowStock'))}</Badge> {formatNumber(r.stock, locale)}
                  </span>
                ) : (
                  formatNumber(r.stock, locale)
                ),
            },
            {
              key: 'status',
              label: t('catalogue.f.status'),
              render: (r) => (
                <Badge tone={r.status === 'active' ? 'success' : 'neutral'}>{escapeHtml(t(`catalogue.status.${r.status}`))}</Badge>
              ),
            },
          ]}
        />
      )}
    </Layout>
  );
}

function ProductFormPage(p: {
  page: PageContext;
  d: svc.StoreDetails;
  product: svc.ProductView | null;
  categories: Awaited<ReturnType<typeof svc.listCategories>>;
  errors: FormErrors;
  values: FormValues;
}) {
  const { t, locale } = p.page;
  const s = p.d.store;
  const pr = p.product;
  const v = p.values;
  const e = p.errors;
  const base = `/toko-saya/${s.id}`;
  const action = pr ? `${base}/produk/${pr.id}` : `${base}/produk/baru`;
  const names = new Map(p.categories.map((c) => [c.id, locale === 'en' ? c.name_en : c.name_id]));
  const catOptions = p.categories.map((c) => ({
    value: c.id,
    label: c.parent_id ? `${names.get(c.parent_id) ?? ''} › ${names.get(c.id)}` : (names.get(c.id) as string),
  }));
  const rowCount = (pr?.variants.length ?? 0) + VARIANT_ROWS;
  const title = pr ? t('catalogue.w.editProduct', { name: pr.name }) : t('catalogue.w.newProduct');
  return (
    <Layout page={p.page} title={title}>
      <PageHeader title={title} />
      <StoreNav page={p.page} storeId={s.id} current="produk" />
      <ErrorSummary t={t} errors={e} />
      <Form action={action} csrfToken={p.page.csrfToken} novalidate>
        <Card>
          <TextField name="name" label={t('catalogue.f.productName')} value={v.name} error={e.name} required maxlength={120} />
          <TextArea
            name="description"
            label={t('catalogue.f.description')}
            value={v.description}
            error={e.description}
            hint={t('catalogue.f.descriptionHint')}
            rows={6}
          />
          <SelectField
            name="categoryId"
            label={t('catalogue.f.category')}
            value={v.categoryId}
            options={catOptions}
            error={e.categoryId}
            placeholder="—"
          />
          <TextField name="weightGrams" label={t('catalogue.f.weight')} value={v.weightGrams} error={e.weightGrams} inputmode="numeric" />
          <SelectField
            name="status"
            label={t('catalogue.f.status')}
            value={v.status}
            error={e.status}
            options={(pr ? STATUSES : (['active', 'draft'] as ProductStatus[])).map((st) => ({
              value: st,
              label: t(`catalogue.status.${st}`),
            }))}
          />
        </Card>
        <Card title={t('catalogue.w.variants')}>
          <p class="field-hint">{escapeHtml(t('catalogue.w.variantsHint'))}</p>
          {Array.from({ length: rowCount }, (_, i) => {
            const existing = pr?.variants[i];
            return (
              <fieldset class="variant-row">
                <legend>{escapeHtml(existing ? t('catalogue.w.variantN', { n: i + 1 }) : t('catalogue.w.variantNew'))}</legend>
                <TextField
                  name={`v${i}_name`}
                  label={t('catalogue.f.variantName')}
                  value={v[`v${i}_name`]}
                  error={e[`v${i}_name`]}
                  maxlength={60}
                />
                <TextField
                  name={`v${i}_price`}
                  label={t('catalogue.f.price')}
                  value={v[`v${i}_price`]}
                  error={e[`v${i}_price`]}
                  inputmode="numeric"
                />
                <TextField
                  name={`v${i}_stock`}
                  label={t('catalogue.f.stock')}
                  value={v[`v${i}_stock`]}
                  error={e[`v${i}_stock`]}
                  inputmode="numeric"
                />
                {existing ? (
                  <CheckboxField name={`v${i}_active`} label={t('catalogue.f.variantActive')} checked={v[`v${i}_active`] === 'true'} />
                ) : (
                  ''
                )}
              </fieldset>
            );
          })}
        </Card>
        <div class="form-actions">
          <Button>{escapeHtml(t('catalogue.w.save'))}</Button>
        </div>
      </Form>
      {pr ? (
        <section id="foto">
          <Card title={t('catalogue.w.photos', { n: pr.photos.length, max: svc.MAX_PHOTOS })}>
            {pr.photos.length ? (
              <ul class="photo-grid">
                {pr.photos.map((ph, i) => (
                  <li>
                    <img src={`${base}/foto/${ph.id}/small`} alt={t('catalogue.w.photoAlt', { n: i + 1 })} width="120" loading="lazy" />
                    <div class="actions">
                      {i > 0 ? (
                        <Form action={`${base}/produk/${pr.id}/foto/${ph.id}/naik`} csrfToken={p.page.csrfToken} class="form-inline">
                          <Button variant="secondary" small>
                            {escapeHtml(t('catalogue.w.moveUp'))}
                          </Button>
                        </Form>
                      ) : (
                        ''
                      )}
                      <Form
                        action={`${base}/produk/${pr.id}/foto/${ph.id}/hapus`}
                        csrfToken={p.page.csrfToken}
                        class="form-inline"
                        confirm={t('catalogue.w.deletePhotoConfirm')}
                      >
                        <Button variant="danger" small>
                          {escapeHtml(t('catalogue.w.delete'))}
                        </Button>
                      </Form>
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <p>{escapeHtml(t('catalogue.w.noPhotos'))}</p>
            )}
            {pr.photos.length < svc.MAX_PHOTOS ? (
              <Form action={`${base}/produk/${pr.id}/foto`} csrfToken={p.page.csrfToken} enctype="multipart/form-data">
                <div class={e.file ? 'field field-invalid' : 'field'}>
                  <label for="field-file">{escapeHtml(t('catalogue.f.photoFile'))}</label>
                  <p class="field-hint">{escapeHtml(t('catalogue.f.photoHint'))}</p>
                  {e.file ? <p class="field-error-message">{escapeHtml(e.file)}</p> : ''}
                  <input id="field-file" type="file" name="file" accept="image/jpeg,image/png,image/webp" required />
                </div>
                <Button variant="secondary">{escapeHtml(t('catalogue.w.upload'))}</Button>
              </Form>
            ) : (
              ''
            )}
          </Card>
          {pr.status !== 'archived' ? (
            <Form action={`${base}/produk/${pr.id}/arsip`} csrfToken={p.page.csrfToken} confirm={t('catalogue.w.archiveConfirm')}>
              <Button variant="danger">{escapeHtml(t('catalogue.w.archive'))}</Button>
            </Form>
          ) : (
            ''
          )}
        </section>
      ) : (
        ''
      )}
    </Layout>
  );
}

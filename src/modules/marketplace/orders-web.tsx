import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomToken } from '../../platform/auth/tokens.js';
import { AppError } from '../../platform/errors.js';
import type { MessageKey, Translate } from '../../platform/i18n/index.js';
import { type FileStorage, LocalDiskStorage } from '../../platform/storage.js';
import {
  Badge,
  type BadgeTone,
  Button,
  Card,
  DataTable,
  EmptyState,
  ErrorSummary,
  escapeHtml,
  Form,
  formatDate,
  formatDateTime,
  formatNumber,
  formatRupiah,
  LinkButton,
  PageHeader,
  TextArea,
  TextField,
} from '../../platform/web/components.js';
import { Layout } from '../../platform/web/layout.js';
import { type FormErrors, formErrors, type PageContext } from '../../platform/web/page.js';
import { listKelurahanGrouped } from '../regions/service.js';
import { multipartFromBody, multipartPreValidation } from '../registry/multipart.js';
import { submitReview } from './discovery-service.js';
import { discoveryReviewForms, type ReviewFormState } from './discovery-views.js';
import { ordersApi } from './orders-api.js';
import { barHeight, dailySeries, LOW_STOCK_THRESHOLD, ORDER_STATUSES, type OrderStatus } from './orders-domain.js';
import { registerOrderJobs } from './orders-jobs.js';
import type { CheckoutInput } from './orders-schemas.js';
import * as svc from './orders-service.js';

const STATUS_TONE: Record<OrderStatus, BadgeTone> = {
  menunggu_pembayaran: 'warning',
  dibayar: 'info',
  diproses: 'info',
  dikirim: 'info',
  siap_diambil: 'info',
  selesai: 'success',
  dibatalkan: 'danger',
};

function StatusBadge(p: { t: Translate; status: OrderStatus }) {
  return <Badge tone={STATUS_TONE[p.status]}>{escapeHtml(p.t(`orders.status.${p.status}` as MessageKey))}</Badge>;
}

type FormValues = Record<string, string>;
const formOf = (req: FastifyRequest): FormValues => {
  const out: FormValues = {};
  for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
};

const isUuid = (s: string | undefined) => !!s && /^[0-9a-f-]{36}$/i.test(s);

/**
 * Marketplace orders: the JSON API, the background job, and the pages — cart, checkout, the
 * buyer's private tracking page, the seller's orders, dashboard and CSV export.
 */
export async function ordersModule(app: FastifyInstance) {
  const storage = new LocalDiskStorage(path.join(app.deps.config.dataDir, 'files'));
  await ordersApi(app, storage);
  registerOrderJobs(app);
  await ordersWeb(app, storage);
  app.nav.add({ href: '/keranjang', label: 'orders.nav.cart', audience: 'public', order: 60 });
  app.nav.add({ href: '/pesanan-saya', label: 'orders.w.myOrders', audience: 'user', order: 61 });
  app.nav.add({ href: '/toko-saya/pesanan', label: 'orders.nav.orders', audience: ['pelaku_umkm', 'pengurus_koperasi'], order: 31 });
}

export async function ordersWeb(app: FastifyInstance, storage: FileStorage) {
  const db = () => app.deps.db.db;
  const deps = (): svc.OrdersDeps => ({ config: app.deps.config });
  const secure = app.deps.config.secureCookies;

  /** The caller's cart; creates one (and its cookie) when `create`. */
  async function cartOf(req: FastifyRequest, reply: FastifyReply, create: boolean) {
    const ref = await svc.resolveCart(db(), req.ctx, req.cookies[svc.CART_COOKIE], create);
    if (ref.newToken) {
      reply.setCookie(svc.CART_COOKIE, ref.newToken, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 60 * 86400 });
    }
    if (ref.clearCookie) reply.clearCookie(svc.CART_COOKIE, { path: '/' });
    return ref.cartId;
  }

  // --- Cart ------------------------------------------------------------------------------------

  app.get('/keranjang', { schema: { hide: true } }, async (req, reply) => {
    const cartId = await cartOf(req, reply, false);
    const groups = await svc.cartView(db(), cartId);
    return reply.type('text/html; charset=utf-8').send(<CartPage page={req.page(reply)} groups={groups} />);
  });

  app.post('/keranjang/tambah', { schema: { hide: true } }, async (req, reply) => {
    const f = formOf(req);
    const cartId = (await cartOf(req, reply, true)) as string;
    const quantity = Number(f.quantity ?? '1');
    try {
      await svc.changeCart(db(), cartId, f.variantId ?? '', Number.isInteger(quantity) ? quantity : 0, 'add');
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') {
        reply.flash({ kind: 'error', key: err.fields[0]?.message ?? 'orders.productUnavailable' });
        return reply.redirect(safeNext(f.next) ?? '/keranjang', 303);
      }
      throw err;
    }
    reply.flash({ kind: 'success', key: 'orders.w.added' });
    return reply.redirect('/keranjang', 303);
  });

  app.post('/keranjang/ubah', { schema: { hide: true } }, async (req, reply) => {
    const f = formOf(req);
    const cartId = await cartOf(req, reply, false);
    if (cartId) {
      const quantity = Number(f.quantity ?? '');
      try {
        await svc.changeCart(db(), cartId, f.variantId ?? '', Number.isInteger(quantity) ? quantity : -1, 'set');
      } catch (err) {
        if (err instanceof AppError && err.code === 'validation_failed') {
          reply.flash({ kind: 'error', key: err.fields[0]?.message ?? 'field.invalid' });
          return reply.redirect('/keranjang', 303);
        }
        throw err;
      }
    }
    reply.flash({ kind: 'success', key: 'orders.w.updated' });
    return reply.redirect('/keranjang', 303);
  });

  app.post('/keranjang/hapus', { schema: { hide: true } }, async (req, reply) => {
    const f = formOf(req);
    const cartId = await cartOf(req, reply, false);
    if (cartId && isUuid(f.variantId)) await svc.removeFromCart(db(), cartId, [f.variantId as string]);
    reply.flash({ kind: 'success', key: 'orders.w.removed' });
    return reply.redirect('/keranjang', 303);
  });

  // --- Checkout --------------------------------------------------------------------------------

  async function renderCheckout(
    req: FastifyRequest,
    reply: FastifyReply,
    cartId: string | null,
    status: number,
    values: FormValues,
    errors: FormErrors,
  ) {
    const groups = await svc.cartView(db(), cartId);
    if (groups.length === 0) {
      reply.flash({ kind: 'info', key: 'orders.cartEmptyForCheckout' });
      return reply.redirect('/keranjang', 303);
    }
    if (groups.some((g) => g.hasProblems)) {
      reply.flash({ kind: 'error', key: 'orders.w.fixCart' });
      return reply.redirect('/keranjang', 303);
    }
    const [options, kelurahan] = await Promise.all([
      svc.checkoutOptions(
        db(),
        groups.map((g) => g.storeId),
      ),
      listKelurahanGrouped(db()),
    ]);
    const v = { idempotencyKey: randomToken(), name: req.ctx.user?.name ?? '', phone: req.ctx.user?.phone ?? '', ...values };
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .send(<CheckoutPage page={req.page(reply)} groups={groups} options={options} kelurahan={kelurahan} values={v} errors={errors} />);
  }

  app.get('/checkout', { schema: { hide: true } }, async (req, reply) => {
    const cartId = await cartOf(req, reply, false);
    return renderCheckout(req, reply, cartId, 200, {}, {});
  });

  app.post('/checkout', { schema: { hide: true } }, async (req, reply) => {
    const f = formOf(req);
    const cartId = await cartOf(req, reply, false);
    const scope = req.ctx.user ? `web:user:${req.ctx.user.id}` : `web:cart:${cartId}`;
    const key = (f.idempotencyKey ?? '').trim();
    // A second click on the same form: show the orders the first one made.
    const earlier = cartId && key ? await svc.previousCheckout(db(), scope, key) : null;
    if (earlier)
      return reply
        .status(201)
        .type('text/html; charset=utf-8')
        .send(<CheckoutResultPage page={req.page(reply)} orders={earlier.orders} />);
    const groups = await svc.cartView(db(), cartId);
    if (!cartId || groups.length === 0) return renderCheckout(req, reply, cartId, 200, {}, {});
    const errors: FormErrors = {};
    const t = req.ctx.t;
    if ((f.name ?? '').trim().length < 2) errors.name = t('field.required');
    if (!/^(\+62|62|0)8[0-9]{7,12}$/.test((f.phone ?? '').replace(/[\s-]/g, ''))) errors.phone = t('field.invalidPhone');
    if ((f.address ?? '').trim().length < 5) errors.address = t('field.required');
    if (!/^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$/.test(f.kelurahanCode ?? '')) errors.kelurahanCode = t('orders.kelurahanInvalid');
    const stores: NonNullable<CheckoutInput['stores']> = [];
    for (const g of groups) {
      const method = f[`delivery_${g.storeId}`];
      const payment = f[`payment_${g.storeId}`];
      if (method !== 'pickup' && method !== 'seller_delivery' && method !== 'cod') errors[`delivery_${g.storeId}`] = t('field.required');
      if (payment !== 'transfer' && payment !== 'qris' && payment !== 'cod') errors[`payment_${g.storeId}`] = t('field.required');
      const pickup = f[`pickup_${g.storeId}`];
      stores.push({
        storeId: g.storeId,
        delivery: { method: method as 'pickup', ...(method === 'pickup' && isUuid(pickup) ? { pickupPointId: pickup } : {}) },
        paymentMethod: payment as 'transfer',
      });
    }
    if (key.length < 8 || key.length > 100) return renderCheckout(req, reply, cartId, 400, { ...f, idempotencyKey: '' }, errors);
    if (Object.keys(errors).length) return renderCheckout(req, reply, cartId, 400, f, errors);
    const first = stores[0] as (typeof stores)[number];
    const input: CheckoutInput = {
      items: groups.flatMap((g) => g.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity }))),
      buyer: {
        name: (f.name ?? '').trim(),
        phone: (f.phone ?? '').replace(/[\s-]/g, ''),
        address: (f.address ?? '').trim(),
        kelurahanCode: f.kelurahanCode ?? '',
      },
      delivery: first.delivery,
      paymentMethod: first.paymentMethod,
      stores,
    };
    let result: svc.CheckoutResult;
    try {
      result = await svc.checkout(db(), req.ctx, deps(), input, { scope, key });
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        const errs: FormErrors = {
          ...formErrors(
            t,
            err.fields.map((x) => ({ ...x, field: x.field.replace(/^buyer\./, '') })),
          ),
        };
        const storeId = (err.details as { storeId?: string } | undefined)?.storeId;
        const field = storeId ? `delivery_${storeId}` : 'form';
        if (!err.fields.length) errs[field] = t(err.messageKey, err.params);
        // Nothing was created: the same key may be used again.
        return renderCheckout(req, reply, cartId, err.status, f, errs);
      }
      throw err;
    }
    await svc.removeFromCart(
      db(),
      cartId,
      input.items.map((i) => i.variantId as string),
    );
    return reply
      .status(201)
      .type('text/html; charset=utf-8')
      .send(<CheckoutResultPage page={req.page(reply)} orders={result.body.orders} />);
  });

  // --- Buyer's tracking page -------------------------------------------------------------------

  async function renderTracking(
    req: FastifyRequest,
    reply: FastifyReply,
    token: string,
    status = 200,
    errors: FormErrors = {},
    review?: ReviewFormState,
  ) {
    const v = await svc.getOrderByToken(db(), token);
    const details = await svc.orderDetails(db(), v.order);
    reply.header('cache-control', 'private, no-store');
    reply.header('referrer-policy', 'no-referrer');
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .send(
        <TrackingPage
          page={req.page(reply)}
          view={v}
          details={details}
          token={token}
          actions={svc.actionsFor(v.order, 'buyer')}
          waLink={svc.buyerWaLink(v.order, details.store)}
          errors={errors}
          reviews={await discoveryReviewForms(db(), req.page(reply), v.order, `/pesanan/${encodeURIComponent(token)}/ulasan`, review)}
        />,
      );
  }

  app.get('/pesanan/:token', { schema: { hide: true } }, async (req, reply) =>
    renderTracking(req, reply, (req.params as { token: string }).token),
  );

  // --- Buyer: a review of a completed order, from the order page -------------------------------
  // Bad input (a rating out of range, an item not in the order, a second review) is shown inline
  // on the order page (400/409) and saves nothing.

  async function submitReviewForm(
    req: FastifyRequest,
    reply: FastifyReply,
    orderId: string,
    opts: { token?: string },
    back: string,
    render: (status: number, errors: FormErrors, review: ReviewFormState) => Promise<unknown>,
  ) {
    const f = (req.body ?? {}) as Record<string, unknown>;
    const text = (name: string) => (typeof f[name] === 'string' ? (f[name] as string) : '');
    const itemId = text('orderItemId');
    const values = { rating: text(`rating-${itemId}`) || text('rating'), comment: text(`comment-${itemId}`) || text('comment') };
    try {
      await submitReview(
        db(),
        req.ctx,
        orderId,
        { orderItemId: isUuid(itemId) ? itemId : undefined, rating: values.rating, comment: values.comment },
        opts,
      );
    } catch (err) {
      if (!(err instanceof AppError) || !['validation_failed', 'rule_violated', 'conflict'].includes(err.code)) throw err;
      const inline = formErrors(req.ctx.t, err.fields);
      const summary: FormErrors = err.fields.length
        ? Object.fromEntries(Object.entries(inline).map(([field, message]) => [`${field}-${itemId}`, message]))
        : { [`review-${itemId}`]: req.ctx.t(err.messageKey, err.params) };
      return render(err.code === 'conflict' ? 409 : 400, summary, { itemId, errors: inline, values });
    }
    reply.flash({ kind: 'success', key: 'discovery.review.thanks' });
    return reply.redirect(`${back}#ulasan`, 303);
  }

  app.post('/pesanan/:token/ulasan', { schema: { hide: true } }, async (req, reply) => {
    const { token } = req.params as { token: string };
    const v = await svc.getOrderByToken(db(), token);
    return submitReviewForm(req, reply, v.order.id, { token }, `/pesanan/${encodeURIComponent(token)}`, (status, errors, review) =>
      renderTracking(req, reply, token, status, errors, review),
    );
  });

  app.post('/pesanan-saya/:id/ulasan', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) return reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`);
    const { id } = req.params as { id: string };
    return submitReviewForm(req, reply, id, {}, `/pesanan-saya/${encodeURIComponent(id)}`, (status, errors, review) =>
      renderMyOrder(req, reply, id, status, errors, review),
    );
  });

  for (const [suffix, to] of [
    ['batal', 'dibatalkan'],
    ['selesai', 'selesai'],
  ] as const) {
    app.post(`/pesanan/:token/${suffix}`, { schema: { hide: true } }, async (req, reply) => {
      const { token } = req.params as { token: string };
      const v = await svc.getOrderByToken(db(), token);
      await svc.transitionOrder(db(), req.ctx, deps(), v.order.id, { to }, { token });
      reply.flash({ kind: 'success', key: to === 'dibatalkan' ? 'orders.w.cancelled' : 'orders.w.changed' });
      return reply.redirect(`/pesanan/${encodeURIComponent(token)}`, 303);
    });
  }

  app.post(
    '/pesanan/:token/bukti',
    { schema: { hide: true }, preValidation: multipartPreValidation(svc.MAX_PROOF_BYTES) },
    async (req, reply) => {
      const { token } = req.params as { token: string };
      const { file } = multipartFromBody(req);
      try {
        await svc.uploadPaymentProof(
          db(),
          storage,
          req.ctx,
          deps(),
          token,
          file ? { bytes: file.bytes, truncated: !!file.truncated } : null,
        );
      } catch (err) {
        if (err instanceof AppError && err.code === 'validation_failed')
          return renderTracking(req, reply, token, 400, formErrors(req.ctx.t, err.fields));
        throw err;
      }
      reply.flash({ kind: 'success', key: 'orders.w.proofUploaded' });
      return reply.redirect(`/pesanan/${encodeURIComponent(token)}`, 303);
    },
  );

  app.get('/pesanan/:token/bukti', { schema: { hide: true } }, async (req, reply) => {
    const v = await svc.getOrderByToken(db(), (req.params as { token: string }).token);
    return sendStored(reply, v.order.payment_proof_key);
  });

  app.get('/pesanan/:token/qris', { schema: { hide: true } }, async (req, reply) => {
    const v = await svc.getOrderByToken(db(), (req.params as { token: string }).token);
    const details = await svc.orderDetails(db(), v.order);
    return sendStored(reply, details.store.qris_key);
  });

  async function sendStored(reply: FastifyReply, key: string | null) {
    const file = key ? await storage.get(key) : null;
    if (!file) throw new AppError('not_found', 'error.notFound');
    reply.header('content-type', file.contentType);
    reply.header('cache-control', 'private, no-store');
    return reply.send(file.bytes);
  }

  // --- Logged-in buyer's orders ----------------------------------------------------------------

  app.get('/pesanan-saya', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) return reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`);
    const orders = await svc.myOrders(db(), req.ctx);
    const page = req.page(reply);
    const { t, locale } = page;
    return reply.type('text/html; charset=utf-8').send(
      <Layout page={page} title={t('orders.w.myOrders')}>
        <PageHeader title={t('orders.w.myOrders')} />
        <DataTable
          caption={t('orders.w.myOrders')}
          t={t}
          baseUrl="/pesanan-saya"
          query={{}}
          rows={orders}
          emptyState={<EmptyState title={t('orders.w.noOrders')} body={t('orders.w.cartEmptyBody')} />}
          columns={[
            { key: 'number', label: t('orders.w.number'), render: (o) => <a href={`/pesanan-saya/${o.id}`}>{escapeHtml(o.number)}</a> },
            { key: 'created', label: t('orders.w.created'), render: (o) => escapeHtml(formatDateTime(new Date(o.created_at), locale)) },
            { key: 'store', label: t('orders.w.store'), render: (o) => escapeHtml(o.store_name) },
            { key: 'status', label: t('orders.w.status'), render: (o) => <StatusBadge t={t} status={o.status} /> },
            { key: 'total', label: t('orders.w.total'), class: 'num', render: (o) => escapeHtml(formatRupiah(BigInt(o.total))) },
          ]}
        />
      </Layout>,
    );
  });

  async function renderMyOrder(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    status = 200,
    errors: FormErrors = {},
    review?: ReviewFormState,
  ) {
    const v = await svc.getOrder(db(), req.ctx, id);
    if (v.role !== 'buyer') throw new AppError('not_found', 'error.notFound');
    const details = await svc.orderDetails(db(), v.order);
    const page = req.page(reply);
    const { t, locale } = page;
    const actions = svc.actionsFor(v.order, 'buyer');
    const wa = svc.buyerWaLink(v.order, details.store);
    const base = `/pesanan-saya/${v.order.id}`;
    const reviews = await discoveryReviewForms(db(), page, v.order, `${base}/ulasan`, review);
    reply.header('cache-control', 'private, no-store');
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .send(
        <Layout page={page} title={t('orders.w.orderTitle', { number: v.order.number })}>
          <PageHeader title={t('orders.w.orderTitle', { number: v.order.number })} />
          <ErrorSummary t={t} errors={errors} />
          <OrderSummary t={t} locale={locale} view={v} details={details} />
          {reviews}
          <div class="form-actions">
            {actions.map((to) => (
              <Form
                action={`${base}/status`}
                csrfToken={page.csrfToken}
                confirm={to === 'dibatalkan' ? t('orders.w.cancelConfirm') : undefined}
              >
                <input type="hidden" name="to" value={to} />
                <Button variant={to === 'dibatalkan' ? 'danger' : 'primary'}>
                  {escapeHtml(t(to === 'dibatalkan' ? 'orders.w.cancel' : 'orders.w.confirmReceived'))}
                </Button>
              </Form>
            ))}
            {wa ? (
              <a class="btn btn-secondary" href={wa} rel="noopener noreferrer" target="_blank">
                {escapeHtml(t('orders.w.waSeller'))}
              </a>
            ) : (
              ''
            )}
          </div>
        </Layout>,
      );
  }

  app.get('/pesanan-saya/:id', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) return reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`);
    return renderMyOrder(req, reply, (req.params as { id: string }).id);
  });

  app.post('/pesanan-saya/:id/status', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) throw new AppError('unauthorized', 'error.unauthorized');
    const { id } = req.params as { id: string };
    const to = formOf(req).to;
    if (to !== 'dibatalkan' && to !== 'selesai') return renderMyOrder(req, reply, id, 400, { to: req.ctx.t('field.notAllowed') });
    const v = await svc.getOrder(db(), req.ctx, id);
    if (v.role !== 'buyer') throw new AppError('not_found', 'error.notFound');
    try {
      await svc.transitionOrder(db(), req.ctx, deps(), id, { to });
    } catch (err) {
      if (err instanceof AppError && (err.code === 'conflict' || err.code === 'forbidden')) {
        return renderMyOrder(req, reply, id, err.status, { to: req.ctx.t(err.messageKey, err.params) });
      }
      throw err;
    }
    reply.flash({ kind: 'success', key: to === 'dibatalkan' ? 'orders.w.cancelled' : 'orders.w.changed' });
    return reply.redirect(`/pesanan-saya/${id}`, 303);
  });

  // --- Seller ----------------------------------------------------------------------------------

  app.get('/toko-saya/pesanan', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) return reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`);
    const stores = await svc.myStores(db(), req.ctx);
    if (stores.length === 1) return reply.redirect(`/toko-saya/${(stores[0] as { id: string }).id}/pesanan`);
    const page = req.page(reply);
    const { t } = page;
    return reply.type('text/html; charset=utf-8').send(
      <Layout page={page} title={t('orders.nav.orders')}>
        <PageHeader title={t('orders.w.chooseStore')} />
        {stores.length === 0 ? (
          <EmptyState title={t('orders.w.noStore')} body={t('orders.w.noStoreBody')} />
        ) : (
          <ul class="link-list">
            {stores.map((s) => (
              <li>
                <a href={`/toko-saya/${s.id}/pesanan`}>{escapeHtml(s.name)}</a> ·{' '}
                <a href={`/toko-saya/${s.id}/dasbor`}>{escapeHtml(t('orders.w.dashboard'))}</a>
              </li>
            ))}
          </ul>
        )}
      </Layout>,
    );
  });

  app.get('/toko-saya/:storeId/pesanan', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) return reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`);
    const { storeId } = req.params as { storeId: string };
    const q = req.query as Record<string, string | undefined>;
    const status = ORDER_STATUSES.includes(q.status as OrderStatus) ? (q.status as OrderStatus) : undefined;
    const todo = q.todo === '1';
    const pageNo = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
    const r = await svc.listStoreOrders(db(), req.ctx, storeId, { status, todo, page: pageNo });
    return reply.type('text/html; charset=utf-8').send(<SellerOrdersPage page={req.page(reply)} data={r} status={status} todo={todo} />);
  });

  app.get('/toko-saya/:storeId/pesanan.csv', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) return reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`);
    const { storeId } = req.params as { storeId: string };
    const { store, orders, items } = await svc.exportStoreOrders(db(), req.ctx, storeId);
    const itemText = new Map<string, string>();
    for (const i of items) {
      const label = `${i.quantity}x ${i.product_name}${i.variant_name ? ` (${i.variant_name})` : ''}`;
      itemText.set(i.order_id, itemText.has(i.order_id) ? `${itemText.get(i.order_id)}; ${label}` : label);
    }
    const csv = stringify(
      orders.map((o) => [
        o.number,
        new Date(o.created_at).toISOString(),
        o.status,
        o.buyer_name,
        o.buyer_phone,
        o.buyer_address,
        o.buyer_kelurahan_code,
        o.delivery_method,
        o.payment_method,
        BigInt(o.subtotal).toString(),
        BigInt(o.delivery_fee).toString(),
        BigInt(o.total).toString(),
        o.paid_at ? new Date(o.paid_at).toISOString() : '',
        o.completed_at ? new Date(o.completed_at).toISOString() : '',
        o.cancel_reason ?? '',
        itemText.get(o.id) ?? '',
      ]),
      {
        header: true,
        columns: [
          'number',
          'created_at',
          'status',
          'buyer_name',
          'buyer_phone',
          'buyer_address',
          'buyer_kelurahan_code',
          'delivery_method',
          'payment_method',
          'subtotal',
          'delivery_fee',
          'total',
          'paid_at',
          'completed_at',
          'cancel_reason',
          'items',
        ],
        // Cells that a spreadsheet would run as a formula are quoted with a leading apostrophe.
        cast: { string: (s) => (/^[=+\-@\t\r]/.test(s) && !/^-?\d+$/.test(s) ? `'${s}` : s) },
      },
    );
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('cache-control', 'private, no-store');
    reply.header('content-disposition', `attachment; filename="pesanan-${store.slug.replace(/[^a-z0-9-]/gi, '_')}.csv"`);
    return reply.send(`\ufeff${csv}`);
  });

  async function renderSellerOrder(
    req: FastifyRequest,
    reply: FastifyReply,
    storeId: string,
    orderId: string,
    status = 200,
    errors: FormErrors = {},
  ) {
    const store = await svc.requireOwnStore(db(), req.ctx, storeId);
    const v = await svc.getOrder(db(), req.ctx, orderId);
    if (v.order.store_id !== store.id || v.role !== 'seller') throw new AppError('not_found', 'error.notFound');
    const details = await svc.orderDetails(db(), v.order);
    reply.header('cache-control', 'private, no-store');
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .send(
        <SellerOrderPage
          page={req.page(reply)}
          view={v}
          details={details}
          actions={svc.actionsFor(v.order, 'seller')}
          waLink={svc.sellerWaLink(v.order)}
          errors={errors}
        />,
      );
  }

  app.get('/toko-saya/:storeId/pesanan/:orderId', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) return reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`);
    const p = req.params as { storeId: string; orderId: string };
    return renderSellerOrder(req, reply, p.storeId, p.orderId);
  });

  app.post('/toko-saya/:storeId/pesanan/:orderId/status', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) throw new AppError('unauthorized', 'error.unauthorized');
    const p = req.params as { storeId: string; orderId: string };
    const f = formOf(req);
    const store = await svc.requireOwnStore(db(), req.ctx, p.storeId);
    const v = await svc.getOrder(db(), req.ctx, p.orderId);
    if (v.order.store_id !== store.id) throw new AppError('not_found', 'error.notFound');
    const to = f.to as OrderStatus;
    if (!ORDER_STATUSES.includes(to))
      return renderSellerOrder(req, reply, p.storeId, p.orderId, 400, { to: req.ctx.t('field.notAllowed') });
    try {
      await svc.transitionOrder(db(), req.ctx, deps(), p.orderId, { to, reason: f.reason });
    } catch (err) {
      if (err instanceof AppError && (err.code === 'validation_failed' || err.code === 'conflict' || err.code === 'forbidden')) {
        const errs = err.fields.length ? formErrors(req.ctx.t, err.fields) : { to: req.ctx.t(err.messageKey, err.params) };
        return renderSellerOrder(req, reply, p.storeId, p.orderId, err.status, errs);
      }
      throw err;
    }
    reply.flash({ kind: 'success', key: 'orders.w.changed' });
    return reply.redirect(`/toko-saya/${p.storeId}/pesanan/${p.orderId}`, 303);
  });

  app.get('/toko-saya/:storeId/pesanan/:orderId/bukti', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) throw new AppError('unauthorized', 'error.unauthorized');
    const p = req.params as { storeId: string; orderId: string };
    const store = await svc.requireOwnStore(db(), req.ctx, p.storeId);
    const v = await svc.getOrder(db(), req.ctx, p.orderId);
    if (v.order.store_id !== store.id || v.role !== 'seller') throw new AppError('not_found', 'error.notFound');
    return sendStored(reply, v.order.payment_proof_key);
  });

  app.get('/toko-saya/:storeId/dasbor', { schema: { hide: true } }, async (req, reply) => {
    if (!req.ctx.user) return reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`);
    const { storeId } = req.params as { storeId: string };
    const d = await svc.storeDashboard(db(), req.ctx, storeId);
    return reply.type('text/html; charset=utf-8').send(<DashboardPage page={req.page(reply)} d={d} />);
  });
}

function safeNext(next: string | undefined): string | undefined {
  return next?.startsWith('/') && !next.startsWith('//') ? next : undefined;
}

// =============================================================================================
// Views
// =============================================================================================

function CartPage(p: { page: PageContext; groups: svc.CartGroup[] }) {
  const { t, locale } = p.page;
  return (
    <Layout page={p.page} title={t('orders.w.cartTitle')}>
      <PageHeader title={t('orders.w.cartTitle')} />
      {p.groups.length === 0 ? (
        <EmptyState
          title={t('orders.w.cartEmpty')}
          body={t('orders.w.cartEmptyBody')}
          action={{ href: '/', label: t('orders.w.browse') }}
        />
      ) : (
        <>
          {p.groups.map((g) => (
            <Card title={t('orders.w.storeGroup', { store: g.storeName })}>
              <ul class="plain-list">
                {g.lines.map((l) => (
                  <li class="cart-line">
                    <p>
                      <strong safe>{l.productName}</strong>
                      {l.variantName ? <span safe>{` · ${l.variantName}`}</span> : ''}
                      <br />
                      {escapeHtml(formatRupiah(l.unitPrice))} × {formatNumber(l.quantity, locale)} ={' '}
                      <strong>{escapeHtml(formatRupiah(l.lineTotal))}</strong>
                    </p>
                    {!l.available ? (
                      <p class="field-error-message" role="alert">
                        {escapeHtml(t('orders.w.unavailable'))}
                      </p>
                    ) : l.stock < l.quantity ? (
                      <p class="field-error-message" role="alert">
                        {escapeHtml(t('orders.w.stockLow', { stock: l.stock }))}
                      </p>
                    ) : (
                      ''
                    )}
                    <div class="form-actions">
                      <Form action="/keranjang/ubah" csrfToken={p.page.csrfToken} class="form-inline">
                        <input type="hidden" name="variantId" value={l.variantId} />
                        <label for={`qty-${l.variantId}`}>{escapeHtml(t('orders.w.quantity'))}</label>
                        <input
                          id={`qty-${l.variantId}`}
                          type="number"
                          name="quantity"
                          min="0"
                          max="999"
                          value={String(l.quantity)}
                          inputmode="numeric"
                        />
                        <Button variant="secondary" small>
                          {escapeHtml(t('orders.w.update'))}
                        </Button>
                      </Form>
                      <Form action="/keranjang/hapus" csrfToken={p.page.csrfToken} class="form-inline">
                        <input type="hidden" name="variantId" value={l.variantId} />
                        <Button variant="link" small>
                          {escapeHtml(t('orders.w.remove'))}
                        </Button>
                      </Form>
                    </div>
                  </li>
                ))}
              </ul>
              <p>
                {escapeHtml(t('orders.w.subtotal'))}: <strong>{escapeHtml(formatRupiah(g.subtotal))}</strong>
              </p>
            </Card>
          ))}
          {p.groups.some((g) => g.hasProblems) ? (
            <p class="flash flash-error" role="alert">
              {escapeHtml(t('orders.w.fixCart'))}
            </p>
          ) : (
            <p>
              <LinkButton href="/checkout">{escapeHtml(t('orders.w.toCheckout'))}</LinkButton>
            </p>
          )}
        </>
      )}
    </Layout>
  );
}

type KelurahanGroups = Awaited<ReturnType<typeof listKelurahanGrouped>>;
type CheckoutOptions = Awaited<ReturnType<typeof svc.checkoutOptions>>;

function RadioGroup(p: { name: string; legend: string; options: { value: string; label: string }[]; value?: string; error?: string }) {
  return (
    <fieldset class={p.error ? 'field field-invalid' : 'field'} id={`field-${p.name}`}>
      <legend>{escapeHtml(p.legend)}</legend>
      {p.error ? (
        <p class="field-error-message" id={`${p.name}-error`}>
          {escapeHtml(p.error)}
        </p>
      ) : (
        ''
      )}
      {p.options.map((o, i) => (
        <div class="field-checkbox">
          <input
            type="radio"
            id={`${p.name}-${o.value}`}
            name={p.name}
            value={o.value}
            checked={p.value ? p.value === o.value : i === 0}
            aria-describedby={p.error ? `${p.name}-error` : undefined}
          />
          <label for={`${p.name}-${o.value}`}>{escapeHtml(o.label)}</label>
        </div>
      ))}
    </fieldset>
  );
}

function CheckoutPage(p: {
  page: PageContext;
  groups: svc.CartGroup[];
  options: CheckoutOptions;
  kelurahan: KelurahanGroups;
  values: FormValues;
  errors: FormErrors;
}) {
  const { t } = p.page;
  const v = p.values;
  const names = new Map(p.kelurahan.map((g) => [g.kecamatan.code, g.kecamatan.name]));
  return (
    <Layout page={p.page} title={t('orders.w.checkoutTitle')}>
      <PageHeader title={t('orders.w.checkoutTitle')} />
      <ErrorSummary t={t} errors={p.errors} />
      <Form action="/checkout" csrfToken={p.page.csrfToken} novalidate>
        <input type="hidden" name="idempotencyKey" value={v.idempotencyKey} />
        <Card title={t('orders.w.buyerSection')}>
          <TextField
            name="name"
            label={t('orders.w.buyerName')}
            value={v.name}
            error={p.errors.name}
            required
            autocomplete="name"
            maxlength={120}
          />
          <TextField
            name="phone"
            type="tel"
            label={t('orders.w.buyerPhone')}
            hint={t('orders.w.buyerPhoneHint')}
            value={v.phone}
            error={p.errors.phone}
            required
            autocomplete="tel"
            inputmode="tel"
            maxlength={16}
          />
          <TextArea name="address" label={t('orders.w.buyerAddress')} value={v.address} error={p.errors.address} required rows={3} />
          <div class={p.errors.kelurahanCode ? 'field field-invalid' : 'field'}>
            <label for="field-kelurahanCode">{escapeHtml(t('orders.w.kelurahan'))}</label>
            {p.errors.kelurahanCode ? (
              <p class="field-error-message" id="kelurahanCode-error">
                {escapeHtml(p.errors.kelurahanCode)}
              </p>
            ) : (
              ''
            )}
            <select
              id="field-kelurahanCode"
              name="kelurahanCode"
              required
              aria-describedby={p.errors.kelurahanCode ? 'kelurahanCode-error' : undefined}
            >
              <option value="">{escapeHtml(t('orders.w.chooseKelurahan'))}</option>
              {p.kelurahan.map((g) => (
                <optgroup label={g.kecamatan.name}>
                  {g.kelurahan.map((k) => (
                    <option value={k.code} selected={v.kelurahanCode === k.code}>
                      {escapeHtml(k.name)}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
        </Card>
        {p.groups.map((g) => {
          const o = p.options.find((x) => x.store.id === g.storeId);
          if (!o) return '';
          const fees = o.fees.map((f) => `${names.get(f.kecamatanCode) ?? f.kecamatanCode} ${formatRupiah(f.fee)}`).join(', ');
          return (
            <Card title={t('orders.w.storeGroup', { store: g.storeName })}>
              <ul>
                {g.lines.map((l) => (
                  <li>
                    <span safe>{`${l.quantity}× ${l.productName}${l.variantName ? ` (${l.variantName})` : ''}`}</span> —{' '}
                    {escapeHtml(formatRupiah(l.lineTotal))}
                  </li>
                ))}
              </ul>
              <p>
                {escapeHtml(t('orders.w.totalGoods'))}: <strong>{escapeHtml(formatRupiah(g.subtotal))}</strong>
              </p>
              <RadioGroup
                name={`delivery_${g.storeId}`}
                legend={t('orders.w.delivery')}
                options={o.deliveryMethods.map((m) => ({ value: m, label: t(`orders.delivery.${m}` as MessageKey) }))}
                value={v[`delivery_${g.storeId}`]}
                error={p.errors[`delivery_${g.storeId}`]}
              />
              {o.fees.length ? (
                <p class="field-hint">{escapeHtml(t('orders.w.feeTable', { fees }))}</p>
              ) : o.store.offers_delivery ? (
                <p class="field-hint">{escapeHtml(t('orders.w.noFees'))}</p>
              ) : (
                ''
              )}
              {o.pickupPoints.length > 1 ? (
                <RadioGroup
                  name={`pickup_${g.storeId}`}
                  legend={t('orders.w.pickupPoint')}
                  options={o.pickupPoints.map((pp) => ({ value: pp.id, label: `${pp.label}${pp.address ? ` — ${pp.address}` : ''}` }))}
                  value={v[`pickup_${g.storeId}`]}
                />
              ) : o.pickupPoints.length === 1 ? (
                <p class="field-hint">
                  {escapeHtml(t('orders.w.pickupPoint'))}:{' '}
                  <span
                    safe
                  >{`${o.pickupPoints[0]?.label ?? ''}${o.pickupPoints[0]?.address ? ` — ${o.pickupPoints[0]?.address}` : ''}`}</span>
                </p>
              ) : (
                ''
              )}
              <RadioGroup
                name={`payment_${g.storeId}`}
                legend={t('orders.w.payment')}
                options={o.paymentMethods.map((m) => ({ value: m, label: t(`orders.payment.${m}` as MessageKey) }))}
                value={v[`payment_${g.storeId}`]}
                error={p.errors[`payment_${g.storeId}`]}
              />
            </Card>
          );
        })}
        {p.errors.form ? (
          <p class="field-error-message" id="field-form" role="alert">
            {escapeHtml(p.errors.form)}
          </p>
        ) : (
          ''
        )}
        <div class="form-actions">
          <Button>{escapeHtml(t('orders.w.placeOrder'))}</Button>
        </div>
      </Form>
    </Layout>
  );
}

function CheckoutResultPage(p: { page: PageContext; orders: svc.OrderJson[] }) {
  const { t } = p.page;
  return (
    <Layout page={p.page} title={t('orders.w.resultTitle')}>
      <PageHeader title={t('orders.w.resultTitle')} subtitle={t('orders.w.resultIntro')} />
      <div class="checkout-result">
        {p.orders.map((o) => {
          const path = o.trackingUrl ? new URL(o.trackingUrl).pathname : '';
          return (
            <Card title={t('orders.w.orderTitle', { number: o.number })}>
              <p>
                <span safe>{o.storeName}</span> · <StatusBadge t={t} status={o.status} /> · {escapeHtml(t('orders.w.total'))}:{' '}
                <strong>{escapeHtml(formatRupiah(o.total))}</strong>
              </p>
              <p>
                {escapeHtml(t('orders.w.trackingLink'))}: <a href={path}>{escapeHtml(o.trackingUrl ?? '')}</a>
              </p>
              <p>
                <LinkButton href={path} small>
                  {escapeHtml(t('orders.w.openOrder'))}
                </LinkButton>
              </p>
            </Card>
          );
        })}
      </div>
    </Layout>
  );
}

type Details = Awaited<ReturnType<typeof svc.orderDetails>>;

function OrderSummary(p: { t: Translate; locale: PageContext['locale']; view: svc.OrderView; details: Details }) {
  const { t, locale } = p;
  const o = p.view.order;
  return (
    <>
      <dl class="facts">
        <dt>{escapeHtml(t('orders.w.store'))}</dt>
        <dd safe>{o.store_name}</dd>
        <dt>{escapeHtml(t('orders.w.status'))}</dt>
        <dd>
          <StatusBadge t={t} status={o.status} />
          {o.cancel_reason ? <span safe>{` ${t('orders.w.cancelReason', { reason: o.cancel_reason })}`}</span> : ''}
        </dd>
        <dt>{escapeHtml(t('orders.w.created'))}</dt>
        <dd>{escapeHtml(formatDateTime(new Date(o.created_at), locale))}</dd>
        <dt>{escapeHtml(t('orders.w.delivery'))}</dt>
        <dd>
          {escapeHtml(t(`orders.delivery.${o.delivery_method}` as MessageKey))}
          {p.details.pickupPoint ? (
            <span
              safe
            >{` — ${p.details.pickupPoint.label}${p.details.pickupPoint.address ? `, ${p.details.pickupPoint.address}` : ''}`}</span>
          ) : (
            ''
          )}
        </dd>
        <dt>{escapeHtml(t('orders.w.payment'))}</dt>
        <dd>{escapeHtml(t(`orders.payment.${o.payment_method}` as MessageKey))}</dd>
        <dt>{escapeHtml(t('orders.w.buyer'))}</dt>
        <dd safe>{`${o.buyer_name} · ${o.buyer_phone}`}</dd>
        <dt>{escapeHtml(t('orders.w.address'))}</dt>
        <dd safe>{`${o.buyer_address}${p.details.kelurahanName ? `, ${p.details.kelurahanName}` : ''}`}</dd>
      </dl>
      <section class="table-wrap" aria-labelledby={`items-${o.id}`}>
        <table class="data-table">
          <caption id={`items-${o.id}`}>{escapeHtml(t('orders.w.items'))}</caption>
          <thead>
            <tr>
              <th scope="col">{escapeHtml(t('orders.w.product'))}</th>
              <th scope="col" class="num">
                {escapeHtml(t('orders.w.price'))}
              </th>
              <th scope="col" class="num">
                {escapeHtml(t('orders.w.quantity'))}
              </th>
              <th scope="col" class="num">
                {escapeHtml(t('orders.w.lineTotal'))}
              </th>
            </tr>
          </thead>
          <tbody>
            {p.view.items.map((i) => (
              <tr>
                <td data-label={t('orders.w.product')} safe>
                  {`${i.product_name}${i.variant_name ? ` (${i.variant_name})` : ''}`}
                </td>
                <td data-label={t('orders.w.price')} class="num">
                  {escapeHtml(formatRupiah(BigInt(i.unit_price)))}
                </td>
                <td data-label={t('orders.w.quantity')} class="num">
                  {formatNumber(i.quantity, locale)}
                </td>
                <td data-label={t('orders.w.lineTotal')} class="num">
                  {escapeHtml(formatRupiah(BigInt(i.line_total)))}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colspan="3">
                {escapeHtml(t('orders.w.subtotal'))}
              </th>
              <td class="num">{escapeHtml(formatRupiah(BigInt(o.subtotal)))}</td>
            </tr>
            <tr>
              <th scope="row" colspan="3">
                {escapeHtml(t('orders.w.deliveryFee'))}
              </th>
              <td class="num">{escapeHtml(formatRupiah(BigInt(o.delivery_fee)))}</td>
            </tr>
            <tr>
              <th scope="row" colspan="3">
                {escapeHtml(t('orders.w.total'))}
              </th>
              <td class="num">
                <strong>{escapeHtml(formatRupiah(BigInt(o.total)))}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </section>
      <h2>{escapeHtml(t('orders.w.timeline'))}</h2>
      <ol class="timeline">
        {p.details.events.map((ev) => (
          <li>
            <StatusBadge t={t} status={ev.to_status} /> {escapeHtml(formatDateTime(new Date(ev.at), locale))} ·{' '}
            {escapeHtml(t(`orders.actor.${ev.actor_kind}` as MessageKey))}
            {ev.reason ? <span safe>{` — ${ev.reason}`}</span> : ''}
          </li>
        ))}
      </ol>
    </>
  );
}

function TrackingPage(p: {
  page: PageContext;
  view: svc.OrderView;
  details: Details;
  token: string;
  actions: OrderStatus[];
  waLink: string | null;
  errors: FormErrors;
  /** Review forms of a completed order (discovery-views). */
  reviews?: string;
}) {
  const { t, locale } = p.page;
  const o = p.view.order;
  const s = p.details.store;
  const base = `/pesanan/${encodeURIComponent(p.token)}`;
  const total = formatRupiah(BigInt(o.total));
  const unpaid = o.status === 'menunggu_pembayaran';
  return (
    <Layout page={p.page} title={t('orders.w.orderTitle', { number: o.number })}>
      <PageHeader title={t('orders.w.orderTitle', { number: o.number })} />
      <ErrorSummary t={t} errors={p.errors} />
      {unpaid ? (
        <Card title={t('orders.w.payment')}>
          {o.expires_at ? <p>{escapeHtml(t('orders.w.payBefore', { time: formatDateTime(new Date(o.expires_at), locale) }))}</p> : ''}
          {o.payment_method === 'transfer' ? (
            <p safe>
              {t('orders.w.payTransfer', {
                total,
                bank: s.bank_name ?? '',
                account: s.bank_account_number ?? '',
                name: s.bank_account_name ?? '',
              })}
            </p>
          ) : (
            ''
          )}
          {o.payment_method === 'qris' ? (
            <>
              <p>{escapeHtml(t('orders.w.payQris', { total }))}</p>
              <img
                src={`${base}/qris`}
                alt={t('orders.w.qrisAlt', { store: s.name })}
                width="280"
                height="280"
                loading="lazy"
                class="qris-image"
              />
            </>
          ) : (
            ''
          )}
          <h3>{escapeHtml(t('orders.w.proofTitle'))}</h3>
          {o.payment_proof_key ? (
            <p>
              {escapeHtml(t('orders.w.proofSeen'))} <a href={`${base}/bukti`}>{escapeHtml(t('orders.w.proofAlt', { number: o.number }))}</a>
            </p>
          ) : (
            ''
          )}
          <Form action={`${base}/bukti`} csrfToken={p.page.csrfToken} enctype="multipart/form-data">
            <div class={p.errors.file ? 'field field-invalid' : 'field'}>
              <label for="field-file">{escapeHtml(t('orders.w.proofFile'))}</label>
              {p.errors.file ? (
                <p class="field-error-message" id="file-error">
                  {escapeHtml(p.errors.file)}
                </p>
              ) : (
                ''
              )}
              <input
                id="field-file"
                type="file"
                name="file"
                accept="image/jpeg,image/png,image/webp"
                required
                aria-describedby={p.errors.file ? 'file-error' : undefined}
              />
            </div>
            <Button variant="secondary">{escapeHtml(t('orders.w.proofUpload'))}</Button>
          </Form>
        </Card>
      ) : o.payment_method === 'cod' && o.status !== 'selesai' && o.status !== 'dibatalkan' ? (
        <p>{escapeHtml(t('orders.w.payCod', { total }))}</p>
      ) : (
        ''
      )}
      <OrderSummary t={t} locale={locale} view={p.view} details={p.details} />
      {p.reviews ?? ''}
      <div class="form-actions">
        {p.actions.includes('selesai') ? (
          <Form action={`${base}/selesai`} csrfToken={p.page.csrfToken}>
            <Button>{escapeHtml(t('orders.w.confirmReceived'))}</Button>
          </Form>
        ) : (
          ''
        )}
        {p.actions.includes('dibatalkan') ? (
          <Form action={`${base}/batal`} csrfToken={p.page.csrfToken} confirm={t('orders.w.cancelConfirm')}>
            <Button variant="danger">{escapeHtml(t('orders.w.cancel'))}</Button>
          </Form>
        ) : (
          ''
        )}
        {p.waLink ? (
          <a class="btn btn-secondary" href={p.waLink} rel="noopener noreferrer" target="_blank">
            {escapeHtml(t('orders.w.waSeller'))}
          </a>
        ) : (
          ''
        )}
      </div>
    </Layout>
  );
}

function SellerNav(p: { t: Translate; storeId: string }) {
  return (
    <p class="page-actions">
      <a href={`/toko-saya/${p.storeId}/pesanan`}>{escapeHtml(p.t('orders.w.allOrders'))}</a> ·{' '}
      <a href={`/toko-saya/${p.storeId}/dasbor`}>{escapeHtml(p.t('orders.w.dashboard'))}</a> ·{' '}
      <a href={`/toko-saya/${p.storeId}/pesanan.csv`}>{escapeHtml(p.t('orders.w.exportCsv'))}</a>
    </p>
  );
}

function OrdersTable(p: {
  t: Translate;
  locale: PageContext['locale'];
  storeId: string;
  orders: svc.OrderRow[];
  baseUrl: string;
  query: Record<string, string | undefined>;
}) {
  const { t, locale } = p;
  return (
    <DataTable
      caption={t('orders.w.ordersCaption')}
      t={t}
      baseUrl={p.baseUrl}
      query={p.query}
      rows={p.orders}
      emptyState={<EmptyState title={t('orders.w.noOrders')} body={t('orders.w.noOrdersBody')} />}
      columns={[
        {
          key: 'number',
          label: t('orders.w.number'),
          render: (o) => <a href={`/toko-saya/${p.storeId}/pesanan/${o.id}`}>{escapeHtml(o.number)}</a>,
        },
        { key: 'created', label: t('orders.w.created'), render: (o) => escapeHtml(formatDateTime(new Date(o.created_at), locale)) },
        { key: 'buyer', label: t('orders.w.buyer'), render: (o) => escapeHtml(o.buyer_name) },
        { key: 'status', label: t('orders.w.status'), render: (o) => <StatusBadge t={t} status={o.status} /> },
        { key: 'payment', label: t('orders.w.payment'), render: (o) => escapeHtml(t(`orders.payment.${o.payment_method}` as MessageKey)) },
        { key: 'total', label: t('orders.w.total'), class: 'num', render: (o) => escapeHtml(formatRupiah(BigInt(o.total))) },
      ]}
    />
  );
}

function SellerOrdersPage(p: {
  page: PageContext;
  data: Awaited<ReturnType<typeof svc.listStoreOrders>>;
  status?: OrderStatus;
  todo: boolean;
}) {
  const { t, locale } = p.page;
  const d = p.data;
  const base = `/toko-saya/${d.store.id}/pesanan`;
  const filters: { href: string; label: string; current: boolean }[] = [
    { href: base, label: t('orders.w.filterAll'), current: !p.status && !p.todo },
    { href: `${base}?todo=1`, label: t('orders.w.filterTodo'), current: p.todo },
    ...ORDER_STATUSES.map((s) => ({
      href: `${base}?status=${s}`,
      label: `${t(`orders.status.${s}` as MessageKey)} (${formatNumber(d.byStatus[s] ?? 0, locale)})`,
      current: p.status === s,
    })),
  ];
  const pages = Math.max(1, Math.ceil(d.total / d.pageSize));
  const query = { status: p.status, todo: p.todo ? '1' : undefined };
  return (
    <Layout page={p.page} title={t('orders.w.sellerTitle', { store: d.store.name })}>
      <PageHeader title={t('orders.w.sellerTitle', { store: d.store.name })} />
      <SellerNav t={t} storeId={d.store.id} />
      <nav aria-label={t('orders.w.status')}>
        <ul class="books-tabs">
          {filters.map((f) => (
            <li>
              <a href={f.href} aria-current={f.current ? 'page' : undefined}>
                {escapeHtml(f.label)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <OrdersTable t={t} locale={locale} storeId={d.store.id} orders={d.orders} baseUrl={base} query={query} />
      {pages > 1 ? (
        <nav class="pagination" aria-label={t('common.pagination')}>
          <ul>
            {d.page > 1 ? (
              <li>
                <a
                  rel="prev"
                  href={`${base}?${new URLSearchParams({ ...(p.status ? { status: p.status } : {}), ...(p.todo ? { todo: '1' } : {}), page: String(d.page - 1) })}`}
                >
                  {escapeHtml(t('common.previous'))}
                </a>
              </li>
            ) : (
              ''
            )}
            {d.page < pages ? (
              <li>
                <a
                  rel="next"
                  href={`${base}?${new URLSearchParams({ ...(p.status ? { status: p.status } : {}), ...(p.todo ? { todo: '1' } : {}), page: String(d.page + 1) })}`}
                >
                  {escapeHtml(t('common.next'))}
                </a>
              </li>
            ) : (
              ''
            )}
          </ul>
        </nav>
      ) : (
        ''
      )}
    </Layout>
  );
}

function SellerOrderPage(p: {
  page: PageContext;
  view: svc.OrderView;
  details: Details;
  actions: OrderStatus[];
  waLink: string | null;
  errors: FormErrors;
}) {
  const { t, locale } = p.page;
  const o = p.view.order;
  const base = `/toko-saya/${o.store_id}/pesanan/${o.id}`;
  const forward = p.actions.filter((a) => a !== 'dibatalkan');
  return (
    <Layout page={p.page} title={t('orders.w.orderTitle', { number: o.number })}>
      <PageHeader title={t('orders.w.orderTitle', { number: o.number })} />
      <SellerNav t={t} storeId={o.store_id} />
      <ErrorSummary t={t} errors={p.errors} />
      {o.payment_proof_key ? (
        <Card title={t('orders.w.proofTitle')}>
          <a href={`${base}/bukti`}>
            <img src={`${base}/bukti`} alt={t('orders.w.proofAlt', { number: o.number })} width="320" loading="lazy" class="proof-image" />
          </a>
        </Card>
      ) : (
        ''
      )}
      <div class="form-actions">
        {forward.map((to) => (
          <Form action={`${base}/status`} csrfToken={p.page.csrfToken}>
            <input type="hidden" name="to" value={to} />
            <Button>{escapeHtml(t(`orders.w.to.${to}` as MessageKey))}</Button>
          </Form>
        ))}
        {p.waLink ? (
          <a class="btn btn-secondary" href={p.waLink} rel="noopener noreferrer" target="_blank">
            {escapeHtml(t('orders.w.waBuyer'))}
          </a>
        ) : (
          ''
        )}
      </div>
      {p.errors.to ? (
        <p class="field-error-message" id="field-to" role="alert">
          {escapeHtml(p.errors.to)}
        </p>
      ) : (
        ''
      )}
      <OrderSummary t={t} locale={locale} view={p.view} details={p.details} />
      {p.actions.includes('dibatalkan') ? (
        <Card title={t('orders.w.to.dibatalkan')}>
          <Form action={`${base}/status`} csrfToken={p.page.csrfToken} novalidate>
            <input type="hidden" name="to" value="dibatalkan" />
            <TextArea
              name="reason"
              label={t('orders.w.reason')}
              hint={t('orders.w.reasonHint')}
              error={p.errors.reason}
              required
              rows={2}
            />
            <Button variant="danger">{escapeHtml(t('orders.w.to.dibatalkan'))}</Button>
          </Form>
        </Card>
      ) : (
        ''
      )}
    </Layout>
  );
}

/** Daily sales as an accessible, server-rendered SVG bar chart (the table beside it has the figures). */
export function SalesChart(p: { t: Translate; month: string; series: bigint[] }) {
  const H = 120;
  const W = 12;
  const GAP = 4;
  let max = 0n;
  for (const v of p.series) if (v > max) max = v;
  const width = p.series.length * (W + GAP);
  return (
    <svg
      class="sales-chart"
      viewBox={`0 0 ${width} ${H + 16}`}
      role="img"
      aria-labelledby="chart-title chart-desc"
      preserveAspectRatio="none"
    >
      <title id="chart-title">{escapeHtml(p.t('orders.w.chartTitle', { month: p.month }))}</title>
      <desc id="chart-desc">{escapeHtml(p.t('orders.w.chartDesc'))}</desc>
      {p.series.map((v, i) => {
        const h = barHeight(v, max, H);
        return (
          <g>
            <rect x={String(i * (W + GAP))} y={String(H - h)} width={String(W)} height={String(h)} fill="#0b5d3b">
              <title>{escapeHtml(`${i + 1}: ${formatRupiah(v)}`)}</title>
            </rect>
            {(i + 1) % 5 === 0 || i === 0 ? (
              <text x={String(i * (W + GAP) + W / 2)} y={String(H + 12)} font-size="9" text-anchor="middle" fill="#444">
                {String(i + 1)}
              </text>
            ) : (
              ''
            )}
          </g>
        );
      })}
    </svg>
  );
}

function DashboardPage(p: { page: PageContext; d: Awaited<ReturnType<typeof svc.storeDashboard>> }) {
  const { t, locale } = p.page;
  const d = p.d;
  const series = dailySeries(d.month.month, d.month.days, d.sales);
  return (
    <Layout page={p.page} title={t('orders.w.dashboardTitle', { store: d.store.name })}>
      <PageHeader title={t('orders.w.dashboardTitle', { store: d.store.name })} />
      <SellerNav t={t} storeId={d.store.id} />
      <Card title={t('orders.w.toAct')}>
        {d.todo.length === 0 ? (
          <p>{escapeHtml(t('orders.w.nothingToAct'))}</p>
        ) : (
          <ul class="link-list">
            {d.todo.map((o) => (
              <li>
                <a href={`/toko-saya/${d.store.id}/pesanan/${o.id}`}>{escapeHtml(o.number)}</a> <StatusBadge t={t} status={o.status} />{' '}
                <span safe>{o.buyer_name}</span> · {escapeHtml(formatRupiah(BigInt(o.total)))}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title={t('orders.w.lowStock', { n: LOW_STOCK_THRESHOLD })}>
        {d.low.length === 0 ? (
          <p>{escapeHtml(t('orders.w.noLowStock'))}</p>
        ) : (
          <ul class="link-list">
            {d.low.map((v) => (
              <li>
                <span safe>{`${v.product_name}${v.variant_name ? ` (${v.variant_name})` : ''}`}</span>: {escapeHtml(t('orders.w.stock'))}{' '}
                <strong>{formatNumber(v.stock, locale)}</strong>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title={t('orders.w.monthSales')}>
        <p>{escapeHtml(t('orders.w.monthSummary', { total: formatRupiah(d.monthTotal), orders: formatNumber(d.monthOrders, locale) }))}</p>
        <SalesChart t={t} month={d.month.month} series={series} />
        <details>
          <summary>{escapeHtml(t('orders.w.tableAlt'))}</summary>
          <section class="table-wrap" aria-labelledby="sales-table">
            <table class="data-table">
              <caption id="sales-table">{escapeHtml(t('orders.w.chartTitle', { month: d.month.month }))}</caption>
              <thead>
                <tr>
                  <th scope="col">{escapeHtml(t('orders.w.day'))}</th>
                  <th scope="col" class="num">
                    {escapeHtml(t('orders.w.ordersCount'))}
                  </th>
                  <th scope="col" class="num">
                    {escapeHtml(t('orders.w.sales'))}
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.sales.map((s) => (
                  <tr>
                    <td>{escapeHtml(formatDate(new Date(`${s.day}T12:00:00+07:00`), locale))}</td>
                    <td class="num">{formatNumber(s.orders, locale)}</td>
                    <td class="num">{escapeHtml(formatRupiah(s.amount))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </details>
      </Card>
      <Card title={t('orders.w.topProducts')}>
        {d.top.length === 0 ? (
          <p>{escapeHtml(t('orders.w.noSales'))}</p>
        ) : (
          <ol>
            {d.top.map((x) => (
              <li>
                <span safe>{x.productName}</span> — {escapeHtml(t('orders.w.sold'))} {formatNumber(x.quantity, locale)} ·{' '}
                {escapeHtml(formatRupiah(x.amount))}
              </li>
            ))}
          </ol>
        )}
      </Card>
    </Layout>
  );
}

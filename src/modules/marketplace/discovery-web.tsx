import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasRole } from '../../platform/context.js';
import { AppError, forbidden } from '../../platform/errors.js';
import { LocalDiskStorage } from '../../platform/storage.js';
import { formErrors } from '../../platform/web/page.js';
import { multipartFromBody, multipartPreValidation } from '../registry/multipart.js';
import { discoveryApi } from './discovery-api.js';
import * as svc from './discovery-service.js';
import {
  CampaignEditPage,
  CampaignListPage,
  CampaignPage,
  CampaignsAdminPage,
  clearHomeCampaignCache,
  OriginQueuePage,
  ReviewsStaffPage,
  SellerOriginPage,
  VerifyPage,
} from './discovery-views.js';

type FormValues = Record<string, string>;
const formOf = (req: FastifyRequest): FormValues => {
  const out: FormValues = {};
  for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
};
/** A field that a page with many forms names `<name>-<id>` (unique ids), or plain `<name>`. */
const fieldOf = (f: FormValues, name: string, id: string) => f[`${name}-${id}`] ?? f[name] ?? '';
const html = (reply: FastifyReply, status: number, body: string | Promise<string>) =>
  reply.status(status).type('text/html; charset=utf-8').send(body);

/** Errors a user can fix from the form (shown as a flash on pages with many small forms). */
function userError(err: unknown): AppError | null {
  return err instanceof AppError && ['rule_violated', 'validation_failed', 'conflict'].includes(err.code) ? err : null;
}

function flashError(reply: FastifyReply, err: AppError) {
  const f = err.fields[0];
  reply.flash({ kind: 'error', key: f ? f.message : err.messageKey, params: f?.params ?? (err.params as Record<string, string | number>) });
}

/**
 * Marketplace discovery: its JSON API and pages — the public verification page of a QR label,
 * campaign pages, dinas' queue (Produk Asli Malang), campaign editor and review moderation, the
 * seller's labels and reviews. The buyer's review form is part of the order page (orders-web).
 */
export async function discoveryModule(app: FastifyInstance) {
  await discoveryApi(app);
  const db = () => app.deps.db.db;
  const storage = new LocalDiskStorage(path.join(app.deps.config.dataDir, 'files'));

  app.nav.add({ href: '/dinas/produk-asli', label: 'discovery.nav.origin', audience: ['dinas'], order: 24 });
  app.nav.add({ href: '/dinas/kampanye', label: 'discovery.nav.campaigns', audience: ['dinas'], order: 25 });
  app.nav.add({ href: '/dinas/ulasan', label: 'discovery.nav.reviews', audience: ['dinas'], order: 26 });
  app.nav.add({
    href: '/toko-saya/produk-asli',
    label: 'discovery.nav.sellerOrigin',
    audience: ['pelaku_umkm', 'pengurus_koperasi'],
    order: 33,
  });
  app.nav.add({
    href: '/toko-saya/ulasan',
    label: 'discovery.nav.sellerReviews',
    audience: ['pelaku_umkm', 'pengurus_koperasi'],
    order: 34,
  });

  /** Web pages for signed-in people: anonymous visitors go to the login page first. */
  function needLogin(req: FastifyRequest, reply: FastifyReply): boolean {
    if (req.ctx.user) return false;
    reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`);
    return true;
  }
  function needDinas(req: FastifyRequest, reply: FastifyReply): boolean {
    if (needLogin(req, reply)) return true;
    if (!hasRole(req.ctx, 'dinas')) throw forbidden();
    return false;
  }

  // --- Public ----------------------------------------------------------------------------------

  app.get('/verifikasi/:code', { schema: { hide: true } }, async (req, reply) => {
    const { code } = req.params as { code: string };
    const record = await svc.findByCode(db(), code);
    reply.header('cache-control', 'public, max-age=300');
    return html(reply, record ? 200 : 404, <VerifyPage page={req.page(reply)} record={record} code={code} />);
  });

  app.get('/kampanye', { schema: { hide: true } }, async (req, reply) => {
    const campaigns = await svc.listCampaigns(db(), req.ctx);
    return html(reply, 200, <CampaignListPage page={req.page(reply)} campaigns={campaigns} />);
  });

  app.get('/kampanye/:slug', { schema: { hide: true } }, async (req, reply) => {
    const r = await svc.getCampaign(db(), req.ctx, (req.params as { slug: string }).slug);
    return html(reply, 200, <CampaignPage page={req.page(reply)} campaign={r.campaign} products={r.products} />);
  });

  // --- Dinas: Produk Asli Malang ---------------------------------------------------------------

  app.get('/dinas/produk-asli', { schema: { hide: true } }, async (req, reply) => {
    if (needDinas(req, reply)) return reply;
    const q = String((req.query as Record<string, unknown>).q ?? '').slice(0, 100);
    const [queue, results] = await Promise.all([svc.originQueue(db(), req.ctx), svc.searchUnverifiedProducts(db(), req.ctx, q)]);
    return html(reply, 200, <OriginQueuePage page={req.page(reply)} queue={queue} q={q} results={results} />);
  });

  async function dinasAction(req: FastifyRequest, reply: FastifyReply, run: () => Promise<unknown>, ok: Parameters<typeof reply.flash>[0]) {
    if (needDinas(req, reply)) return reply;
    try {
      await run();
      reply.flash(ok);
    } catch (err) {
      const e = userError(err);
      if (!e) throw err;
      flashError(reply, e);
    }
    return reply.redirect('/dinas/produk-asli', 303);
  }

  app.post('/dinas/produk-asli/:productId/verifikasi', { schema: { hide: true } }, async (req, reply) => {
    const { productId } = req.params as { productId: string };
    return dinasAction(req, reply, () => svc.verifyOrigin(db(), req.ctx, productId, fieldOf(formOf(req), 'note', productId)), {
      kind: 'success',
      key: 'discovery.origin.verifiedFlash',
    });
  });

  app.post('/dinas/produk-asli/pengajuan/:id/tolak', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    return dinasAction(req, reply, () => svc.rejectOrigin(db(), req.ctx, id, fieldOf(formOf(req), 'reason', id)), {
      kind: 'success',
      key: 'discovery.origin.rejectedFlash',
    });
  });

  app.post('/dinas/produk-asli/kode/:code/cabut', { schema: { hide: true } }, async (req, reply) => {
    const { code } = req.params as { code: string };
    const f = formOf(req);
    const reason = Object.entries(f).find(([k]) => k.startsWith('reason'))?.[1] ?? '';
    return dinasAction(req, reply, () => svc.revokeOrigin(db(), req.ctx, code, reason), {
      kind: 'success',
      key: 'discovery.origin.revokedFlash',
    });
  });

  // --- Dinas: campaigns ------------------------------------------------------------------------

  app.get('/dinas/kampanye', { schema: { hide: true } }, async (req, reply) => {
    if (needDinas(req, reply)) return reply;
    const campaigns = await svc.listCampaigns(db(), req.ctx, { all: true });
    return html(reply, 200, <CampaignsAdminPage page={req.page(reply)} campaigns={campaigns} />);
  });

  const inputOf = (f: FormValues): svc.CampaignInput => ({
    title: f.title ?? '',
    slug: f.slug?.trim() ? f.slug.trim() : undefined,
    description: f.description ?? '',
    kind: (f.kind ?? 'collection') as svc.CampaignInput['kind'],
    startsOn: f.startsOn || null,
    endsOn: f.endsOn || null,
    place: f.place || null,
    published: f.published === 'true' || f.published === 'on',
  });

  async function renderEditor(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string | null,
    status: number,
    values: FormValues,
    errors: Record<string, string>,
  ) {
    const q = String((req.query as Record<string, unknown>).q ?? '').slice(0, 100);
    if (!id) {
      return html(
        reply,
        status,
        <CampaignEditPage page={req.page(reply)} campaign={null} values={values} errors={errors} products={[]} q="" results={[]} />,
      );
    }
    const r = await svc.getCampaign(db(), req.ctx, id);
    const c = r.campaign;
    const d = (x: unknown) => svc.dateOnly(x as Date | string | null) ?? '';
    const v = {
      title: c.title,
      slug: c.slug,
      description: c.description,
      kind: c.kind,
      startsOn: d(c.starts_on),
      endsOn: d(c.ends_on),
      place: c.place ?? '',
      published: c.published ? 'true' : '',
      ...values,
    };
    const [products, results] = await Promise.all([
      svc.campaignProductsForEditor(db(), req.ctx, c.id),
      svc.searchProductsForCampaign(db(), req.ctx, q),
    ]);
    return html(
      reply,
      status,
      <CampaignEditPage page={req.page(reply)} campaign={c} values={v} errors={errors} products={products} q={q} results={results} />,
    );
  }

  app.get('/dinas/kampanye/baru', { schema: { hide: true } }, async (req, reply) => {
    if (needDinas(req, reply)) return reply;
    return renderEditor(req, reply, null, 200, { kind: 'collection' }, {});
  });

  app.post('/dinas/kampanye/baru', { schema: { hide: true } }, async (req, reply) => {
    if (needDinas(req, reply)) return reply;
    const f = formOf(req);
    try {
      const row = await svc.createCampaign(db(), req.ctx, inputOf(f));
      clearHomeCampaignCache();
      reply.flash({ kind: 'success', key: 'discovery.campaign.saved' });
      return reply.redirect(`/dinas/kampanye/${row.id}`, 303);
    } catch (err) {
      const e = userError(err);
      if (!e || e.fields.length === 0) throw err;
      return renderEditor(req, reply, null, 422, f, formErrors(req.ctx.t, e.fields));
    }
  });

  app.get('/dinas/kampanye/:id', { schema: { hide: true } }, async (req, reply) => {
    if (needDinas(req, reply)) return reply;
    const { id } = req.params as { id: string };
    if (!svc.isUuid(id)) throw new AppError('not_found', 'error.notFound');
    return renderEditor(req, reply, id, 200, {}, {});
  });

  app.post('/dinas/kampanye/:id', { schema: { hide: true } }, async (req, reply) => {
    if (needDinas(req, reply)) return reply;
    const { id } = req.params as { id: string };
    const f = formOf(req);
    try {
      await svc.updateCampaign(db(), req.ctx, id, inputOf(f));
      clearHomeCampaignCache();
      reply.flash({ kind: 'success', key: 'discovery.campaign.saved' });
      return reply.redirect(`/dinas/kampanye/${id}`, 303);
    } catch (err) {
      const e = userError(err);
      if (!e || e.fields.length === 0) throw err;
      return renderEditor(req, reply, id, 422, { ...f, published: f.published ?? '' }, formErrors(req.ctx.t, e.fields));
    }
  });

  for (const [suffix, add] of [
    ['produk', true],
    ['produk/hapus', false],
  ] as const) {
    app.post(`/dinas/kampanye/:id/${suffix}`, { schema: { hide: true } }, async (req, reply) => {
      if (needDinas(req, reply)) return reply;
      const { id } = req.params as { id: string };
      const productId = formOf(req).productId ?? '';
      const current = (await svc.campaignProductsForEditor(db(), req.ctx, id)).map((p) => p.id);
      const next = add ? [...current.filter((p) => p !== productId), productId] : current.filter((p) => p !== productId);
      try {
        await svc.updateCampaign(db(), req.ctx, id, { productIds: next });
        clearHomeCampaignCache();
        reply.flash({ kind: 'success', key: 'discovery.campaign.saved' });
      } catch (err) {
        const e = userError(err);
        if (!e) throw err;
        flashError(reply, e);
      }
      return reply.redirect(`/dinas/kampanye/${id}`, 303);
    });
  }

  app.post(
    '/dinas/kampanye/:id/sampul',
    { schema: { hide: true }, preValidation: multipartPreValidation(svc.MAX_COVER_BYTES) },
    async (req, reply) => {
      if (needDinas(req, reply)) return reply;
      const { id } = req.params as { id: string };
      const { file } = multipartFromBody(req);
      try {
        await svc.setCampaignCover(db(), storage, req.ctx, id, file ? { bytes: file.bytes, truncated: !!file.truncated } : null);
        clearHomeCampaignCache();
        reply.flash({ kind: 'success', key: 'discovery.campaign.coverSaved' });
      } catch (err) {
        const e = userError(err);
        if (!e || e.fields.length === 0) throw err;
        return renderEditor(req, reply, id, 422, {}, formErrors(req.ctx.t, e.fields));
      }
      return reply.redirect(`/dinas/kampanye/${id}`, 303);
    },
  );

  /** A published campaign's cover (drafts' covers only for dinas). */
  app.get('/kampanye/:slug/sampul.webp', { schema: { hide: true } }, async (req, reply) => {
    const r = await svc.getCampaign(db(), req.ctx, (req.params as { slug: string }).slug);
    const file = r.campaign.cover_key ? await storage.get(r.campaign.cover_key) : null;
    if (!file) throw new AppError('not_found', 'error.notFound');
    reply.header('content-type', file.contentType);
    reply.header('cache-control', r.campaign.published ? 'public, max-age=3600' : 'private, no-store');
    return reply.send(file.bytes);
  });

  // --- Dinas: review moderation ----------------------------------------------------------------

  app.get('/dinas/ulasan', { schema: { hide: true } }, async (req, reply) => {
    if (needDinas(req, reply)) return reply;
    const rows = await svc.reviewsForStaff(db(), req.ctx, 'dinas');
    return html(reply, 200, <ReviewsStaffPage page={req.page(reply)} scope="dinas" rows={rows} />);
  });

  app.post('/dinas/ulasan/:id/sembunyikan', { schema: { hide: true } }, async (req, reply) => {
    if (needDinas(req, reply)) return reply;
    const { id } = req.params as { id: string };
    try {
      await svc.hideReview(db(), req.ctx, id, fieldOf(formOf(req), 'reason', id));
      reply.flash({ kind: 'success', key: 'discovery.review.hiddenFlash' });
    } catch (err) {
      const e = userError(err);
      if (!e) throw err;
      flashError(reply, e);
    }
    return reply.redirect('/dinas/ulasan', 303);
  });

  // --- Seller ----------------------------------------------------------------------------------

  app.get('/toko-saya/produk-asli', { schema: { hide: true } }, async (req, reply) => {
    if (needLogin(req, reply)) return reply;
    const rows = await svc.sellerOrigin(db(), req.ctx);
    return html(reply, 200, <SellerOriginPage page={req.page(reply)} rows={rows} />);
  });

  app.post('/toko-saya/produk-asli/:productId/ajukan', { schema: { hide: true } }, async (req, reply) => {
    if (needLogin(req, reply)) return reply;
    const { productId } = req.params as { productId: string };
    try {
      await svc.requestOrigin(db(), req.ctx, productId, fieldOf(formOf(req), 'note', productId));
      reply.flash({ kind: 'success', key: 'discovery.origin.requestedFlash' });
    } catch (err) {
      const e = userError(err);
      if (!e) throw err;
      flashError(reply, e);
    }
    return reply.redirect('/toko-saya/produk-asli', 303);
  });

  app.get('/toko-saya/produk-asli/:productId/label.pdf', { schema: { hide: true } }, async (req, reply) => {
    if (needLogin(req, reply)) return reply;
    const { pdf, code } = await svc.labelsPdf(db(), req.ctx, (req.params as { productId: string }).productId, app.deps.config.publicUrl);
    reply.header('content-type', 'application/pdf');
    reply.header('content-disposition', `attachment; filename="label-asli-malang-${code}.pdf"`);
    reply.header('cache-control', 'private, no-store');
    return reply.send(pdf);
  });

  app.get('/toko-saya/ulasan', { schema: { hide: true } }, async (req, reply) => {
    if (needLogin(req, reply)) return reply;
    const rows = await svc.reviewsForStaff(db(), req.ctx, 'seller');
    return html(reply, 200, <ReviewsStaffPage page={req.page(reply)} scope="seller" rows={rows} />);
  });

  app.post('/toko-saya/ulasan/:id/balas', { schema: { hide: true } }, async (req, reply) => {
    if (needLogin(req, reply)) return reply;
    const { id } = req.params as { id: string };
    try {
      await svc.replyReview(db(), req.ctx, id, fieldOf(formOf(req), 'reply', id));
      reply.flash({ kind: 'success', key: 'discovery.review.replied' });
    } catch (err) {
      const e = userError(err);
      if (!e) throw err;
      flashError(reply, e);
    }
    return reply.redirect('/toko-saya/ulasan', 303);
  });
}

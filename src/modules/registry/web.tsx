import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { organizationsFor } from '../../platform/context.js';
import { AppError, unauthorized } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage.js';
import { validate } from '../../platform/validation.js';
import { type FormErrors, formErrors } from '../../platform/web/page.js';
import { listKelurahanGrouped } from '../regions/service.js';
import { type DocumentKind, maskNik } from './domain.js';
import { exportLinks } from './export.js';
import { multipartFromBody, multipartPreValidation } from './multipart.js';
import {
  KOPERASI_CLEARABLE,
  KoperasiInput,
  KoperasiPatch,
  ListQuery,
  type OfficerInput,
  UMKM_CLEARABLE,
  UmkmInput,
  UmkmPatch,
} from './schemas.js';
import * as svc from './service.js';
import { KoperasiFormPage, KoperasiListPage, KoperasiProfilePage, RegistryHubPage } from './views/koperasi.js';
import { e, type FormValues } from './views/ui.js';
import { type Choices, ComparePage, ConfirmPage, UmkmFormPage, UmkmListPage, UmkmProfilePage } from './views/umkm.js';

const UMKM_FIELDS = Object.keys(UmkmInput.properties);
const KOPERASI_FIELDS = Object.keys(KoperasiInput.properties);
const BOOLEAN_FIELDS = new Set(['showWhatsapp', 'syariah']);

/**
 * Form strings → input object: trimmed, checkboxes as booleans. An empty field is left out —
 * except, on an edit form, a `clearable` field the user emptied: that becomes null (clear it).
 * A field the form did not send at all is always left out (unchanged).
 */
function formToInput(
  body: Record<string, unknown>,
  fields: string[],
  opts: { booleansFalse?: boolean; clearable?: readonly string[] } = {},
) {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = body[f];
    if (BOOLEAN_FIELDS.has(f)) {
      if (v === 'true') out[f] = true;
      else if (opts.booleansFalse) out[f] = false;
      continue;
    }
    if (typeof v !== 'string') continue;
    const s = v.trim();
    if (s !== '') out[f] = s;
    else if (opts.clearable?.includes(f)) out[f] = null;
  }
  return out;
}

function formValues(body: unknown): FormValues {
  const out: FormValues = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) if (typeof v === 'string' && k !== '_csrf') out[k] = v;
  return out;
}

function requireLogin(req: FastifyRequest) {
  if (!req.ctx.user) throw unauthorized();
}

/** The edit form's values; without `showNik` the owner's NIK and email are left out (admin never sees them). */
function umkmValues(u: svc.UmkmRow, showNik: boolean): FormValues {
  const j = svc.toUmkmJson(u, { showNik });
  const v: FormValues = {};
  for (const f of UMKM_FIELDS) {
    if (!showNik && (f === 'ownerNik' || f === 'ownerEmail')) continue;
    const x = (j as Record<string, unknown>)[f];
    if (x !== null && x !== undefined) v[f] = String(x);
  }
  return v;
}

function koperasiValues(k: svc.KoperasiRow): FormValues {
  const j = svc.toKoperasiJson(k);
  const v: FormValues = {};
  for (const f of KOPERASI_FIELDS) {
    const x = (j as Record<string, unknown>)[f];
    if (x !== null && x !== undefined) v[f] = String(x);
  }
  return v;
}

function queryOf(req: FastifyRequest): { query: ListQuery; raw: Record<string, string | undefined> } {
  const raw: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) if (typeof v === 'string' && v !== '') raw[k] = v;
  const r = validate(ListQuery, raw);
  // Bad filter values are dropped rather than failing the page.
  if (r.ok) return { query: r.value, raw };
  const bad = new Set(r.issues.map((i) => i.field));
  const kept = Object.fromEntries(Object.entries(raw).filter(([k]) => !bad.has(k)));
  const again = validate(ListQuery, kept);
  return { query: again.ok ? again.value : {}, raw: kept };
}

/**
 * The KBLI select lists the common codes. A profile's code that is not among them is added, so an
 * edit form never shows "none" for it — which, since an emptied field clears it, would erase it.
 */
function withCurrentKbli(c: Choices, code: string | undefined): Choices {
  if (!code || c.kbli.some((g) => g.options.some((o) => o.value === code))) return c;
  return { ...c, kbli: [{ label: code, options: [{ value: code, label: code }] }, ...c.kbli] };
}

export async function registryWeb(app: FastifyInstance, storage: FileStorage) {
  const db = () => app.deps.db.db;
  let cachedChoices: Choices | null = null;
  async function choices(locale: string): Promise<Choices> {
    if (cachedChoices && locale === 'id') return cachedChoices;
    const groups = await listKelurahanGrouped(db());
    const kbli = await svc.listKbli(db(), true);
    const sections = kbli.filter((k) => k.code.length === 1);
    const c: Choices = {
      kecamatan: groups.map((g) => ({ value: g.kecamatan.code, label: g.kecamatan.name })),
      kelurahan: groups.map((g) => ({ label: g.kecamatan.name, options: g.kelurahan.map((k) => ({ value: k.code, label: k.name })) })),
      kbli: sections.map((s) => ({
        label: `${s.code} — ${locale === 'en' ? s.title_en : s.title_id}`,
        options: [
          { value: s.code, label: `${s.code} — ${locale === 'en' ? s.title_en : s.title_id}` },
          ...kbli
            .filter((k) => k.code.length === 5 && k.section === s.code)
            .map((k) => ({ value: k.code, label: `${k.code} — ${locale === 'en' ? k.title_en : k.title_id}` })),
        ],
      })),
      sentra: (await svc.listSentra(db())).map((s) => ({ value: s.id, label: s.name })),
    };
    if (locale === 'id') cachedChoices = c;
    return c;
  }

  const html = (reply: FastifyReply, status: number, body: JSX.Element) => reply.status(status).type('text/html; charset=utf-8').send(body);

  // --- hub and verification queue ---------------------------------------------------------------

  app.get('/registri', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    if (!svc.isStaff(req.ctx)) return reply.redirect('/registri/umkm');
    const queue = svc.canVerify(req.ctx) ? await svc.verificationQueue(db(), req.ctx) : { umkm: [], koperasi: [] };
    return html(reply, 200, <RegistryHubPage page={req.page(reply)} queue={queue} title={req.ctx.t('registry.nav.registry')} hub />);
  });

  app.get('/registri/verifikasi', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const queue = await svc.verificationQueue(db(), req.ctx);
    return html(
      reply,
      200,
      <RegistryHubPage page={req.page(reply)} queue={queue} title={req.ctx.t('registry.nav.verification')} hub={false} />,
    );
  });

  // KBLI suggestions for the registration form (htmx fills a <datalist>; the select works without JS).
  app.get('/registri/kbli', { schema: { hide: true } }, async (req, reply) => {
    const q = String((req.query as Record<string, unknown>).kbliSearch ?? (req.query as Record<string, unknown>).q ?? '').slice(0, 100);
    const rows = await svc.searchKbli(db(), q, 10);
    const en = req.ctx.locale === 'en';
    return reply
      .type('text/html; charset=utf-8')
      .send(rows.map((k) => `<option value="${e(k.code)}">${e(`${k.code} — ${en ? k.title_en : k.title_id}`)}</option>`).join(''));
  });

  // --- UMKM ------------------------------------------------------------------------------------

  app.get('/registri/umkm', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const { query, raw } = queryOf(req);
    const result = await svc.listUmkm(db(), req.ctx, query);
    return html(
      reply,
      200,
      <UmkmListPage
        page={req.page(reply)}
        result={result}
        query={raw}
        choices={await choices(req.ctx.locale)}
        staff={svc.isStaff(req.ctx)}
        exportLinks={exportLinks(req.ctx, 'umkm', raw)}
      />,
    );
  });

  const umkmForm = async (
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    mode: 'create' | 'edit',
    action: string,
    values: FormValues,
    errors: FormErrors,
    duplicates?: svc.PossibleDuplicate[],
    maskedNik?: string,
  ) =>
    html(
      reply,
      status,
      <UmkmFormPage
        page={req.page(reply)}
        mode={mode}
        action={action}
        values={values}
        errors={errors}
        choices={withCurrentKbli(await choices(req.ctx.locale), values.kbli)}
        duplicates={duplicates}
        staff={svc.isStaff(req.ctx)}
        ownIds={organizationsFor(req.ctx, 'pelaku_umkm')}
        maskedNik={maskedNik}
      />,
    );

  app.get('/registri/umkm/baru', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const values: FormValues = {};
    if (req.ctx.user && !svc.isStaff(req.ctx)) {
      values.ownerName = req.ctx.user.name;
      if (req.ctx.user.phone) values.phone = req.ctx.user.phone;
      if (req.ctx.user.email) values.ownerEmail = req.ctx.user.email;
    }
    return umkmForm(req, reply, 200, 'create', '/registri/umkm/baru', values, {});
  });

  /** Runs a service call for a form; known problems re-render the form with inline errors. */
  async function withFormErrors<T>(
    run: () => Promise<T>,
    onError: (status: number, errors: FormErrors, details?: { duplicates?: svc.PossibleDuplicate[] }) => Promise<unknown>,
    t: FastifyRequest['ctx']['t'],
  ): Promise<{ ok: true; value: T } | { ok: false; sent: unknown }> {
    try {
      return { ok: true, value: await run() };
    } catch (err) {
      if (err instanceof AppError && (err.code === 'validation_failed' || err.code === 'conflict' || err.code === 'rule_violated')) {
        const errors = formErrors(t, err.fields);
        const details = err.details as { duplicates?: svc.PossibleDuplicate[] } | undefined;
        if (!err.fields.length && !details?.duplicates) errors._form = t(err.messageKey, err.params);
        return { ok: false, sent: await onError(err.status === 409 ? 409 : err.status, errors, details) };
      }
      throw err;
    }
  }

  app.post('/registri/umkm/baru', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = formValues(body);
    // The service validates and checks the database in one go, so every bad field is marked at once.
    const input = formToInput(body, UMKM_FIELDS) as unknown as UmkmInput;
    const r = await withFormErrors(
      () => svc.createUmkm(db(), req.ctx, input, { skipDuplicateWarning: body.confirmDuplicate === 'true' }),
      (status, errors, details) => umkmForm(req, reply, status, 'create', '/registri/umkm/baru', values, errors, details?.duplicates),
      req.ctx.t,
    );
    if (!r.ok) return r.sent;
    reply.flash({ kind: 'success', key: 'registry.flash.created' });
    return reply.redirect(`/registri/umkm/${r.value.id}`, 303);
  });

  const profile = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    status = 200,
    extra: Partial<Parameters<typeof UmkmProfilePage>[0]> = {},
  ) => {
    const p = await svc.getUmkmProfile(db(), req.ctx, id);
    return html(
      reply,
      status,
      <UmkmProfilePage
        page={req.page(reply)}
        profile={p}
        perms={{ canManage: svc.canManageUmkm(req.ctx, id), canVerify: svc.canVerify(req.ctx), showNik: svc.showNikFor(req.ctx, id) }}
        {...extra}
      />,
    );
  };

  app.get('/registri/umkm/:id', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    return profile(req, reply, (req.params as { id: string }).id);
  });

  app.get('/registri/umkm/:id/ubah', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const id = (req.params as { id: string }).id;
    const row = await svc.getUmkm(db(), req.ctx, id);
    const showNik = svc.showNikFor(req.ctx, id);
    return umkmForm(
      req,
      reply,
      200,
      'edit',
      `/registri/umkm/${id}/ubah`,
      umkmValues(row, showNik),
      {},
      undefined,
      showNik ? undefined : maskNik(row.owner_nik),
    );
  });

  app.post('/registri/umkm/:id/ubah', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const id = (req.params as { id: string }).id;
    const current = await svc.getUmkm(db(), req.ctx, id);
    const maskedNik = svc.showNikFor(req.ctx, id) ? undefined : maskNik(current.owner_nik);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = formValues(body);
    const action = `/registri/umkm/${id}/ubah`;
    const v = validate(UmkmPatch, formToInput(body, UMKM_FIELDS, { booleansFalse: true, clearable: UMKM_CLEARABLE }));
    if (!v.ok) return umkmForm(req, reply, 400, 'edit', action, values, formErrors(req.ctx.t, v.issues), undefined, maskedNik);
    const r = await withFormErrors(
      () => svc.updateUmkm(db(), req.ctx, id, v.value),
      (status, errors) => umkmForm(req, reply, status, 'edit', action, values, errors, undefined, maskedNik),
      req.ctx.t,
    );
    if (!r.ok) return r.sent;
    reply.flash({ kind: 'success', key: 'registry.flash.saved' });
    return reply.redirect(`/registri/umkm/${id}`, 303);
  });

  /** Lifecycle buttons: a conflict (e.g. already submitted) comes back as a flash message. */
  async function lifecycle(
    _req: FastifyRequest,
    reply: FastifyReply,
    back: string,
    run: () => Promise<unknown>,
    okKey: 'registry.flash.submitted',
  ) {
    try {
      await run();
      reply.flash({ kind: 'success', key: okKey });
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict')
        reply.flash({ kind: 'error', key: err.messageKey, params: err.params as Record<string, string> });
      else throw err;
    }
    return reply.redirect(back, 303);
  }

  app.post('/registri/umkm/:id/ajukan', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const id = (req.params as { id: string }).id;
    return lifecycle(req, reply, `/registri/umkm/${id}`, () => svc.submitUmkm(db(), req.ctx, id), 'registry.flash.submitted');
  });

  app.post('/registri/umkm/:id/verifikasi', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const id = (req.params as { id: string }).id;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const decision = body.decision === 'reject' ? 'reject' : 'approve';
    const reason = typeof body.reason === 'string' ? body.reason : undefined;
    try {
      await svc.verifyUmkm(db(), req.ctx, id, { decision, reason }, { publicUrl: app.deps.config.publicUrl });
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed')
        return profile(req, reply, id, 400, { verifyErrors: formErrors(req.ctx.t, err.fields) });
      if (err instanceof AppError && err.code === 'conflict') {
        reply.flash({ kind: 'error', key: err.messageKey, params: err.params as Record<string, string> });
        return reply.redirect(`/registri/umkm/${id}`, 303);
      }
      throw err;
    }
    reply.flash({ kind: 'success', key: decision === 'approve' ? 'registry.flash.approved' : 'registry.flash.rejected' });
    return reply.redirect(`/registri/umkm/${id}`, 303);
  });

  app.get('/registri/umkm/:id/nonaktifkan', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const id = (req.params as { id: string }).id;
    const row = await svc.getUmkm(db(), req.ctx, id);
    const t = req.ctx.t;
    return html(
      reply,
      200,
      <ConfirmPage
        page={req.page(reply)}
        title={t('registry.confirm.deactivateTitle', { name: row.name })}
        message={t('registry.confirm.deactivateText')}
        action={`/registri/umkm/${id}/nonaktifkan`}
        cancel={`/registri/umkm/${id}`}
        confirmLabel={t('registry.action.deactivate')}
      />,
    );
  });

  app.post('/registri/umkm/:id/nonaktifkan', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const id = (req.params as { id: string }).id;
    return lifecycle(
      req,
      reply,
      `/registri/umkm/${id}`,
      () => svc.setUmkmActive(db(), req.ctx, id, false),
      'registry.flash.deactivated' as 'registry.flash.submitted',
    );
  });

  app.post('/registri/umkm/:id/aktifkan', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const id = (req.params as { id: string }).id;
    return lifecycle(
      req,
      reply,
      `/registri/umkm/${id}`,
      () => svc.setUmkmActive(db(), req.ctx, id, true),
      'registry.flash.reactivated' as 'registry.flash.submitted',
    );
  });

  app.get('/registri/umkm/:id/banding/:otherId', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const p = req.params as { id: string; otherId: string };
    if (!svc.isStaff(req.ctx)) throw new AppError('forbidden', 'error.forbidden');
    const [a, b] = [await svc.getUmkm(db(), req.ctx, p.id), await svc.getUmkm(db(), req.ctx, p.otherId)];
    return html(reply, 200, <ComparePage page={req.page(reply)} a={a} b={b} showNik={(umkmId) => svc.showNikFor(req.ctx, umkmId)} />);
  });

  app.post(
    '/registri/umkm/:id/dokumen',
    { schema: { hide: true }, preValidation: multipartPreValidation(svc.MAX_DOCUMENT_BYTES) },
    async (req, reply) => {
      requireLogin(req);
      const id = (req.params as { id: string }).id;
      await svc.getUmkm(db(), req.ctx, id);
      const { fields, file } = multipartFromBody(req);
      try {
        await svc.addUmkmDocument(
          db(),
          storage,
          req.ctx,
          id,
          {
            kind: fields.kind as DocumentKind,
            number: fields.number?.trim() || null,
            issuedOn: fields.issuedOn || null,
            expiresOn: fields.expiresOn || null,
          },
          file,
        );
      } catch (err) {
        if (err instanceof AppError && err.code === 'validation_failed') {
          return profile(req, reply, id, 400, { docErrors: formErrors(req.ctx.t, err.fields), docValues: fields });
        }
        throw err;
      }
      reply.flash({ kind: 'success', key: 'registry.flash.documentAdded' });
      return reply.redirect(`/registri/umkm/${id}#docs-title`, 303);
    },
  );

  app.get('/registri/umkm/:id/dokumen/:docId', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const p = req.params as { id: string; docId: string };
    const file = await svc.getUmkmDocumentFile(db(), storage, req.ctx, p.id, p.docId);
    reply.header('content-type', file.contentType);
    reply.header('cache-control', 'private, no-store');
    reply.header('content-disposition', `inline; filename="${file.fileName.replace(/["\\\r\n]/g, '_')}"`);
    return reply.send(file.bytes);
  });

  app.post('/registri/umkm/:id/dokumen/:docId/hapus', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const p = req.params as { id: string; docId: string };
    await svc.deleteUmkmDocument(db(), storage, req.ctx, p.id, p.docId);
    reply.flash({ kind: 'success', key: 'registry.flash.deleted' });
    return reply.redirect(`/registri/umkm/${p.id}#docs-title`, 303);
  });

  app.post(
    '/registri/umkm/:id/foto',
    { schema: { hide: true }, preValidation: multipartPreValidation(svc.MAX_PHOTO_BYTES) },
    async (req, reply) => {
      requireLogin(req);
      const id = (req.params as { id: string }).id;
      await svc.getUmkm(db(), req.ctx, id);
      const { fields, file } = multipartFromBody(req);
      try {
        if (!file)
          throw new AppError('validation_failed', 'error.validation', {}, undefined, [{ field: 'file', message: 'field.required' }]);
        await svc.addUmkmPhoto(db(), storage, req.ctx, id, file, fields.caption);
      } catch (err) {
        if (err instanceof AppError && (err.code === 'validation_failed' || err.code === 'rule_violated')) {
          const msg = err.fields[0] ? req.ctx.t(err.fields[0].message, err.fields[0].params) : req.ctx.t(err.messageKey, err.params);
          return profile(req, reply, id, err.status, { photoErrors: { photo: msg } });
        }
        throw err;
      }
      reply.flash({ kind: 'success', key: 'registry.flash.photoAdded' });
      return reply.redirect(`/registri/umkm/${id}#photos-title`, 303);
    },
  );

  app.post('/registri/umkm/:id/foto/:photoId/hapus', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const p = req.params as { id: string; photoId: string };
    await svc.deleteUmkmPhoto(db(), storage, req.ctx, p.id, p.photoId);
    reply.flash({ kind: 'success', key: 'registry.flash.deleted' });
    return reply.redirect(`/registri/umkm/${p.id}#photos-title`, 303);
  });

  // --- Koperasi --------------------------------------------------------------------------------

  app.get('/registri/koperasi', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const { query, raw } = queryOf(req);
    const result = await svc.listKoperasi(db(), req.ctx, query);
    return html(
      reply,
      200,
      <KoperasiListPage
        page={req.page(reply)}
        result={result}
        json={result.items.map((k) => svc.toKoperasiJson(k))}
        query={raw}
        choices={await choices(req.ctx.locale)}
        staff={svc.isStaff(req.ctx)}
        exportLinks={exportLinks(req.ctx, 'koperasi', raw)}
      />,
    );
  });

  const kopForm = async (
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    mode: 'create' | 'edit',
    action: string,
    values: FormValues,
    errors: FormErrors,
  ) =>
    html(
      reply,
      status,
      <KoperasiFormPage
        page={req.page(reply)}
        mode={mode}
        action={action}
        values={values}
        errors={errors}
        choices={await choices(req.ctx.locale)}
      />,
    );

  app.get('/registri/koperasi/baru', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    return kopForm(
      req,
      reply,
      200,
      'create',
      '/registri/koperasi/baru',
      { group: 'umum', type: 'simpan_pinjam', fiscalYearStartMonth: '1' },
      {},
    );
  });

  app.post('/registri/koperasi/baru', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = formValues(body);
    const input = formToInput(body, KOPERASI_FIELDS) as unknown as KoperasiInput;
    const r = await withFormErrors(
      () => svc.createKoperasi(db(), req.ctx, input),
      (status, errors) => kopForm(req, reply, status, 'create', '/registri/koperasi/baru', values, errors),
      req.ctx.t,
    );
    if (!r.ok) return r.sent;
    reply.flash({ kind: 'success', key: 'registry.flash.created' });
    return reply.redirect(`/registri/koperasi/${r.value.id}`, 303);
  });

  const kopProfile = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    status = 200,
    extra: Partial<Parameters<typeof KoperasiProfilePage>[0]> = {},
  ) => {
    const p = await svc.getKoperasiProfile(db(), req.ctx, id);
    return html(
      reply,
      status,
      <KoperasiProfilePage
        page={req.page(reply)}
        koperasi={p.koperasi}
        json={svc.toKoperasiJson(p.koperasi)}
        officers={p.officers}
        perms={{ canManage: svc.canManageKoperasi(req.ctx, id), canVerify: svc.canVerify(req.ctx) }}
        {...extra}
      />,
    );
  };

  app.get('/registri/koperasi/:id', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    return kopProfile(req, reply, (req.params as { id: string }).id);
  });

  app.get('/registri/koperasi/:id/ubah', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const id = (req.params as { id: string }).id;
    const row = await svc.getKoperasi(db(), req.ctx, id);
    return kopForm(req, reply, 200, 'edit', `/registri/koperasi/${id}/ubah`, koperasiValues(row), {});
  });

  app.post('/registri/koperasi/:id/ubah', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const id = (req.params as { id: string }).id;
    await svc.getKoperasi(db(), req.ctx, id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = formValues(body);
    const action = `/registri/koperasi/${id}/ubah`;
    const v = validate(KoperasiPatch, formToInput(body, KOPERASI_FIELDS, { booleansFalse: true, clearable: KOPERASI_CLEARABLE }));
    if (!v.ok) return kopForm(req, reply, 400, 'edit', action, values, formErrors(req.ctx.t, v.issues));
    const r = await withFormErrors(
      () => svc.updateKoperasi(db(), req.ctx, id, v.value),
      (status, errors) => kopForm(req, reply, status, 'edit', action, values, errors),
      req.ctx.t,
    );
    if (!r.ok) return r.sent;
    reply.flash({ kind: 'success', key: 'registry.flash.saved' });
    return reply.redirect(`/registri/koperasi/${id}`, 303);
  });

  app.post('/registri/koperasi/:id/ajukan', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const id = (req.params as { id: string }).id;
    return lifecycle(req, reply, `/registri/koperasi/${id}`, () => svc.submitKoperasi(db(), req.ctx, id), 'registry.flash.submitted');
  });

  app.post('/registri/koperasi/:id/verifikasi', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const id = (req.params as { id: string }).id;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const decision = body.decision === 'reject' ? 'reject' : 'approve';
    try {
      await svc.verifyKoperasi(
        db(),
        req.ctx,
        id,
        { decision, reason: typeof body.reason === 'string' ? body.reason : undefined },
        { publicUrl: app.deps.config.publicUrl },
      );
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed')
        return kopProfile(req, reply, id, 400, { verifyErrors: formErrors(req.ctx.t, err.fields) });
      if (err instanceof AppError && err.code === 'conflict') {
        reply.flash({ kind: 'error', key: err.messageKey, params: err.params as Record<string, string> });
        return reply.redirect(`/registri/koperasi/${id}`, 303);
      }
      throw err;
    }
    reply.flash({ kind: 'success', key: decision === 'approve' ? 'registry.flash.approved' : 'registry.flash.rejected' });
    return reply.redirect(`/registri/koperasi/${id}`, 303);
  });

  app.get('/registri/koperasi/:id/nonaktifkan', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const id = (req.params as { id: string }).id;
    const row = await svc.getKoperasi(db(), req.ctx, id);
    const t = req.ctx.t;
    return html(
      reply,
      200,
      <ConfirmPage
        page={req.page(reply)}
        title={t('registry.confirm.deactivateTitle', { name: row.name })}
        message={t('registry.confirm.deactivateText')}
        action={`/registri/koperasi/${id}/nonaktifkan`}
        cancel={`/registri/koperasi/${id}`}
        confirmLabel={t('registry.action.deactivate')}
      />,
    );
  });

  app.post('/registri/koperasi/:id/nonaktifkan', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const id = (req.params as { id: string }).id;
    return lifecycle(
      req,
      reply,
      `/registri/koperasi/${id}`,
      () => svc.setKoperasiActive(db(), req.ctx, id, false),
      'registry.flash.deactivated' as 'registry.flash.submitted',
    );
  });

  app.post('/registri/koperasi/:id/aktifkan', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const id = (req.params as { id: string }).id;
    return lifecycle(
      req,
      reply,
      `/registri/koperasi/${id}`,
      () => svc.setKoperasiActive(db(), req.ctx, id, true),
      'registry.flash.reactivated' as 'registry.flash.submitted',
    );
  });

  app.post('/registri/koperasi/:id/pengurus', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const id = (req.params as { id: string }).id;
    const body = formValues(req.body);
    const input: Record<string, string> = {};
    for (const k of ['name', 'position', 'role', 'termStart', 'termEnd']) if (body[k]?.trim()) input[k] = (body[k] as string).trim();
    try {
      await svc.addKoperasiOfficer(db(), req.ctx, id, input as unknown as OfficerInput);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') {
        const errors = formErrors(
          req.ctx.t,
          err.fields.map((f) => ({ ...f, field: f.field.replace(/^officer\./, '') })),
        );
        return kopProfile(req, reply, id, 400, { officerErrors: errors, officerValues: body });
      }
      throw err;
    }
    reply.flash({ kind: 'success', key: 'registry.flash.saved' });
    return reply.redirect(`/registri/koperasi/${id}#officers-title`, 303);
  });

  app.post('/registri/koperasi/:id/pengurus/:officerId/hapus', { schema: { hide: true } }, async (req, reply) => {
    requireLogin(req);
    const p = req.params as { id: string; officerId: string };
    await svc.removeKoperasiOfficer(db(), req.ctx, p.id, p.officerId);
    reply.flash({ kind: 'success', key: 'registry.flash.deleted' });
    return reply.redirect(`/registri/koperasi/${p.id}#officers-title`, 303);
  });
}

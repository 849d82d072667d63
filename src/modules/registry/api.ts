import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, validationFailed } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage.js';
import { classify, DOCUMENT_KINDS, type DocumentKind, KOPERASI_GROUPS, KOPERASI_TYPES, SIZE_CLASSES, UMKM_STATUSES } from './domain.js';
import { readMultipart } from './multipart.js';
import {
  KOPERASI_CLEARABLE,
  KoperasiInput,
  KoperasiPatch,
  ListQuery,
  OfficerInput,
  UMKM_CLEARABLE,
  UmkmInput,
  UmkmPatch,
  VerifyInput,
} from './schemas.js';
import * as svc from './service.js';

const N = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const lit = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

export const UmkmJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  brandName: N(Type.String()),
  ownerName: Type.String(),
  ownerNik: Type.String({ description: 'Whole for the owner and dinas, masked (3573********0001) for anyone else' }),
  ownerEmail: N(Type.String()),
  phone: Type.String(),
  email: N(Type.String()),
  address: N(Type.String()),
  kelurahanCode: Type.String(),
  kelurahanName: Type.String(),
  kecamatanCode: Type.String(),
  kecamatanName: N(Type.String()),
  latitude: N(Type.Number()),
  longitude: N(Type.Number()),
  kbli: N(Type.String()),
  kbliTitle: N(Type.String()),
  sentraId: N(Type.String()),
  sentraName: N(Type.String()),
  yearStarted: N(Type.Integer()),
  workers: N(Type.Integer()),
  capital: Type.Integer({ description: 'Modal usaha, whole Rupiah' }),
  annualSales: N(Type.Integer({ description: 'Sales of the latest full year, whole Rupiah' })),
  salesYear: N(Type.Integer()),
  sizeClass: lit(SIZE_CLASSES),
  nib: N(Type.String()),
  legality: Type.Array(Type.String(), { description: 'Kinds of legal documents on file' }),
  whatsapp: N(Type.String()),
  showWhatsapp: Type.Boolean(),
  instagram: N(Type.String()),
  facebook: N(Type.String()),
  tiktok: N(Type.String()),
  website: N(Type.String()),
  description: N(Type.String()),
  status: lit(UMKM_STATUSES),
  rejectionReason: N(Type.String()),
  submittedAt: N(Type.String({ format: 'date-time' })),
  verifiedAt: N(Type.String({ format: 'date-time' })),
  isDemo: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const KoperasiJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  legalNumber: N(Type.String()),
  legalDate: N(Type.String({ format: 'date' })),
  nik: N(Type.String({ description: 'Nomor Induk Koperasi' })),
  type: lit(KOPERASI_TYPES),
  syariah: Type.Boolean(),
  group: lit(KOPERASI_GROUPS),
  address: N(Type.String()),
  kelurahanCode: Type.String(),
  kelurahanName: Type.String(),
  kecamatanCode: Type.String(),
  kecamatanName: N(Type.String()),
  latitude: N(Type.Number()),
  longitude: N(Type.Number()),
  phone: N(Type.String()),
  email: N(Type.String()),
  fiscalYearStartMonth: Type.Integer(),
  lastRatDate: N(Type.String({ format: 'date' })),
  ratOverdue: Type.Boolean(),
  memberCount: N(Type.Integer()),
  status: lit(UMKM_STATUSES),
  rejectionReason: N(Type.String()),
  submittedAt: N(Type.String({ format: 'date-time' })),
  verifiedAt: N(Type.String({ format: 'date-time' })),
  isDemo: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const OfficerJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  position: Type.String(),
  role: Type.Union([Type.Literal('pengurus'), Type.Literal('pengawas')]),
  termStart: N(Type.String({ format: 'date' })),
  termEnd: N(Type.String({ format: 'date' })),
});

const DocumentJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: lit(DOCUMENT_KINDS),
  number: N(Type.String()),
  issuedOn: N(Type.String({ format: 'date' })),
  expiresOn: N(Type.String({ format: 'date' })),
  hasFile: Type.Boolean(),
  fileName: N(Type.String()),
  fileType: N(Type.String()),
  fileSize: N(Type.Integer()),
  createdAt: Type.String({ format: 'date-time' }),
});

const PhotoJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  caption: N(Type.String()),
  smallUrl: Type.String(),
  largeUrl: Type.String(),
});

const EventJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  fromClass: N(lit(SIZE_CLASSES)),
  toClass: lit(SIZE_CLASSES),
  direction: Type.Union([Type.Literal('awal'), Type.Literal('naik'), Type.Literal('turun')]),
  occurredOn: Type.String({ format: 'date' }),
  basis: Type.Union([Type.Literal('capital'), Type.Literal('sales')]),
  amount: Type.Integer(),
  year: N(Type.Integer()),
  evidence: Type.String(),
});

const page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

export const UmkmCreateBody = Type.Object(
  {
    ...UmkmInput.properties,
    confirmDuplicate: Type.Optional(
      Type.Boolean({ description: 'Register even though the same owner NIK already has a UMKM with a similar name' }),
    ),
  },
  { additionalProperties: false },
);

function docJson(d: {
  id: string;
  kind: DocumentKind;
  number: string | null;
  issued_on: string | null;
  expires_on: string | null;
  file_key: string | null;
  file_name: string | null;
  file_type: string | null;
  file_size: number | null;
  created_at: Date;
}) {
  return {
    id: d.id,
    kind: d.kind,
    number: d.number,
    issuedOn: d.issued_on,
    expiresOn: d.expires_on,
    hasFile: d.file_key !== null,
    fileName: d.file_name,
    fileType: d.file_type,
    fileSize: d.file_size,
    createdAt: new Date(d.created_at).toISOString(),
  };
}

export function photoUrl(photoId: string, size: 'small' | 'large') {
  return `/media/umkm-foto/${photoId}/${size}.webp`;
}

/**
 * PATCH bodies: null clears a clearable field; for any other field null is refused here, before
 * schema validation — whose type coercion (shared with web forms) would turn it into 0, "" or false.
 */
function refuseNulls(clearable: readonly string[]) {
  return async (req: FastifyRequest) => {
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return;
    const bad = Object.entries(body as Record<string, unknown>).filter(([k, v]) => v === null && !clearable.includes(k));
    if (bad.length) throw validationFailed(bad.map(([field]) => ({ field, message: 'field.required' })));
  };
}

function sendFile(reply: FastifyReply, file: { bytes: Buffer; contentType: string }, fileName?: string) {
  reply.header('content-type', file.contentType);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('cache-control', 'private, no-store');
  if (fileName) reply.header('content-disposition', `inline; filename="${fileName.replace(/["\\\r\n]/g, '_')}"`);
  return reply.send(file.bytes);
}

/** The registry's JSON API under /api/v1. */
export async function registryApi(app: FastifyInstance, storage: FileStorage) {
  const db = () => app.deps.db.db;
  const umkmOut = (req: FastifyRequest, row: svc.UmkmRow) => svc.toUmkmJson(row, { showNik: svc.showNikFor(req.ctx, row.id) });

  app.get(
    '/api/v1/classify',
    {
      schema: {
        tags: ['registry'],
        summary: 'Size class of a UMKM (PP 7/2021) from capital and/or annual sales',
        description: 'Annual sales decide when both are given. Amounts are whole Rupiah.',
        security: [],
        querystring: Type.Object({
          capital: Type.Optional(Type.Integer({ minimum: 0 })),
          annualSales: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
        response: {
          200: Type.Object({ sizeClass: lit(SIZE_CLASSES), basis: Type.Union([Type.Literal('capital'), Type.Literal('sales')]) }),
          400: ErrorBody,
        },
      },
    },
    async (req) => {
      const q = req.query as { capital?: number; annualSales?: number };
      const r = classify({
        capital: q.capital === undefined ? null : BigInt(q.capital),
        annualSales: q.annualSales === undefined ? null : BigInt(q.annualSales),
      });
      if (!r) {
        throw new AppError('validation_failed', 'error.validation', {}, undefined, [
          { field: 'capital', message: 'registry.classifyNeedsAmount' },
          { field: 'annualSales', message: 'registry.classifyNeedsAmount' },
        ]);
      }
      return { sizeClass: r.sizeClass, basis: r.basis };
    },
  );

  app.get(
    '/api/v1/kbli',
    {
      schema: {
        tags: ['registry'],
        summary: 'KBLI 2020 sections and common UMKM codes, searchable by words or code',
        security: [],
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 100 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                code: Type.String(),
                section: Type.String(),
                titleId: Type.String(),
                titleEn: Type.String(),
                isCommon: Type.Boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const q = req.query as { q?: string; limit?: number };
      const rows = await svc.searchKbli(db(), q.q ?? '', q.limit ?? 10);
      return {
        items: rows.map((r) => ({ code: r.code, section: r.section, titleId: r.title_id, titleEn: r.title_en, isCommon: r.is_common })),
      };
    },
  );

  app.get(
    '/api/v1/sentra',
    {
      schema: {
        tags: ['registry'],
        summary: 'Production clusters (sentra) and theme kampungs of the city',
        security: [],
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                slug: Type.String(),
                name: Type.String(),
                kelurahanCode: Type.String(),
                description: N(Type.String()),
              }),
            ),
          }),
        },
      },
    },
    async () => {
      const rows = await svc.listSentra(db());
      return {
        items: rows.map((s) => ({ id: s.id, slug: s.slug, name: s.name, kelurahanCode: s.kelurahan_code, description: s.description })),
      };
    },
  );

  // --- UMKM -----------------------------------------------------------------------------------

  app.post(
    '/api/v1/umkm',
    {
      schema: {
        tags: ['registry'],
        summary: 'Register a UMKM (status draft)',
        description:
          "Any logged-in user; the creator becomes its owner (pelaku_umkm) unless dinas registers on someone's behalf. Same NIB → 409. Same owner NIK with a similar name → 409 with `details.duplicates` unless `confirmDuplicate` is true.",
        body: UmkmCreateBody,
        response: { 201: UmkmJson, ...errors },
      },
      // The service validates again and adds the database checks, so one 400 names every bad field.
      attachValidation: true,
    },
    async (req, reply) => {
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as UmkmInput & { confirmDuplicate?: boolean };
      const { confirmDuplicate, ...input } = body;
      const row = await svc.createUmkm(db(), req.ctx, input, { skipDuplicateWarning: confirmDuplicate === true });
      // A creator who became its owner (or dinas) gets the NIK back whole; admin sees it masked.
      return reply.status(201).send(svc.toUmkmJson(row, { showNik: svc.showNikToRegistrant(req.ctx, row.id) }));
    },
  );

  app.get(
    '/api/v1/umkm',
    {
      schema: {
        tags: ['registry'],
        summary: 'Find UMKM (owners: their own; dinas: all)',
        description:
          '`q` searches business, brand, owner and product words by their stems; when that finds fewer than 5, tolerant of typos. `kbli` is a section letter or a code prefix.',
        querystring: ListQuery,
        response: { 200: page(UmkmJson), ...errors },
      },
    },
    async (req) => {
      const r = await svc.listUmkm(db(), req.ctx, req.query as ListQuery);
      return { ...r, items: r.items.map((row) => umkmOut(req, row)) };
    },
  );

  app.get(
    '/api/v1/umkm/:id',
    { schema: { tags: ['registry'], summary: 'One UMKM (owner or dinas)', params: Id, response: { 200: UmkmJson, ...errors } } },
    async (req) => umkmOut(req, await svc.getUmkm(db(), req.ctx, (req.params as { id: string }).id)),
  );

  app.patch(
    '/api/v1/umkm/:id',
    {
      schema: {
        tags: ['registry'],
        summary: 'Change a UMKM (owner or dinas); a new capital or sales figure re-classifies it',
        description: `An absent field is left as it is; null clears an optional field (${UMKM_CLEARABLE.join(', ')}). Latitude and longitude are set or cleared together.`,
        params: Id,
        body: UmkmPatch,
        response: { 200: UmkmJson, ...errors },
      },
      preValidation: refuseNulls(UMKM_CLEARABLE),
    },
    async (req) => umkmOut(req, await svc.updateUmkm(db(), req.ctx, (req.params as { id: string }).id, req.body as UmkmPatch)),
  );

  const lifecycle = (path: string, summary: string, run: (req: FastifyRequest, id: string) => Promise<svc.UmkmRow>) =>
    app.post(path, { schema: { tags: ['registry'], summary, params: Id, response: { 200: UmkmJson, ...errors } } }, async (req) =>
      umkmOut(req, await run(req, (req.params as { id: string }).id)),
    );
  lifecycle('/api/v1/umkm/:id/submit', 'Send a draft or rejected UMKM for verification', (req, id) => svc.submitUmkm(db(), req.ctx, id));
  lifecycle('/api/v1/umkm/:id/deactivate', 'Deactivate a verified UMKM (dinas, or its owner)', (req, id) =>
    svc.setUmkmActive(db(), req.ctx, id, false),
  );
  lifecycle('/api/v1/umkm/:id/reactivate', 'Reactivate an inactive UMKM (dinas)', (req, id) => svc.setUmkmActive(db(), req.ctx, id, true));

  app.post(
    '/api/v1/umkm/:id/verify',
    {
      schema: {
        tags: ['registry'],
        summary: 'Approve or reject a submitted UMKM (dinas only; a rejection needs a reason)',
        params: Id,
        body: VerifyInput,
        response: { 200: UmkmJson, ...errors },
      },
    },
    async (req) =>
      umkmOut(
        req,
        await svc.verifyUmkm(db(), req.ctx, (req.params as { id: string }).id, req.body as VerifyInput, {
          publicUrl: app.deps.config.publicUrl,
        }),
      ),
  );

  app.get(
    '/api/v1/umkm/:id/size-class-events',
    {
      schema: {
        tags: ['registry'],
        summary: 'Naik/turun kelas history of a UMKM with its evidence',
        params: Id,
        response: { 200: Type.Object({ items: Type.Array(EventJson) }), ...errors },
      },
    },
    async (req) => {
      const p = await svc.getUmkmProfile(db(), req.ctx, (req.params as { id: string }).id);
      return {
        items: p.events.map((e) => ({
          id: e.id,
          fromClass: e.from_class,
          toClass: e.to_class,
          direction: e.direction,
          occurredOn: e.occurred_on,
          basis: e.basis,
          amount: svc.toJsonInt(e.amount),
          year: e.year,
          evidence: e.evidence,
        })),
      };
    },
  );

  app.get(
    '/api/v1/umkm/:id/documents',
    {
      schema: {
        tags: ['registry'],
        summary: 'Legal documents of a UMKM (owner or dinas)',
        params: Id,
        response: { 200: Type.Object({ items: Type.Array(DocumentJson) }), ...errors },
      },
    },
    async (req) => ({ items: (await svc.listUmkmDocuments(db(), req.ctx, (req.params as { id: string }).id)).map(docJson) }),
  );

  app.post(
    '/api/v1/umkm/:id/documents',
    {
      schema: {
        tags: ['registry'],
        summary: 'Add a legal document with an optional scan (multipart: kind, number, issuedOn, expiresOn, file)',
        description: `kind: ${DOCUMENT_KINDS.join(', ')}. The scan is a PDF, JPEG or PNG of at most 5 MB (checked by its content).`,
        consumes: ['multipart/form-data'],
        params: Id,
        response: { 201: DocumentJson, ...errors, 413: ErrorBody },
      },
    },
    async (req, reply) => {
      const id = (req.params as { id: string }).id;
      await svc.getUmkm(db(), req.ctx, id);
      const { fields, file } = await readMultipart(req, svc.MAX_DOCUMENT_BYTES);
      const doc = await svc.addUmkmDocument(
        db(),
        storage,
        req.ctx,
        id,
        { kind: fields.kind as DocumentKind, number: fields.number, issuedOn: fields.issuedOn, expiresOn: fields.expiresOn },
        file,
      );
      return reply.status(201).send(docJson(doc));
    },
  );

  app.get(
    '/api/v1/umkm/:id/documents/:docId/file',
    {
      schema: {
        tags: ['registry'],
        summary: 'The scan of a document (owner and dinas only; never public)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), docId: Type.String({ format: 'uuid' }) }),
        response: { ...errors },
      },
    },
    async (req, reply) => {
      const p = req.params as { id: string; docId: string };
      const file = await svc.getUmkmDocumentFile(db(), storage, req.ctx, p.id, p.docId);
      return sendFile(reply, file, file.fileName);
    },
  );

  app.delete(
    '/api/v1/umkm/:id/documents/:docId',
    {
      schema: {
        tags: ['registry'],
        summary: 'Remove a document and its scan',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), docId: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      const p = req.params as { id: string; docId: string };
      await svc.deleteUmkmDocument(db(), storage, req.ctx, p.id, p.docId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/umkm/:id/photos',
    {
      schema: {
        tags: ['registry'],
        summary: 'Photos of a UMKM',
        params: Id,
        response: { 200: Type.Object({ items: Type.Array(PhotoJson) }), ...errors },
      },
    },
    async (req) => {
      const p = await svc.getUmkmProfile(db(), req.ctx, (req.params as { id: string }).id);
      return {
        items: p.photos.map((ph) => ({
          id: ph.id,
          caption: ph.caption,
          smallUrl: photoUrl(ph.id, 'small'),
          largeUrl: photoUrl(ph.id, 'large'),
        })),
      };
    },
  );

  app.post(
    '/api/v1/umkm/:id/photos',
    {
      schema: {
        tags: ['registry'],
        summary: 'Add a photo (multipart: file, caption); stored as WebP 320 and 960 px wide; at most 5',
        consumes: ['multipart/form-data'],
        params: Id,
        response: { 201: PhotoJson, ...errors, 413: ErrorBody },
      },
    },
    async (req, reply) => {
      const id = (req.params as { id: string }).id;
      await svc.getUmkm(db(), req.ctx, id);
      const { fields, file } = await readMultipart(req, svc.MAX_PHOTO_BYTES);
      if (!file) throw new AppError('validation_failed', 'error.validation', {}, undefined, [{ field: 'file', message: 'field.required' }]);
      const ph = await svc.addUmkmPhoto(db(), storage, req.ctx, id, file, fields.caption);
      return reply
        .status(201)
        .send({ id: ph.id, caption: ph.caption, smallUrl: photoUrl(ph.id, 'small'), largeUrl: photoUrl(ph.id, 'large') });
    },
  );

  app.delete(
    '/api/v1/umkm/:id/photos/:photoId',
    {
      schema: {
        tags: ['registry'],
        summary: 'Remove a photo',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), photoId: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      const p = req.params as { id: string; photoId: string };
      await svc.deleteUmkmPhoto(db(), storage, req.ctx, p.id, p.photoId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/verification-queue',
    {
      schema: {
        tags: ['registry'],
        summary: 'Submitted UMKM and koperasi awaiting verification, oldest first (dinas)',
        response: {
          200: Type.Object({
            umkm: Type.Array(
              Type.Object({ id: Type.String(), name: Type.String(), kelurahanName: Type.String(), submittedAt: N(Type.String()) }),
            ),
            koperasi: Type.Array(
              Type.Object({ id: Type.String(), name: Type.String(), kelurahanName: Type.String(), submittedAt: N(Type.String()) }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const q = await svc.verificationQueue(db(), req.ctx);
      const map = (r: { id: string; name: string; kelurahan_name: string; submitted_at: Date | null }) => ({
        id: r.id,
        name: r.name,
        kelurahanName: r.kelurahan_name,
        submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
      });
      return { umkm: q.umkm.map(map), koperasi: q.koperasi.map(map) };
    },
  );

  // --- Koperasi -------------------------------------------------------------------------------

  const kopOut = (row: svc.KoperasiRow) => svc.toKoperasiJson(row);

  app.post(
    '/api/v1/koperasi',
    {
      schema: {
        tags: ['registry'],
        summary: 'Register a koperasi (status draft); the creator becomes its pengurus unless dinas',
        body: KoperasiInput,
        response: { 201: KoperasiJson, ...errors },
      },
      attachValidation: true,
    },
    async (req, reply) => reply.status(201).send(kopOut(await svc.createKoperasi(db(), req.ctx, req.body as KoperasiInput))),
  );

  app.get(
    '/api/v1/koperasi',
    {
      schema: {
        tags: ['registry'],
        summary: 'Find koperasi (pengurus: their own; dinas: all)',
        querystring: ListQuery,
        response: { 200: page(KoperasiJson), ...errors },
      },
    },
    async (req) => {
      const r = await svc.listKoperasi(db(), req.ctx, req.query as ListQuery);
      return { ...r, items: r.items.map(kopOut) };
    },
  );

  app.get(
    '/api/v1/koperasi/:id',
    { schema: { tags: ['registry'], summary: 'One koperasi (pengurus or dinas)', params: Id, response: { 200: KoperasiJson, ...errors } } },
    async (req) => kopOut(await svc.getKoperasi(db(), req.ctx, (req.params as { id: string }).id)),
  );

  app.patch(
    '/api/v1/koperasi/:id',
    {
      schema: {
        tags: ['registry'],
        summary: 'Change a koperasi (pengurus or dinas)',
        description: `An absent field is left as it is; null clears an optional field (${KOPERASI_CLEARABLE.join(', ')}). Latitude and longitude are set or cleared together.`,
        params: Id,
        body: KoperasiPatch,
        response: { 200: KoperasiJson, ...errors },
      },
      preValidation: refuseNulls(KOPERASI_CLEARABLE),
    },
    async (req) => kopOut(await svc.updateKoperasi(db(), req.ctx, (req.params as { id: string }).id, req.body as KoperasiPatch)),
  );

  const kopLifecycle = (path: string, summary: string, run: (req: FastifyRequest, id: string) => Promise<svc.KoperasiRow>) =>
    app.post(path, { schema: { tags: ['registry'], summary, params: Id, response: { 200: KoperasiJson, ...errors } } }, async (req) =>
      kopOut(await run(req, (req.params as { id: string }).id)),
    );
  kopLifecycle('/api/v1/koperasi/:id/submit', 'Send a koperasi for verification', (req, id) => svc.submitKoperasi(db(), req.ctx, id));
  kopLifecycle('/api/v1/koperasi/:id/deactivate', 'Deactivate a verified koperasi (dinas, or its pengurus)', (req, id) =>
    svc.setKoperasiActive(db(), req.ctx, id, false),
  );
  kopLifecycle('/api/v1/koperasi/:id/reactivate', 'Reactivate a koperasi (dinas)', (req, id) =>
    svc.setKoperasiActive(db(), req.ctx, id, true),
  );

  app.post(
    '/api/v1/koperasi/:id/verify',
    {
      schema: {
        tags: ['registry'],
        summary: 'Approve or reject a submitted koperasi (dinas only)',
        params: Id,
        body: VerifyInput,
        response: { 200: KoperasiJson, ...errors },
      },
    },
    async (req) =>
      kopOut(
        await svc.verifyKoperasi(db(), req.ctx, (req.params as { id: string }).id, req.body as VerifyInput, {
          publicUrl: app.deps.config.publicUrl,
        }),
      ),
  );

  app.get(
    '/api/v1/koperasi/:id/officers',
    {
      schema: {
        tags: ['registry'],
        summary: 'Board (pengurus) and supervisors (pengawas) with their terms',
        params: Id,
        response: { 200: Type.Object({ items: Type.Array(OfficerJson) }), ...errors },
      },
    },
    async (req) => ({ items: (await svc.listKoperasiOfficers(db(), req.ctx, (req.params as { id: string }).id)).map(svc.toOfficerJson) }),
  );

  app.put(
    '/api/v1/koperasi/:id/officers',
    {
      schema: {
        tags: ['registry'],
        summary: 'Replace the board and supervisors',
        params: Id,
        body: Type.Object({ officers: Type.Array(OfficerInput, { maxItems: 50 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(OfficerJson) }), ...errors },
      },
    },
    async (req) => {
      const body = req.body as { officers: OfficerInput[] };
      return {
        items: (await svc.setKoperasiOfficers(db(), req.ctx, (req.params as { id: string }).id, body.officers)).map(svc.toOfficerJson),
      };
    },
  );

  // Photos are served from a path outside /api so <img> tags work with the session cookie too.
  app.get(
    '/media/umkm-foto/:photoId/:size',
    {
      schema: {
        hide: true,
        params: Type.Object({ photoId: Type.String(), size: Type.Union([Type.Literal('small.webp'), Type.Literal('large.webp')]) }),
      },
    },
    async (req, reply) => {
      const p = req.params as { photoId: string; size: 'small.webp' | 'large.webp' };
      const file = await svc.getUmkmPhoto(db(), storage, req.ctx, p.photoId, p.size === 'small.webp' ? 'small' : 'large');
      reply.header('content-type', 'image/webp');
      reply.header('cache-control', 'private, max-age=300');
      return reply.send(file.bytes);
    },
  );
}

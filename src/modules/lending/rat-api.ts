import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EXPORT_FORMATS, reportFile, toPdf, toXlsx } from '../books/report-export.js';
import { ratDoc, ratJson, ratReport } from './rat-service.js';

/**
 * GET /api/v1/koperasi/{id}/rat-report/{year}: the RAT report as JSON, or with ?format=pdf|xlsx as
 * one file (the XLSX has one sheet per part). Pengurus of the koperasi and dinas; others 404.
 */
const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody };
const KopYear = Type.Object({ id: Type.String({ format: 'uuid' }), year: Type.Integer({ minimum: 1900, maximum: 9998 }) });

export async function ratApi(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  app.get(
    '/api/v1/koperasi/:id/rat-report/:year',
    {
      schema: {
        tags: ['lending'],
        summary: 'RAT report of a fiscal year: balance sheet, income statement, SHU, membership, loan portfolio and aging, health',
        description: 'JSON without `format`; `format=pdf` or `format=xlsx` returns the document as a file.',
        params: KopYear,
        querystring: Type.Object({ format: Type.Optional(Type.Union(EXPORT_FORMATS.map((f) => Type.Literal(f)))) }),
        response: { 200: Type.Any({ description: 'JSON report, or a PDF/XLSX file' }), ...errors },
      },
    },
    async (req: FastifyRequest, reply) => {
      const { id, year } = req.params as { id: string; year: number };
      const format = (req.query as { format?: 'pdf' | 'xlsx' }).format;
      const r = await ratReport(db(), req.ctx, id, Number(year));
      if (!format) return ratJson(r);
      const doc = ratDoc(req.ctx.t, r);
      const body = format === 'pdf' ? await toPdf(doc) : await toXlsx(doc);
      const file = reportFile(doc, format);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(body);
    },
  );
}

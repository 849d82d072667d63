import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { EXTRA_REPORT_NAMES, EXTRA_REPORT_QUERIES } from './extra-reports.js';
import { buildReport, EXPORT_FORMATS, REPORT_KINDS, type ReportKind, reportFile, toPdf, toXlsx } from './report-export.js';
import { closeYear, listYears } from './yearend.js';

/**
 * More routes of the books under /api/v1/koperasi/{id}/…: year-end close (`years`) and the report
 * exports (XLSX/PDF). Same permissions as the rest of the books: pengurus of the koperasi write,
 * pengurus and dinas read, everyone else 404.
 */
const N = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
const tags = ['books'];
const Kop = Type.Object({ id: Type.String({ format: 'uuid' }) });
const KopYear = Type.Object({
  id: Type.String({ format: 'uuid' }),
  year: Type.String({ pattern: '^[0-9]{4}$', description: 'Fiscal year, YYYY' }),
});

const YearJson = Type.Object({
  year: Type.Integer({ description: 'Calendar year in which the fiscal year starts' }),
  startDate: Type.String({ format: 'date' }),
  endDate: Type.String({ format: 'date' }),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  closedMonths: Type.Integer({ minimum: 0, maximum: 12 }),
  result: N(Type.Integer({ description: 'SHU of the year booked to SHU tahun berjalan (whole Rupiah)' })),
  closingEntryId: N(Type.String()),
  closingEntryNumber: N(Type.Integer()),
  closedBy: N(Type.String()),
  closedAt: N(Type.String({ format: 'date-time' })),
});

export async function booksExtraApi(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const kop = (req: { params: unknown }) => (req.params as { id: string }).id;

  app.get(
    '/api/v1/koperasi/:id/years',
    {
      schema: {
        tags,
        summary: 'Fiscal years (tahun buku): closed months and, once closed, the result and closing entry',
        params: Kop,
        response: { 200: Type.Object({ items: Type.Array(YearJson) }), ...errors },
      },
    },
    async (req) => ({ items: await listYears(db(), req.ctx, kop(req)) }),
  );

  app.post(
    '/api/v1/koperasi/:id/years/:year/close',
    {
      schema: {
        tags,
        summary: 'Close a fiscal year (pengurus): one closing entry moves the result to SHU tahun berjalan',
        description:
          'All twelve months must be closed (409 otherwise); a closed year cannot be closed again (409) and nothing dated in it can be posted afterwards. Reopening a year is not supported.',
        params: KopYear,
        response: { 201: YearJson, ...errors },
      },
    },
    async (req, reply) => {
      const year = Number((req.params as { year: string }).year);
      const r = await closeYear(db(), req.ctx, kop(req), year);
      return reply.code(201).send(r);
    },
  );

  // --- Report exports ----------------------------------------------------------------------------

  const DateStr = Type.String({ format: 'date' });
  const queries: Record<ReportKind, TSchema> = {
    'trial-balance': Type.Object({ asOf: Type.Optional(DateStr) }),
    'balance-sheet': Type.Object({ asOf: Type.Optional(DateStr) }),
    'income-statement': Type.Object({ from: DateStr, to: DateStr }),
    'general-ledger': Type.Object({
      accountCode: Type.String({ pattern: '^[0-9]-[0-9]{4}$' }),
      from: Type.Optional(DateStr),
      to: Type.Optional(DateStr),
    }),
    ...EXTRA_REPORT_QUERIES,
  };
  const names: Record<ReportKind, string> = {
    'trial-balance': 'Trial balance (neraca saldo) as of a day',
    'balance-sheet': 'Balance sheet (neraca) as of a day',
    'income-statement': 'Income statement (perhitungan hasil usaha) over from..to',
    'general-ledger': 'General ledger (buku besar) of one account (default: 1 January to today)',
    ...EXTRA_REPORT_NAMES,
  };
  for (const kind of REPORT_KINDS) {
    for (const format of EXPORT_FORMATS) {
      app.get(
        `/api/v1/koperasi/:id/reports/${kind}.${format}`,
        {
          schema: {
            tags,
            summary: `${names[kind]} as ${format.toUpperCase()}`,
            description:
              'Same figures and permissions as the JSON report; states the koperasi, the date or period and when it was made (WIB).',
            params: Kop,
            querystring: queries[kind],
            response: { 200: { description: format === 'pdf' ? 'PDF file' : 'XLSX file', type: 'string', format: 'binary' }, ...errors },
          },
        },
        async (req, reply) => {
          const doc = await buildReport(
            db(),
            req.ctx,
            kop(req),
            kind,
            req.query as { asOf?: string; from?: string; to?: string; accountCode?: string },
          );
          const body = format === 'pdf' ? await toPdf(doc) : await toXlsx(doc);
          const file = reportFile(doc, format);
          reply.header('content-type', file.contentType);
          reply.header('content-disposition', `attachment; filename="${file.fileName}"`);
          reply.header('cache-control', 'private, no-store');
          reply.header('x-content-type-options', 'nosniff');
          return reply.send(body);
        },
      );
    }
  }
}

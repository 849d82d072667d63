/**
 * Export of any filtered registry list to CSV or XLSX, streamed: rows come from the service's
 * keyset iterator 500 at a time and are written as they arrive, so 150,000 rows never sit in
 * memory at once. Headers are the API's field names (the import template's columns first), so
 * an export can be imported again. The owner's NIK is whole only for those allowed to see it
 * (dinas, and owners for their own businesses) — exactly as the API shows it.
 */
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { RequestContext } from '../../platform/context.js';
import { unauthorized } from '../../platform/errors.js';
import { validate } from '../../platform/validation.js';
import { EXPORT_ONLY_COLUMNS, type ImportKind, importColumns } from './import.js';
import { ListQuery } from './schemas.js';
import * as svc from './service.js';

export type ExportFormat = 'csv' | 'xlsx';
const BATCH = 500;

export const exportColumns = (kind: ImportKind) => [...importColumns(kind), ...EXPORT_ONLY_COLUMNS[kind]];

/** One exported cell: text and numbers as they are, booleans as true/false, lists space-separated. */
function cell(v: unknown): string | number {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return v.join(' ');
  if (typeof v === 'number') return v;
  return String(v);
}

/** The caller's rows as records keyed by field name, 500 per database round trip. */
export async function* exportRecords(
  db: Kysely<Database>,
  ctx: RequestContext,
  kind: ImportKind,
  query: ListQuery,
): AsyncGenerator<(string | number)[][]> {
  const columns = exportColumns(kind);
  let batch: (string | number)[][] = [];
  const iter =
    kind === 'umkm'
      ? (async function* () {
          for await (const row of svc.iterateUmkm(db, ctx, query, BATCH)) {
            // The owner's NIK whole only for dinas and the business's own owner (the registry's one rule).
            yield svc.toUmkmJson(row, { showNik: svc.showNikFor(ctx, row.id) }) as Record<string, unknown>;
          }
        })()
      : (async function* () {
          for await (const row of svc.iterateKoperasi(db, ctx, query, BATCH)) yield svc.toKoperasiJson(row) as Record<string, unknown>;
        })();
  for await (const json of iter) {
    batch.push(columns.map((c) => cell(json[c])));
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** CSV (comma separated, UTF-8, CRLF), one chunk per batch of rows. */
export function csvStream(header: string[], batches: AsyncIterable<(string | number)[][]>): Readable {
  return Readable.from(
    (async function* () {
      yield stringify([header], { record_delimiter: 'windows' });
      for await (const rows of batches) yield stringify(rows, { record_delimiter: 'windows' });
    })(),
    { objectMode: false },
  );
}

/** XLSX written with exceljs' streaming writer (no shared strings, rows committed as they come). */
export function xlsxStream(sheetName: string, header: string[], batches: AsyncIterable<(string | number)[][]>): Readable {
  const out = new PassThrough();
  void (async () => {
    // exceljs is loaded on first use (it costs ~30 MB of memory in every process otherwise).
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
    const head = ws.addRow(header);
    head.font = { bold: true };
    head.commit();
    for await (const rows of batches) {
      for (const r of rows) ws.addRow(r).commit();
      // Let a slow client slow us down instead of filling memory.
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    ws.commit();
    await wb.commit();
  })().catch((err) => out.destroy(err as Error));
  return out;
}

function fileName(kind: ImportKind, format: ExportFormat) {
  const d = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
  return `${kind}-${d}.${format}`;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Sends the export of the caller's filtered list (401 for anonymous callers, before any byte is sent). */
export async function sendExport(
  db: Kysely<Database>,
  req: FastifyRequest,
  reply: FastifyReply,
  kind: ImportKind,
  format: ExportFormat,
  query: ListQuery,
) {
  if (!canExport(req.ctx)) throw unauthorized();
  // The scope check (owners: their own; dinas: all) happens in the iterator's first step.
  const records = exportRecords(db, req.ctx, kind, query);
  const first = await records.next();
  const batches = (async function* () {
    if (!first.done) yield first.value;
    yield* records;
  })();
  const header = exportColumns(kind);
  reply.header('content-type', CONTENT_TYPES[format]);
  reply.header('content-disposition', `attachment; filename="${fileName(kind, format)}"`);
  reply.header('cache-control', 'private, no-store');
  return reply.send(format === 'csv' ? csvStream(header, batches) : xlsxStream(kind, header, batches));
}

export const ExportQuery = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], { default: 'csv' })),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  kecamatan: Type.Optional(Type.String({ maxLength: 13 })),
  kelurahan: Type.Optional(Type.String({ maxLength: 13 })),
  sizeClass: ListQuery.properties.sizeClass,
  status: ListQuery.properties.status,
  kbli: ListQuery.properties.kbli,
  legality: ListQuery.properties.legality,
  type: ListQuery.properties.type,
  group: ListQuery.properties.group,
});

/**
 * Web query strings: a bad filter value is dropped (as the list page drops it) rather than failing
 * the download — and only that one, so the file never holds more than the list showed.
 */
function webQuery(raw: Record<string, unknown>): { format: ExportFormat; query: ListQuery } {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string' && v !== '') clean[k] = v;
  let r = validate(ExportQuery, clean);
  if (!r.ok) {
    const bad = new Set(r.issues.map((i) => i.field));
    r = validate(ExportQuery, Object.fromEntries(Object.entries(clean).filter(([k]) => !bad.has(k))));
  }
  const value = r.ok ? r.value : {};
  const { format, ...query } = value as { format?: ExportFormat } & ListQuery;
  return { format: format === 'xlsx' ? 'xlsx' : 'csv', query };
}

/** The list filters an export understands (paging and sorting do not apply to a file). */
const EXPORT_FILTERS = new Set(Object.keys(ExportQuery.properties).filter((k) => k !== 'format'));

/** Export links for the registry list pages: `/registri/umkm/ekspor?format=csv&<current filters>`. */
export function exportHref(kind: ImportKind, format: ExportFormat, filters: Record<string, string | undefined>) {
  const p = new URLSearchParams({ format });
  for (const [k, v] of Object.entries(filters)) if (v && EXPORT_FILTERS.has(k)) p.set(k, v);
  return `/registri/${kind}/ekspor?${p.toString()}`;
}

/**
 * Who may export: every logged-in user, each the records they may list (owners and pengurus
 * their own, dinas and admin all) — `sendExport` checks exactly this; the scope is the list's.
 */
export function canExport(ctx: RequestContext) {
  return ctx.user !== null;
}

/** The "Unduh CSV" / "Unduh XLSX" links of a list page, or undefined for someone who may not export. */
export function exportLinks(ctx: RequestContext, kind: ImportKind, filters: Record<string, string | undefined>) {
  if (!canExport(ctx)) return undefined;
  return { csv: exportHref(kind, 'csv', filters), xlsx: exportHref(kind, 'xlsx', filters) };
}

const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});

export async function exportRoutes(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  for (const kind of ['umkm', 'koperasi'] as const) {
    app.get(
      `/api/v1/${kind}/export`,
      {
        schema: {
          tags: ['registry'],
          summary: `Export the ${kind === 'umkm' ? 'UMKM' : 'koperasi'} list (same filters as the list) as CSV or XLSX`,
          description:
            'Streams every matching record the caller may see (owners: their own; dinas: all). The columns are the API field names — the import template first, then read-only facts — so the file can be imported again. The owner NIK is whole only for dinas and the owner.',
          querystring: ExportQuery,
          produces: [CONTENT_TYPES.csv, CONTENT_TYPES.xlsx],
          response: {
            200: Type.String({ description: 'The file (CSV or XLSX)' }),
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
          },
        },
      },
      async (req, reply) => {
        const { format, ...query } = req.query as { format?: ExportFormat } & ListQuery;
        return sendExport(db(), req, reply, kind, format === 'xlsx' ? 'xlsx' : 'csv', query);
      },
    );
    app.get(`/registri/${kind}/ekspor`, { schema: { hide: true } }, async (req, reply) => {
      const { format, query } = webQuery((req.query ?? {}) as Record<string, unknown>);
      return sendExport(db(), req, reply, kind, format, query);
    });
  }
}

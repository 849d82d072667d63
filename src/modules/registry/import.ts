/**
 * Bulk import of UMKM and koperasi from CSV (UTF-8, comma or semicolon) and XLSX files.
 *
 * The flow: read the file into rows keyed by the API's field names (the template's headers) →
 * turn each cell into the input shape (Indonesian numbers, yes/no, dates) → validate each row with
 * the same schema as the API, the same database checks as a single registration (batched) and
 * the file's own duplicates → a report row by row: {row, column, message} with row 1 = the first
 * data row under the header. Nothing is written until the caller confirms; the import itself runs
 * in ONE transaction (mode `all`: everything or nothing; mode `valid`: the valid rows), with
 * multi-row inserts so 10,000 rows take seconds, and is audited (one summary row per import plus
 * one row per created record).
 *
 * Imports are done by dinas (the office loads city records from ODS/SIDT/spreadsheets it has
 * already checked), so imported profiles are created as `verified`.
 */
import { randomUUID } from 'node:crypto';
import type { TObject, TSchema } from '@sinclair/typebox';
import { parse as parseCsv } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { loadUserById } from '../../platform/auth/sessions.js';
import { type RequestContext, requireUser } from '../../platform/context.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { type MessageKey, type Translate, translator } from '../../platform/i18n/index.js';
import { enqueueJob } from '../../platform/jobs/queue.js';
import type { JobRunner } from '../../platform/jobs/runner.js';
import { validate } from '../../platform/validation.js';
import { formatRupiah } from '../../platform/web/components.js';
import { classify, latestFullYearSales, maskNik, type SizeBasis } from './domain.js';
import { KoperasiInput, UmkmInput } from './schemas.js';
import { canVerify, todayWib } from './service.js';
import type { RegistryStatusColumn } from './tables.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;
type Exec = Db | Trx;

export type ImportKind = 'umkm' | 'koperasi';
export const IMPORT_KINDS: readonly ImportKind[] = ['umkm', 'koperasi'];
export type ImportMode = 'all' | 'valid';

/** Largest number of data rows accepted in one file. */
export const MAX_IMPORT_ROWS = 50_000;
/** Files with more rows than this are validated in the background (the page shows progress). */
export const BACKGROUND_THRESHOLD = 2_000;
/** How long an uploaded file waits for confirmation. */
export const IMPORT_TTL_HOURS = 24;
/** Rows per multi-row INSERT (well under PostgreSQL's 65,535 parameters). */
const INSERT_BATCH = 500;

export const schemaFor = (kind: ImportKind): TObject => (kind === 'umkm' ? UmkmInput : KoperasiInput);
/** The template's columns: exactly the API's field names, in schema order. */
export const importColumns = (kind: ImportKind): string[] => Object.keys(schemaFor(kind).properties);
export const requiredColumns = (kind: ImportKind): string[] => [...(schemaFor(kind).required ?? [])];

/** Columns an export adds after the input fields (read-only facts); an import ignores them quietly. */
export const EXPORT_ONLY_COLUMNS: Record<ImportKind, string[]> = {
  umkm: [
    'id',
    'status',
    'sizeClass',
    'kelurahanName',
    'kecamatanCode',
    'kecamatanName',
    'kbliTitle',
    'sentraName',
    'legality',
    'createdAt',
  ],
  koperasi: ['id', 'status', 'kelurahanName', 'kecamatanCode', 'kecamatanName', 'ratOverdue', 'createdAt'],
};

// ---------------------------------------------------------------------------------------------
// Reading files

export interface ImportProblem {
  /** 1 = the first data row under the header; 0 = the file as a whole. */
  row: number;
  /** The field name (the column's header). */
  column: string;
  message: MessageKey;
  params?: Record<string, string | number>;
}

export interface RawTable {
  format: 'csv' | 'xlsx';
  header: string[];
  /** Data rows that are not entirely blank, numbered from 1 under the header. */
  rows: { row: number; cells: unknown[] }[];
}

function fileError(key: MessageKey, params: Record<string, string | number> = {}): AppError {
  return new AppError('validation_failed', 'error.validation', {}, undefined, [{ field: 'file', message: key, params }]);
}

/** The separator of a CSV file: the one of `,` `;` or tab that occurs most in its header line (outside quotes). */
export function detectDelimiter(text: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts] += 1;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

/** UTF-8 text; a file saved by an old Excel as Windows-1252 is read as such rather than garbled. */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

const isBlank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

export function readCsv(bytes: Buffer): RawTable {
  const text = decodeText(bytes);
  if (text.includes('\u0000')) throw fileError('registryExtra.import.unreadable');
  let records: string[][];
  try {
    records = parseCsv(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    }) as string[][];
  } catch {
    throw fileError('registryExtra.import.unreadable');
  }
  const [header = [], ...data] = records;
  const rows: RawTable['rows'] = [];
  data.forEach((cells, i) => {
    if (!cells.every(isBlank)) rows.push({ row: i + 1, cells });
  });
  return { format: 'csv', header: header.map((h) => String(h ?? '').trim()), rows };
}

/** A cell of exceljs as a plain value: text, number, boolean or date. */
function cellValue(v: ExcelJS.CellValue): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v !== 'object') return v;
  const o = v as unknown as Record<string, unknown>;
  if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((r) => r.text).join('');
  if ('result' in o) return cellValue(o.result as ExcelJS.CellValue);
  if ('formula' in o || 'sharedFormula' in o) return null;
  if (typeof o.text === 'string') return o.text;
  if ('error' in o) return String(o.error);
  return null;
}

/** exceljs, loaded on first use (it costs ~30 MB of memory in every process otherwise). */
async function excel() {
  return (await import('exceljs')).default;
}

export async function readXlsx(bytes: Buffer): Promise<RawTable> {
  const wb = new (await excel()).Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw fileError('registryExtra.import.unreadable');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw fileError('registryExtra.import.empty');
  const headerRow = ws.getRow(1);
  const width = Math.max(headerRow.cellCount, ws.columnCount);
  const header: string[] = [];
  for (let c = 1; c <= width; c++) header.push(String(cellValue(headerRow.getCell(c).value) ?? '').trim());
  const rows: RawTable['rows'] = [];
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    if (n === 1) return;
    const cells: unknown[] = [];
    for (let c = 1; c <= header.length; c++) cells.push(cellValue(r.getCell(c).value));
    if (!cells.every(isBlank)) rows.push({ row: n - 1, cells });
  });
  return { format: 'xlsx', header, rows };
}

/** Reads an uploaded CSV or XLSX (told apart by content, not by name). */
export async function readTable(bytes: Buffer): Promise<RawTable> {
  if (bytes.length === 0) throw fileError('registryExtra.import.empty');
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return readXlsx(bytes);
  if (bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) throw fileError('registryExtra.import.oldExcel');
  return readCsv(bytes);
}

// ---------------------------------------------------------------------------------------------
// Cells → input values

type FieldKind = 'integer' | 'number' | 'boolean' | 'string' | 'date';

function fieldKind(s: TSchema): FieldKind {
  if (s.type === 'integer') return 'integer';
  if (s.type === 'number') return 'number';
  if (s.type === 'boolean') return 'boolean';
  if (s.type === 'string' && s.format === 'date') return 'date';
  return 'string';
}

const PHONE_FIELDS = new Set(['phone', 'whatsapp']);
const DIGIT_FIELDS = new Set(['ownerNik', 'nib', 'nik']);

/**
 * Whole numbers as Indonesians write them: "1.500.000", "Rp 1.500.000,00", "1500000", "1,500,000".
 * Returns null when the text is not a whole number (the row then reports "must be a whole number").
 */
export function parseIndonesianInteger(text: string): number | null {
  let s = text
    .trim()
    .replace(/^rp\.?\s*/i, '')
    .replace(/\s+/g, '');
  s = s.replace(/,0{1,2}$/, '');
  if (/^-?\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, '');
  else if (/^-?\d{1,3}(,\d{3})+$/.test(s)) s = s.replace(/,/g, '');
  else if (/^-?\d+\.0+$/.test(s)) s = s.replace(/\.0+$/, '');
  if (!/^-?\d+$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

/** Decimals with a comma or a point: "-7,9666" or "-7.9666". */
export function parseDecimal(text: string): number | null {
  const s = text.trim().replace(/\s+/g, '');
  if (/^-?\d+([.,]\d+)?$/.test(s)) return Number(s.replace(',', '.'));
  return null;
}

const TRUE_WORDS = new Set(['true', 'ya', 'y', 'yes', '1', 'benar', 'iya']);
const FALSE_WORDS = new Set(['false', 'tidak', 't', 'no', 'n', '0', 'salah', 'bukan']);

function isoDate(d: Date) {
  return d.toISOString().slice(0, 10);
}

/** "31/12/2024" or "31-12-2024" (day first, as written in Indonesia) → "2024-12-31". */
function dayFirstDate(s: string): string | null {
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (!m) return null;
  return `${m[3]}-${(m[2] as string).padStart(2, '0')}-${(m[1] as string).padStart(2, '0')}`;
}

/** One cell → the value for its field, or undefined when the cell is empty (the field is then absent). */
export function cellToValue(field: string, kind: FieldKind, raw: unknown): unknown {
  if (isBlank(raw)) return undefined;
  if (raw instanceof Date) return kind === 'date' || kind === 'string' ? isoDate(raw) : raw.toISOString();
  if (typeof raw === 'number') {
    if (kind === 'string' && PHONE_FIELDS.has(field)) {
      const digits = String(raw);
      return digits.startsWith('8') ? `0${digits}` : digits;
    }
    if (kind === 'string' || kind === 'date') return Number.isInteger(raw) ? raw.toFixed(0) : String(raw);
    if (kind === 'boolean') return raw === 1 ? true : raw === 0 ? false : raw;
    return raw;
  }
  if (typeof raw === 'boolean') return kind === 'boolean' ? raw : String(raw);
  const s = String(raw).trim();
  switch (kind) {
    case 'integer':
      return parseIndonesianInteger(s) ?? s;
    case 'number':
      return parseDecimal(s) ?? s;
    case 'boolean': {
      const w = s.toLowerCase();
      if (TRUE_WORDS.has(w)) return true;
      if (FALSE_WORDS.has(w)) return false;
      return s;
    }
    case 'date':
      return dayFirstDate(s) ?? s;
    default:
      if (PHONE_FIELDS.has(field)) {
        const p = s.replace(/[\s\-.()]/g, '');
        return /^8\d+$/.test(p) ? `0${p}` : p;
      }
      if (DIGIT_FIELDS.has(field)) return s.replace(/^'/, '').replace(/[\s.-]/g, '');
      return s;
  }
}

export interface ParsedRow {
  row: number;
  values: Record<string, unknown>;
}

export interface ParsedFile {
  format: 'csv' | 'xlsx';
  /** Recognised columns, in file order. */
  columns: string[];
  /** Headers that are not a field of this kind (ignored). */
  ignoredColumns: string[];
  rows: ParsedRow[];
}

/** Maps the table's headers to field names (case and spaces forgiven) and converts every cell. */
export function tableToRows(kind: ImportKind, table: RawTable): ParsedFile {
  const schema = schemaFor(kind);
  const fields = importColumns(kind);
  const byLower = new Map(fields.map((f) => [f.toLowerCase(), f]));
  const exportOnly = new Set(EXPORT_ONLY_COLUMNS[kind].map((c) => c.toLowerCase()));
  const mapping: (string | null)[] = [];
  const columns: string[] = [];
  const ignored: string[] = [];
  for (const h of table.header) {
    const key = h.replace(/\s+/g, '').toLowerCase();
    const field = byLower.get(key) ?? null;
    if (field && !columns.includes(field)) {
      mapping.push(field);
      columns.push(field);
    } else {
      mapping.push(null);
      if (h && !exportOnly.has(key)) ignored.push(h);
    }
  }
  if (columns.length === 0) throw fileError('registryExtra.import.noHeaders');
  const missing = requiredColumns(kind).filter((c) => !columns.includes(c));
  if (missing.length) throw fileError('registryExtra.import.missingColumns', { columns: missing.join(', ') });
  if (table.rows.length === 0) throw fileError('registryExtra.import.empty');
  if (table.rows.length > MAX_IMPORT_ROWS) throw fileError('registryExtra.import.tooManyRows', { max: MAX_IMPORT_ROWS });
  const kinds = new Map(fields.map((f) => [f, fieldKind(schema.properties[f] as TSchema)]));
  const rows = table.rows.map(({ row, cells }) => {
    const values: Record<string, unknown> = {};
    mapping.forEach((field, i) => {
      if (!field) return;
      const v = cellToValue(field, kinds.get(field) as FieldKind, cells[i]);
      if (v !== undefined) values[field] = v;
    });
    return { row, values };
  });
  return { format: table.format, columns, ignoredColumns: ignored, rows };
}

export async function parseImportFile(kind: ImportKind, bytes: Buffer): Promise<ParsedFile> {
  return tableToRows(kind, await readTable(bytes));
}

// ---------------------------------------------------------------------------------------------
// Validation: schema + database (batched) + duplicates within the file

export interface ValidRow<T> {
  row: number;
  input: T;
}

export interface ValidationReport<T> {
  total: number;
  valid: ValidRow<T>[];
  problems: ImportProblem[];
}

async function referenceSets(db: Exec) {
  const [kel, kbli, sentra] = await Promise.all([
    db.selectFrom('regions').select('code').where('level', '=', 'kelurahan').execute(),
    db.selectFrom('kbli').select('code').execute(),
    db.selectFrom('sentra').select('id').execute(),
  ]);
  return {
    kelurahan: new Set(kel.map((r) => r.code)),
    kbli: new Set(kbli.map((r) => r.code)),
    sentra: new Set(sentra.map((r) => r.id.toLowerCase())),
  };
}

async function takenValues(db: Exec, table: 'umkm' | 'koperasi', column: 'nib' | 'nik', values: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < values.length; i += 1000) {
    const chunk = values.slice(i, i + 1000);
    if (!chunk.length) continue;
    const rows = await sql<{
      v: string;
    }>`select ${sql.ref(column)} as v from ${sql.table(table)} where ${sql.ref(column)} in (${sql.join(chunk)})`.execute(db);
    for (const r of rows.rows) out.add(r.v);
  }
  return out;
}

/**
 * Validates every row. The database checks are those of `checkUmkmInput`/`checkKoperasiInput`
 * (unknown kelurahan, KBLI or sentra; NIB / Nomor Induk Koperasi already registered; RAT before
 * the legal date) with the same messages, done for the whole file in a few queries.
 */
export async function validateRows(
  db: Exec,
  kind: ImportKind,
  rows: ParsedRow[],
  onProgress?: (done: number, total: number) => Promise<void> | void,
): Promise<ValidationReport<UmkmInput | KoperasiInput>> {
  const schema = schemaFor(kind);
  const refs = await referenceSets(db);
  const problems: ImportProblem[] = [];
  const candidates: ValidRow<Record<string, unknown>>[] = [];
  const uniqueField = kind === 'umkm' ? 'nib' : 'nik';
  const firstSeen = new Map<string, number>();
  const add = (row: number, column: string, message: MessageKey, params?: Record<string, string | number>) =>
    problems.push({ row, column, message, ...(params ? { params } : {}) });

  let done = 0;
  for (const r of rows) {
    const rowProblems = problems.length;
    const v = validate(schema, r.values);
    const bad = new Set<string>();
    if (!v.ok) {
      for (const i of v.issues) {
        add(r.row, i.field === '(body)' ? '' : i.field, i.message, i.params);
        bad.add(i.field);
      }
    }
    const value = (v.ok ? v.value : r.values) as Record<string, unknown>;
    const str = (f: string) => (!bad.has(f) && typeof value[f] === 'string' && value[f] !== '' ? (value[f] as string) : undefined);
    const kel = str('kelurahanCode');
    if (kel && !refs.kelurahan.has(kel)) add(r.row, 'kelurahanCode', 'registry.kelurahanInvalid');
    if (kind === 'umkm') {
      const kbli = str('kbli');
      if (kbli && !refs.kbli.has(kbli)) add(r.row, 'kbli', 'registry.kbliInvalid');
      const sentra = str('sentraId');
      if (sentra && !refs.sentra.has(sentra.toLowerCase())) add(r.row, 'sentraId', 'registry.sentraInvalid');
    } else {
      const legal = str('legalDate');
      const rat = str('lastRatDate');
      if (legal && rat && rat < legal) add(r.row, 'lastRatDate', 'registry.ratBeforeLegal');
    }
    const key = str(uniqueField);
    if (key) {
      const first = firstSeen.get(key);
      if (first !== undefined) add(r.row, uniqueField, 'registryExtra.import.duplicateInFile', { row: first });
      else firstSeen.set(key, r.row);
    }
    if (problems.length === rowProblems) candidates.push({ row: r.row, input: value });
    done += 1;
    if (onProgress && done % 1000 === 0) await onProgress(done, rows.length);
  }

  // Already registered (one query per thousand values).
  const keys = candidates.map((c) => c.input[uniqueField]).filter((k): k is string => typeof k === 'string');
  const taken = await takenValues(db, kind, uniqueField, keys);
  const takenKey: MessageKey = kind === 'umkm' ? 'registry.nibTaken' : 'registry.nikKoperasiTaken';
  const valid: ValidRow<UmkmInput | KoperasiInput>[] = [];
  for (const c of candidates) {
    const k = c.input[uniqueField];
    if (typeof k === 'string' && taken.has(k)) add(c.row, uniqueField, takenKey);
    else valid.push(c as ValidRow<UmkmInput | KoperasiInput>);
  }
  problems.sort((a, b) => a.row - b.row);
  if (onProgress) await onProgress(rows.length, rows.length);
  return { total: rows.length, valid, problems };
}

/** The report in the user's language: {row, column, message}. */
export function translateProblems(problems: ImportProblem[], t: Translate) {
  return problems.map((p) => ({ row: p.row, column: p.column, message: t(p.message, p.params) }));
}

/** How many distinct rows have at least one problem. */
export function rejectedRowCount(problems: ImportProblem[]) {
  return new Set(problems.map((p) => p.row)).size;
}

// ---------------------------------------------------------------------------------------------
// Writing (multi-row inserts; always inside the caller's transaction)

/** The size class as the registry decides it: the latest full year's sales, else capital. */
export function decideClass(capital: bigint, history: { year: number; amount: bigint }[], today: string) {
  const latest = latestFullYearSales(history, Number(today.slice(0, 4)));
  const basis = classify({ capital, annualSales: latest?.amount ?? null }) as SizeBasis;
  return { basis, latest };
}

function evidence(basis: SizeBasis, year: number | null) {
  return basis.basis === 'sales'
    ? `Penjualan tahun ${year} ${formatRupiah(basis.amount)}`
    : `Modal usaha ${formatRupiah(basis.amount)} saat pendaftaran`;
}

const jsonText = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

interface AuditRow {
  action: string;
  entityType: string;
  entityId: string | null;
  organizationId: string | null;
  after: unknown;
}

/** Audit rows for a batch in one INSERT (same columns as writeAudit; NIK masked by the callers). */
async function auditMany(trx: Exec, ctx: Pick<RequestContext, 'user' | 'ip'>, entries: AuditRow[]) {
  if (!entries.length) return;
  await trx
    .insertInto('audit_log')
    .values(
      entries.map((e) => ({
        actor_user_id: ctx.user?.id ?? null,
        action: e.action,
        entity_type: e.entityType,
        entity_id: e.entityId,
        organization_id: e.organizationId,
        before: null,
        after: jsonText(e.after),
        ip: ctx.ip,
      })),
    )
    .execute();
}

export interface UmkmBatchItem {
  input: UmkmInput;
  /** An existing organisation (kind umkm) to attach the profile to; otherwise one is created. */
  organizationId?: string;
  status?: RegistryStatusColumn;
  rejectionReason?: string | null;
  /** The yearly sales history (replaces input.annualSales/salesYear). */
  sales?: { year: number; amount: bigint }[];
  isDemo?: boolean;
  createdAt?: Date;
  /** The caller writes the size-class history itself (demo data with naik kelas events). */
  skipClassEvents?: boolean;
}

/** Owners by NIK: existing persons are reused (their details untouched), new ones created. Returns NIK → id. */
async function ensurePersons(trx: Exec, people: { nik: string; name: string; phone: string | null; email: string | null }[]) {
  const byNik = new Map<string, string>();
  const niks = [...new Set(people.map((p) => p.nik))];
  if (!niks.length) return byNik;
  const existing = await trx.selectFrom('persons').select(['id', 'nik']).where('nik', 'in', niks).execute();
  for (const p of existing) byNik.set(p.nik, p.id);
  const fresh: { id: string; nik: string; name: string; phone: string | null; email: string | null }[] = [];
  for (const p of people) {
    if (byNik.has(p.nik)) continue;
    const id = randomUUID();
    byNik.set(p.nik, id);
    fresh.push({ id, ...p });
  }
  if (fresh.length) await trx.insertInto('persons').values(fresh).execute();
  return byNik;
}

/**
 * Creates UMKM profiles in bulk: organisations, owners, profiles, sales history, the first
 * size-class event and an audit row each — a handful of statements per 500 rows. The caller
 * validated the inputs and owns the transaction. Returns the new ids in input order.
 */
export async function insertUmkmBatch(
  trx: Exec,
  ctx: Pick<RequestContext, 'user' | 'ip'>,
  items: UmkmBatchItem[],
  opts: { auditAction?: string; importId?: string } = {},
): Promise<string[]> {
  const ids: string[] = [];
  const today = todayWib();
  const kecamatanOf = new Map(
    (await trx.selectFrom('regions').select(['code', 'parent_code']).where('level', '=', 'kelurahan').execute()).map((r) => [
      r.code,
      r.parent_code,
    ]),
  );
  const kbliSection = new Map((await trx.selectFrom('kbli').select(['code', 'section']).execute()).map((r) => [r.code, r.section]));
  for (let i = 0; i < items.length; i += INSERT_BATCH) {
    const chunk = items.slice(i, i + INSERT_BATCH);
    const chunkIds = chunk.map((it) => it.organizationId ?? randomUUID());
    const newOrgs = chunk
      .map((it, j) => ({ it, id: chunkIds[j] as string }))
      .filter(({ it }) => !it.organizationId)
      .map(({ it, id }) => ({ id, kind: 'umkm' as const, name: it.input.name, is_demo: it.isDemo ?? false }));
    if (newOrgs.length) await trx.insertInto('organizations').values(newOrgs).execute();
    const owners = await ensurePersons(
      trx,
      chunk.map((it) => ({ nik: it.input.ownerNik, name: it.input.ownerName, phone: it.input.phone, email: it.input.ownerEmail ?? null })),
    );
    const umkmRows = [];
    const salesRows = [];
    const events = [];
    const audits: AuditRow[] = [];
    for (let j = 0; j < chunk.length; j++) {
      const it = chunk[j] as UmkmBatchItem;
      const id = chunkIds[j] as string;
      const input = it.input;
      const history =
        it.sales ??
        (input.annualSales !== undefined
          ? [{ year: input.salesYear ?? Number(today.slice(0, 4)) - 1, amount: BigInt(input.annualSales) }]
          : []);
      const sorted = [...history].sort((a, b) => b.year - a.year);
      const capital = BigInt(input.capital);
      const decided = decideClass(capital, sorted, today);
      const shown = decided.latest ?? sorted[0] ?? null;
      const status = it.status ?? 'draft';
      const verified = status === 'verified' || status === 'inactive';
      const submitted = status !== 'draft';
      const kbli = input.kbli && kbliSection.has(input.kbli) ? input.kbli : null;
      umkmRows.push({
        id,
        name: input.name,
        brand_name: input.brandName ?? null,
        owner_id: owners.get(input.ownerNik) as string,
        nib: input.nib ?? null,
        phone: input.phone,
        email: input.email ?? null,
        address: input.address ?? null,
        kelurahan_code: input.kelurahanCode,
        kecamatan_code: kecamatanOf.get(input.kelurahanCode) ?? input.kelurahanCode.slice(0, 8),
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
        kbli_code: kbli,
        kbli_section: kbli ? (kbliSection.get(kbli) ?? null) : null,
        sentra_id: input.sentraId ?? null,
        year_started: input.yearStarted ?? null,
        workers: input.workers ?? null,
        capital,
        annual_sales: shown?.amount ?? null,
        sales_year: shown?.year ?? null,
        size_class: decided.basis.sizeClass,
        status,
        rejection_reason: status === 'rejected' ? (it.rejectionReason ?? null) : null,
        submitted_at: submitted ? (it.createdAt ?? new Date()) : null,
        verified_at: verified ? (it.createdAt ?? new Date()) : null,
        verified_by: verified ? (ctx.user?.id ?? null) : null,
        whatsapp: input.whatsapp ?? null,
        show_whatsapp: input.showWhatsapp ?? false,
        instagram: input.instagram ?? null,
        facebook: input.facebook ?? null,
        tiktok: input.tiktok ?? null,
        website: input.website ?? null,
        description: input.description ?? null,
        is_demo: it.isDemo ?? false,
        created_by: ctx.user?.id ?? null,
        ...(it.createdAt ? { created_at: it.createdAt, updated_at: it.createdAt } : {}),
      });
      for (const h of sorted) salesRows.push({ umkm_id: id, year: h.year, amount: h.amount });
      const year = decided.basis.basis === 'sales' ? (decided.latest?.year ?? null) : null;
      if (!it.skipClassEvents)
        events.push({
          organization_id: id,
          from_class: null,
          to_class: decided.basis.sizeClass,
          direction: 'awal' as const,
          occurred_on: it.createdAt ? isoDate(it.createdAt) : today,
          basis: decided.basis.basis,
          amount: decided.basis.amount,
          year,
          evidence: evidence(decided.basis, year),
          created_by: ctx.user?.id ?? null,
        });
      audits.push({
        action: opts.auditAction ?? 'umkm.create',
        entityType: 'umkm',
        entityId: id,
        organizationId: id,
        after: {
          ...input,
          ownerNik: maskNik(input.ownerNik),
          ownerEmail: undefined,
          status,
          sizeClass: decided.basis.sizeClass,
          ...(opts.importId ? { importId: opts.importId } : {}),
        },
      });
    }
    await trx.insertInto('umkm').values(umkmRows).execute();
    if (salesRows.length) await trx.insertInto('umkm_sales').values(salesRows).execute();
    if (events.length) await trx.insertInto('size_class_events').values(events).execute();
    // The searchable text, built exactly as the registry builds it for one profile.
    await trx
      .updateTable('umkm')
      .set({
        search_text: sql`concat_ws(' ', umkm.name, umkm.brand_name, (select p.name from persons p where p.id = umkm.owner_id), nullif(umkm.product_words, ''))`,
      })
      .where('id', 'in', chunkIds)
      .execute();
    await auditMany(trx, ctx, audits);
    ids.push(...chunkIds);
  }
  return ids;
}

export interface KoperasiBatchItem {
  input: KoperasiInput;
  organizationId?: string;
  status?: RegistryStatusColumn;
  rejectionReason?: string | null;
  isDemo?: boolean;
  createdAt?: Date;
}

export async function insertKoperasiBatch(
  trx: Exec,
  ctx: Pick<RequestContext, 'user' | 'ip'>,
  items: KoperasiBatchItem[],
  opts: { auditAction?: string; importId?: string } = {},
): Promise<string[]> {
  const ids: string[] = [];
  const kecamatanOf = new Map(
    (await trx.selectFrom('regions').select(['code', 'parent_code']).where('level', '=', 'kelurahan').execute()).map((r) => [
      r.code,
      r.parent_code,
    ]),
  );
  for (let i = 0; i < items.length; i += INSERT_BATCH) {
    const chunk = items.slice(i, i + INSERT_BATCH);
    const chunkIds = chunk.map((it) => it.organizationId ?? randomUUID());
    const newOrgs = chunk
      .map((it, j) => ({ it, id: chunkIds[j] as string }))
      .filter(({ it }) => !it.organizationId)
      .map(({ it, id }) => ({ id, kind: 'koperasi' as const, name: it.input.name, is_demo: it.isDemo ?? false }));
    if (newOrgs.length) await trx.insertInto('organizations').values(newOrgs).execute();
    const rows = chunk.map((it, j) => {
      const input = it.input;
      const status = it.status ?? 'draft';
      const verified = status === 'verified' || status === 'inactive';
      return {
        id: chunkIds[j] as string,
        name: input.name,
        legal_number: input.legalNumber ?? null,
        legal_date: input.legalDate ?? null,
        nik: input.nik ?? null,
        type: input.type as 'jasa',
        syariah: input.syariah ?? false,
        koperasi_group: input.group as 'umum',
        address: input.address ?? null,
        kelurahan_code: input.kelurahanCode,
        kecamatan_code: kecamatanOf.get(input.kelurahanCode) ?? input.kelurahanCode.slice(0, 8),
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
        phone: input.phone ?? null,
        email: input.email ?? null,
        fiscal_year_start_month: input.fiscalYearStartMonth ?? 1,
        last_rat_date: input.lastRatDate ?? null,
        member_count: input.memberCount ?? null,
        status,
        rejection_reason: status === 'rejected' ? (it.rejectionReason ?? null) : null,
        submitted_at: status !== 'draft' ? (it.createdAt ?? new Date()) : null,
        verified_at: verified ? (it.createdAt ?? new Date()) : null,
        verified_by: verified ? (ctx.user?.id ?? null) : null,
        is_demo: it.isDemo ?? false,
        created_by: ctx.user?.id ?? null,
        ...(it.createdAt ? { created_at: it.createdAt, updated_at: it.createdAt } : {}),
      };
    });
    await trx.insertInto('koperasi').values(rows).execute();
    await trx
      .updateTable('koperasi')
      .set({ search_text: sql`concat_ws(' ', koperasi.name, koperasi.legal_number, koperasi.nik)` })
      .where('id', 'in', chunkIds)
      .execute();
    await auditMany(
      trx,
      ctx,
      chunk.map((it, j) => ({
        action: opts.auditAction ?? 'koperasi.create',
        entityType: 'koperasi',
        entityId: chunkIds[j] as string,
        organizationId: chunkIds[j] as string,
        after: { ...it.input, status: it.status ?? 'draft', ...(opts.importId ? { importId: opts.importId } : {}) },
      })),
    );
    ids.push(...chunkIds);
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------
// The use case

/** Only dinas imports (imported records are created verified). */
export function requireImporter(ctx: RequestContext) {
  requireUser(ctx);
  if (!canVerify(ctx)) throw forbidden();
}

export interface ImportOutcome {
  /** Rows imported (or, for a dry run, that would be imported). */
  imported: number;
  problems: ImportProblem[];
  total: number;
  /** True when mode `all` met a problem and nothing was written. */
  aborted: boolean;
  ids: string[];
  /** True when `inTransaction.begin` declined (nothing was done). */
  skipped?: boolean;
}

export interface ImportTransactionHooks {
  /** Runs first in the import's transaction; returning false ends it without writing anything. */
  begin?: (trx: Trx) => Promise<boolean>;
  /** Runs last, before the commit: what it writes lands together with the imported records, or not at all. */
  end?: (trx: Trx, outcome: ImportOutcome) => Promise<void>;
}

/**
 * Validates and (unless `dryRun`) imports parsed rows in one transaction: mode `all` writes
 * nothing when any row has a problem; mode `valid` writes the valid rows. One audit row
 * summarises the import; every created record has its own.
 */
export async function runImport(
  db: Db,
  ctx: RequestContext,
  kind: ImportKind,
  rows: ParsedRow[],
  opts: {
    mode: ImportMode;
    dryRun?: boolean;
    fileName?: string;
    importId?: string;
    onProgress?: (phase: 'validate' | 'insert', done: number, total: number) => Promise<void> | void;
    /** Steps inside the import's own transaction (an import session's lock and final state). */
    inTransaction?: ImportTransactionHooks;
  },
): Promise<ImportOutcome> {
  requireImporter(ctx);
  if (opts.dryRun) {
    const report = await validateRows(db, kind, rows, (d, t) => opts.onProgress?.('validate', d, t));
    return { imported: report.valid.length, problems: report.problems, total: report.total, aborted: false, ids: [] };
  }
  const hooks = opts.inTransaction ?? {};
  return db.transaction().execute(async (trx) => {
    if (hooks.begin && !(await hooks.begin(trx))) {
      return { imported: 0, problems: [], total: rows.length, aborted: false, ids: [], skipped: true };
    }
    // Validated again inside the transaction: a NIB registered since the preview is caught here.
    const report = await validateRows(trx, kind, rows, (d, t) => opts.onProgress?.('validate', d, t));
    if (opts.mode === 'all' && report.problems.length) {
      const aborted = { imported: 0, problems: report.problems, total: report.total, aborted: true, ids: [] };
      await hooks.end?.(trx, aborted);
      return aborted;
    }
    const ids: string[] = [];
    const step = INSERT_BATCH * 4;
    for (let i = 0; i < report.valid.length; i += step) {
      const part = report.valid.slice(i, i + step);
      if (kind === 'umkm') {
        ids.push(
          ...(await insertUmkmBatch(
            trx,
            ctx,
            part.map((v) => ({ input: v.input as UmkmInput, status: 'verified' })),
            { auditAction: 'umkm.create', importId: opts.importId },
          )),
        );
      } else {
        ids.push(
          ...(await insertKoperasiBatch(
            trx,
            ctx,
            part.map((v) => ({ input: v.input as KoperasiInput, status: 'verified' })),
            { auditAction: 'koperasi.create', importId: opts.importId },
          )),
        );
      }
      await opts.onProgress?.('insert', Math.min(i + step, report.valid.length), report.valid.length);
    }
    await auditMany(trx, ctx, [
      {
        action: `${kind}.import`,
        entityType: `${kind}_import`,
        entityId: opts.importId ?? null,
        organizationId: null,
        after: {
          fileName: opts.fileName ?? null,
          mode: opts.mode,
          rows: report.total,
          imported: ids.length,
          rejectedRows: rejectedRowCount(report.problems),
          problems: report.problems.length,
        },
      },
    ]);
    const outcome = { imported: ids.length, problems: report.problems, total: report.total, aborted: false, ids };
    await hooks.end?.(trx, outcome);
    return outcome;
  });
}

// ---------------------------------------------------------------------------------------------
// Import sessions: the uploaded rows wait here (under a random id) for the user's confirmation

export interface RegistryImportsTable {
  id: string;
  kind: ImportKind;
  file_name: string;
  file_format: 'csv' | 'xlsx';
  rows: ParsedRow[];
  columns: string[];
  ignored_columns: string[];
  total_rows: number;
  valid_rows: number;
  rejected: ImportProblem[];
  status: ImportStatus;
  mode: ImportMode | null;
  phase_total: number;
  phase_done: number;
  imported: number;
  error: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  expires_at: Date;
  finished_at: Date | null;
}
export type ImportStatus = 'uploaded' | 'validating' | 'ready' | 'importing' | 'done' | 'failed' | 'aborted';

/** The import table is this file's own (migration 0004); Kysely learns of it here. */
function imports(db: Exec) {
  return (db as Kysely<Database>).withTables<{ registry_imports: RegistryImportsTable }>();
}

export type ImportSession = Omit<RegistryImportsTable, 'rows'> & { preview: ParsedRow[] };

const SUMMARY_COLUMNS = [
  'id',
  'kind',
  'file_name',
  'file_format',
  'columns',
  'ignored_columns',
  'total_rows',
  'valid_rows',
  'rejected',
  'status',
  'mode',
  'phase_total',
  'phase_done',
  'imported',
  'error',
  'created_by',
  'created_at',
  'updated_at',
  'expires_at',
  'finished_at',
] as const;

/** The background job that validates a large upload (payload: `{importId}`). */
export const IMPORT_VALIDATE_JOB = 'registry.import.validate';
/** The background job that imports a confirmed large upload (payload: `{importId}`). */
export const IMPORT_RUN_JOB = 'registry.import.run';

/**
 * Progress of the insert phase, kept in memory for the page when the job runs in this process:
 * with the embedded database the import's transaction holds the only connection meanwhile. A job
 * in a separate worker (PostgreSQL) writes its progress to the session row instead.
 */
const liveProgress = new Map<string, { done: number; total: number }>();

/**
 * Uploads a file: parses it, stores the rows and validates them — at once for a small file, for a
 * large one (more than BACKGROUND_THRESHOLD rows) by a job on the platform's job runner, queued
 * in the same transaction as the session row; the page shows its progress meanwhile.
 */
export async function startImport(db: Db, ctx: RequestContext, kind: ImportKind, fileName: string, bytes: Buffer): Promise<string> {
  requireImporter(ctx);
  const parsed = await parseImportFile(kind, bytes);
  await imports(db).deleteFrom('registry_imports').where('expires_at', '<', new Date()).execute();
  const background = parsed.rows.length > BACKGROUND_THRESHOLD;
  const id = await db.transaction().execute(async (trx) => {
    const row = await imports(trx)
      .insertInto('registry_imports')
      .values({
        kind,
        file_name: fileName.slice(-200) || 'berkas',
        file_format: parsed.format,
        rows: JSON.stringify(parsed.rows) as unknown as ParsedRow[],
        columns: JSON.stringify(parsed.columns) as unknown as string[],
        ignored_columns: JSON.stringify(parsed.ignoredColumns) as unknown as string[],
        total_rows: parsed.rows.length,
        status: background ? 'validating' : 'uploaded',
        phase_total: parsed.rows.length,
        created_by: ctx.user?.id ?? null,
        expires_at: new Date(Date.now() + IMPORT_TTL_HOURS * 3600_000),
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    if (background) await enqueueJob(trx, IMPORT_VALIDATE_JOB, { importId: row.id }, { uniqueKey: `${IMPORT_VALIDATE_JOB}:${row.id}` });
    return row.id;
  });
  if (!background) await validateStored(db, id, kind, parsed.rows, { background: false });
  return id;
}

/** Validates a session's rows and records the report (status `ready`), or `failed`. */
async function validateStored(db: Db, id: string, kind: ImportKind, rows: ParsedRow[], opts: { background: boolean }) {
  try {
    const report = await validateRows(db, kind, rows, async (done, total) => {
      if (opts.background) await setImportState(db, id, { phase_done: done, phase_total: total });
    });
    await setImportState(db, id, {
      status: 'ready',
      valid_rows: report.valid.length,
      rejected: report.problems,
      phase_done: report.total,
    });
  } catch (err) {
    await setImportState(db, id, { status: 'failed', error: String((err as Error).message).slice(0, 500) });
    if (!opts.background) throw err;
  }
}

async function setImportState(db: Exec, id: string, set: Partial<Omit<RegistryImportsTable, 'id' | 'rows'>>) {
  const values: Record<string, unknown> = { ...set, updated_at: new Date() };
  for (const k of ['rejected', 'columns', 'ignored_columns'] as const) if (k in values) values[k] = JSON.stringify(values[k]);
  await imports(db)
    .updateTable('registry_imports')
    .set(values as never)
    .where('id', '=', id)
    .execute();
}

async function storedRows(db: Exec, id: string): Promise<ParsedRow[]> {
  const stored = await imports(db).selectFrom('registry_imports').select('rows').where('id', '=', id).executeTakeFirstOrThrow();
  return (typeof stored.rows === 'string' ? JSON.parse(stored.rows) : stored.rows) as ParsedRow[];
}

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An import of the caller's (anyone else's → 404), with the first rows for the preview. */
export async function getImport(db: Db, ctx: RequestContext, id: string, previewRows = 10): Promise<ImportSession> {
  requireImporter(ctx);
  if (!uuidRe.test(id)) throw notFound();
  const s = await imports(db)
    .selectFrom('registry_imports')
    .select(SUMMARY_COLUMNS)
    .select(
      sql<ParsedRow[]>`coalesce(jsonb_path_query_array(rows, ${`$[0 to ${Math.max(0, previewRows - 1)}]`}), '[]'::jsonb)`.as('preview'),
    )
    .where('id', '=', id)
    .executeTakeFirst();
  if (!s || s.created_by !== (ctx.user?.id ?? null)) throw notFound();
  const live = liveProgress.get(id);
  if (s.status === 'importing' && live) return { ...s, phase_done: live.done, phase_total: live.total } as ImportSession;
  return s as unknown as ImportSession;
}

/**
 * The user confirms: claims the session (`ready` → `importing`, with the chosen mode) and imports
 * it — at once for a small file; for a large one a job on the platform's job runner does, queued
 * in the same transaction as the claim, while the page shows progress.
 */
export async function confirmImport(db: Db, ctx: RequestContext, id: string, mode: ImportMode): Promise<ImportSession> {
  const s = await getImport(db, ctx, id, 0);
  if (s.status !== 'ready') throw new AppError('conflict', 'registryExtra.import.notReady');
  if (s.expires_at.getTime() < Date.now()) throw new AppError('conflict', 'registryExtra.import.expired');
  const background = s.total_rows > BACKGROUND_THRESHOLD;
  const claimed = await db.transaction().execute(async (trx) => {
    const row = await imports(trx)
      .updateTable('registry_imports')
      .set({ status: 'importing', mode, phase_done: 0, phase_total: s.total_rows, updated_at: new Date() } as never)
      .where('id', '=', id)
      .where('status', '=', 'ready')
      .returning('id')
      .executeTakeFirst();
    if (row && background) await enqueueJob(trx, IMPORT_RUN_JOB, { importId: id }, { uniqueKey: `${IMPORT_RUN_JOB}:${id}` });
    return row;
  });
  if (!claimed) throw new AppError('conflict', 'registryExtra.import.notReady');
  if (!background) await executeImport(db, ctx, { id, kind: s.kind, fileName: s.file_name, mode }, { background: false });
  return getImport(db, ctx, id, 0);
}

/**
 * Imports a claimed session's rows in one transaction that first locks the session row and checks
 * it is still `importing`, and last records the outcome (`done` or `aborted`): a job run again
 * (a retry, a worker that died) never imports twice. An error leaves the session `failed`.
 */
async function executeImport(
  db: Db,
  ctx: RequestContext,
  session: { id: string; kind: ImportKind; fileName: string; mode: ImportMode },
  opts: { background: boolean },
) {
  const { id } = session;
  let progressWrites = Promise.resolve();
  const onProgress = (phase: 'validate' | 'insert', done: number, total: number) => {
    const shown = { done: phase === 'validate' ? Math.round(done / 10) : Math.round(total / 10 + (done * 9) / 10), total };
    liveProgress.set(id, shown);
    if (!opts.background) return;
    // For a page served by another process. Not awaited: with the embedded database this waits
    // for the import's transaction to end (and then finds the session no longer importing).
    progressWrites = progressWrites
      .then(() =>
        imports(db)
          .updateTable('registry_imports')
          .set({ phase_done: sql`greatest(phase_done, ${shown.done})`, phase_total: shown.total, updated_at: new Date() } as never)
          .where('id', '=', id)
          .where('status', '=', 'importing')
          .execute(),
      )
      .then(
        () => {},
        () => {},
      );
  };
  try {
    const rows = await storedRows(db, id);
    await runImport(db, ctx, session.kind, rows, {
      mode: session.mode,
      fileName: session.fileName,
      importId: id,
      onProgress,
      inTransaction: {
        begin: async (trx) => {
          const current = await imports(trx)
            .selectFrom('registry_imports')
            .select('status')
            .where('id', '=', id)
            .forUpdate()
            .executeTakeFirst();
          return current?.status === 'importing';
        },
        end: (trx, out) =>
          setImportState(trx, id, {
            status: out.aborted ? 'aborted' : 'done',
            imported: out.imported,
            valid_rows: out.total - rejectedRowCount(out.problems),
            rejected: out.problems,
            phase_done: rows.length,
            phase_total: rows.length,
            finished_at: new Date(),
          }),
      },
    });
  } catch (err) {
    const key = err instanceof AppError ? err.messageKey : 'error.internal';
    await setImportState(db, id, { status: 'failed', error: String(key), finished_at: new Date() });
  } finally {
    liveProgress.delete(id);
  }
}

/** The import as the user who uploaded it: the job checks again that they may import. */
async function uploaderContext(db: Db, userId: string | null): Promise<RequestContext | null> {
  const user = userId ? await loadUserById(db, userId) : null;
  if (!user) return null;
  return { user, locale: user.locale, t: translator(user.locale), ip: null, channel: 'web' };
}

/** Job `registry.import.validate`: checks a large upload's rows (once; a rerun of a finished one does nothing). */
export async function runValidateImportJob(db: Db, importId: string): Promise<void> {
  const s = await imports(db).selectFrom('registry_imports').select(['id', 'kind', 'status']).where('id', '=', importId).executeTakeFirst();
  if (s?.status !== 'validating') return;
  await validateStored(db, importId, s.kind, await storedRows(db, importId), { background: true });
}

/** Job `registry.import.run`: imports a confirmed large upload as its uploader, in the mode they chose. */
export async function runImportJob(db: Db, importId: string): Promise<void> {
  const s = await imports(db)
    .selectFrom('registry_imports')
    .select(['id', 'kind', 'status', 'mode', 'file_name', 'created_by'])
    .where('id', '=', importId)
    .executeTakeFirst();
  if (s?.status !== 'importing') return;
  const ctx = await uploaderContext(db, s.created_by);
  if (!ctx) {
    await setImportState(db, importId, { status: 'failed', error: 'error.forbidden', finished_at: new Date() });
    return;
  }
  await executeImport(db, ctx, { id: s.id, kind: s.kind, fileName: s.file_name, mode: s.mode ?? 'all' }, { background: true });
}

/** Registers the import's two job handlers with the platform's job runner (once). */
export function registerImportJobs(jobs: JobRunner) {
  if (!jobs.has(IMPORT_VALIDATE_JOB))
    jobs.register(IMPORT_VALIDATE_JOB, ({ db, payload }) => runValidateImportJob(db, String(payload.importId)));
  if (!jobs.has(IMPORT_RUN_JOB)) jobs.register(IMPORT_RUN_JOB, ({ db, payload }) => runImportJob(db, String(payload.importId)));
}

// ---------------------------------------------------------------------------------------------
// Templates

/** Describes each column for the template's second sheet (in the user's language). */
export function columnGuide(kind: ImportKind, t: Translate) {
  const req = new Set(requiredColumns(kind));
  return importColumns(kind).map((c) => ({
    column: c,
    required: req.has(c),
    description: t(`registryExtra.col.${kind}.${c}` as MessageKey),
    example: EXAMPLES[kind][c] ?? '',
  }));
}

const EXAMPLES: Record<ImportKind, Record<string, string>> = {
  umkm: {
    name: 'Keripik Tempe Barokah',
    brandName: 'Tempe Barokah',
    ownerName: 'Siti Aminah',
    ownerNik: '3573015501800001',
    ownerEmail: 'siti@example.com',
    phone: '081234567890',
    email: 'barokah@example.com',
    address: 'Jl. Sanan Gg. 3 No. 12',
    kelurahanCode: '35.73.01.1007',
    latitude: '-7,9587',
    longitude: '112,6452',
    kbli: '10794',
    sentraId: '',
    yearStarted: '2015',
    workers: '4',
    capital: '25.000.000',
    annualSales: '180.000.000',
    salesYear: '2024',
    nib: '9120301234567',
    whatsapp: '081234567890',
    showWhatsapp: 'ya',
    instagram: '@tempebarokah',
    facebook: '',
    tiktok: '',
    website: 'https://tempebarokah.example.com',
    description: 'Keripik tempe renyah khas Sanan.',
  },
  koperasi: {
    name: 'Koperasi Serba Usaha Maju Bersama',
    legalNumber: 'AHU-0001234.AH.01.26.TAHUN 2019',
    legalDate: '2019-03-14',
    nik: '3573010000123456',
    type: 'simpan_pinjam',
    syariah: 'tidak',
    group: 'umum',
    address: 'Jl. Ijen No. 5',
    kelurahanCode: '35.73.02.1002',
    latitude: '-7,9719',
    longitude: '112,6237',
    phone: '0341123456',
    email: 'kopmaju@example.com',
    fiscalYearStartMonth: '1',
    lastRatDate: '2025-03-20',
    memberCount: '120',
  },
};

/** CSV template: one header line with the field names. */
export function csvTemplate(kind: ImportKind): string {
  return `${importColumns(kind).join(',')}\r\n`;
}

const TEXT_COLUMNS = new Set(['ownerNik', 'phone', 'whatsapp', 'nib', 'nik', 'kelurahanCode', 'kbli', 'legalDate', 'lastRatDate']);

/** XLSX template: the data sheet (headers = field names, text columns kept as text) and a guide sheet. */
export async function xlsxTemplate(db: Db, kind: ImportKind, t: Translate): Promise<Buffer> {
  const wb = new (await excel()).Workbook();
  wb.creator = 'Ngalam Laris';
  const cols = importColumns(kind);
  const ws = wb.addWorksheet(kind);
  ws.columns = cols.map((c) => ({
    header: c,
    key: c,
    width: Math.max(14, c.length + 4),
    style: TEXT_COLUMNS.has(c) ? { numFmt: '@' } : {},
  }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];

  const guide = wb.addWorksheet(t('registryExtra.template.guideSheet'));
  guide.columns = [
    { header: t('registryExtra.template.column'), key: 'column', width: 22 },
    { header: t('registryExtra.template.required'), key: 'required', width: 10 },
    { header: t('registryExtra.template.description'), key: 'description', width: 80 },
    { header: t('registryExtra.template.example'), key: 'example', width: 36 },
  ];
  guide.getRow(1).font = { bold: true };
  for (const g of columnGuide(kind, t)) {
    guide.addRow({ ...g, required: g.required ? t('common.yes') : t('common.no') });
  }
  guide.addRow([]);
  guide.addRow([t('registryExtra.template.notes')]).font = { italic: true };
  guide.addRow([]);
  const kelHeader = guide.addRow([t('registryExtra.template.kelurahanCodes')]);
  kelHeader.font = { bold: true };
  guide.addRow([t('registryExtra.template.code'), '', t('registryExtra.template.kelurahan'), t('registryExtra.template.kecamatan')]).font =
    {
      bold: true,
    };
  const kel = await db
    .selectFrom('regions as k')
    .leftJoin('regions as c', 'c.code', 'k.parent_code')
    .select(['k.code', 'k.name', 'c.name as kecamatan'])
    .where('k.level', '=', 'kelurahan')
    .orderBy('k.code')
    .execute();
  for (const k of kel) guide.addRow([k.code, '', k.name, k.kecamatan ?? '']);
  if (kind === 'umkm') {
    guide.addRow([]);
    guide.addRow([t('registryExtra.template.kbliCodes')]).font = { bold: true };
    const kbli = await db.selectFrom('kbli').select(['code', 'title_id', 'title_en']).orderBy('code').execute();
    for (const k of kbli) guide.addRow([k.code, '', t('registryExtra.template.kbliTitle', { id: k.title_id, en: k.title_en })]);
    guide.addRow([]);
    guide.addRow([t('registryExtra.template.sentraIds')]).font = { bold: true };
    const sentra = await db.selectFrom('sentra').select(['id', 'name']).orderBy('name').execute();
    for (const s of sentra) guide.addRow([s.id, '', s.name]);
  } else {
    guide.addRow([]);
    guide.addRow([t('registryExtra.template.allowedValues')]).font = { bold: true };
    guide.addRow(['type', '', 'simpan_pinjam, konsumen, produsen, pemasaran, jasa']);
    guide.addRow(['group', '', 'sekolah, pemuda, komunitas, kelurahan_merah_putih, karyawan, umum']);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, createTestApp, type TestApp } from '../../../test/helpers.js';
import { buildReport, toPdf, wibTimestamp } from './report-export.js';
import { contextFor, newKoperasi, tokenOf } from './test-support.js';

// The demo KSP (seeded in every test app) has two years of posted history.
const NAME = 'KSP Sejahtera Bersama Malang';
let t: TestApp;
let ksp: string;
let ketua: string;
let dinas: string;
let stranger: string;
const year = Number(new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 4)) - 1;
const asOf = `${year}-12-31`;

function get(token: string | null, url: string) {
  return t.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

async function sheet(body: Buffer) {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error('no sheet');
  const rows: unknown[][] = [];
  ws.eachRow((r) => {
    rows.push((r.values as unknown[]).slice(1));
  });
  /** Amount cells (C, D) of the row labelled `label` in column B. */
  const byLabel = (label: string) => {
    const r = rows.find((x) => x[1] === label);
    if (!r) throw new Error(`no row ${label}`);
    return r.slice(2);
  };
  return { rows, byLabel };
}

beforeAll(async () => {
  t = await createTestApp();
  ksp = (await t.db.db.selectFrom('organizations').select('id').where('name', '=', NAME).executeTakeFirstOrThrow()).id;
  ketua = await apiLogin(t.app, 'koperasi@demo.ngalamlaris.id');
  dinas = await apiLogin(t.app, 'dinas@demo.ngalamlaris.id');
  const other = await newKoperasi(t.db.db, 'KSP Lain Ekspor');
  stranger = await tokenOf(t.db.db, other.ketua);
});
afterAll(async () => {
  await t?.close();
});

describe('report exports', () => {
  it('trial balance XLSX: koperasi, date, "Dibuat … WIB" and totals equal to the JSON report', async () => {
    const json = (await get(ketua, `/api/v1/koperasi/${ksp}/reports/trial-balance?asOf=${asOf}`)).json();
    const res = await get(ketua, `/api/v1/koperasi/${ksp}/reports/trial-balance.xlsx?asOf=${asOf}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="neraca-saldo-${asOf}.xlsx"`);
    const x = await sheet(res.rawPayload);
    expect(x.rows[0]?.[0]).toBe('Neraca Saldo');
    expect(x.rows[1]?.[0]).toBe(NAME);
    expect(x.rows[2]?.[0]).toBe(`Per 31-12-${year}`);
    expect(String(x.rows[3]?.[0])).toMatch(/^Dibuat \d{2}-\d{2}-\d{4} \d{2}:\d{2} WIB$/);
    expect(x.byLabel('Jumlah')).toEqual([json.totalDebit, json.totalCredit]);
    expect(json.totalDebit).toBe(json.totalCredit);
    expect(json.totalDebit).toBeGreaterThan(0);
    expect(x.byLabel('Debit = Kredit')).toEqual(['Seimbang']);
  });

  it('balance sheet XLSX: aktiva = pasiva as in the JSON report', async () => {
    const json = (await get(ketua, `/api/v1/koperasi/${ksp}/reports/balance-sheet?asOf=${asOf}`)).json();
    const res = await get(dinas, `/api/v1/koperasi/${ksp}/reports/balance-sheet.xlsx?asOf=${asOf}`);
    expect(res.statusCode, res.body).toBe(200);
    const x = await sheet(res.rawPayload);
    expect(x.byLabel('Jumlah Aset')).toEqual([json.totalAssets]);
    expect(x.byLabel('Jumlah Liabilitas')).toEqual([json.totalLiabilities]);
    expect(x.byLabel('Jumlah Ekuitas')).toEqual([json.totalEquity]);
    expect(x.byLabel('Jumlah Liabilitas dan Ekuitas (pasiva)')).toEqual([json.totalLiabilitiesAndEquity]);
    expect(json.totalAssets).toBe(json.totalLiabilitiesAndEquity);
    expect(x.byLabel('Aktiva = Pasiva')).toEqual(['Seimbang']);
  });

  it('income statement XLSX: income, expenses and SHU as in the JSON report', async () => {
    const q = `from=${year}-01-01&to=${asOf}`;
    const json = (await get(ketua, `/api/v1/koperasi/${ksp}/reports/income-statement?${q}`)).json();
    const res = await get(ketua, `/api/v1/koperasi/${ksp}/reports/income-statement.xlsx?${q}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="perhitungan-hasil-usaha-${year}-01-01-${asOf}.xlsx"`);
    const x = await sheet(res.rawPayload);
    expect(x.rows[2]?.[0]).toBe(`01-01-${year} s.d. 31-12-${year}`);
    expect(x.byLabel('Jumlah Pendapatan')).toEqual([json.totalIncome]);
    expect(x.byLabel('Jumlah Beban')).toEqual([json.totalExpense]);
    expect(x.byLabel('SHU (pendapatan − beban)')).toEqual([json.shu]);
    expect((await get(ketua, `/api/v1/koperasi/${ksp}/reports/income-statement.xlsx?from=${year}-01-01`)).statusCode).toBe(400);
  });

  it('PDFs start with %PDF and name the koperasi', async () => {
    for (const [kind, q] of [
      ['trial-balance', `asOf=${asOf}`],
      ['balance-sheet', `asOf=${asOf}`],
      ['income-statement', `from=${year}-01-01&to=${asOf}`],
    ] as const) {
      const res = await get(ketua, `/api/v1/koperasi/${ksp}/reports/${kind}.pdf?${q}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[a-z0-9-]+\.pdf"$/);
      const pdf = res.rawPayload;
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.toString('latin1')).toContain(`(${NAME})`); // the document's Author
      expect(pdf.length).toBeGreaterThan(1000);
    }
  });

  it('uncompressed PDF carries the title, koperasi and "Dibuat … WIB" as text', async () => {
    const ctx = await contextFor(
      t.db.db,
      (await t.db.db.selectFrom('users').select('id').where('email', '=', 'koperasi@demo.ngalamlaris.id').executeTakeFirstOrThrow()).id,
    );
    const doc = await buildReport(t.db.db, ctx, ksp, 'trial-balance', { asOf }, new Date('2026-01-05T03:04:00Z'));
    expect(doc.generatedAt).toBe('05-01-2026 10:04 WIB');
    expect(wibTimestamp(new Date('2025-12-31T17:30:00Z'))).toBe('01-01-2026 00:30 WIB');
    const pdf = (await toPdf(doc, { compress: false })).toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    // Helvetica text is written as hex glyph codes in TJ arrays, split at kerning pairs: join them.
    const text = [...pdf.matchAll(/\[([^\]]*)\] TJ/g)]
      .map((m) => [...(m[1] ?? '').matchAll(/<([0-9a-f]*)>/g)].map((h) => Buffer.from(h[1] ?? '', 'hex').toString('latin1')).join(''))
      .join('\n');
    expect(text).toContain('Neraca Saldo');
    expect(text).toContain(NAME);
    expect(text).toContain(`Per 31-12-${year}`);
    expect(text).toContain('Dibuat 05-01-2026 10:04 WIB');
    expect(text).toContain('Seimbang');
  });

  it('general ledger XLSX and PDF: opening, totals and closing as in the JSON ledger', async () => {
    const q = `accountCode=1-1100&from=${year}-01-01&to=${asOf}`;
    const json = (await get(ketua, `/api/v1/koperasi/${ksp}/reports/general-ledger?${q}`)).json();
    const res = await get(ketua, `/api/v1/koperasi/${ksp}/reports/general-ledger.xlsx?${q}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="buku-besar-1-1100-${year}-01-01-${asOf}.xlsx"`);
    const x = await sheet(res.rawPayload);
    expect(x.byLabel('Saldo awal')).toEqual([json.openingBalance]);
    expect(x.byLabel('Jumlah debit')).toEqual([json.totalDebit]);
    expect(x.byLabel('Jumlah kredit')).toEqual([json.totalCredit]);
    expect(x.byLabel('Saldo akhir')).toEqual([json.closingBalance]);
    const total = x.rows.find((r) => r[2] === 'Jumlah');
    expect(total?.slice(3)).toEqual([json.totalDebit, json.totalCredit, json.closingBalance]);
    const pdf = await get(ketua, `/api/v1/koperasi/${ksp}/reports/general-ledger.pdf?${q}`);
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await get(ketua, `/api/v1/koperasi/${ksp}/reports/general-ledger.pdf?accountCode=9-9999`)).statusCode).toBe(404);
  });

  it("is 404 for another koperasi's pengurus and 401 without login", async () => {
    for (const url of [
      `/api/v1/koperasi/${ksp}/reports/trial-balance.xlsx`,
      `/api/v1/koperasi/${ksp}/reports/balance-sheet.pdf`,
      `/api/v1/koperasi/${ksp}/reports/income-statement.xlsx?from=${year}-01-01&to=${asOf}`,
      `/api/v1/koperasi/${ksp}/reports/general-ledger.pdf?accountCode=1-1100`,
    ]) {
      const res = await get(stranger, url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('not_found');
      expect((await get(null, url)).statusCode).toBe(401);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { createSession } from '../../platform/auth/sessions.js';
import { makeUser, newKoperasi, nik, tokenOf } from './test-support.js';

// Simpanan berjangka wherever a member's savings are reported: GET members/{id}/savings, the
// simpanan-per-anggota report (JSON, XLSX), the member list and the member's own page. The report's
// berjangka total must equal the balance of 2-1200 in the trial balance and the neraca of the same day.
let t: TestApp;
let kop: string;
let ketua: string;
let other: string;
let anggota: string;
let anggotaUser: string;
let a: string; // Darmi: the anggota's own member record
let b: string; // Slamet
let product: string;
const dep: Record<string, string> = {};

function api(token: string | null, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}
const K = (path: string) => `/api/v1/koperasi/${kop}/${path}`;

async function ok(token: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const res = await api(token, method, url, payload);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
}
async function open(memberId: string, amount: number, date: string) {
  return (await ok(ketua, 'POST', K('term-deposits'), { memberId, productId: product, amount, date })).id as string;
}
/** Credit balance of 2-1200 on a day, from the trial balance and from the neraca (both must agree). */
async function ledger2_1200(asOf: string) {
  const tb = await ok(ketua, 'GET', K(`reports/trial-balance?asOf=${asOf}`));
  const row = tb.accounts.find((x: { code: string }) => x.code === '2-1200');
  const fromTb = row ? row.credit - row.debit : 0;
  const bs = await ok(ketua, 'GET', K(`reports/balance-sheet?asOf=${asOf}`));
  const line = bs.liabilities.find((x: { code: string }) => x.code === '2-1200');
  expect(line?.amount ?? 0, `neraca 2-1200 ${asOf}`).toBe(fromTb);
  return fromTb;
}
type Item = { memberId: string; pokok: number; wajib: number; sukarela: number; berjangka: number; total: number };
const itemOf = (r: { items: Item[] }, memberId: string) => r.items.find((x) => x.memberId === memberId);

beforeAll(async () => {
  t = await createTestApp();
  const k = await newKoperasi(t.db.db, 'KSP Uji Simpanan Berjangka');
  kop = k.koperasiId;
  ketua = await tokenOf(t.db.db, k.ketua);
  other = await tokenOf(t.db.db, (await newKoperasi(t.db.db, 'KSP Lain Uji Berjangka')).ketua);
  anggotaUser = await makeUser(t.db.db, [], 'Darmi Anggota');
  anggota = await tokenOf(t.db.db, anggotaUser);
  a = (await ok(ketua, 'POST', K('members'), { name: 'Darmi', nik: nik(), joinDate: '2025-01-02', userId: anggotaUser })).id;
  b = (await ok(ketua, 'POST', K('members'), { name: 'Slamet', nik: nik(), joinDate: '2025-01-02' })).id;
  for (const [m, kind, amount] of [
    [a, 'pokok', 100_000],
    [a, 'sukarela', 200_000],
    [b, 'pokok', 100_000],
  ] as const) {
    await ok(ketua, 'POST', K('savings/transactions'), { memberId: m, kind, type: 'deposit', amount, date: '2025-01-05' });
  }
  product = (await ok(ketua, 'POST', K('term-deposit-products'), { name: 'Berjangka 6 bulan', termMonths: 6, rateBp: 600 })).id;
  // Darmi: one open since February, one paid out (early) on 1 March, one opened after the report date.
  dep.open = await open(a, 5_000_000, '2025-02-01');
  dep.closedBefore = await open(a, 1_000_000, '2025-02-10');
  await ok(ketua, 'POST', K(`term-deposits/${dep.closedBefore}/close`), { date: '2025-03-01' });
  dep.openedAfter = await open(a, 2_000_000, '2025-04-15');
  // Slamet: open on 31 March, paid out on 10 April (after the report date: still counted on 31 March).
  dep.closedAfter = await open(b, 3_000_000, '2025-01-20');
  await ok(ketua, 'POST', K(`term-deposits/${dep.closedAfter}/close`), { date: '2025-04-10' });
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('GET members/{id}/savings with term deposits', () => {
  it('lists the open deposits and their total as berjangka; existing fields unchanged', async () => {
    const r = await ok(ketua, 'GET', K(`members/${a}/savings`));
    expect(r.balances).toEqual({ pokok: 100_000, wajib: 0, sukarela: 200_000 });
    expect(r.total).toBe(300_000); // pokok + wajib + sukarela, as before
    expect(r.berjangka).toBe(7_000_000);
    expect(r.totalWithBerjangka).toBe(7_300_000);
    expect(r.termDeposits.map((d: { id: string }) => d.id)).toEqual([dep.open, dep.openedAfter]);
    expect(r.termDeposits[0]).toMatchObject({
      id: dep.open,
      principal: 5_000_000,
      rateBp: 600,
      termMonths: 6,
      openDate: '2025-02-01',
      maturityDate: '2025-08-01',
      interestAtMaturity: 150_000,
      status: 'aktif',
      productName: 'Berjangka 6 bulan',
    });
    expect(r.termDeposits[0].reference).toMatch(/^SB-\d{6}$/);
    // Slamet's only deposit was paid out: nothing open.
    const s = await ok(ketua, 'GET', K(`members/${b}/savings`));
    expect(s).toMatchObject({ total: 100_000, berjangka: 0, totalWithBerjangka: 100_000, termDeposits: [] });
  });

  it('the member reads their own; another koperasi’s pengurus and other members get 404', async () => {
    const own = await api(anggota, 'GET', K(`members/${a}/savings`));
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().berjangka).toBe(7_000_000);
    expect((await api(other, 'GET', K(`members/${a}/savings`))).statusCode).toBe(404);
    expect((await api(anggota, 'GET', K(`members/${b}/savings`))).statusCode).toBe(404);
    expect((await api(null, 'GET', K(`members/${a}/savings`))).statusCode).toBe(401);
  });

  it('the OpenAPI document describes the new fields', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const path = Object.keys(doc.paths).find((p) => p.endsWith('/members/{memberId}/savings')) as string;
    const schema = doc.paths[path].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['balances', 'total', 'berjangka', 'totalWithBerjangka', 'termDeposits']),
    );
    expect(Object.keys(schema.properties.termDeposits.items.properties)).toEqual(
      expect.arrayContaining(['id', 'reference', 'principal', 'rateBp', 'openDate', 'maturityDate', 'status']),
    );
  });
});

describe('simpanan per anggota with berjangka, tied to 2-1200', () => {
  it('31 March: the open deposit counts; paid out before the day and opened after it do not', async () => {
    const r = await ok(ketua, 'GET', K('reports/member-savings?asOf=2025-03-31'));
    expect(itemOf(r, a)).toMatchObject({ pokok: 100_000, sukarela: 200_000, berjangka: 5_000_000, total: 5_300_000 });
    // Slamet's deposit was paid out on 10 April: on 31 March it is still held.
    expect(itemOf(r, b)).toMatchObject({ pokok: 100_000, berjangka: 3_000_000, total: 3_100_000 });
    expect(r.totals).toEqual({ pokok: 200_000, wajib: 0, sukarela: 200_000, berjangka: 8_000_000 });
    expect(r.total).toBe(8_400_000);
    expect(await ledger2_1200('2025-03-31')).toBe(8_000_000);
    expect(r.ledger.berjangka).toBe(8_000_000);
    expect(r.ledger).toEqual(r.totals);
    expect(r.ledgerTotal).toBe(r.total);
    expect(r.ties).toBe(true);
  });

  it('every day that matters: per-member berjangka sums to the 2-1200 balance', async () => {
    const expected: Record<string, [number, number]> = {
      '2025-01-19': [0, 0],
      '2025-01-20': [0, 3_000_000],
      '2025-02-10': [6_000_000, 3_000_000],
      '2025-02-28': [6_000_000, 3_000_000],
      '2025-03-01': [5_000_000, 3_000_000], // paid out on the day: no longer held at its end
      '2025-04-10': [5_000_000, 0],
      '2025-04-15': [7_000_000, 0],
      '2025-12-31': [7_000_000, 0],
    };
    for (const [asOf, [ofA, ofB]] of Object.entries(expected)) {
      const r = await ok(ketua, 'GET', K(`reports/member-savings?asOf=${asOf}`));
      expect(itemOf(r, a)?.berjangka ?? 0, asOf).toBe(ofA);
      expect(itemOf(r, b)?.berjangka ?? 0, asOf).toBe(ofB);
      expect(r.totals.berjangka, asOf).toBe(ofA + ofB);
      expect(await ledger2_1200(asOf), asOf).toBe(ofA + ofB);
      expect(r.ties, asOf).toBe(true);
    }
  });

  it('XLSX: a Berjangka column, the per-member total including it and the 2-1200 line', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const res = await api(ketua, 'GET', K('reports/member-savings.xlsx?asOf=2025-03-31'));
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.worksheets[0]?.eachRow((r) => {
      rows.push((r.values as unknown[]).slice(1));
    });
    const header = rows.find((r) => r[0] === 'No.') as unknown[];
    expect(header).toEqual(['No.', 'Nama', 'Status', 'Pokok', 'Wajib', 'Sukarela', 'Berjangka', 'Jumlah']);
    const darmi = rows.find((r) => r[1] === 'Darmi') as unknown[];
    expect(darmi.slice(3)).toEqual([100_000, 0, 200_000, 5_000_000, 5_300_000]);
    expect(rows.find((r) => r[1] === 'Simpanan berjangka (akun 2-1200)')?.[2]).toBe(8_000_000);
    expect(rows.find((r) => r[1] === 'Jumlah per anggota = buku besar')?.[2]).toBe('Seimbang');
    const pdf = await api(ketua, 'GET', K('reports/member-savings.pdf?asOf=2025-03-31'));
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('member list: current open deposits in each member’s total', async () => {
    const r = await ok(ketua, 'GET', K('reports/member-list'));
    const darmi = r.items.find((x: { memberId: string }) => x.memberId === a);
    expect(darmi).toMatchObject({ savings: 300_000, berjangka: 7_000_000, total: 7_300_000 });
    expect(r.items.find((x: { memberId: string }) => x.memberId === b)).toMatchObject({ savings: 100_000, berjangka: 0, total: 100_000 });
    expect(r.totalBerjangka).toBe(7_000_000);
    expect(r.totalSavings).toBe(7_400_000);
    expect(r.totalBerjangka).toBe(await ledger2_1200('2026-12-31'));
  });
});

describe('web: the member sees their term deposits', () => {
  it('/anggota/saya and the member page list the open deposits, not the paid-out one', async () => {
    const refs = (await ok(ketua, 'GET', K(`term-deposits?memberId=${a}`))).items as { id: string; reference: string }[];
    const ref = (id: string) => refs.find((x) => x.id === id)?.reference as string;
    const own = await t.app.inject({
      method: 'GET',
      url: '/anggota/saya',
      headers: { cookie: `nl_session=${(await createSession(t.db.db, anggotaUser, 'web')).token}` },
    });
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('Daftar simpanan berjangka aktif');
    expect(own.body).toContain(ref(dep.open));
    expect(own.body).toContain(ref(dep.openedAfter));
    expect(own.body).not.toContain(ref(dep.closedBefore));
    expect(own.body).toMatch(/Jumlah termasuk simpanan berjangka<\/span>\s*<span class="stat-value">Rp7\.300\.000</);
    const en = await t.app.inject({
      method: 'GET',
      url: '/anggota/saya?lang=en',
      headers: { cookie: `nl_session=${(await createSession(t.db.db, anggotaUser, 'web')).token}` },
    });
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('Open term deposits (simpanan berjangka)');
    expect(en.body).toContain('Total including term deposits');
    const ketuaUser = (
      await t.db.db
        .selectFrom('role_grants')
        .select('user_id')
        .where('organization_id', '=', kop)
        .where('role', '=', 'pengurus_koperasi')
        .executeTakeFirstOrThrow()
    ).user_id;
    const page = await t.app.inject({
      method: 'GET',
      url: `/koperasi/${kop}/anggota/${a}`,
      headers: { cookie: `nl_session=${(await createSession(t.db.db, ketuaUser, 'web')).token}` },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(ref(dep.open));
    expect(page.body).not.toContain(ref(dep.closedBefore));
  });

  it('laporan lainnya: the Berjangka column and its ledger line', async () => {
    const ketuaUser = (
      await t.db.db
        .selectFrom('role_grants')
        .select('user_id')
        .where('organization_id', '=', kop)
        .where('role', '=', 'pengurus_koperasi')
        .executeTakeFirstOrThrow()
    ).user_id;
    const res = await t.app.inject({
      method: 'GET',
      url: `/koperasi/${kop}/laporan/lainnya?asOf=2025-03-31`,
      headers: { cookie: `nl_session=${(await createSession(t.db.db, ketuaUser, 'web')).token}` },
    });
    expect(res.statusCode).toBe(200);
    const table = res.body.slice(res.body.indexOf('id="member-savings"'));
    expect(table).toContain('Berjangka');
    expect(table).toContain('Rp8.000.000');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, createTestApp, type TestApp } from '../../../test/helpers.js';
import { createSession } from '../../platform/auth/sessions.js';
import { monthsDue, wajibArrears } from './extra-domain.js';
import { wajibStatus } from './extra-repository.js';
import { makeUser, newKoperasi, nik, tokenOf } from './test-support.js';

// Receipts, member card, wajib arrears and the extra reports through the API and the web pages,
// on a fresh koperasi with known figures and on the seeded demo KSP (two years of history).
let t: TestApp;
let kop: string;
let ksp: string;
let ketua: string;
let bendahara: string;
let otherPengurus: string;
let dinas: string;
let anggota: string;
let anggotaUser: string;
let a: { id: string; memberNumber: number };
let b: { id: string; memberNumber: number };
const txn: Record<string, string> = {};

function api(token: string | null, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}
const K = (path: string) => `/api/v1/koperasi/${kop}/${path}`;

async function save(memberId: string, kind: string, type: string, amount: number, date: string) {
  const res = await api(ketua, 'POST', K('savings/transactions'), { memberId, kind, type, amount, date });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function manual(date: string, memo: string, lines: { accountCode: string; debit: number; credit: number }[]) {
  const res = await api(ketua, 'POST', K('journal-entries'), { date, memo, lines });
  expect(res.statusCode, res.body).toBe(201);
  const ok = await api(bendahara, 'POST', K(`journal-entries/${res.json().id}/approve`));
  expect(ok.statusCode, ok.body).toBe(200);
}

beforeAll(async () => {
  t = await createTestApp();
  const k = await newKoperasi(t.db.db, 'KSP Uji Ekstra');
  kop = k.koperasiId;
  ketua = await tokenOf(t.db.db, k.ketua);
  bendahara = await tokenOf(t.db.db, k.bendahara);
  otherPengurus = await apiLogin(t.app, 'koperasi@demo.ngalamlaris.id');
  dinas = await apiLogin(t.app, 'dinas@demo.ngalamlaris.id');
  ksp = (
    await t.db.db.selectFrom('organizations').select('id').where('name', '=', 'KSP Sejahtera Bersama Malang').executeTakeFirstOrThrow()
  ).id;
  anggotaUser = await makeUser(t.db.db, [], 'Sulastri Anggota');
  anggota = await tokenOf(t.db.db, anggotaUser);
  const add = async (over: Record<string, unknown>) => {
    const res = await api(ketua, 'POST', K('members'), { nik: nik(), ...over });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; memberNumber: number };
  };
  a = await add({ name: 'Sulastri', joinDate: '2025-01-02', userId: anggotaUser });
  b = await add({ name: 'Bambang', joinDate: '2025-02-01' });
  txn.pokok = await save(a.id, 'pokok', 'deposit', 100_000, '2025-01-02');
  txn.wajib = await save(a.id, 'wajib', 'deposit', 75_000, '2025-03-10');
  txn.sukarela = await save(a.id, 'sukarela', 'deposit', 500_000, '2025-03-10');
  txn.tarik = await save(a.id, 'sukarela', 'withdrawal', 120_000, '2025-03-15');
  txn.bPokok = await save(b.id, 'pokok', 'deposit', 100_000, '2025-02-01');
  await manual('2025-04-05', 'Beli lemari arsip', [
    { accountCode: '1-2300', debit: 200_000, credit: 0 },
    { accountCode: '1-1100', debit: 0, credit: 200_000 },
  ]);
  await manual('2025-04-06', 'Listrik April', [
    { accountCode: '5-2200', debit: 50_000, credit: 0 },
    { accountCode: '1-1100', debit: 0, credit: 50_000 },
  ]);
  // Kas to bank: moves no cash in total, must not appear in the cash flow.
  await manual('2025-04-07', 'Setor ke bank', [
    { accountCode: '1-1200', debit: 100_000, credit: 0 },
    { accountCode: '1-1100', debit: 0, credit: 100_000 },
  ]);
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('receipts', () => {
  it('shows number, member, kind, amount in figures and words, balance after, recorder and time', async () => {
    const res = await api(ketua, 'GET', K(`savings/transactions/${txn.tarik}/receipt`));
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.receiptNumber).toMatch(/^BT-\d{6}$/);
    expect(r).toMatchObject({
      memberId: a.id,
      memberNumber: a.memberNumber,
      memberName: 'Sulastri',
      kind: 'sukarela',
      type: 'withdrawal',
      date: '2025-03-15',
      amount: 120_000,
      amountWords: 'Seratus dua puluh ribu rupiah',
      balanceAfter: 380_000,
      recordedBy: 'Ketua Uji',
    });
    expect(r.recordedAt).toMatch(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2} WIB$/);
    const dep = (await api(ketua, 'GET', K(`savings/transactions/${txn.sukarela}/receipt`))).json();
    expect(dep.receiptNumber).toMatch(/^BS-/);
    expect(dep.balanceAfter).toBe(500_000);
    // Its number is the journal entry's.
    const entry = await t.db.db
      .selectFrom('books_savings_transactions as s')
      .innerJoin('books_journal_entries as e', 'e.id', 's.journal_entry_id')
      .select('e.number')
      .where('s.id', '=', txn.sukarela as string)
      .executeTakeFirstOrThrow();
    expect(dep.journalEntryNumber).toBe(entry.number);
    expect(dep.receiptNumber).toBe(`BS-${String(entry.number).padStart(6, '0')}`);
  });

  it('as PDF', async () => {
    const res = await api(ketua, 'GET', K(`savings/transactions/${txn.tarik}/receipt.pdf`));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('a member sees only their own; another koperasi and strangers 404; no login 401', async () => {
    expect((await api(anggota, 'GET', K(`savings/transactions/${txn.tarik}/receipt`))).statusCode).toBe(200);
    expect((await api(anggota, 'GET', K(`savings/transactions/${txn.bPokok}/receipt`))).statusCode).toBe(404);
    expect((await api(anggota, 'GET', K(`savings/transactions/${txn.bPokok}/receipt.pdf`))).statusCode).toBe(404);
    expect((await api(otherPengurus, 'GET', K(`savings/transactions/${txn.tarik}/receipt`))).statusCode).toBe(404);
    // The right id under the wrong koperasi: 404 as well.
    expect((await api(otherPengurus, 'GET', `/api/v1/koperasi/${ksp}/savings/transactions/${txn.tarik}/receipt`)).statusCode).toBe(404);
    expect((await api(dinas, 'GET', K(`savings/transactions/${txn.tarik}/receipt`))).statusCode).toBe(200);
    expect((await api(null, 'GET', K(`savings/transactions/${txn.tarik}/receipt`))).statusCode).toBe(401);
    const missing = await api(ketua, 'GET', K('savings/transactions/00000000-0000-4000-8000-000000000000/receipt'));
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
  });
});

describe('member card', () => {
  it('PDF for the pengurus and the member themself; 404 for others', async () => {
    const res = await api(ketua, 'GET', K(`members/${a.id}/card.pdf`));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await api(anggota, 'GET', K(`members/${a.id}/card.pdf`))).statusCode).toBe(200);
    expect((await api(anggota, 'GET', K(`members/${b.id}/card.pdf`))).statusCode).toBe(404);
    expect((await api(otherPengurus, 'GET', K(`members/${a.id}/card.pdf`))).statusCode).toBe(404);
  });

  it('the QR encodes the member page, never the NIK', async () => {
    const { memberCard } = await import('./extra-service.js');
    const { contextFor } = await import('./test-support.js');
    const m = await t.db.db.selectFrom('books_members').select(['nik', 'user_id']).where('id', '=', a.id).executeTakeFirstOrThrow();
    const c = await memberCard(t.db.db, await contextFor(t.db.db, m.user_id as string), kop, a.id, 'https://ngalamlaris.example');
    expect(c.qrText).toBe(`https://ngalamlaris.example/koperasi/${kop}/anggota/${a.id}`);
    expect(JSON.stringify(c)).not.toContain(m.nik);
  });
});

describe('simpanan wajib arrears', () => {
  it('lists active members in arrears with months and amount owed', async () => {
    const res = await api(ketua, 'GET', K('savings/wajib-arrears?asOf=2025-04-30'));
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.monthlyAmount).toBe(25_000);
    expect(r.items).toEqual([
      {
        memberId: a.id,
        memberNumber: a.memberNumber,
        name: 'Sulastri',
        joinDate: '2025-01-02',
        monthsDue: 4,
        paid: 75_000,
        paidMonths: 3,
        monthsInArrears: 1,
        owed: 25_000,
      },
      {
        memberId: b.id,
        memberNumber: b.memberNumber,
        name: 'Bambang',
        joinDate: '2025-02-01',
        monthsDue: 3,
        paid: 0,
        paidMonths: 0,
        monthsInArrears: 3,
        owed: 75_000,
      },
    ]);
    expect(r.totalOwed).toBe(100_000);
    expect(r.members).toBe(2);
    // In January B had not joined yet and A had not paid the January wajib (paid in March).
    const january = (await api(ketua, 'GET', K('savings/wajib-arrears?asOf=2025-01-31'))).json();
    expect(january.items.map((x: { name: string }) => x.name)).toEqual(['Sulastri']);
  });

  it('a member sees their own status, not another member’s nor the list', async () => {
    const own = await api(anggota, 'GET', K(`members/${a.id}/wajib?asOf=2025-04-30`));
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ monthsDue: 4, paid: 75_000, monthsInArrears: 1, owed: 25_000, active: true });
    expect((await api(anggota, 'GET', K(`members/${b.id}/wajib`))).statusCode).toBe(404);
    expect((await api(anggota, 'GET', K('savings/wajib-arrears'))).statusCode).toBe(404);
    expect((await api(otherPengurus, 'GET', K('savings/wajib-arrears'))).statusCode).toBe(404);
    expect((await api(dinas, 'GET', K('savings/wajib-arrears'))).statusCode).toBe(200);
    expect((await api(ketua, 'GET', K('savings/wajib-arrears?asOf=2025-02-30'))).statusCode).toBe(400);
  });

  it('the SQL agrees with the pure rule on every member of the demo KSP', async () => {
    const asOf = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const rows = await wajibStatus(t.db.db, ksp, asOf, 25_000n);
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) {
      expect(r.months_due).toBe(monthsDue(r.join_date, asOf));
      const w = wajibArrears(r.months_due, r.paid, 25_000n);
      expect({ paidMonths: r.paid_months, monthsInArrears: r.months_in_arrears, owed: r.owed }).toEqual(w);
    }
  });
});

describe('cash flow (arus kas)', () => {
  it('direct method per class; opening + net = closing, kas↔bank left out', async () => {
    const res = await api(ketua, 'GET', K('reports/cash-flow?from=2025-01-01&to=2025-04-30'));
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.opening).toBe(0);
    expect(r.classes.pendanaan.net).toBe(100_000 + 75_000 + 500_000 - 120_000 + 100_000);
    expect(r.classes.investasi).toEqual({
      lines: [{ code: '1-2300', name: 'Peralatan dan Inventaris', sourceType: 'manual', direction: 'out', amount: -200_000 }],
      net: -200_000,
    });
    expect(r.classes.operasi.net).toBe(-50_000);
    expect(r.net).toBe(655_000 - 250_000);
    expect(r.closing).toBe(405_000);
    expect(r.ties).toBe(true);
    const sukarela = r.classes.pendanaan.lines.filter((l: { code: string }) => l.code === '2-1100');
    expect(sukarela).toEqual([
      { code: '2-1100', name: 'Simpanan Sukarela', sourceType: 'savings', direction: 'in', amount: 500_000 },
      { code: '2-1100', name: 'Simpanan Sukarela', sourceType: 'savings', direction: 'out', amount: -120_000 },
    ]);
    const later = (await api(ketua, 'GET', K('reports/cash-flow?from=2025-03-12&to=2025-04-30'))).json();
    expect(later.opening).toBe(775_000);
    expect(later.net).toBe(-370_000);
    expect(later.closing).toBe(405_000);
    expect(later.ties).toBe(true);
  });

  it('ties on the demo KSP (loans, interest, leavers) for every year', async () => {
    const year = Number(new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 4));
    for (const y of [year - 2, year - 1, year]) {
      const r = (await api(otherPengurus, 'GET', `/api/v1/koperasi/${ksp}/reports/cash-flow?from=${y}-01-01&to=${y}-12-31`)).json();
      expect(r.ties, String(y)).toBe(true);
    }
    // The closing cash equals the ledger (trial balance) Kas + Bank.
    const tb = (await api(otherPengurus, 'GET', `/api/v1/koperasi/${ksp}/reports/trial-balance?asOf=${year - 1}-12-31`)).json();
    const cash = tb.accounts
      .filter((x: { code: string }) => x.code === '1-1100' || x.code === '1-1200')
      .reduce((s: number, x: { debit: number; credit: number }) => s + x.debit - x.credit, 0);
    const cf = (
      await api(otherPengurus, 'GET', `/api/v1/koperasi/${ksp}/reports/cash-flow?from=${year - 1}-01-01&to=${year - 1}-12-31`)
    ).json();
    expect(cf.closing).toBe(cash);
  });

  it('bad range 400; other koperasi 404; members 404', async () => {
    expect((await api(ketua, 'GET', K('reports/cash-flow?from=2025-05-01&to=2025-04-30'))).statusCode).toBe(400);
    expect((await api(otherPengurus, 'GET', K('reports/cash-flow'))).statusCode).toBe(404);
    expect((await api(anggota, 'GET', K('reports/cash-flow'))).statusCode).toBe(404);
  });
});

describe('simpanan per member and member list', () => {
  it('balances at a date, totals tied to the ledger accounts', async () => {
    const res = await api(ketua, 'GET', K('reports/member-savings?asOf=2025-03-12'));
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.items.map((x: { name: string; total: number }) => [x.name, x.total])).toEqual([
      ['Sulastri', 675_000],
      ['Bambang', 100_000],
    ]);
    expect(r.totals).toEqual({ pokok: 200_000, wajib: 75_000, sukarela: 500_000, berjangka: 0 });
    expect(r.ledger).toEqual(r.totals);
    expect(r.ties).toBe(true);
    const demo = (await api(otherPengurus, 'GET', `/api/v1/koperasi/${ksp}/reports/member-savings`)).json();
    expect(demo.items.length).toBeGreaterThan(100);
    expect(demo.ties).toBe(true);
  });

  it('member list with totals and counts', async () => {
    const r = (await api(dinas, 'GET', K('reports/member-list'))).json();
    expect(r.counts).toEqual({ aktif: 2, keluar: 0, meninggal: 0 });
    // Sulastri 100.000 + 75.000 + 380.000, Bambang 100.000.
    expect(r.totalSavings).toBe(655_000);
    expect((await api(anggota, 'GET', K('reports/member-list'))).statusCode).toBe(404);
  });

  it('XLSX and PDF of each, stating the period and the production time', async () => {
    const { default: ExcelJS } = await import('exceljs');
    for (const [kind, q] of [
      ['cash-flow', 'from=2025-01-01&to=2025-04-30'],
      ['member-savings', 'asOf=2025-03-12'],
      ['member-list', ''],
      ['wajib-arrears', 'asOf=2025-04-30'],
    ] as const) {
      const pdf = await api(ketua, 'GET', K(`reports/${kind}.pdf?${q}`));
      expect(pdf.statusCode, `${kind} ${pdf.body.slice(0, 200)}`).toBe(200);
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      const xlsx = await api(ketua, 'GET', K(`reports/${kind}.xlsx?${q}`));
      expect(xlsx.statusCode, kind).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const rows: unknown[][] = [];
      wb.worksheets[0]?.eachRow((r) => {
        rows.push((r.values as unknown[]).slice(1));
      });
      expect(rows[1]?.[0]).toBe('KSP Uji Ekstra');
      expect(String(rows[3]?.[0])).toMatch(/^Dibuat \d{2}-\d{2}-\d{4} \d{2}:\d{2} WIB$/);
      if (kind === 'cash-flow') {
        expect(rows[2]?.[0]).toContain('01-01-2025 s.d. 30-04-2025');
        expect(rows.find((r) => r[1] === 'Kas dan bank akhir periode')?.[2]).toBe(405_000);
        expect(rows.find((r) => r[1] === 'Awal + bersih = akhir')?.[2]).toBe('Seimbang');
      }
      if (kind === 'member-savings') expect(rows.find((r) => r[1] === 'Jumlah per anggota = buku besar')?.[2]).toBe('Seimbang');
      if (kind === 'wajib-arrears') expect(rows.find((r) => r[1] === 'Jumlah tunggakan')?.[2]).toBe(100_000);
      expect((await api(otherPengurus, 'GET', K(`reports/${kind}.pdf?${q}`))).statusCode).toBe(404);
    }
  });
});

describe('web pages', () => {
  const cookie = async (userId: string) => `nl_session=${(await createSession(t.db.db, userId, 'web')).token}`;
  const get = async (userId: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: await cookie(userId) } });
  let ketuaId: string;
  beforeAll(async () => {
    ketuaId = (
      await t.db.db
        .selectFrom('role_grants')
        .select('user_id')
        .where('organization_id', '=', kop)
        .where('role', '=', 'pengurus_koperasi')
        .executeTakeFirstOrThrow()
    ).user_id;
  });

  it('receipt page (print), PDF, card, arrears, more reports', async () => {
    const page = await get(ketuaId, `/koperasi/${kop}/simpanan/${txn.tarik}/bukti`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Bukti Tarik Simpanan');
    expect(page.body).toContain('Seratus dua puluh ribu rupiah');
    expect(page.body).toContain(`/koperasi/${kop}/simpanan/${txn.tarik}/bukti.pdf`);
    expect((await get(ketuaId, `/koperasi/${kop}/simpanan/${txn.tarik}/bukti.pdf`)).headers['content-type']).toBe('application/pdf');
    expect((await get(ketuaId, `/koperasi/${kop}/anggota/${a.id}/kartu.pdf`)).statusCode).toBe(200);
    const arrears = await get(ketuaId, `/koperasi/${kop}/tunggakan-wajib?asOf=2025-04-30`);
    expect(arrears.statusCode).toBe(200);
    expect(arrears.body).toContain('Bambang');
    expect(arrears.body).toContain('laporan/wajib-arrears.xlsx?asOf=2025-04-30');
    const more = await get(ketuaId, `/koperasi/${kop}/laporan/lainnya?from=2025-01-01&to=2025-04-30&asOf=2025-03-12`);
    expect(more.statusCode).toBe(200);
    expect(more.body).toContain('id="cash-flow"');
    expect(more.body).toContain('id="member-savings"');
    expect(more.body.match(/Seimbang/g)?.length).toBe(2);
    expect((await get(ketuaId, `/koperasi/${kop}/laporan`)).body).toContain(`/koperasi/${kop}/laporan/lainnya`);
    const file = await get(ketuaId, `/koperasi/${kop}/laporan/cash-flow.pdf?from=2025-01-01&to=2025-04-30`);
    expect(file.statusCode).toBe(200);
  });

  it('member page: links to card, wajib and each receipt; a receipt link after recording', async () => {
    const page = await get(ketuaId, `/koperasi/${kop}/anggota/${a.id}?from=2025-01-01&to=2025-12-31`);
    expect(page.body).toContain(`/koperasi/${kop}/anggota/${a.id}/kartu.pdf`);
    expect(page.body).toContain(`/koperasi/${kop}/anggota/${a.id}/wajib`);
    expect(page.body).toContain(`/koperasi/${kop}/simpanan/${txn.tarik}/bukti`);
    const c = await cookie(ketuaId);
    const form = await t.app.inject({ method: 'GET', url: `/koperasi/${kop}/anggota/${b.id}`, headers: { cookie: c } });
    const csrf = form.body.match(/name="_csrf" value="([^"]+)"/)?.[1] as string;
    const cookies = [c, ...form.cookies.map((x) => `${x.name}=${x.value}`)].join('; ');
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const res = await t.app.inject({
      method: 'POST',
      url: `/koperasi/${kop}/anggota/${b.id}/simpanan`,
      payload: new URLSearchParams({ kind: 'wajib', type: 'deposit', amount: '25.000', date: today, _csrf: csrf }).toString(),
      headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode, res.body).toBe(303);
    const location = res.headers.location as string;
    const id = location.match(/\?bukti=([0-9a-f-]{36})$/)?.[1];
    expect(id).toBeTruthy();
    const after = await t.app.inject({ method: 'GET', url: location, headers: { cookie: cookies } });
    expect(after.body).toContain(`/koperasi/${kop}/simpanan/${id}/bukti`);
  });

  it('the member: own card, wajib and receipts from their page; nothing of others', async () => {
    const mine = await get(anggotaUser, '/anggota/saya');
    expect(mine.body).toContain(`/koperasi/${kop}/anggota/${a.id}/kartu.pdf`);
    expect(mine.body).toContain(`/koperasi/${kop}/anggota/${a.id}/wajib`);
    const wajib = await get(anggotaUser, `/koperasi/${kop}/anggota/${a.id}/wajib?asOf=2025-04-30`);
    expect(wajib.statusCode).toBe(200);
    expect(wajib.body).toContain('Rp25.000');
    expect((await get(anggotaUser, `/koperasi/${kop}/simpanan/${txn.tarik}/bukti`)).statusCode).toBe(200);
    expect((await get(anggotaUser, `/koperasi/${kop}/simpanan/${txn.bPokok}/bukti`)).statusCode).toBe(404);
    expect((await get(anggotaUser, `/koperasi/${kop}/anggota/${b.id}/kartu.pdf`)).statusCode).toBe(404);
    expect((await get(anggotaUser, `/koperasi/${kop}/tunggakan-wajib`)).statusCode).toBe(404);
    expect((await get(anggotaUser, `/koperasi/${kop}/laporan/lainnya`)).statusCode).toBe(404);
  });

  it('the demo KSP (300 members, two years): every new page opens; OpenAPI lists the routes', async () => {
    const demo = (
      await t.db.db.selectFrom('users').select('id').where('email', '=', 'koperasi@demo.ngalamlaris.id').executeTakeFirstOrThrow()
    ).id;
    for (const path of [
      'laporan/lainnya',
      'tunggakan-wajib',
      'simpanan-berjangka',
      'laporan/member-savings.pdf',
      'laporan/wajib-arrears.xlsx',
    ]) {
      const res = await get(demo, `/koperasi/${ksp}/${path}`);
      expect(res.statusCode, path).toBe(200);
    }
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    for (const path of [
      '/api/v1/koperasi/{id}/savings/transactions/{txnId}/receipt',
      '/api/v1/koperasi/{id}/members/{memberId}/card.pdf',
      '/api/v1/koperasi/{id}/savings/wajib-arrears',
      '/api/v1/koperasi/{id}/reports/cash-flow',
      '/api/v1/koperasi/{id}/reports/cash-flow.xlsx',
      '/api/v1/koperasi/{id}/term-deposits',
    ])
      expect(doc.paths[path], path).toBeTruthy();
  });

  it('another koperasi’s pengurus: 404 everywhere', async () => {
    const other = await newKoperasi(t.db.db, 'KSP Lain');
    for (const path of [
      `simpanan/${txn.tarik}/bukti`,
      `simpanan/${txn.tarik}/bukti.pdf`,
      `anggota/${a.id}/kartu.pdf`,
      `anggota/${a.id}/wajib`,
      'tunggakan-wajib',
      'laporan/lainnya',
      'laporan/member-list.xlsx',
    ]) {
      expect((await get(other.ketua, `/koperasi/${kop}/${path}`)).statusCode, path).toBe(404);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, createTestApp, type TestApp } from '../../../test/helpers.js';
import { makeUser, newKoperasi, nik, tokenOf } from './test-support.js';

let t: TestApp;
let kop: string;
let ketua: string;
let bendahara: string;
let otherPengurus: string;
let dinas: string;
let warga: string;
let anggota: string;
let anggotaUserId: string;

function api(token: string | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

async function addMember(token = ketua, over: Record<string, unknown> = {}) {
  const res = await api(token, 'POST', `/api/v1/koperasi/${kop}/members`, {
    name: 'Sulastri',
    nik: nik(),
    joinDate: '2025-01-02',
    ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; memberNumber: number };
}

function savings(memberId: string, kind: string, type: string, amount: number, date = '2025-03-10', token = ketua) {
  return api(token, 'POST', `/api/v1/koperasi/${kop}/savings/transactions`, { memberId, kind, type, amount, date });
}

const svcToday = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

async function counts() {
  const n = async (table: 'books_savings_transactions' | 'books_journal_entries' | 'books_journal_lines' | 'audit_log') =>
    Number(
      (
        await t.db.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    savings: await n('books_savings_transactions'),
    entries: await n('books_journal_entries'),
    lines: await n('books_journal_lines'),
    audit: await n('audit_log'),
  };
}

beforeAll(async () => {
  t = await createTestApp();
  const k = await newKoperasi(t.db.db);
  kop = k.koperasiId;
  ketua = await tokenOf(t.db.db, k.ketua);
  bendahara = await tokenOf(t.db.db, k.bendahara);
  const ksp = await t.db.db
    .selectFrom('organizations')
    .select('id')
    .where('name', '=', 'KSP Sejahtera Bersama Malang')
    .executeTakeFirstOrThrow();
  // The demo pengurus of KSP Sejahtera Bersama Malang is a pengurus of ANOTHER koperasi here.
  otherPengurus = await apiLogin(t.app, 'koperasi@demo.ngalamlaris.id');
  expect(ksp.id).not.toBe(kop);
  dinas = await apiLogin(t.app, 'dinas@demo.ngalamlaris.id');
  warga = await apiLogin(t.app, 'warga@demo.ngalamlaris.id');
  anggotaUserId = await makeUser(t.db.db, [], 'Anggota Uji');
  anggota = await tokenOf(t.db.db, anggotaUserId);
});
afterAll(async () => {
  await t?.close();
});

describe('members', () => {
  it('adds members with consecutive member numbers (201)', async () => {
    const a = await addMember();
    const b = await addMember(bendahara, { name: 'Supriyadi' });
    expect(b.memberNumber).toBe(a.memberNumber + 1);
    const got = await api(ketua, 'GET', `/api/v1/koperasi/${kop}/members/${a.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ id: a.id, name: 'Sulastri', status: 'aktif', joinDate: '2025-01-02' });
  });

  it('refuses a second active member with the same NIK (409) and a bad NIK (400)', async () => {
    const n = nik();
    await addMember(ketua, { nik: n });
    const dup = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/members`, { name: 'Kembar', nik: n });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('conflict');
    const bad = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/members`, { name: 'Salah', nik: '123' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('nik');
  });
});

describe('savings', () => {
  it('deposits return the new balance; balances per kind add up', async () => {
    const m = await addMember();
    const p = await savings(m.id, 'pokok', 'deposit', 100_000);
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json()).toMatchObject({ kind: 'pokok', type: 'deposit', amount: 100_000, balance: 100_000 });
    expect((await savings(m.id, 'wajib', 'deposit', 25_000)).json().balance).toBe(25_000);
    expect((await savings(m.id, 'wajib', 'deposit', 25_000, '2025-04-10')).json().balance).toBe(50_000);
    const s = await savings(m.id, 'sukarela', 'deposit', 300_000);
    expect(s.json().balance).toBe(300_000);
    expect(typeof s.json().journalEntryNumber).toBe('number');
    const w = await savings(m.id, 'sukarela', 'withdrawal', 120_000, '2025-04-11');
    expect(w.statusCode).toBe(201);
    expect(w.json().balance).toBe(180_000);
    const b = await api(ketua, 'GET', `/api/v1/koperasi/${kop}/members/${m.id}/savings`);
    expect(b.statusCode).toBe(200);
    expect(b.json()).toEqual({
      memberId: m.id,
      memberNumber: m.memberNumber,
      balances: { pokok: 100_000, wajib: 50_000, sukarela: 180_000 },
      total: 330_000,
      berjangka: 0,
      totalWithBerjangka: 330_000,
      termDeposits: [],
    });
    // The deposit posted Dr Kas / Cr Simpanan Pokok.
    const e = await api(ketua, 'GET', `/api/v1/koperasi/${kop}/journal-entries/${p.json().journalEntryId}`);
    expect(e.json()).toMatchObject({
      status: 'posted',
      sourceType: 'savings',
      totalDebit: 100_000,
      totalCredit: 100_000,
      lines: [
        { accountCode: '1-1100', debit: 100_000, credit: 0 },
        { accountCode: '3-1100', debit: 0, credit: 100_000, memberId: m.id },
      ],
    });
  });

  it('refuses forbidden withdrawals and records nothing: pokok/wajib 422, overdraft 409, second pokok 422', async () => {
    const m = await addMember();
    await savings(m.id, 'pokok', 'deposit', 100_000);
    await savings(m.id, 'wajib', 'deposit', 25_000);
    await savings(m.id, 'sukarela', 'deposit', 50_000);
    const before = await counts();
    const pokok = await savings(m.id, 'pokok', 'withdrawal', 10_000);
    expect(pokok.statusCode).toBe(422);
    expect(pokok.json().error.code).toBe('rule_violated');
    expect((await savings(m.id, 'wajib', 'withdrawal', 10_000)).statusCode).toBe(422);
    const over = await savings(m.id, 'sukarela', 'withdrawal', 50_001);
    expect(over.statusCode).toBe(409);
    expect(over.json().error).toMatchObject({ code: 'conflict', details: { balance: 50_000 } });
    expect((await savings(m.id, 'pokok', 'deposit', 100_000)).statusCode).toBe(422);
    expect(await counts()).toEqual(before);
    const b = await api(ketua, 'GET', `/api/v1/koperasi/${kop}/members/${m.id}/savings`);
    expect(b.json().balances).toEqual({ pokok: 100_000, wajib: 25_000, sukarela: 50_000 });
  });

  it('keeps the configured sukarela minimum balance (409 below it)', async () => {
    const m = await addMember();
    await savings(m.id, 'sukarela', 'deposit', 100_000);
    const set = await api(ketua, 'PATCH', `/api/v1/koperasi/${kop}/books/settings`, { sukarelaMinBalance: 20_000 });
    expect(set.statusCode, set.body).toBe(200);
    expect((await savings(m.id, 'sukarela', 'withdrawal', 90_000)).statusCode).toBe(409);
    expect((await savings(m.id, 'sukarela', 'withdrawal', 80_000)).statusCode).toBe(201);
    await api(ketua, 'PATCH', `/api/v1/koperasi/${kop}/books/settings`, { sukarelaMinBalance: 0 });
  });

  it('validates the body (400) and an unknown member (404)', async () => {
    const m = await addMember();
    expect((await savings(m.id, 'sukarela', 'deposit', 0)).statusCode).toBe(400);
    expect((await savings(m.id, 'sukarela', 'deposit', 10.5)).statusCode).toBe(400);
    expect((await savings(m.id, 'saham', 'deposit', 10)).statusCode).toBe(400);
    expect((await savings('00000000-0000-4000-8000-000000000000', 'sukarela', 'deposit', 10)).statusCode).toBe(404);
  });

  it('a leaving member gets pokok, wajib and sukarela back in one entry; later deposits are refused', async () => {
    const m = await addMember();
    await savings(m.id, 'pokok', 'deposit', 100_000);
    await savings(m.id, 'wajib', 'deposit', 75_000);
    await savings(m.id, 'sukarela', 'deposit', 10_000);
    const res = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/members/${m.id}/leave`, { date: '2025-05-31' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ refunded: { pokok: 100_000, wajib: 75_000, sukarela: 10_000 }, total: 185_000 });
    expect(res.json().member).toMatchObject({ status: 'keluar', leftAt: '2025-05-31' });
    const e = await api(ketua, 'GET', `/api/v1/koperasi/${kop}/journal-entries/${res.json().journalEntryId}`);
    expect(e.json()).toMatchObject({ sourceType: 'settlement', totalDebit: 185_000, totalCredit: 185_000 });
    const b = await api(ketua, 'GET', `/api/v1/koperasi/${kop}/members/${m.id}/savings`);
    expect(b.json().total).toBe(0);
    expect((await savings(m.id, 'sukarela', 'deposit', 5_000, '2025-06-01')).statusCode).toBe(409);
    expect((await api(ketua, 'POST', `/api/v1/koperasi/${kop}/members/${m.id}/leave`, {})).statusCode).toBe(409);
  });

  it('member statement lists movements with running balances', async () => {
    const m = await addMember();
    await savings(m.id, 'sukarela', 'deposit', 40_000, '2025-02-01');
    await savings(m.id, 'sukarela', 'deposit', 60_000, '2025-03-01');
    await savings(m.id, 'sukarela', 'withdrawal', 30_000, '2025-03-05');
    const res = await api(ketua, 'GET', `/api/v1/koperasi/${kop}/members/${m.id}/statement?from=2025-03-01&to=2025-03-31`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.opening.sukarela).toBe(40_000);
    expect(s.closing.sukarela).toBe(70_000);
    expect(s.transactions.map((x: { balanceAfter: number }) => x.balanceAfter)).toEqual([100_000, 70_000]);
  });
});

describe('journal entries', () => {
  const entry = (lines: { accountCode: string; debit?: number; credit?: number }[], date = '2025-06-15') => ({
    date,
    memo: 'Bayar listrik kantor',
    lines,
  });

  it('unbalanced → 422; one line with both sides → 422; savings accounts → 422', async () => {
    const u = await api(
      ketua,
      'POST',
      `/api/v1/koperasi/${kop}/journal-entries`,
      entry([
        { accountCode: '5-2200', debit: 150_000 },
        { accountCode: '1-1100', credit: 100_000 },
      ]),
    );
    expect(u.statusCode).toBe(422);
    expect(u.json().error).toMatchObject({ code: 'rule_violated', details: { totalDebit: 150_000, totalCredit: 100_000 } });
    const both = await api(
      ketua,
      'POST',
      `/api/v1/koperasi/${kop}/journal-entries`,
      entry([
        { accountCode: '5-2200', debit: 1, credit: 1 },
        { accountCode: '1-1100', credit: 0 },
      ]),
    );
    expect(both.statusCode).toBe(422);
    const sav = await api(
      ketua,
      'POST',
      `/api/v1/koperasi/${kop}/journal-entries`,
      entry([
        { accountCode: '2-1100', debit: 1_000 },
        { accountCode: '1-1100', credit: 1_000 },
      ]),
    );
    expect(sav.statusCode).toBe(422);
    // Term deposits (2-1200) and loans receivable (1-1300) are kept per member / per loan too.
    for (const code of ['2-1200', '1-1300']) {
      const sub = await api(
        ketua,
        'POST',
        `/api/v1/koperasi/${kop}/journal-entries`,
        entry([
          { accountCode: code, debit: 1_000 },
          { accountCode: '1-1100', credit: 1_000 },
        ]),
      );
      expect(sub.statusCode, code).toBe(422);
      expect(sub.json().error.details).toMatchObject({ accountCode: code });
    }
    const unknown = await api(
      ketua,
      'POST',
      `/api/v1/koperasi/${kop}/journal-entries`,
      entry([
        { accountCode: '9-9999', debit: 1_000 },
        { accountCode: '1-1100', credit: 1_000 },
      ]),
    );
    expect(unknown.statusCode).toBe(422);
  });

  it('pending until another pengurus approves; the writer cannot (403); then posted, then reversed once', async () => {
    const tbBefore = (await api(ketua, 'GET', `/api/v1/koperasi/${kop}/reports/trial-balance?asOf=2025-12-31`)).json();
    const res = await api(
      ketua,
      'POST',
      `/api/v1/koperasi/${kop}/journal-entries`,
      entry([
        { accountCode: '5-2200', debit: 150_000 },
        { accountCode: '1-1100', credit: 150_000 },
      ]),
    );
    expect(res.statusCode, res.body).toBe(201);
    const e = res.json();
    expect(e).toMatchObject({ status: 'pending', totalDebit: 150_000, totalCredit: 150_000, approvedBy: null });
    // Pending entries are not in the reports.
    const tbPending = (await api(ketua, 'GET', `/api/v1/koperasi/${kop}/reports/trial-balance?asOf=2025-12-31`)).json();
    expect(tbPending.totalDebit).toBe(tbBefore.totalDebit);

    const self = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/journal-entries/${e.id}/approve`);
    expect(self.statusCode).toBe(403);
    const ok = await api(bendahara, 'POST', `/api/v1/koperasi/${kop}/journal-entries/${e.id}/approve`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('posted');
    expect((await api(bendahara, 'POST', `/api/v1/koperasi/${kop}/journal-entries/${e.id}/approve`)).statusCode).toBe(409);

    const tbAfter = (await api(ketua, 'GET', `/api/v1/koperasi/${kop}/reports/trial-balance?asOf=2025-12-31`)).json();
    const expense = tbAfter.accounts.find((a: { code: string }) => a.code === '5-2200');
    expect(expense).toMatchObject({ name: 'Beban Operasional', debit: 150_000, credit: 0 });

    const rev = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/journal-entries/${e.id}/reverse`, { date: '2025-06-20' });
    expect(rev.statusCode, rev.body).toBe(201);
    expect(rev.json()).toMatchObject({
      status: 'posted',
      sourceType: 'reversal',
      reversalOf: e.id,
      lines: [
        { accountCode: '5-2200', debit: 0, credit: 150_000 },
        { accountCode: '1-1100', debit: 150_000, credit: 0 },
      ],
    });
    const orig = await api(ketua, 'GET', `/api/v1/koperasi/${kop}/journal-entries/${e.id}`);
    expect(orig.json()).toMatchObject({ status: 'posted', reversedBy: rev.json().id, totalDebit: 150_000 });
    expect((await api(ketua, 'POST', `/api/v1/koperasi/${kop}/journal-entries/${e.id}/reverse`, {})).statusCode).toBe(409);
    const tbReversed = (await api(ketua, 'GET', `/api/v1/koperasi/${kop}/reports/trial-balance?asOf=2025-12-31`)).json();
    expect(tbReversed.accounts.find((a: { code: string }) => a.code === '5-2200')).toMatchObject({ debit: 0, credit: 0 });
  });

  it('a rejected entry is never posted', async () => {
    const res = await api(
      bendahara,
      'POST',
      `/api/v1/koperasi/${kop}/journal-entries`,
      entry([
        { accountCode: '5-2600', debit: 5_000 },
        { accountCode: '1-1100', credit: 5_000 },
      ]),
    );
    const rej = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/journal-entries/${res.json().id}/reject`, { reason: 'Salah akun' });
    expect(rej.statusCode).toBe(200);
    expect(rej.json()).toMatchObject({ status: 'rejected', rejectedReason: 'Salah akun' });
    expect((await api(bendahara, 'POST', `/api/v1/koperasi/${kop}/journal-entries/${res.json().id}/approve`)).statusCode).toBe(409);
  });

  it('savings entries are not reversed (422)', async () => {
    const m = await addMember();
    const d = await savings(m.id, 'sukarela', 'deposit', 1_000);
    const r = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/journal-entries/${d.json().journalEntryId}/reverse`, {});
    expect(r.statusCode).toBe(422);
  });
});

describe('periods', () => {
  it('a closed month refuses savings and journal entries (409) until reopened; reopening is audited', async () => {
    const m = await addMember();
    const pending = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/journal-entries`, {
      date: '2025-07-03',
      memo: 'Beban rapat',
      lines: [
        { accountCode: '5-2500', debit: 10_000 },
        { accountCode: '1-1100', credit: 10_000 },
      ],
    });
    // Pending entries in the month block closing it.
    expect((await api(ketua, 'POST', `/api/v1/koperasi/${kop}/periods/2025-07/close`)).statusCode).toBe(409);
    await api(bendahara, 'POST', `/api/v1/koperasi/${kop}/journal-entries/${pending.json().id}/approve`);
    const close = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/periods/2025-07/close`);
    expect(close.statusCode, close.body).toBe(200);
    expect(close.json()).toMatchObject({ period: '2025-07', status: 'closed' });
    expect((await api(ketua, 'POST', `/api/v1/koperasi/${kop}/periods/2025-07/close`)).statusCode).toBe(409);

    const before = await counts();
    const dep = await savings(m.id, 'sukarela', 'deposit', 1_000, '2025-07-15');
    expect(dep.statusCode).toBe(409);
    expect(dep.json().error.message).toContain('2025-07');
    const je = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/journal-entries`, {
      date: '2025-07-20',
      memo: 'Terlambat',
      lines: [
        { accountCode: '5-2200', debit: 1_000 },
        { accountCode: '1-1100', credit: 1_000 },
      ],
    });
    expect(je.statusCode).toBe(409);
    expect(await counts()).toEqual(before);

    const reopen = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/periods/2025-07/reopen`, { reason: 'Koreksi setoran' });
    expect(reopen.statusCode, reopen.body).toBe(200);
    expect(reopen.json().status).toBe('open');
    const audit = await t.db.db
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id', 'after'])
      .where('action', '=', 'books.period.reopen')
      .where('organization_id', '=', kop)
      .executeTakeFirstOrThrow();
    expect(audit.actor_user_id).not.toBeNull();
    expect(audit.after).toMatchObject({ period: '2025-07', reason: 'Koreksi setoran' });
    expect((await savings(m.id, 'sukarela', 'deposit', 1_000, '2025-07-15')).statusCode).toBe(201);
    expect((await api(ketua, 'POST', `/api/v1/koperasi/${kop}/periods/2025-13/close`)).statusCode).toBe(400);
  });
});

describe('optional bodies', () => {
  it('leave, reverse, reject and reopen accept a POST without a body', async () => {
    const m = await addMember();
    const leave = await t.app.inject({
      method: 'POST',
      url: `/api/v1/koperasi/${kop}/members/${m.id}/leave`,
      headers: { authorization: `Bearer ${ketua}` },
    });
    expect(leave.statusCode, leave.body).toBe(200);
    const e = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/journal-entries`, {
      date: svcToday(),
      memo: 'Tanpa isi',
      lines: [
        { accountCode: '5-2600', debit: 1_000 },
        { accountCode: '1-1100', credit: 1_000 },
      ],
    });
    const rej = await t.app.inject({
      method: 'POST',
      url: `/api/v1/koperasi/${kop}/journal-entries/${e.json().id}/reject`,
      headers: { authorization: `Bearer ${bendahara}` },
    });
    expect(rej.statusCode, rej.body).toBe(200);
    await api(ketua, 'POST', `/api/v1/koperasi/${kop}/periods/2024-05/close`);
    const reopen = await t.app.inject({
      method: 'POST',
      url: `/api/v1/koperasi/${kop}/periods/2024-05/reopen`,
      headers: { authorization: `Bearer ${ketua}` },
    });
    expect(reopen.statusCode, reopen.body).toBe(200);
  });
});

describe('interest', () => {
  it('credits daily interest on end-of-day balances, rounded down, once per month', async () => {
    const m = await addMember();
    // 1,000,000 from Aug 1 and 500,000 more from Aug 16 (end of day): 15 days × 1.0 M + 16 days × 1.5 M.
    await savings(m.id, 'sukarela', 'deposit', 1_000_000, '2025-08-01');
    await savings(m.id, 'sukarela', 'deposit', 500_000, '2025-08-16');
    const res = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/savings/interest`, { month: '2025-08' });
    expect(res.statusCode, res.body).toBe(201);
    // Σ balances = 15×1,000,000 + 16×1,500,000 = 39,000,000 (this member); 3% / 365 → 39e6×300/3,650,000 = 3205.47 → 3205.
    const mine = await t.db.db
      .selectFrom('books_savings_transactions')
      .select('amount')
      .where('member_id', '=', m.id)
      .where('type', '=', 'interest')
      .executeTakeFirstOrThrow();
    expect(mine.amount).toBe(3205n);
    expect(res.json()).toMatchObject({ period: '2025-08', alreadyCredited: false, rateBp: 300 });
    const again = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/savings/interest`, { month: '2025-08' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ alreadyCredited: true, total: res.json().total });
    const b = await api(ketua, 'GET', `/api/v1/koperasi/${kop}/members/${m.id}/savings`);
    expect(b.json().balances.sukarela).toBe(1_503_205);
    // The current month has not ended.
    const now = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 7);
    expect((await api(ketua, 'POST', `/api/v1/koperasi/${kop}/savings/interest`, { month: now })).statusCode).toBe(422);
  });
});

describe('reports', () => {
  it('trial balance balances; balance sheet: assets = liabilities + equity with SHU tahun berjalan; income statement', async () => {
    const m = await addMember();
    await savings(m.id, 'sukarela', 'deposit', 200_000, '2025-09-01');
    const inc = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/journal-entries`, {
      date: '2025-09-10',
      memo: 'Pendapatan administrasi',
      lines: [
        { accountCode: '1-1100', debit: 40_000 },
        { accountCode: '4-1200', credit: 40_000 },
      ],
    });
    await api(bendahara, 'POST', `/api/v1/koperasi/${kop}/journal-entries/${inc.json().id}/approve`);

    const tb = await api(dinas, 'GET', `/api/v1/koperasi/${kop}/reports/trial-balance?asOf=2025-12-31`);
    expect(tb.statusCode, tb.body).toBe(200);
    const tbj = tb.json();
    expect(tbj.totalDebit).toBe(tbj.totalCredit);
    expect(tbj.totalDebit).toBeGreaterThan(0);
    for (const a of tbj.accounts) expect(Object.keys(a).sort()).toEqual(['code', 'credit', 'debit', 'name', 'type']);

    const bs = (await api(ketua, 'GET', `/api/v1/koperasi/${kop}/reports/balance-sheet?asOf=2025-12-31`)).json();
    expect(bs.balanced).toBe(true);
    expect(bs.totalAssets).toBe(bs.totalLiabilities + bs.totalEquity);
    const shu = bs.equity.find((e: { code: string }) => e.code === '3-1500');
    const is = (await api(ketua, 'GET', `/api/v1/koperasi/${kop}/reports/income-statement?from=2025-01-01&to=2025-12-31`)).json();
    expect(shu.amount).toBe(is.shu);
    expect(is.income.find((x: { code: string }) => x.code === '4-1200').amount).toBe(40_000);
    expect(is.shu).toBe(is.totalIncome - is.totalExpense);
    // Next fiscal year: last year's result is SHU ditahan, the year's own starts at zero; still balanced.
    const next = (await api(ketua, 'GET', `/api/v1/koperasi/${kop}/reports/balance-sheet?asOf=2026-01-31`)).json();
    expect(next.balanced).toBe(true);
    expect(next.equity.find((e: { code: string }) => e.code === '3-1500').amount).toBe(0);
    expect(next.equity.find((e: { code: string }) => e.code === '3-1600').amount).toBe(is.shu);

    const gl = await api(ketua, 'GET', `/api/v1/koperasi/${kop}/reports/general-ledger?accountCode=1-1100&from=2025-09-01&to=2025-09-30`);
    expect(gl.statusCode, gl.body).toBe(200);
    const g = gl.json();
    expect(g.closingBalance).toBe(g.openingBalance + g.totalDebit - g.totalCredit);
    expect(g.lines.at(-1).balance).toBe(g.closingBalance);
  });
});

describe('permissions', () => {
  it("another koperasi's pengurus gets 404 on every books endpoint", async () => {
    const m = await addMember();
    const d = await savings(m.id, 'sukarela', 'deposit', 10_000);
    const entryId = d.json().journalEntryId;
    const before = await counts();
    const calls: [string, string, unknown?][] = [
      ['POST', `/api/v1/koperasi/${kop}/members`, { name: 'Penyusup', nik: nik() }],
      ['GET', `/api/v1/koperasi/${kop}/members`],
      ['GET', `/api/v1/koperasi/${kop}/members/${m.id}`],
      ['GET', `/api/v1/koperasi/${kop}/members/${m.id}/savings`],
      ['GET', `/api/v1/koperasi/${kop}/members/${m.id}/statement`],
      ['POST', `/api/v1/koperasi/${kop}/members/${m.id}/leave`, {}],
      ['POST', `/api/v1/koperasi/${kop}/savings/transactions`, { memberId: m.id, kind: 'sukarela', type: 'withdrawal', amount: 10_000 }],
      ['POST', `/api/v1/koperasi/${kop}/savings/interest`, { month: '2025-01' }],
      [
        'POST',
        `/api/v1/koperasi/${kop}/journal-entries`,
        {
          date: '2025-06-01',
          memo: 'x y z',
          lines: [
            { accountCode: '1-1100', debit: 1 },
            { accountCode: '4-1900', credit: 1 },
          ],
        },
      ],
      ['GET', `/api/v1/koperasi/${kop}/journal-entries`],
      ['GET', `/api/v1/koperasi/${kop}/journal-entries/${entryId}`],
      ['POST', `/api/v1/koperasi/${kop}/journal-entries/${entryId}/approve`],
      ['POST', `/api/v1/koperasi/${kop}/journal-entries/${entryId}/reverse`, {}],
      ['POST', `/api/v1/koperasi/${kop}/periods/2025-01/close`],
      ['POST', `/api/v1/koperasi/${kop}/periods/2025-01/reopen`, {}],
      ['GET', `/api/v1/koperasi/${kop}/periods`],
      ['GET', `/api/v1/koperasi/${kop}/accounts`],
      ['GET', `/api/v1/koperasi/${kop}/books/settings`],
      ['PATCH', `/api/v1/koperasi/${kop}/books/settings`, { sukarelaRateBp: 1 }],
      ['POST', `/api/v1/koperasi/${kop}/books/init`],
      ['GET', `/api/v1/koperasi/${kop}/reports/trial-balance?asOf=2025-12-31`],
      ['GET', `/api/v1/koperasi/${kop}/reports/balance-sheet?asOf=2025-12-31`],
      ['GET', `/api/v1/koperasi/${kop}/reports/income-statement?from=2025-01-01&to=2025-12-31`],
      ['GET', `/api/v1/koperasi/${kop}/reports/general-ledger?accountCode=1-1100`],
    ];
    for (const [method, url, body] of calls) {
      for (const token of [otherPengurus, warga, anggota]) {
        const res = await api(token, method as 'GET', url, body);
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(res.json().error.code).toBe('not_found');
      }
      expect((await api(null, method as 'GET', url, body)).statusCode, `${method} ${url} anonymous`).toBe(401);
    }
    expect(await counts()).toEqual(before);
  });

  it('dinas reads but does not write (403)', async () => {
    const m = await addMember();
    expect((await api(dinas, 'GET', `/api/v1/koperasi/${kop}/members/${m.id}/savings`)).statusCode).toBe(200);
    expect((await api(dinas, 'GET', `/api/v1/koperasi/${kop}/reports/balance-sheet?asOf=2025-12-31`)).statusCode).toBe(200);
    expect((await savings(m.id, 'sukarela', 'deposit', 1_000, '2025-03-10', dinas)).statusCode).toBe(403);
    expect((await api(dinas, 'POST', `/api/v1/koperasi/${kop}/periods/2025-02/close`)).statusCode).toBe(403);
  });

  it('an anggota sees only their own member record and balances', async () => {
    const own = await addMember(ketua, { name: 'Anggota Uji', userId: anggotaUserId });
    const other = await addMember();
    await savings(own.id, 'sukarela', 'deposit', 12_345);
    // Linking the account granted the anggota_koperasi role: a fresh token carries it.
    const token = await tokenOf(t.db.db, anggotaUserId);
    const me = await api(token, 'GET', `/api/v1/koperasi/${kop}/members/me`);
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().id).toBe(own.id);
    const bal = await api(token, 'GET', `/api/v1/koperasi/${kop}/members/${own.id}/savings`);
    expect(bal.statusCode).toBe(200);
    expect(bal.json().balances.sukarela).toBe(12_345);
    expect((await api(token, 'GET', `/api/v1/koperasi/${kop}/members/${own.id}/statement?from=2025-01-01&to=2025-12-31`)).statusCode).toBe(
      200,
    );
    expect((await api(token, 'GET', `/api/v1/koperasi/${kop}/members/${other.id}`)).statusCode).toBe(404);
    expect((await api(token, 'GET', `/api/v1/koperasi/${kop}/members/${other.id}/savings`)).statusCode).toBe(404);
    expect((await api(token, 'GET', `/api/v1/koperasi/${kop}/members`)).statusCode).toBe(404);
    expect((await api(token, 'GET', `/api/v1/koperasi/${kop}/reports/trial-balance`)).statusCode).toBe(404);
    expect((await savings(own.id, 'sukarela', 'deposit', 1, '2025-03-10', token)).statusCode).toBe(403);
  });

  it('the demo pengurus and anggota of KSP Sejahtera Bersama Malang work through the same API', async () => {
    const ksp = (
      await t.db.db.selectFrom('koperasi').select('id').where('name', '=', 'KSP Sejahtera Bersama Malang').executeTakeFirstOrThrow()
    ).id;
    const bend = await apiLogin(t.app, 'bendahara@demo.ngalamlaris.id');
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const res = await api(otherPengurus, 'POST', `/api/v1/koperasi/${ksp}/members`, {
      name: 'Anggota Baru Demo',
      nik: nik(),
      joinDate: today,
    });
    expect(res.statusCode, res.body).toBe(201);
    const dep = await api(bend, 'POST', `/api/v1/koperasi/${ksp}/savings/transactions`, {
      memberId: res.json().id,
      kind: 'sukarela',
      type: 'deposit',
      amount: 50_000,
      date: today,
    });
    expect(dep.statusCode, dep.body).toBe(201);
    // …and the pengurus of our test koperasi cannot see it.
    expect((await api(ketua, 'GET', `/api/v1/koperasi/${ksp}/members/${res.json().id}/savings`)).statusCode).toBe(404);
    const demoAnggota = await apiLogin(t.app, 'anggota@demo.ngalamlaris.id');
    expect((await api(demoAnggota, 'GET', `/api/v1/koperasi/${ksp}/members/${res.json().id}/savings`)).statusCode).toBe(404);
  });
});

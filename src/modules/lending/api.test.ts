import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, createTestApp, type TestApp } from '../../../test/helpers.js';
import { makeUser, newKoperasi, nik, tokenOf } from '../books/test-support.js';
import { buildSchedule } from './calc.js';

let t: TestApp;
let kop: string;
let ketua: string;
let bendahara: string;
let otherPengurus: string;
let dinas: string;
let memberToken: string;
let memberUserId: string;

function api(token: string | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

async function addMember(over: Record<string, unknown> = {}) {
  const res = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/members`, {
    name: 'Sulastri',
    nik: nik(),
    joinDate: '2024-01-02',
    ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  const m = res.json() as { id: string; memberNumber: number };
  for (const [kind, amount] of [
    ['pokok', 100_000],
    ['wajib', 400_000],
  ] as const) {
    const s = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/savings/transactions`, {
      memberId: m.id,
      kind,
      type: 'deposit',
      amount,
      date: '2024-01-02',
    });
    expect(s.statusCode, s.body).toBe(201);
  }
  return m;
}

async function product(over: Record<string, unknown> = {}) {
  const res = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loan-products`, {
    name: `Produk ${Math.random().toString(36).slice(2, 8)}`,
    method: 'flat',
    ratePercent: 12,
    minTerm: 1,
    maxTerm: 60,
    maxAmount: 100_000_000,
    ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; annualRatePercent: number };
}

async function activeLoan(
  opts: { product?: Record<string, unknown>; principal?: number; term?: number; date?: string; memberId?: string } = {},
) {
  const p = await product(opts.product ?? {});
  const memberId = opts.memberId ?? (await addMember()).id;
  const applied = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans`, {
    memberId,
    productId: p.id,
    principal: opts.principal ?? 1_200_000,
    termMonths: opts.term ?? 12,
    purpose: 'Modal usaha warung',
    appliedOn: opts.date ?? '2025-01-10',
  });
  expect(applied.statusCode, applied.body).toBe(201);
  const loanId = applied.json().id as string;
  expect((await api(bendahara, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/approve`)).statusCode).toBe(200);
  const d = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/disburse`, {
    date: opts.date ?? '2025-01-10',
    method: 'cash',
  });
  expect(d.statusCode, d.body).toBe(200);
  return { loanId, memberId, productId: p.id, loan: d.json() };
}

async function trialBalance(asOf = '2026-12-31') {
  const res = await api(ketua, 'GET', `/api/v1/koperasi/${kop}/reports/trial-balance?asOf=${asOf}`);
  expect(res.statusCode, res.body).toBe(200);
  const tb = res.json() as { accounts: { code: string; debit: number; credit: number }[]; totalDebit: number; totalCredit: number };
  const bal = (code: string) => {
    const a = tb.accounts.find((x) => x.code === code);
    return a ? a.debit - a.credit : 0;
  };
  return { ...tb, bal };
}

async function receivableOutstanding() {
  const rows = await t.db.db
    .selectFrom('loans')
    .select((eb) => eb.fn.sum<string>('principal_outstanding').as('s'))
    .where('koperasi_id', '=', kop)
    .executeTakeFirstOrThrow();
  return Number(rows.s ?? 0);
}

beforeAll(async () => {
  t = await createTestApp();
  const k = await newKoperasi(t.db.db, 'KSP Pinjaman Uji');
  kop = k.koperasiId;
  ketua = await tokenOf(t.db.db, k.ketua);
  bendahara = await tokenOf(t.db.db, k.bendahara);
  otherPengurus = await apiLogin(t.app, 'koperasi@demo.ngalamlaris.id');
  dinas = await apiLogin(t.app, 'dinas@demo.ngalamlaris.id');
  memberUserId = await makeUser(t.db.db, [], 'Anggota Peminjam');
  memberToken = await tokenOf(t.db.db, memberUserId);
});
afterAll(async () => {
  await t?.close();
});

describe('loan products', () => {
  it('creates a product; a monthly rate is stored as the exact annual rate; bad input is refused', async () => {
    const p = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loan-products`, {
      name: 'Pinjaman Anuitas Bulanan',
      method: 'anuitas',
      ratePercent: '1.25',
      rateBasis: 'month',
      minTerm: 3,
      maxTerm: 24,
      maxAmount: 20_000_000,
      maxSavingsMultiple: 3,
      adminFeePercent: 1,
      provisiPercent: '0.5',
      penaltyMode: 'per_day',
      penaltyRatePercent: '0.1',
      roundingUnit: 100,
      earlyPayoffRule: 'current_month_interest',
    });
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json()).toMatchObject({
      annualRatePercent: 15,
      rateBasis: 'month',
      monthlyRatePercent: 1.25,
      roundingUnit: 100,
      active: true,
    });
    const dup = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loan-products`, {
      ...JSON.parse(p.payload),
      name: 'pinjaman anuitas bulanan',
    });
    expect(dup.statusCode).toBe(400); // extra fields from the response are refused by the schema
    const bad = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loan-products`, {
      name: 'Salah',
      method: 'flat',
      ratePercent: 12,
      minTerm: 12,
      maxTerm: 6,
      maxAmount: 1000,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('maxTerm');
    const badRate = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loan-products`, {
      name: 'Salah',
      method: 'flat',
      ratePercent: '1.1234567',
      minTerm: 1,
      maxTerm: 6,
      maxAmount: 1000,
    });
    expect(badRate.statusCode).toBe(400);
    const list = await api(dinas, 'GET', `/api/v1/koperasi/${kop}/loan-products`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((x: { name: string }) => x.name)).toContain('Pinjaman Anuitas Bulanan');
  });

  it('another koperasi’s pengurus gets 404 on products and loans; dinas cannot write (403)', async () => {
    expect((await api(otherPengurus, 'GET', `/api/v1/koperasi/${kop}/loan-products`)).statusCode).toBe(404);
    expect((await api(otherPengurus, 'GET', `/api/v1/koperasi/${kop}/loans`)).statusCode).toBe(404);
    const post = await api(otherPengurus, 'POST', `/api/v1/koperasi/${kop}/loan-products`, {
      name: 'Susupan',
      method: 'flat',
      ratePercent: 1,
      minTerm: 1,
      maxTerm: 2,
      maxAmount: 10,
    });
    expect(post.statusCode).toBe(404);
    const dinasPost = await api(dinas, 'POST', `/api/v1/koperasi/${kop}/loan-products`, {
      name: 'Dinas',
      method: 'flat',
      ratePercent: 1,
      minTerm: 1,
      maxTerm: 2,
      maxAmount: 10,
    });
    expect(dinasPost.statusCode).toBe(403);
  });
});

describe('loan lifecycle', () => {
  it('applies (diajukan), refuses self-approval (403), approves, disburses with fees and a balanced entry', async () => {
    const p = await product({
      method: 'efektif',
      ratePercent: 18,
      adminFeePercent: 1,
      adminFeeFlat: 5_000,
      provisiPercent: '0.5',
      roundingUnit: 100,
    });
    const m = await addMember();
    const before = await trialBalance();
    const applied = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans`, {
      memberId: m.id,
      productId: p.id,
      principal: 6_000_000,
      termMonths: 6,
      purpose: 'Tambah etalase',
      guarantor: 'Suami',
      appliedOn: '2025-02-01',
    });
    expect(applied.statusCode, applied.body).toBe(201);
    expect(applied.json()).toMatchObject({ status: 'diajukan', principal: 6_000_000, schedule: [] });
    const loanId = applied.json().id;
    const self = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/approve`);
    expect(self.statusCode).toBe(403);
    // Not yet approved: disbursing is a step the rules forbid.
    expect((await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/disburse`, { date: '2025-02-03' })).statusCode).toBe(409);
    const note = await api(bendahara, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/analysis`, {
      notes: 'Usaha stabil, omzet Rp15 juta/bulan',
    });
    expect(note.json().analysisNotes).toContain('omzet');
    const ok = await api(bendahara, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/approve`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('disetujui');
    expect((await api(bendahara, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/approve`)).statusCode).toBe(409);
    const d = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/disburse`, { date: '2025-02-03', method: 'transfer' });
    expect(d.statusCode, d.body).toBe(200);
    const loan = d.json();
    // admin = 1% × 6,000,000 + 5,000 = 65,000; provisi = 0.5% = 30,000.
    expect(loan).toMatchObject({ status: 'aktif', adminFee: 65_000, provisiFee: 30_000, disbursedOn: '2025-02-03', scheduleVersion: 1 });
    const expected = buildSchedule({
      principal: 6_000_000n,
      annualRatePercent: '18',
      termMonths: 6,
      method: 'efektif',
      startDate: '2025-02-03',
      roundingUnit: 100n,
    });
    expect(
      loan.schedule.map((i: { principal: number; interest: number; dueDate: string }) => [i.dueDate, i.principal, i.interest]),
    ).toEqual(expected.installments.map((i) => [i.dueDate, Number(i.principal), Number(i.interest)]));
    // First instalment by hand: interest = 6,000,000 × 1.5% = 90,000; up(1,000,000 + 90,000) = 1,090,000.
    expect(loan.schedule[0]).toMatchObject({ dueDate: '2025-03-03', principal: 1_000_000, interest: 90_000, total: 1_090_000 });
    const after = await trialBalance();
    expect(after.totalDebit).toBe(after.totalCredit);
    expect(after.bal('1-1300') - before.bal('1-1300')).toBe(6_000_000);
    expect(after.bal('1-1200') - before.bal('1-1200')).toBe(-(6_000_000 - 95_000));
    expect(-(after.bal('4-1200') - before.bal('4-1200'))).toBe(95_000);
  });

  it('a repayment goes to penalty, then interest, then principal, oldest instalment first', async () => {
    const { loanId } = await activeLoan({
      product: { method: 'flat', ratePercent: 12, penaltyMode: 'per_day', penaltyRatePercent: '0.1' },
      principal: 1_200_000,
      term: 12,
      date: '2025-01-10',
    });
    // Instalment 1: due 2025-02-10, principal 100,000 + interest 12,000 = 112,000. Paid 5 days late:
    // penalty = 112,000 × 0.1% × 5 = 560.
    const r = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/repayments`, { amount: 100_000, date: '2025-02-15' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({
      penalty: 560,
      interest: 12_000,
      principal: 87_440,
      kind: 'angsuran',
      loanStatus: 'aktif',
      principalOutstanding: 1_112_560,
    });
    // The audit record is written in the entry's statement, with the number drawn there.
    const audit = await t.db.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'lending.loan.repayment')
      .where('entity_id', '=', loanId)
      .executeTakeFirstOrThrow();
    expect(audit.before).toEqual({ principalOutstanding: '1200000' });
    expect(audit.after).toMatchObject({
      repaymentId: r.json().id,
      penalty: '560',
      principal: '87440',
      status: 'aktif',
      journalEntryNumber: r.json().journalEntryNumber,
    });
    const got = (await api(ketua, 'GET', `/api/v1/koperasi/${kop}/loans/${loanId}?asOf=2025-02-15`)).json();
    expect(got.schedule[0]).toMatchObject({
      paidPenalty: 560,
      paidInterest: 12_000,
      paidPrincipal: 87_440,
      owed: 12_560,
      state: 'terlambat',
    });
    expect(got.daysPastDue).toBe(5);
    expect(got.kolektibilitas).toBe('kurang_lancar');
    // Paying the rest of instalment 1 and all of instalment 2 ahead of time.
    const r2 = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/repayments`, {
      amount: 12_560 + 112_000,
      date: '2025-02-15',
    });
    expect(r2.json()).toMatchObject({ penalty: 0, interest: 12_000, principal: 112_560 });
    const got2 = (await api(ketua, 'GET', `/api/v1/koperasi/${kop}/loans/${loanId}?asOf=2025-02-15`)).json();
    expect(got2.schedule.slice(0, 2).map((i: { state: string }) => i.state)).toEqual(['lunas', 'lunas']);
    expect(got2.daysPastDue).toBe(0);
    expect(got2.kolektibilitas).toBe('lancar');
    // More than everything owed is refused (422) and changes nothing.
    const over = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/repayments`, { amount: 5_000_000, date: '2025-02-16' });
    expect(over.statusCode).toBe(422);
    const tb = await trialBalance();
    expect(tb.totalDebit).toBe(tb.totalCredit);
  });

  it('early payoff follows the product’s rule and the quote; the loan becomes lunas and the receivable is zero', async () => {
    const { loanId, memberId } = await activeLoan({
      product: { method: 'flat', ratePercent: 12, earlyPayoffRule: 'current_month_interest' },
      principal: 1_200_000,
      term: 12,
      date: '2025-01-10',
    });
    // Pay instalment 1 on time, then pay off on 2025-03-01: remaining principal 1,100,000 + the next
    // instalment's interest 12,000 (instalment 2 is due 2025-03-10) = 1,112,000.
    expect(
      (await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/repayments`, { amount: 112_000, date: '2025-02-10' })).statusCode,
    ).toBe(201);
    const q = await api(ketua, 'GET', `/api/v1/koperasi/${kop}/loans/${loanId}/payoff-quote?date=2025-03-01`);
    expect(q.statusCode, q.body).toBe(200);
    expect(q.json()).toMatchObject({ principal: 1_100_000, interest: 12_000, penalty: 0, waivedInterest: 120_000, total: 1_112_000 });
    // While the loan runs the member cannot leave (the settlement would pay out simpanan still owed against it).
    const leave = () => api(ketua, 'POST', `/api/v1/koperasi/${kop}/members/${memberId}/leave`, { date: '2025-03-02' });
    const early = await leave();
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json().error.message).toContain('pinjaman berjalan');
    const wrong = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/payoff`, { amount: 1_100_000, date: '2025-03-01' });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().error.details.total).toBe(1_112_000);
    const ok = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/payoff`, { amount: 1_112_000, date: '2025-03-01' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({
      kind: 'pelunasan',
      loanStatus: 'lunas',
      principalOutstanding: 0,
      interest: 12_000,
      principal: 1_100_000,
    });
    const loan = (await api(ketua, 'GET', `/api/v1/koperasi/${kop}/loans/${loanId}`)).json();
    expect(loan.status).toBe('lunas');
    expect(loan.outstanding.total).toBe(0);
    expect(
      (await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/repayments`, { amount: 1, date: '2025-03-02' })).statusCode,
    ).toBe(409);
    // Paid off: now the member may leave, and gets their simpanan back.
    const left = await leave();
    expect(left.statusCode, left.body).toBe(200);
  });

  it('rescheduling keeps the old schedule and amortises the remaining principal anew', async () => {
    const { loanId } = await activeLoan({
      product: { method: 'efektif', ratePercent: 12, penaltyMode: 'per_month', penaltyRatePercent: 1 },
      principal: 1_200_000,
      term: 12,
      date: '2025-01-10',
    });
    // Two instalments missed → interest and penalty are due; refused unless waived.
    const refused = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/reschedule`, {
      termMonths: 24,
      startDate: '2025-04-01',
      reason: 'Usaha terdampak banjir',
    });
    expect(refused.statusCode).toBe(409);
    const ok = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/reschedule`, {
      termMonths: 24,
      startDate: '2025-04-01',
      waiveOverdueCharges: true,
      reason: 'Usaha terdampak banjir',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const loan = ok.json();
    expect(loan).toMatchObject({ scheduleVersion: 2, termMonths: 24 });
    expect(loan.schedule).toHaveLength(24);
    expect(loan.schedule.reduce((s: number, i: { principal: number }) => s + i.principal, 0)).toBe(1_200_000);
    expect(loan.schedule[0].dueDate).toBe('2025-05-01');
    const versions = await t.db.db.selectFrom('loan_installments').select('version').distinct().where('loan_id', '=', loanId).execute();
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2]);
    const events = await t.db.db.selectFrom('loan_events').select('kind').where('loan_id', '=', loanId).execute();
    expect(events.map((e) => e.kind)).toContain('dijadwalkan_ulang');
  });

  it('write-off only after the product’s days past due; posts the remaining principal to the expense', async () => {
    const { loanId } = await activeLoan({
      product: { method: 'flat', ratePercent: 12, writeoffMinDays: 181 },
      principal: 600_000,
      term: 6,
      date: '2025-01-10',
    });
    const early = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/write-off`, { date: '2025-05-10', reason: 'Macet' });
    expect(early.statusCode).toBe(409);
    const before = await trialBalance();
    const ok = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/write-off`, {
      date: '2025-09-10',
      reason: 'Anggota pindah, tidak dapat dihubungi',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('dihapusbukukan');
    const after = await trialBalance();
    expect(after.bal('5-2400') - before.bal('5-2400')).toBe(600_000);
    expect(after.bal('1-1300') - before.bal('1-1300')).toBe(-600_000);
  });

  it('a member applies for themself and sees only their own loans (404 for others)', async () => {
    const own = await addMember({ userId: memberUserId, name: 'Peminjam Sendiri' });
    const other = await activeLoan({ principal: 500_000, term: 5 });
    const p = await product({ maxSavingsMultiple: 2 });
    const tooMuch = await api(memberToken, 'POST', `/api/v1/koperasi/${kop}/loans`, {
      memberId: own.id,
      productId: p.id,
      principal: 1_500_000,
      termMonths: 10,
      purpose: 'Beli mesin jahit',
    });
    expect(tooMuch.statusCode).toBe(422); // savings 500,000 × 2 = 1,000,000
    const mine = await api(memberToken, 'POST', `/api/v1/koperasi/${kop}/loans`, {
      memberId: own.id,
      productId: p.id,
      principal: 1_000_000,
      termMonths: 10,
      purpose: 'Beli mesin jahit',
    });
    expect(mine.statusCode, mine.body).toBe(201);
    const forOther = await api(memberToken, 'POST', `/api/v1/koperasi/${kop}/loans`, {
      memberId: other.memberId,
      productId: p.id,
      principal: 100_000,
      termMonths: 2,
      purpose: 'Atas nama orang lain',
    });
    expect(forOther.statusCode).toBe(404);
    const list = await api(memberToken, 'GET', `/api/v1/koperasi/${kop}/loans`);
    expect(list.json().items.map((l: { id: string }) => l.id)).toEqual([mine.json().id]);
    expect((await api(memberToken, 'GET', `/api/v1/koperasi/${kop}/loans/${other.loanId}`)).statusCode).toBe(404);
    expect((await api(memberToken, 'GET', `/api/v1/koperasi/${kop}/loans/${mine.json().id}`)).statusCode).toBe(200);
    // A member cannot approve or record payments.
    expect((await api(memberToken, 'POST', `/api/v1/koperasi/${kop}/loans/${mine.json().id}/approve`)).statusCode).toBe(403);
  });
});

describe('arrears', () => {
  it('the arrears run accrues penalties, stores days past due and kolektibilitas, and reminds the member', async () => {
    const withPhone = await addMember({ name: 'Sulastri Berponsel', phone: '081234500077' });
    const { loanId } = await activeLoan({
      memberId: withPhone.id,
      product: { method: 'flat', ratePercent: 12, penaltyMode: 'per_day', penaltyRatePercent: '0.1' },
      principal: 1_200_000,
      term: 12,
      date: '2025-01-10',
    });
    const { runArrears } = await import('./service.js');
    const r = await runArrears(t.db.db, '2025-03-12', kop);
    expect(r.loans).toBeGreaterThan(0);
    const loan = await t.db.db
      .selectFrom('loans')
      .select(['days_past_due', 'kolektibilitas'])
      .where('id', '=', loanId)
      .executeTakeFirstOrThrow();
    expect(loan).toEqual({ days_past_due: 30, kolektibilitas: 'kurang_lancar' });
    // Instalment 1 (112,000) is 30 days late: 3,360; instalment 2 (due 03-10) 2 days: 224.
    const inst = await t.db.db
      .selectFrom('loan_installments')
      .select(['number', 'penalty'])
      .where('loan_id', '=', loanId)
      .where('number', '<=', 2)
      .orderBy('number')
      .execute();
    expect(inst.map((i) => Number(i.penalty))).toEqual([3_360, 224]);
    // One reminder for the loan (not one per instalment), about the oldest overdue instalment, with
    // everything owed today: 112,000 + 3,360 + 112,000 + 224.
    const { number } = await t.db.db.selectFrom('loans').select('number').where('id', '=', loanId).executeTakeFirstOrThrow();
    const reminders = () =>
      t.db.db
        .selectFrom('outbox_messages')
        .select(['body', 'channel'])
        .where('subject', '=', `Pengingat angsuran pinjaman no. ${number}`)
        .execute();
    const sent = await reminders();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.channel).toBe('whatsapp');
    expect(sent[0]?.body).toContain('angsuran ke-1');
    expect(sent[0]?.body).toContain('terlambat 30 hari');
    expect(sent[0]?.body).toContain('227.584');
    // Idempotent for the day.
    await runArrears(t.db.db, '2025-03-12', kop);
    expect(await reminders()).toHaveLength(1);
    const again = await t.db.db
      .selectFrom('loan_installments')
      .select('penalty')
      .where('loan_id', '=', loanId)
      .where('number', '=', 1)
      .executeTakeFirstOrThrow();
    expect(Number(again.penalty)).toBe(3_360);
    const aging = await api(ketua, 'GET', `/api/v1/koperasi/${kop}/loans/aging?asOf=2025-03-12`);
    expect(aging.statusCode, aging.body).toBe(200);
    expect(aging.json().bands.map((b: { code: string }) => b.code)).toEqual(['lancar', 'kurang_lancar', 'diragukan', 'macet']);
    expect(aging.json().loans.find((l: { id: string }) => l.id === loanId)).toMatchObject({
      daysPastDue: 30,
      kolektibilitas: 'kurang_lancar',
    });
    // The two measures: not lancar (the health assessment's problem loans) includes this loan at
    // 30 days; more than 90 days past due does not. Both are sums of the bands they name.
    const body = aging.json() as { bands: { code: string; principal: number }[]; nonCurrentPrincipal: number; problemPrincipal: number };
    const band = (code: string) => body.bands.find((b) => b.code === code)?.principal ?? 0;
    expect(body.nonCurrentPrincipal).toBe(band('kurang_lancar') + band('diragukan') + band('macet'));
    expect(body.problemPrincipal).toBe(band('diragukan') + band('macet'));
    expect(body.nonCurrentPrincipal).toBeGreaterThan(body.problemPrincipal);
  });

  it('kolektibilitas bands are configurable and validated', async () => {
    const bad = await api(ketua, 'PATCH', `/api/v1/koperasi/${kop}/lending/settings`, {
      kolBands: [{ code: 'lancar', minDays: 1, maxDays: null }],
    });
    expect(bad.statusCode).toBe(400);
    const ok = await api(ketua, 'PATCH', `/api/v1/koperasi/${kop}/lending/settings`, {
      kolBands: [
        { code: 'lancar', minDays: 0, maxDays: 30 },
        { code: 'macet', minDays: 31, maxDays: null },
      ],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await api(dinas, 'GET', `/api/v1/koperasi/${kop}/lending/settings`)).json().kolBands).toHaveLength(2);
    await api(ketua, 'PATCH', `/api/v1/koperasi/${kop}/lending/settings`, {
      kolBands: [
        { code: 'lancar', minDays: 0, maxDays: 0 },
        { code: 'kurang_lancar', minDays: 1, maxDays: 90 },
        { code: 'diragukan', minDays: 91, maxDays: 180 },
        { code: 'macet', minDays: 181, maxDays: null },
      ],
    });
  });
});

describe('ledger property', () => {
  it('any sequence of repayments keeps the ledger balanced and the receivable equal to the loans’ principal', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 400_000 }), { minLength: 1, maxLength: 6 }), async (amounts) => {
        const { loanId } = await activeLoan({
          product: { method: 'anuitas', ratePercent: 18, penaltyMode: 'per_day', penaltyRatePercent: '0.05' },
          principal: 1_000_000,
          term: 6,
          date: '2025-01-20',
        });
        let day = 20;
        for (const a of amounts) {
          day += 9;
          const date = new Date(Date.UTC(2025, 1, day)).toISOString().slice(0, 10);
          const res = await api(ketua, 'POST', `/api/v1/koperasi/${kop}/loans/${loanId}/repayments`, { amount: a, date });
          expect([201, 409, 422]).toContain(res.statusCode);
        }
        const tb = await trialBalance();
        expect(tb.totalDebit).toBe(tb.totalCredit);
        expect(tb.bal('1-1300')).toBe(await receivableOutstanding());
        const inst = await t.db.db
          .selectFrom('loan_installments as i')
          .innerJoin('loans as l', (j) => j.onRef('l.id', '=', 'i.loan_id').onRef('l.schedule_version', '=', 'i.version'))
          .select((eb) => eb.fn.sum<string>(eb('i.principal', '-', eb.ref('i.paid_principal'))).as('unpaid'))
          .where('l.id', '=', loanId)
          .executeTakeFirstOrThrow();
        const loan = await t.db.db.selectFrom('loans').select('principal_outstanding').where('id', '=', loanId).executeTakeFirstOrThrow();
        expect(Number(inst.unpaid)).toBe(Number(loan.principal_outstanding));
      }),
      { numRuns: 8 },
    );
  });
});

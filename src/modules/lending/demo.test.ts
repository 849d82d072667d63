import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, createTestApp, type TestApp } from '../../../test/helpers.js';
import { todayWib } from '../books/service.js';
import { GOVERNANCE_QUESTIONS, healthCategory } from './health.js';
import { seedHealthDemo } from './health-demo.js';
import { seedShuDemo } from './shu-demo.js';
import { SHU_PAYABLE_ACCOUNT } from './shu-service.js';

let t: TestApp;
let kop: string;
beforeAll(async () => {
  t = await createTestApp();
  kop = (
    await t.db.db.selectFrom('organizations').select('id').where('name', '=', 'KSP Sejahtera Bersama Malang').executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await t?.close();
});

describe('lending demo', () => {
  it('has products of all three methods, loans in every state, and books that still tie out', async () => {
    const ketua = await apiLogin(t.app, 'koperasi@demo.ngalamlaris.id');
    const products = (
      await t.app.inject({ method: 'GET', url: `/api/v1/koperasi/${kop}/loan-products`, headers: { authorization: `Bearer ${ketua}` } })
    ).json();
    expect(new Set(products.items.map((p: { method: string }) => p.method))).toEqual(new Set(['flat', 'efektif', 'anuitas']));
    const loans = await t.db.db
      .selectFrom('loans')
      .select(['status', 'kolektibilitas', 'entered_by', 'decided_by'])
      .where('koperasi_id', '=', kop)
      .execute();
    const statuses = new Set(loans.map((l) => l.status));
    for (const s of ['diajukan', 'disetujui', 'ditolak', 'aktif', 'lunas']) expect(statuses).toContain(s);
    expect(new Set(loans.filter((l) => l.status === 'aktif').map((l) => l.kolektibilitas)).size).toBeGreaterThan(1);
    // Applications waiting for approval were entered by koperasi@…, so bendahara@… may approve them.
    const bendahara = await apiLogin(t.app, 'bendahara@demo.ngalamlaris.id');
    const pending = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/koperasi/${kop}/loans?status=diajukan`,
        headers: { authorization: `Bearer ${bendahara}` },
      })
    ).json();
    expect(pending.total).toBeGreaterThan(0);
    const approve = await t.app.inject({
      method: 'POST',
      url: `/api/v1/koperasi/${kop}/loans/${pending.items[0].id}/approve`,
      headers: { authorization: `Bearer ${bendahara}` },
    });
    expect(approve.statusCode, approve.body).toBe(200);
    const tb = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/koperasi/${kop}/reports/trial-balance`,
        headers: { authorization: `Bearer ${ketua}` },
      })
    ).json();
    expect(tb.totalDebit).toBe(tb.totalCredit);
    const receivable = tb.accounts.find((a: { code: string }) => a.code === '1-1300');
    const outstanding = await t.db.db
      .selectFrom('loans')
      .select((eb) => eb.fn.sum<string>('principal_outstanding').as('s'))
      .where('koperasi_id', '=', kop)
      .executeTakeFirstOrThrow();
    expect(receivable.debit - receivable.credit).toBe(Number(outstanding.s));
    // The months before the current one are closed again after the seed.
    const open = await t.db.db
      .selectFrom('books_periods')
      .select('period')
      .where('koperasi_id', '=', kop)
      .where('status', '=', 'open')
      .execute();
    const current = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 7);
    expect(open.every((p) => p.period >= current)).toBe(true);
    // The demo member (anggota@…) sees their own loan.
    const anggota = await apiLogin(t.app, 'anggota@demo.ngalamlaris.id');
    const mine = (
      await t.app.inject({ method: 'GET', url: `/api/v1/koperasi/${kop}/loans`, headers: { authorization: `Bearer ${anggota}` } })
    ).json();
    expect(mine.total).toBeGreaterThan(0);
  });
});

describe('year-end of the demo KSP', () => {
  const year = Number(todayWib().slice(0, 4)) - 1;
  const get = async (token: string, url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json();
  };
  const ledgerNet = async (code: string) => {
    const r = await sql<{ net: string }>`
      select coalesce(sum(l.debit - l.credit), 0)::text as net
        from books_journal_lines l join books_accounts a on a.id = l.account_id
       where l.koperasi_id = ${kop} and l.posted and a.code = ${code}`.execute(t.db.db);
    return BigInt(r.rows[0]?.net ?? '0');
  };

  it("closes the last full year with a surplus; its SHU is posted and the members' part fully shared out and paid", async () => {
    const ketua = await apiLogin(t.app, 'koperasi@demo.ngalamlaris.id');
    const years = (await get(ketua, `/api/v1/koperasi/${kop}/years`)).items as { year: number; status: string; result: number | null }[];
    const closed = years.find((y) => y.year === year);
    expect(closed).toMatchObject({ status: 'closed' });
    expect(closed?.result).toBeGreaterThan(0);
    // The closed year's income statement (closing entry left out) reports the same result.
    const is = await get(ketua, `/api/v1/koperasi/${kop}/reports/income-statement?from=${year}-01-01&to=${year}-12-31`);
    expect(is.shu).toBe(closed?.result);
    // The current year stays open.
    expect(years.find((y) => y.year === year + 1)?.status ?? 'open').toBe('open');

    const shuYears = (await get(ketua, `/api/v1/koperasi/${kop}/shu/years`)).items as { year: number; result: number; status: string }[];
    expect(shuYears.find((y) => y.year === year)).toEqual({ year, result: closed?.result, status: 'posted' });
    const run = await get(ketua, `/api/v1/koperasi/${kop}/shu/years/${year}`);
    expect(run).toMatchObject({ year, status: 'posted', shu: closed?.result });
    expect(run.ratDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(run.postedEntryId).toMatch(/^[0-9a-f-]{36}$/);
    const pool = (key: string) => (run.allocations as { key: string; amount: number }[]).find((a) => a.key === key)?.amount as number;
    expect((run.allocations as { amount: number }[]).reduce((s, a) => s + a.amount, 0)).toBe(run.shu);
    const membersPart = pool('jasaModal') + pool('jasaUsaha');
    expect(membersPart).toBeGreaterThan(0);

    // Every member's share, summed independently from the stored rows: exactly the members' part.
    const shares = await sql<{ n: number; modal: string; usaha: string; total: string; unpaid: number }>`
      select count(*)::int as n, coalesce(sum(m.jasa_modal), 0)::text as modal, coalesce(sum(m.jasa_usaha), 0)::text as usaha,
             coalesce(sum(m.total), 0)::text as total, count(*) filter (where m.total > 0 and m.paid_method is null)::int as unpaid
        from shu_run_members m join shu_runs r on r.id = m.run_id
       where r.koperasi_id = ${kop} and r.year = ${year}`.execute(t.db.db);
    const sh = shares.rows[0];
    expect(sh?.n).toBeGreaterThan(100);
    expect(BigInt(sh?.modal ?? '-1')).toBe(BigInt(pool('jasaModal')));
    expect(BigInt(sh?.usaha ?? '-1')).toBe(BigInt(pool('jasaUsaha')));
    expect(BigInt(sh?.total ?? '-1')).toBe(BigInt(membersPart));
    // Paid out: nobody left unpaid, the payable is empty, the payout total is the members' part.
    expect(sh?.unpaid).toBe(0);
    expect(run.paidTotal).toBe(membersPart);
    expect(await ledgerNet(SHU_PAYABLE_ACCOUNT)).toBe(0n);
    const tb = await get(ketua, `/api/v1/koperasi/${kop}/reports/trial-balance`);
    expect(tb.totalDebit).toBe(tb.totalCredit);

    // The demo member sees their own SHU of that year.
    const anggota = await apiLogin(t.app, 'anggota@demo.ngalamlaris.id');
    const mine = await get(anggota, `/api/v1/koperasi/${kop}/shu/mine`);
    expect(mine.years.find((y: { year: number }) => y.year === year)).toMatchObject({ year, status: 'posted' });
  });

  it('has a health self-assessment of that year, scored from the books as they stand', async () => {
    const ketua = await apiLogin(t.app, 'koperasi@demo.ngalamlaris.id');
    const history = (await get(ketua, `/api/v1/koperasi/${kop}/health`)).years as { year: number; score: number; category: string }[];
    expect(history.map((h) => h.year)).toEqual([year]);
    const h = history[0] as { score: number; category: string };
    expect(h.score).toBeGreaterThan(0);
    expect(h.category).toBe(healthCategory(h.score));
    const y = await get(ketua, `/api/v1/koperasi/${kop}/health/${year}`);
    expect(y.closed).toBe(true);
    expect(y.assessment).toMatchObject({
      year,
      score: h.score,
      category: h.category,
      startDate: `${year}-01-01`,
      endDate: `${year}-12-31`,
    });
    expect(y.assessment.governance.map((g: { questionId: string }) => g.questionId)).toEqual([...GOVERNANCE_QUESTIONS]);
    expect(y.assessment.governance.find((g: { questionId: string }) => g.questionId === 'ratHeld')).toMatchObject({ answer: true });
    // The saved indicators are those the books give now (the year is closed, nothing has changed).
    const values = (a: { indicators: { key: string; numerator: number; denominator: number; value: string | null }[] }) =>
      a.indicators.map((i) => [i.key, i.numerator, i.denominator, i.value]);
    expect(values(y.assessment)).toEqual(values(y.preview));
    expect(y.assessment.score).toBe(y.preview.score);
    const cost = y.assessment.indicators.find((i: { key: string }) => i.key === 'operatingCostRatio');
    const is = await get(ketua, `/api/v1/koperasi/${kop}/reports/income-statement?from=${year}-01-01&to=${year}-12-31`);
    expect([cost.numerator, cost.denominator]).toEqual([is.totalExpense, is.totalIncome]);
  });

  it('seeding the year-end again adds nothing', async () => {
    const count = async () => {
      const r = await sql<{ e: number; a: number; s: number; r: number; h: number; y: number }>`
        select (select count(*)::int from books_journal_entries where koperasi_id = ${kop}) as e,
               (select count(*)::int from audit_log) as a,
               (select count(*)::int from books_savings_transactions where koperasi_id = ${kop}) as s,
               (select count(*)::int from shu_runs where koperasi_id = ${kop}) as r,
               (select count(*)::int from health_assessments where koperasi_id = ${kop}) as h,
               (select count(*)::int from books_years where koperasi_id = ${kop}) as y`.execute(t.db.db);
      return r.rows[0];
    };
    const before = await count();
    expect(before).toMatchObject({ r: 1, h: 1, y: 1 });
    expect(await seedShuDemo(t.db.db, { closeYear: true })).toMatchObject({ year, status: 'posted', paid: 0 });
    expect(await seedHealthDemo(t.db.db)).toMatchObject({ year, created: false });
    expect(await count()).toEqual(before);
  });
});

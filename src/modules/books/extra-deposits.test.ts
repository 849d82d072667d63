import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { createSession } from '../../platform/auth/sessions.js';
import { addMonths, depositPayout, termInterest } from './extra-domain.js';
import { parsePercentBp } from './extra-web.js';
import { makeUser, newKoperasi, nik, tokenOf } from './test-support.js';

describe('term deposit arithmetic', () => {
  it('maturity: same day n months later, or the last day of a shorter month', () => {
    expect(addMonths('2025-01-15', 3)).toBe('2025-04-15');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonths('2025-06-10', 12)).toBe('2026-06-10');
  });

  it('interest for the whole term, rounded down; none before maturity', () => {
    expect(termInterest(10_000_000n, 600, 12)).toBe(600_000n);
    expect(termInterest(10_000_000n, 600, 3)).toBe(150_000n);
    expect(termInterest(1_234_567n, 575, 6)).toBe(35_493n); // 35 493,80… → 35 493
    const d = { principal: 10_000_000n, rateBp: 600, termMonths: 6, maturityDate: '2025-07-10' };
    expect(depositPayout(d, '2025-07-09')).toEqual({ early: true, interest: 0n, total: 10_000_000n });
    expect(depositPayout(d, '2025-07-10')).toEqual({ early: false, interest: 300_000n, total: 10_300_000n });
    expect(depositPayout(d, '2025-09-01')).toEqual({ early: false, interest: 300_000n, total: 10_300_000n });
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 120 }),
        (p, bp, m) => {
          const i = termInterest(p, bp, m);
          // floor: i ≤ exact < i + 1
          expect(i * 120_000n <= p * BigInt(bp) * BigInt(m)).toBe(true);
          expect((i + 1n) * 120_000n > p * BigInt(bp) * BigInt(m)).toBe(true);
        },
      ),
    );
  });

  it('reads a percentage as basis points', () => {
    expect(parsePercentBp('6')).toBe(600);
    expect(parsePercentBp('6,25')).toBe(625);
    expect(parsePercentBp('6.5')).toBe(650);
    expect(parsePercentBp('0')).toBe(0);
    expect(parsePercentBp('6,255')).toBeNull();
    expect(parsePercentBp('abc')).toBeNull();
  });
});

describe('term deposits through the API and the web', () => {
  let t: TestApp;
  let kop: string;
  let ketua: string;
  let ketuaId: string;
  let other: string;
  let anggota: string;
  let member: string;
  let stranger: string;
  let product: string;
  const K = (path: string) => `/api/v1/koperasi/${kop}/${path}`;
  const api = (token: string | null, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  const ledger = async (code: string, asOf = '2026-12-31') => {
    const tb = (await api(ketua, 'GET', K(`reports/trial-balance?asOf=${asOf}`))).json();
    const a = tb.accounts.find((x: { code: string }) => x.code === code);
    return a ? a.debit - a.credit : 0;
  };
  const count = async (table: 'books_journal_entries' | 'audit_log' | 'books_term_deposits') =>
    Number(
      (
        await t.db.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await createTestApp();
    const k = await newKoperasi(t.db.db, 'KSP Uji Berjangka');
    kop = k.koperasiId;
    ketuaId = k.ketua;
    ketua = await tokenOf(t.db.db, k.ketua);
    other = await tokenOf(t.db.db, (await newKoperasi(t.db.db, 'KSP Lain Berjangka')).ketua);
    const u = await makeUser(t.db.db, [], 'Anggota Berjangka');
    anggota = await tokenOf(t.db.db, u);
    const m = await api(ketua, 'POST', K('members'), { name: 'Darmi', nik: nik(), joinDate: '2025-01-02', userId: u });
    member = m.json().id;
    const s = await api(ketua, 'POST', K('members'), { name: 'Slamet', nik: nik(), joinDate: '2025-01-02' });
    stranger = s.json().id;
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('products: pengurus adds, duplicate 409, readers list, others 404', async () => {
    const res = await api(ketua, 'POST', K('term-deposit-products'), { name: 'Berjangka 6 bulan', termMonths: 6, rateBp: 600 });
    expect(res.statusCode, res.body).toBe(201);
    product = res.json().id;
    expect(
      (await api(ketua, 'POST', K('term-deposit-products'), { name: 'Berjangka 6 bulan', termMonths: 3, rateBp: 500 })).statusCode,
    ).toBe(409);
    expect((await api(ketua, 'POST', K('term-deposit-products'), { name: 'X', termMonths: 0, rateBp: 500 })).statusCode).toBe(400);
    expect((await api(ketua, 'GET', K('term-deposit-products'))).json().items).toHaveLength(1);
    expect((await api(other, 'GET', K('term-deposit-products'))).statusCode).toBe(404);
    expect((await api(other, 'POST', K('term-deposit-products'), { name: 'Y', termMonths: 3, rateBp: 1 })).statusCode).toBe(404);
  });

  it('open → liability; close at maturity pays principal + interest (expense); balanced; audited; twice 409', async () => {
    const audit0 = await count('audit_log');
    const res = await api(ketua, 'POST', K('term-deposits'), {
      memberId: member,
      productId: product,
      amount: 10_000_000,
      date: '2025-01-10',
    });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d).toMatchObject({
      principal: 10_000_000,
      maturityDate: '2025-07-10',
      interestAtMaturity: 300_000,
      status: 'aktif',
      termMonths: 6,
      rateBp: 600,
    });
    expect(d.reference).toMatch(/^SB-\d{6}$/);
    expect(await ledger('2-1200')).toBe(-10_000_000); // credit balance
    expect(await ledger('1-1100')).toBe(10_000_000);
    const close = await api(ketua, 'POST', K(`term-deposits/${d.id}/close`), { date: '2025-07-10' });
    expect(close.statusCode, close.body).toBe(201);
    expect(close.json()).toMatchObject({ status: 'cair', closeDate: '2025-07-10', interestPaid: 300_000, early: false });
    expect(await ledger('2-1200')).toBe(0);
    expect(await ledger('5-1100')).toBe(300_000);
    expect(await ledger('1-1100')).toBe(-300_000);
    const tb = (await api(ketua, 'GET', K('reports/trial-balance?asOf=2025-12-31'))).json();
    expect(tb.totalDebit).toBe(tb.totalCredit);
    expect(await count('audit_log')).toBe(audit0 + 2);
    const entries = await count('books_journal_entries');
    expect((await api(ketua, 'POST', K(`term-deposits/${d.id}/close`), { date: '2025-07-11' })).statusCode).toBe(409);
    expect(await count('books_journal_entries')).toBe(entries);
  });

  it('early withdrawal: principal only, no interest', async () => {
    const d = (
      await api(ketua, 'POST', K('term-deposits'), { memberId: member, productId: product, amount: 5_000_000, date: '2025-02-01' })
    ).json();
    const close = await api(ketua, 'POST', K(`term-deposits/${d.id}/close`), { date: '2025-05-01' });
    expect(close.statusCode, close.body).toBe(201);
    expect(close.json()).toMatchObject({ early: true, interestPaid: 0, status: 'cair' });
    expect(await ledger('5-1100')).toBe(300_000);
    expect(await ledger('2-1200')).toBe(0);
  });

  it('refusals write nothing: unknown product 400, close before the deposit 422, other koperasi 404', async () => {
    const before = await count('books_term_deposits');
    expect(
      (await api(ketua, 'POST', K('term-deposits'), { memberId: member, productId: stranger, amount: 1000, date: '2025-02-01' }))
        .statusCode,
    ).toBe(400);
    expect((await api(other, 'POST', K('term-deposits'), { memberId: member, productId: product, amount: 1000 })).statusCode).toBe(404);
    expect((await api(anggota, 'POST', K('term-deposits'), { memberId: member, productId: product, amount: 1000 })).statusCode).toBe(403);
    expect(await count('books_term_deposits')).toBe(before);
    const d = (
      await api(ketua, 'POST', K('term-deposits'), { memberId: member, productId: product, amount: 2_000_000, date: '2025-03-01' })
    ).json();
    expect((await api(ketua, 'POST', K(`term-deposits/${d.id}/close`), { date: '2025-02-01' })).statusCode).toBe(422);
    expect((await api(other, 'POST', K(`term-deposits/${d.id}/close`), { date: '2025-09-01' })).statusCode).toBe(404);
    expect((await api(other, 'GET', K(`term-deposits/${d.id}`))).statusCode).toBe(404);
  });

  it('a member sees only their own deposits', async () => {
    const s = (
      await api(ketua, 'POST', K('term-deposits'), { memberId: stranger, productId: product, amount: 1_000_000, date: '2025-03-01' })
    ).json();
    const mine = await api(anggota, 'GET', K(`term-deposits?memberId=${member}`));
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items.every((x: { memberId: string }) => x.memberId === member)).toBe(true);
    expect((await api(anggota, 'GET', K(`term-deposits?memberId=${stranger}`))).statusCode).toBe(404);
    expect((await api(anggota, 'GET', K('term-deposits'))).statusCode).toBe(404);
    expect((await api(anggota, 'GET', K(`term-deposits/${s.id}`))).statusCode).toBe(404);
    // The liability per member ties to the ledger: open deposits = balance of 2-1200.
    const all = (await api(ketua, 'GET', K('term-deposits'))).json().items as { status: string; principal: number }[];
    const open = all.filter((x) => x.status === 'aktif').reduce((sum, x) => sum + x.principal, 0);
    expect(-(await ledger('2-1200'))).toBe(open);
  });

  it('web: product form, open form, payout through a confirmation', async () => {
    const cookie = `nl_session=${(await createSession(t.db.db, ketuaId, 'web')).token}`;
    const get = (url: string, c = cookie) => t.app.inject({ method: 'GET', url, headers: { cookie: c } });
    const post = async (pageUrl: string, url: string, form: Record<string, string>) => {
      const page = await get(pageUrl);
      const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1] as string;
      const cookies = [cookie, ...page.cookies.map((x) => `${x.name}=${x.value}`)].join('; ');
      return t.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams({ ...form, _csrf: csrf }).toString(),
        headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
      });
    };
    const list = `/koperasi/${kop}/simpanan-berjangka`;
    const bad = await post(list, `${list}/produk`, { name: 'Berjangka 12 bulan', termMonths: '12', rate: 'enam' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('field-rate');
    expect((await post(list, `${list}/produk`, { name: 'Berjangka 12 bulan', termMonths: '12', rate: '6,5' })).statusCode).toBe(303);
    expect((await get(list)).body).toContain('Berjangka 12 bulan · 12');
    const mpage = `/koperasi/${kop}/anggota/${member}/berjangka`;
    const refused = await post(mpage, mpage, { productId: product, amount: 'x' });
    expect(refused.statusCode).toBe(400);
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const ok = await post(mpage, mpage, { productId: product, amount: '1.500.000', date: today });
    expect(ok.statusCode, ok.body).toBe(303);
    const items = (await api(ketua, 'GET', K(`term-deposits?memberId=${member}`))).json().items as {
      id: string;
      principal: number;
      status: string;
    }[];
    const d = items.find((x) => x.principal === 1_500_000 && x.status === 'aktif');
    expect(d).toBeTruthy();
    const confirm = await get(`${list}/${d?.id}/cairkan`);
    expect(confirm.statusCode).toBe(200);
    const paid = await post(`${list}/${d?.id}/cairkan`, `${list}/${d?.id}/cairkan`, {});
    expect(paid.statusCode, paid.body).toBe(303);
    expect((await api(ketua, 'GET', K(`term-deposits/${d?.id}`))).json()).toMatchObject({ status: 'cair', early: true, interestPaid: 0 });
    const memberPage = await get(`/koperasi/${kop}/anggota/${member}`);
    expect(memberPage.body).toContain(mpage);
    // Open term deposits are shown with the member's balances: here the 2.000.000 opened on 1 March.
    expect(memberPage.body).toMatch(/Simpanan berjangka aktif<\/span>\s*<span class="stat-value">Rp2\.000\.000</);
    const u = (await t.db.db.selectFrom('books_members').select('user_id').where('id', '=', member).executeTakeFirstOrThrow())
      .user_id as string;
    const own = await get('/anggota/saya', `nl_session=${(await createSession(t.db.db, u, 'web')).token}`);
    expect(own.body).toMatch(/Simpanan berjangka aktif<\/span>\s*<span class="stat-value">Rp2\.000\.000</);
    expect(own.body).toContain(mpage);
  });
});

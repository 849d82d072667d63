import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
});
afterAll(async () => {
  await t.close();
});

const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });
const preview = (over: Record<string, unknown> = {}) =>
  post('/api/v1/loans/schedule-preview', {
    principal: 1_000_000,
    annualRatePercent: 18,
    termMonths: 3,
    method: 'efektif',
    startDate: '2024-01-31',
    roundingUnit: 1000,
    ...over,
  });

describe('POST /api/v1/loans/schedule-preview', () => {
  it('answers the contract shape with the hand-computed schedule, no login', async () => {
    // efektif, 1.5 %/month, u = 1,000: 349,000 (334,000 + 15,000); 344,000 (334,010 + 9,990); 336,970 (331,990 + 4,980).
    const res = await preview();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      installments: [
        { number: 1, dueDate: '2024-02-29', principal: 334_000, interest: 15_000, total: 349_000, balance: 666_000 },
        { number: 2, dueDate: '2024-03-31', principal: 334_010, interest: 9_990, total: 344_000, balance: 331_990 },
        { number: 3, dueDate: '2024-04-30', principal: 331_990, interest: 4_980, total: 336_970, balance: 0 },
      ],
      totalPrincipal: 1_000_000,
      totalInterest: 29_970,
    });
  });

  it('reads the rate by its decimal text: 1.5, "1.5" and "1.50" agree; no rounding unit = 1', async () => {
    const a = await preview({ annualRatePercent: 1.5, roundingUnit: undefined, method: 'anuitas', termMonths: 12 });
    const b = await preview({ annualRatePercent: '1.5', roundingUnit: undefined, method: 'anuitas', termMonths: 12 });
    const c = await preview({ annualRatePercent: '1.50', roundingUnit: 1, method: 'anuitas', termMonths: 12 });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toEqual(b.json());
    expect(a.json()).toEqual(c.json());
    expect(a.json().installments).toHaveLength(12);
    // 0.1 %/year on 1,200,000 is not the float 0.1: flat interest = round(1,200,000 × 0.001 ÷ 12) = 100 exactly.
    const d = await preview({ principal: 1_200_000, annualRatePercent: 0.1, method: 'flat', roundingUnit: 1, termMonths: 12 });
    expect(d.json().installments[0].interest).toBe(100);
  });

  it('flat, 60 months, zero rate', async () => {
    const res = await preview({ principal: 6_000_000, annualRatePercent: '0', termMonths: 60, method: 'flat', roundingUnit: 1 });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.installments).toHaveLength(60);
    expect(body.installments.every((i: { total: number }) => i.total === 100_000)).toBe(true);
    expect(body.totalInterest).toBe(0);
  });

  it('bad input → 400 with field details, in the user’s language', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ principal: 0 }, 'principal'],
      [{ principal: 10_000_000_000_001 }, 'principal'],
      [{ principal: 1.5 }, 'principal'],
      [{ annualRatePercent: 'abc' }, 'annualRatePercent'],
      [{ annualRatePercent: -1 }, 'annualRatePercent'],
      [{ annualRatePercent: '1.1234567' }, 'annualRatePercent'],
      [{ annualRatePercent: 1000.5 }, 'annualRatePercent'],
      [{ termMonths: 0 }, 'termMonths'],
      [{ termMonths: 361 }, 'termMonths'],
      [{ method: 'bunga' }, 'method'],
      [{ startDate: '2025-02-30' }, 'startDate'],
      [{ startDate: 'kemarin' }, 'startDate'],
      [{ roundingUnit: 0 }, 'roundingUnit'],
    ];
    for (const [over, field] of cases) {
      const res = await preview(over);
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      const err = res.json().error;
      expect(err.code).toBe('validation_failed');
      expect(err.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const id = await preview({ annualRatePercent: 'abc' });
    expect(id.json().error.details.fields[0].message).toContain('suku bunga');
    const en = await post('/api/v1/loans/schedule-preview?lang=en', {
      principal: 1000,
      annualRatePercent: 'abc',
      termMonths: 3,
      method: 'flat',
      startDate: '2025-01-01',
    });
    expect(en.statusCode).toBe(400);
    expect(en.json().error.message).toBe('Please check the highlighted fields.');
    expect(en.json().error.details.fields[0].message).toContain('Enter a rate');
  });

  it('is in the OpenAPI document under the lending tag', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const doc = res.json();
    expect(doc.paths['/api/v1/loans/schedule-preview'].post.tags).toEqual(['lending']);
    expect(doc.paths['/api/v1/shu/calculate'].post.tags).toEqual(['lending']);
  });
});

const bylaws = [
  { key: 'cadangan', percent: 40 },
  { key: 'jasaModal', percent: 20 },
  { key: 'jasaUsaha', percent: '20' },
  { key: 'pengurus', percent: 5 },
  { key: 'karyawan', percent: 5 },
  { key: 'pendidikan', percent: 5 },
  { key: 'sosial', percent: 5 },
];

describe('POST /api/v1/shu/calculate', () => {
  it('the hand-computed split', async () => {
    // SHU 10,000,003 → floors 4,000,001 / 2,000,000 / 2,000,000 / 500,000 ×4 = 10,000,001; 2 left → cadangan 4,000,003.
    // Jasa modal 2,000,000 by 1:1:1 → 666,667 (no. 1), 666,667 (no. 2), 666,666; jasa usaha by 0:1:2 → 0, 666,667, 1,333,333.
    const res = await post('/api/v1/shu/calculate', {
      shu: 10_000_003,
      allocations: bylaws,
      members: [
        { id: 'A', memberNumber: 1, savings: 1_000, transactions: 0 },
        { id: 'B', memberNumber: 2, savings: 1_000, transactions: 50_000 },
        { id: 'C', memberNumber: 3, savings: 1_000, transactions: 100_000 },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      allocations: [
        { key: 'cadangan', amount: 4_000_003 },
        { key: 'jasaModal', amount: 2_000_000 },
        { key: 'jasaUsaha', amount: 2_000_000 },
        { key: 'pengurus', amount: 500_000 },
        { key: 'karyawan', amount: 500_000 },
        { key: 'pendidikan', amount: 500_000 },
        { key: 'sosial', amount: 500_000 },
      ],
      members: [
        { id: 'A', jasaModal: 666_667, jasaUsaha: 0, total: 666_667 },
        { id: 'B', jasaModal: 666_667, jasaUsaha: 666_667, total: 1_333_334 },
        { id: 'C', jasaModal: 666_666, jasaUsaha: 1_333_333, total: 1_999_999 },
      ],
      cadanganExtra: 2,
    });
  });

  it('a pool with no base goes to cadangan; the allocations still add up to SHU', async () => {
    // SHU 1,000: cadangan 500, jasaModal 300, jasaUsaha 200; no transactions → cadangan 700, jasaUsaha 0.
    const res = await post('/api/v1/shu/calculate', {
      shu: 1000,
      allocations: [
        { key: 'cadangan', percent: 50 },
        { key: 'jasaModal', percent: 30 },
        { key: 'jasaUsaha', percent: 20 },
      ],
      members: [
        { id: 'a', memberNumber: 1, savings: 100, transactions: 0 },
        { id: 'b', memberNumber: 2, savings: 300, transactions: 0 },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().allocations).toEqual([
      { key: 'cadangan', amount: 700 },
      { key: 'jasaModal', amount: 300 },
      { key: 'jasaUsaha', amount: 0 },
    ]);
    expect(res.json().members.map((m: { total: number }) => m.total)).toEqual([75, 225]);
  });

  it('percentages not adding up to 100 → 422 and other rule breaks → 422', async () => {
    const members = [{ id: 'a', memberNumber: 1, savings: 1, transactions: 1 }];
    const sum = await post('/api/v1/shu/calculate', { shu: 1000, allocations: bylaws.slice(0, 6), members });
    expect(sum.statusCode).toBe(422);
    expect(sum.json().error.code).toBe('rule_violated');
    expect(sum.json().error.details.reason).toBe('percent_sum');
    expect(sum.json().error.message).toContain('95');
    const en = await post('/api/v1/shu/calculate?lang=en', { shu: 1000, allocations: bylaws.slice(0, 6), members });
    expect(en.json().error.message).toBe('The SHU percentages must add up to exactly 100 (now 95).');
    const over = await post('/api/v1/shu/calculate', {
      shu: 1000,
      allocations: [...bylaws, { key: 'lain', percent: '0.000001' }],
      members,
    });
    expect(over.statusCode).toBe(422);
    const missing = await post('/api/v1/shu/calculate', {
      shu: 1000,
      allocations: [
        { key: 'cadangan', percent: 50 },
        { key: 'jasaModal', percent: 30 },
        { key: 'sosial', percent: 20 },
      ],
      members,
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.details.reason).toBe('missing_key');
    const dup = await post('/api/v1/shu/calculate', { shu: 1000, allocations: [...bylaws, { key: 'sosial', percent: 0 }], members });
    expect(dup.statusCode).toBe(422);
    expect(dup.json().error.details.reason).toBe('duplicate_key');
    const dupMember = await post('/api/v1/shu/calculate', { shu: 1000, allocations: bylaws, members: [...members, ...members] });
    expect(dupMember.statusCode).toBe(422);
    const badPercent = await post('/api/v1/shu/calculate', {
      shu: 1000,
      allocations: [{ key: 'cadangan', percent: 'empat puluh' }, ...bylaws.slice(1)],
      members,
    });
    expect(badPercent.statusCode).toBe(422);
    expect(badPercent.json().error.details.reason).toBe('percent_invalid');
  });

  it('malformed input → 400', async () => {
    const negative = await post('/api/v1/shu/calculate', {
      shu: 1000,
      allocations: bylaws,
      members: [{ id: 'a', memberNumber: 1, savings: -1, transactions: 0 }],
    });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().error.details.fields[0].field).toBe('members.0.savings');
    expect((await post('/api/v1/shu/calculate', { shu: -5, allocations: bylaws, members: [] })).statusCode).toBe(400);
    expect((await post('/api/v1/shu/calculate', { shu: 1.5, allocations: bylaws, members: [] })).statusCode).toBe(400);
    expect((await post('/api/v1/shu/calculate', { allocations: bylaws, members: [] })).statusCode).toBe(400);
  });

  it('takes up to 50,000 members', async () => {
    const members = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `m${i}`, memberNumber: i + 1, savings: 1, transactions: i % 3 }));
    const ok = await post('/api/v1/shu/calculate', { shu: 1_000_000, allocations: bylaws, members: members(50_000) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().members).toHaveLength(50_000);
    const tooMany = await post('/api/v1/shu/calculate', { shu: 1_000_000, allocations: bylaws, members: members(50_001) });
    expect(tooMany.statusCode).toBe(400);
  });

  it('20,000 members in well under a second', async () => {
    const members = Array.from({ length: 20_000 }, (_, i) => ({
      id: `anggota-${i + 1}`,
      memberNumber: i + 1,
      savings: 100_000 + ((i * 7919) % 5_000_000),
      transactions: (i * 104_729) % 3_000_000,
    }));
    const shu = 987_654_321;
    const t0 = performance.now();
    const res = await post('/api/v1/shu/calculate', { shu, allocations: bylaws, members });
    const ms = performance.now() - t0;
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const body = res.json() as { allocations: { key: string; amount: number }[]; members: { jasaModal: number; jasaUsaha: number }[] };
    expect(body.members).toHaveLength(20_000);
    expect(body.allocations.reduce((s, a) => s + a.amount, 0)).toBe(shu);
    const pool = (k: string) => body.allocations.find((a) => a.key === k)!.amount;
    expect(body.members.reduce((s, m) => s + m.jasaModal, 0)).toBe(pool('jasaModal'));
    expect(body.members.reduce((s, m) => s + m.jasaUsaha, 0)).toBe(pool('jasaUsaha'));
    expect(ms).toBeLessThan(1000);
  });
});

describe('GET /kalkulator-pinjaman', () => {
  const page = (qs = '') => t.app.inject({ method: 'GET', url: `/kalkulator-pinjaman${qs}` });

  it('shows the form to anyone, linked from the menu', async () => {
    const res = await page();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    for (const name of ['principal', 'rate', 'ratePeriod', 'termMonths', 'method', 'startDate', 'roundingUnit'])
      expect(res.body).toContain(`for="field-${name}"`);
    expect(res.body).toContain('method="get"');
    expect(res.body).toContain('Anuitas');
    expect(res.body).not.toContain('<caption');
    const home = await t.app.inject({ method: 'GET', url: '/' });
    expect(home.body).toContain('href="/kalkulator-pinjaman"');
  });

  it('shows the same schedule as the API, with totals', async () => {
    const res = await page(
      '?principal=1.000.000&rate=18&ratePeriod=year&termMonths=3&method=efektif&startDate=2024-01-31&roundingUnit=1000',
    );
    expect(res.statusCode).toBe(200);
    for (const s of ['Rp349.000', 'Rp334.010', 'Rp9.990', 'Rp336.970', 'Rp331.990', 'Rp29.970', 'Rp1.029.970'])
      expect(res.body).toContain(s);
    expect(res.body).toContain('<caption');
    expect(res.body).toContain('29 Feb 2024');
  });

  it('takes a monthly rate (× 12) with a decimal comma', async () => {
    const monthly = await page(
      '?principal=1000000&rate=1%2C5&ratePeriod=month&termMonths=3&method=efektif&startDate=2024-01-31&roundingUnit=1000',
    );
    expect(monthly.statusCode).toBe(200);
    expect(monthly.body).toContain('Rp29.970');
    expect(monthly.body).toContain('18%');
    // 0,125 % a month = 1,5 % a year, shown with the Indonesian decimal comma; "10,000,000" is read as ten million.
    const small = await page('?principal=10%2C000%2C000&rate=0%2C125&ratePeriod=month&termMonths=12&method=flat&startDate=2024-01-31');
    expect(small.statusCode).toBe(200);
    expect(small.body).toContain('1,5%');
    // 10,000,000 × 1.5 % ÷ 12 = 12,500 a month.
    expect(small.body).toContain('Rp12.500');
  });

  it('shows the early end of the documented rule', async () => {
    const res = await page('?principal=1000&rate=0&termMonths=3&method=flat&startDate=2025-01-01&roundingUnit=1000');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('lunas pada angsuran ke-1');
  });

  it('shows inline errors and escapes what was typed', async () => {
    const res = await page(
      `?principal=${encodeURIComponent('"><script>alert(1)</script>')}&rate=abc&termMonths=999&method=efektif&startDate=2025-02-30&roundingUnit=0`,
    );
    expect(res.statusCode).toBe(400);
    // Inside the quoted value attribute the quote is escaped, so the text cannot leave the attribute.
    expect(res.body).not.toContain('"><script>alert(1)');
    expect(res.body).toContain('value="&#34;><script>alert(1)</script>"');
    expect(res.body).toContain('class="error-summary"');
    for (const name of ['principal', 'rate', 'termMonths', 'startDate', 'roundingUnit']) expect(res.body).toContain(`id="${name}-error"`);
    expect(res.body).toContain('Isi jangka waktu 1 sampai 360 bulan.');
    expect(res.body).not.toContain('<caption');
  });

  it('speaks English too', async () => {
    const res = await page('?lang=en&principal=1000000&rate=12&termMonths=2&method=anuitas&startDate=2024-01-31');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Instalment schedule');
    expect(res.body).toContain('Rp507.512');
    expect(res.body).toContain('Rp507.513');
  });
});

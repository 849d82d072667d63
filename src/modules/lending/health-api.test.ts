import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { hashPassword } from '../accounts/service.js';
import { closePeriod } from '../books/service.js';
import { newKoperasi, tokenOf } from '../books/test-support.js';
import { closeYear } from '../books/yearend.js';
import { GOVERNANCE_QUESTIONS } from './health.js';
import { answers, healthFixture } from './health-test-support.js';
import { simulateShu } from './shu-service.js';

// The API and web pages of the health assessment and the RAT report, on the koperasi of
// health-test-support.ts (fiscal year 2020 worked out by hand there).
let t: TestApp;
let f: Awaited<ReturnType<typeof healthFixture>>;
let ketua: string;
let dinas: string;
let stranger: string;
let member: string;
const db = () => t.db.db;

const call = (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
  f = await healthFixture(db());
  ketua = await tokenOf(db(), f.ketuaId);
  dinas = await tokenOf(db(), f.dinasUser);
  member = await tokenOf(db(), f.memberUser);
  stranger = await tokenOf(db(), (await newKoperasi(db(), 'KSP Lain RAT')).ketua);
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('health API', () => {
  it('GET a year: indicators from the books with how they were computed and a preview', async () => {
    const res = await call(ketua, 'GET', `/api/v1/koperasi/${f.kop}/health/2020`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.assessment).toBeNull();
    const ind = Object.fromEntries(
      body.preview.indicators.map((i: { key: string; numerator: number; denominator: number; value: string }) => [
        i.key,
        [i.numerator, i.denominator, i.value],
      ]),
    );
    expect(ind).toEqual({
      problemLoanRatio: [900_000, 1_000_000, '90.00'],
      liquidityRatio: [4_950_000, 500_000, '990.00'],
      operatingCostRatio: [850_000, 1_000_000, '85.00'],
      capitalRatio: [5_450_000, 5_950_000, '91.60'],
    });
    // Preview before any answers: governance 0 → 0.25·0 + 0.25·35 + 0.30·75 + 0.20·100 = 51.25
    expect(body.preview.score).toBe(51.25);
    expect(body.preview.category).toBe('dalam_pengawasan');
  });

  it('weights: defaults, 422 when they do not add up to 100, 403 for dinas, 404 for another koperasi', async () => {
    const w = await call(ketua, 'GET', `/api/v1/koperasi/${f.kop}/health/weights`);
    expect(w.json()).toMatchObject({ aspects: { governance: 25, risk: 25, financial: 30, capital: 20 }, isDefault: true });
    const bad = await call(ketua, 'PUT', `/api/v1/koperasi/${f.kop}/health/weights`, {
      aspects: { governance: 25, risk: 25, financial: 30, capital: 25 },
      indicators: { problemLoanRatio: 60, liquidityRatio: 40, operatingCostRatio: 100, capitalRatio: 100 },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toMatchObject({ code: 'rule_violated', details: { sum: 105 } });
    const good = {
      aspects: { governance: 25, risk: 25, financial: 30, capital: 20 },
      indicators: { problemLoanRatio: 60, liquidityRatio: 40, operatingCostRatio: 100, capitalRatio: 100 },
    };
    expect((await call(dinas, 'PUT', `/api/v1/koperasi/${f.kop}/health/weights`, good)).statusCode).toBe(403);
    expect((await call(stranger, 'PUT', `/api/v1/koperasi/${f.kop}/health/weights`, good)).statusCode).toBe(404);
    expect((await call(stranger, 'GET', `/api/v1/koperasi/${f.kop}/health/weights`)).statusCode).toBe(404);
  });

  it('POST a checklist: 422 when incomplete, 201 then 200 when replaced; history; 404 for others', async () => {
    const url = `/api/v1/koperasi/${f.kop}/health/2020`;
    const missing = await call(ketua, 'POST', url, { governance: answers(GOVERNANCE_QUESTIONS, 7).slice(0, 9) });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.details).toMatchObject({ questionId: 'membersInformed' });
    const created = await call(ketua, 'POST', url, { governance: answers(GOVERNANCE_QUESTIONS, 7) });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ year: 2020, score: 68.75, category: 'cukup_sehat' });
    const again = await call(ketua, 'POST', url, { governance: answers(GOVERNANCE_QUESTIONS, 7) });
    expect(again.statusCode).toBe(200);
    expect((await call(stranger, 'POST', url, { governance: answers(GOVERNANCE_QUESTIONS, 7) })).statusCode).toBe(404);
    expect((await call(stranger, 'GET', url)).statusCode).toBe(404);
    expect((await call(member, 'GET', url)).statusCode).toBe(404);
    const hist = await call(dinas, 'GET', `/api/v1/koperasi/${f.kop}/health`);
    expect(hist.json().years).toMatchObject([{ year: 2020, score: 68.75, category: 'cukup_sehat' }]);
  });
});

describe('RAT report', () => {
  it('JSON: the balance sheet balances, aging sums to the portfolio, membership changes add up', async () => {
    const res = await call(ketua, 'GET', `/api/v1/koperasi/${f.kop}/rat-report/2020`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.balanceSheet).toMatchObject({ totalAssets: 5_950_000, totalLiabilitiesAndEquity: 5_950_000, balanced: true });
    const sum = (xs: { amount: number }[]) => xs.reduce((s, x) => s + x.amount, 0);
    expect(sum(r.balanceSheet.assets)).toBe(r.balanceSheet.totalAssets);
    expect(sum(r.balanceSheet.liabilities) + sum(r.balanceSheet.equity)).toBe(r.balanceSheet.totalLiabilitiesAndEquity);
    expect(r.incomeStatement).toMatchObject({ totalIncome: 1_000_000, totalExpense: 850_000, shu: 150_000 });
    expect(r.portfolio.totalLoans).toBe(3);
    expect(r.portfolio.totalOutstanding).toBe(1_000_000);
    expect(r.portfolio.bands.reduce((s: number, b: { loans: number }) => s + b.loans, 0)).toBe(r.portfolio.totalLoans);
    expect(r.portfolio.bands.reduce((s: number, b: { outstanding: number }) => s + b.outstanding, 0)).toBe(r.portfolio.totalOutstanding);
    // Piutang pinjaman in the ledger = the portfolio's outstanding principal.
    expect(r.balanceSheet.assets.find((a: { code: string }) => a.code === '1-1300').amount).toBe(r.portfolio.totalOutstanding);
    expect(r.membership).toEqual({ atStart: 2, joined: 3, left: 1, died: 1, atEnd: 3 });
    expect(r.membership.atStart + r.membership.joined - r.membership.left - r.membership.died).toBe(r.membership.atEnd);
    expect(r.shu).toBeNull();
    expect(r.health).toMatchObject({ year: 2020, score: 68.75 });
    expect((await call(stranger, 'GET', `/api/v1/koperasi/${f.kop}/rat-report/2020`)).statusCode).toBe(404);
    expect((await call(dinas, 'GET', `/api/v1/koperasi/${f.kop}/rat-report/2020`)).statusCode).toBe(200);
  });

  it('SHU distribution of the closed year is in the report', async () => {
    for (let month = 1; month <= 12; month++) await closePeriod(db(), f.ketua, f.kop, `2020-${String(month).padStart(2, '0')}`);
    await closeYear(db(), f.ketua, f.kop, 2020);
    await simulateShu(db(), f.ketua, f.kop, 2020);
    const r = (await call(ketua, 'GET', `/api/v1/koperasi/${f.kop}/rat-report/2020`)).json();
    expect(r.shu.shu).toBe(150_000);
    expect(r.shu.allocations.reduce((s: number, a: { amount: number }) => s + a.amount, 0)).toBe(150_000);
    // The closing entry does not change the income statement, and the balance sheet still balances.
    expect(r.incomeStatement.shu).toBe(150_000);
    expect(r.balanceSheet.balanced).toBe(true);
  });

  it('PDF starts with %PDF; XLSX opens with exceljs and has one sheet per part', async () => {
    const pdf = await call(ketua, 'GET', `/api/v1/koperasi/${f.kop}/rat-report/2020?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    const xlsx = await call(ketua, 'GET', `/api/v1/koperasi/${f.kop}/rat-report/2020?format=xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Neraca', 'PHU', 'SHU', 'Anggota', 'Pinjaman', 'Kesehatan']);
    const values = (name: string) =>
      wb
        .getWorksheet(name)!
        .getSheetValues()
        .flatMap((row) => (Array.isArray(row) ? row : []));
    expect(values('Neraca')).toContain(5_950_000);
    expect(values('Anggota')).toContain('Anggota akhir tahun');
    expect(values('Pinjaman')).toContain(1_000_000);
    expect((await call(stranger, 'GET', `/api/v1/koperasi/${f.kop}/rat-report/2020?format=pdf`)).statusCode).toBe(404);
  });
});

describe('web pages', () => {
  let cookie = '';
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
  const post = async (pageUrl: string, url: string, form: Record<string, string>) => {
    const page = await get(pageUrl);
    const m = page.body.match(/name="_csrf" value="([^"]+)"/);
    if (!m) throw new Error(`no CSRF token on ${pageUrl}`);
    return t.app.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams({ ...form, _csrf: m[1] as string }).toString(),
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
  };

  beforeAll(async () => {
    const email = `ketua-${f.kop.slice(0, 8)}@test.ngalamlaris.id`;
    await db()
      .updateTable('users')
      .set({ email, password_hash: await hashPassword('demo12345') })
      .where('id', '=', f.ketuaId)
      .execute();
    const jar: Record<string, string> = {};
    const keep = (res: { cookies: { name: string; value: string }[] }) => {
      for (const c of res.cookies) jar[c.name] = c.value;
      cookie = Object.entries(jar)
        .map(([k, v]) => `${k}=${v}`)
        .join('; ');
    };
    const page = await t.app.inject({ method: 'GET', url: '/masuk' });
    keep(page);
    const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
    const res = await t.app.inject({
      method: 'POST',
      url: '/masuk',
      payload: new URLSearchParams({ login: email, password: 'demo12345', _csrf: csrf }).toString(),
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode, res.body).toBe(303);
    keep(res);
  });

  it('the health page shows the indicators, the tab and the history chart; the checklist saves with inline errors', async () => {
    const url = `/koperasi/${f.kop}/kesehatan?tahun=2020`;
    const page = await get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/koperasi/${f.kop}/kesehatan"`);
    expect(page.body).toContain('990,00%');
    expect(page.body).toContain('health-chart-title');
    const form: Record<string, string> = {};
    GOVERNANCE_QUESTIONS.forEach((q, i) => {
      form[`q_${q}`] = i < 9 ? 'ya' : 'tidak';
      form[`note_${q}`] = '';
    });
    const { q_membersInformed: _, ...incomplete } = form;
    const bad = await post(url, `/koperasi/${f.kop}/kesehatan/2020`, incomplete);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('field-q_membersInformed');
    expect(bad.body).toContain('error-summary');
    const ok = await post(url, `/koperasi/${f.kop}/kesehatan/2020`, form);
    expect(ok.statusCode).toBe(303);
    // governance 90: 22.5 + 8.75 + 22.5 + 20 = 73.75
    expect((await get(url)).body).toContain('73,75');
    const w = await post(url, `/koperasi/${f.kop}/kesehatan/bobot?tahun=2020`, {
      aspect_governance: '30',
      aspect_risk: '25',
      aspect_financial: '30',
      aspect_capital: '20',
      ind_problemLoanRatio: '60',
      ind_liquidityRatio: '40',
      ind_operatingCostRatio: '100',
      ind_capitalRatio: '100',
    });
    expect(w.statusCode).toBe(422);
    expect(w.body).toContain('105');
  });

  it('the RAT page offers PDF and XLSX with a progress note; the file routes answer', async () => {
    const page = await get(`/koperasi/${f.kop}/rat/2020`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`/koperasi/${f.kop}/rat/2020/dokumen.pdf`);
    expect(page.body).toContain('data-progress="rat-progress"');
    expect(page.body).toContain('role="status"');
    const pdf = await get(`/koperasi/${f.kop}/rat/2020/dokumen.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    const other = await newKoperasi(db(), 'KSP Lain Web');
    expect((await get(`/koperasi/${other.koperasiId}/rat/2020`)).statusCode).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { newKoperasi, tokenOf } from '../books/test-support.js';
import { DEFAULT_SHU_ALLOCATIONS } from './shu-service.js';
import { koperasiWithClosedYear } from './shu-test-support.js';

let t: TestApp;
let kop: string;
let ketua: string;
let bendahara: string;
let member: string;
let stranger: string;
let m: Awaited<ReturnType<typeof koperasiWithClosedYear>>['m'];
const db = () => t.db.db;

function call(token: string | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url: `/api/v1/koperasi/${kop}/shu${url}`,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
  const k = await koperasiWithClosedYear(db());
  kop = k.koperasiId;
  m = k.m;
  ketua = await tokenOf(db(), k.ketuaId);
  bendahara = await tokenOf(db(), k.bendaharaId);
  member = await tokenOf(db(), k.memberUser);
  stranger = await tokenOf(db(), (await newKoperasi(db(), 'KSP Lain API SHU')).ketua);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('SHU API', () => {
  it('settings: GET defaults, PUT 422 when not 100, 404 for another koperasi, 401 without a token', async () => {
    const got = await call(ketua, 'GET', '/settings');
    expect(got.statusCode, got.body).toBe(200);
    expect(got.json().savingsBase).toBe('pokok_wajib');
    const bad = await call(ketua, 'PUT', '/settings', {
      allocations: [
        { key: 'cadangan', percent: '50' },
        { key: 'jasaModal', percent: '20' },
        { key: 'jasaUsaha', percent: '20' },
      ],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toMatchObject({ code: 'rule_violated', details: { sum: '90' } });
    const unknown = await call(ketua, 'PUT', '/settings', { allocations: [...DEFAULT_SHU_ALLOCATIONS, { key: 'bonus', percent: '0' }] });
    expect([400, 422]).toContain(unknown.statusCode);
    expect((await call(stranger, 'GET', '/settings')).statusCode).toBe(404);
    expect((await call(stranger, 'PUT', '/settings', { allocations: DEFAULT_SHU_ALLOCATIONS })).statusCode).toBe(404);
    expect((await call(null, 'GET', '/settings')).statusCode).toBe(401);
    const ok = await call(ketua, 'PUT', '/settings', {
      allocations: DEFAULT_SHU_ALLOCATIONS,
      transactions: { loanInterest: true, shopPurchases: false },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().transactions).toEqual({ loanInterest: true, shopPurchases: false });
  });

  it('runs a year through simulate → approve → post → payout, with the statement and exports', async () => {
    expect((await call(ketua, 'POST', '/years/2021/simulate')).statusCode).toBe(409);
    const sim = await call(ketua, 'POST', '/years/2020/simulate');
    expect(sim.statusCode, sim.body).toBe(200);
    expect(sim.json()).toMatchObject({ status: 'draft', shu: 1_000_003, cadanganTotal: 600_003, jasaModalTotal: 200_000, members: 3 });
    const years = await call(ketua, 'GET', '/years');
    expect(years.json().items).toEqual([{ year: 2020, result: 1_000_003, status: 'draft' }]);
    expect((await call(stranger, 'GET', '/years/2020')).statusCode).toBe(404);
    expect((await call(member, 'GET', '/years/2020')).statusCode).toBe(404);
    expect((await call(ketua, 'POST', '/years/2020/post', {})).statusCode).toBe(409);
    const badApprove = await call(bendahara, 'POST', '/years/2020/approve', { ratDate: 'kemarin', note: 'x' });
    expect(badApprove.statusCode).toBe(400);
    const approve = await call(bendahara, 'POST', '/years/2020/approve', { ratDate: '2021-03-20', note: 'Disetujui RAT' });
    expect(approve.statusCode, approve.body).toBe(200);
    const post = await call(ketua, 'POST', '/years/2020/post', {});
    expect(post.statusCode, post.body).toBe(200);
    expect(post.json().status).toBe('posted');
    const twice = await call(ketua, 'POST', '/years/2020/post', {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('conflict');
    const pay = await call(ketua, 'POST', '/years/2020/payout', { method: 'sukarela', memberId: m.a });
    expect(pay.statusCode, pay.body).toBe(200);
    expect(pay.json()).toMatchObject({ paid: 1, amount: 85_714 });
    expect((await call(ketua, 'POST', '/years/2020/payout', { method: 'kas', memberId: m.a })).statusCode).toBe(409);
    expect((await call(ketua, 'POST', '/years/2020/payout', { method: 'cek' })).statusCode).toBe(400);
    const rest = await call(ketua, 'POST', '/years/2020/payout', { method: 'kas' });
    expect(rest.json()).toMatchObject({ paid: 2, amount: 114_286 });

    const list = await call(ketua, 'GET', '/years/2020/members');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((x: { total: number }) => x.total)).toEqual([85_714, 57_143, 57_143]);
    const own = await call(member, 'GET', `/years/2020/members/${m.a}`);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().member).toMatchObject({ savings: 150_000, jasaModal: 85_714, total: 85_714, paidMethod: 'sukarela' });
    expect((await call(member, 'GET', `/years/2020/members/${m.b}`)).statusCode).toBe(404);
    expect((await call(stranger, 'GET', `/years/2020/members/${m.a}`)).statusCode).toBe(404);
    const mine = await call(member, 'GET', '/mine');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().years[0]).toMatchObject({ year: 2020, total: 85_714 });

    const xlsx = await call(ketua, 'GET', '/years/2020/export.xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toBe('attachment; filename="pembagian-shu-2020.xlsx"');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const pdf = await call(ketua, 'GET', '/years/2020/export.pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await call(member, 'GET', '/years/2020/export.pdf')).statusCode).toBe(404);
  });

  it('is in the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    if (res.statusCode !== 200) return expect.fail(`openapi.json: ${res.statusCode}`);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/koperasi/{id}/shu/settings', '/api/v1/koperasi/{id}/shu/years/{year}/payout']));
  });
});

import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { translator } from '../../platform/i18n/index.js';
import { exportColumns } from './export.js';
import { createExtrasTestApp, type ExtrasTestApp, multipart, userWith } from './extras-test-support.js';
import { parseImportFile } from './import.js';
import * as svc from './service.js';
import { nik, umkmInput } from './test-support.js';

let t: ExtrasTestApp;
let dinas: Awaited<ReturnType<typeof userWith>>;
let owner: Awaited<ReturnType<typeof userWith>>;
let ownNik: string;
let otherNik: string;

beforeAll(async () => {
  t = await createExtrasTestApp();
  const sys = systemContext(translator('id'));
  ownNik = nik();
  otherNik = nik();
  const own = await svc.createUmkm(
    t.db.db,
    sys,
    umkmInput({
      name: 'Ekspor Tempe Sanan',
      ownerNik: ownNik,
      kelurahanCode: '35.73.01.1007',
      annualSales: 250_000_000,
      showWhatsapp: true,
      whatsapp: '081299990000',
      description: 'Tempe; renyah, "asli"',
    }),
    { status: 'verified' },
  );
  await svc.createUmkm(
    t.db.db,
    sys,
    umkmInput({ name: 'Ekspor Keramik Dinoyo', ownerNik: otherNik, kelurahanCode: '35.73.05.1004', capital: 2_000_000_000 }),
    {
      status: 'verified',
    },
  );
  dinas = await userWith(t, [{ role: 'dinas' }]);
  owner = await userWith(t, [{ role: 'pelaku_umkm', organizationId: own.id }]);
});
afterAll(async () => {
  await t?.close();
});

function parseCsv(body: string) {
  const [head, ...rows] = body.trim().split('\r\n');
  return { header: head?.split(',') ?? [], rows };
}

describe('GET /api/v1/umkm/export', () => {
  it('streams CSV with the API field names as headers and honours the list filters', async () => {
    const res = await t.app.inject({ url: '/api/v1/umkm/export?format=csv&kecamatan=35.73.05', headers: dinas.auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="umkm-\d{8}\.csv"/);
    const { header, rows } = parseCsv(res.body);
    expect(header).toEqual(exportColumns('umkm'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Ekspor Keramik Dinoyo');
    expect(rows[0]).toContain(otherNik);
    expect(res.body).not.toContain('Ekspor Tempe Sanan');
  });

  it('shows the owner only their own business, NIK whole; anonymous callers get 401', async () => {
    const res = await t.app.inject({ url: '/api/v1/umkm/export', headers: owner.auth });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Ekspor Tempe Sanan');
    expect(res.body).toContain(ownNik);
    expect(res.body).not.toContain('Ekspor Keramik Dinoyo');
    expect(res.body).not.toContain(otherNik);
    expect((await t.app.inject({ url: '/api/v1/umkm/export' })).statusCode).toBe(401);
  });

  it('hides NIK from a non-dinas role that may list (masked, never whole)', async () => {
    const admin = await userWith(t, [{ role: 'admin' }]);
    const res = await t.app.inject({ url: '/api/v1/umkm/export?q=Ekspor', headers: admin.auth });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Ekspor Tempe Sanan');
    expect(res.body).not.toContain(ownNik);
    expect(res.body).toContain(`${ownNik.slice(0, 4)}********${ownNik.slice(12)}`);
  });

  it('writes XLSX that a spreadsheet reads back', async () => {
    const res = await t.app.inject({ url: '/api/v1/umkm/export?format=xlsx&q=Ekspor', headers: dinas.auth });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(((ws?.getRow(1).values ?? []) as unknown[]).slice(1)).toEqual(exportColumns('umkm'));
    const parsed = await parseImportFile('umkm', res.rawPayload);
    expect(parsed.rows.map((r) => r.values.name).sort()).toEqual(['Ekspor Keramik Dinoyo', 'Ekspor Tempe Sanan']);
    const sanan = parsed.rows.find((r) => r.values.name === 'Ekspor Tempe Sanan');
    expect(sanan?.values).toMatchObject({ capital: 50_000_000, annualSales: 250_000_000, ownerNik: ownNik, showWhatsapp: true });
  });

  it('round-trips: an exported CSV imports again with the same data', async () => {
    const exported = await t.app.inject({ url: '/api/v1/umkm/export?format=csv&kelurahan=35.73.01.1007', headers: dinas.auth });
    expect(parseCsv(exported.body).rows).toHaveLength(1);
    const body = multipart({ mode: 'all' }, { name: 'ekspor.csv', content: exported.body });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/umkm/import',
      payload: body.payload,
      headers: { ...dinas.auth, ...body.headers },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: 1, rejected: [] });
    const copies = await t.db.db
      .selectFrom('umkm as u')
      .innerJoin('persons as p', 'p.id', 'u.owner_id')
      .select([
        'u.name',
        'p.nik',
        'u.capital',
        'u.annual_sales',
        'u.whatsapp',
        'u.show_whatsapp',
        'u.description',
        'u.kelurahan_code',
        'u.size_class',
      ])
      .where('u.name', '=', 'Ekspor Tempe Sanan')
      .execute();
    expect(copies).toHaveLength(2);
    expect(copies[1]).toEqual(copies[0]);
  });

  it('drops only a bad filter of a web link, never exporting more than the list would show', async () => {
    const res = await t.app.inject({
      url: '/registri/umkm/ekspor?format=csv&status=bogus&kecamatan=35.73.05',
      headers: { cookie: dinas.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Ekspor Keramik Dinoyo');
    expect(res.body).not.toContain('Ekspor Tempe Sanan');
  });

  it('exports koperasi too, through the web link with filters', async () => {
    const sys = systemContext(translator('id'));
    await svc.createKoperasi(
      t.db.db,
      sys,
      { name: 'Kopsis Ekspor', type: 'konsumen', group: 'sekolah', kelurahanCode: '35.73.02.1002' },
      { status: 'verified' },
    );
    const res = await t.app.inject({ url: '/registri/koperasi/ekspor?format=csv&group=sekolah&page=3', headers: { cookie: dinas.cookie } });
    expect(res.statusCode).toBe(200);
    const { header, rows } = parseCsv(res.body);
    expect(header.slice(0, 3)).toEqual(['name', 'legalNumber', 'legalDate']);
    expect(rows.map((r) => r.split(',')[0])).toEqual(['Kopsis Ekspor']);
  });
});

import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueJob } from '../../platform/jobs/queue.js';
import { createExtrasTestApp, type ExtrasTestApp, multipart, userWith } from './extras-test-support.js';
import { BACKGROUND_THRESHOLD, IMPORT_RUN_JOB, IMPORT_VALIDATE_JOB, parseImportFile, runImport } from './import.js';
import { contextFor, nik } from './test-support.js';

let t: ExtrasTestApp;
let dinas: Awaited<ReturnType<typeof userWith>>;
let owner: Awaited<ReturnType<typeof userWith>>;

const HEADER = 'name,ownerName,ownerNik,phone,kelurahanCode,capital,annualSales,nib,kbli';
let nibSeq = 1000;
const nib = () => `9120${String(Date.now() % 1e5).padStart(5, '0')}${String(nibSeq++).padStart(4, '0')}`;
const good = (name: string, extra: Partial<Record<'nib' | 'kbli' | 'annualSales', string>> = {}) =>
  [
    name,
    'Sri Wahyuni',
    nik(),
    '081234567890',
    '35.73.01.1007',
    '"25.000.000"',
    extra.annualSales ?? '',
    extra.nib ?? '',
    extra.kbli ?? '',
  ].join(',');

async function countUmkm() {
  const r = await t.db.db
    .selectFrom('umkm')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function importCsv(
  csv: string,
  fields: Record<string, string>,
  headers: Record<string, string> = dinas.auth,
  url = '/api/v1/umkm/import',
) {
  const body = multipart(fields, { name: 'data.csv', content: csv, type: 'text/csv' });
  return t.app.inject({ method: 'POST', url, payload: body.payload, headers: { ...headers, ...body.headers } });
}

beforeAll(async () => {
  t = await createExtrasTestApp();
  dinas = await userWith(t, [{ role: 'dinas' }], 'Petugas Dinas');
  owner = await userWith(t, [{ role: 'pelaku_umkm' }], 'Pelaku');
});
afterAll(async () => {
  await t?.close();
});

describe('import templates', () => {
  it('offers a CSV template whose header is exactly the API field names', async () => {
    const res = await t.app.inject({ url: '/api/v1/umkm/import/template?format=csv' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.body.trim().split(',')).toEqual(expect.arrayContaining(['name', 'ownerNik', 'kelurahanCode', 'capital', 'nib']));
    expect(res.body.trim().split(',')[0]).toBe('name');
  });

  it('offers an XLSX template with a guide sheet in Indonesian listing every kelurahan code', async () => {
    const res = await t.app.inject({ url: '/api/v1/koperasi/import/template?format=xlsx' });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['koperasi', 'Petunjuk']);
    const header = ((wb.worksheets[0]?.getRow(1).values ?? []) as unknown[]).slice(1);
    expect(header.slice(0, 4)).toEqual(['name', 'legalNumber', 'legalDate', 'nik']);
    const guide = wb.worksheets[1];
    const texts: string[] = [];
    guide?.eachRow((r) => texts.push((r.values as unknown[]).filter(Boolean).join(' | ')));
    expect(texts.some((l) => l.startsWith('nik | Tidak | Nomor Induk Koperasi, 16 angka'))).toBe(true);
    const kelurahanRows = texts.filter((l) => /^35\.73\.0\d\.\d{4} \| /.test(l));
    expect(kelurahanRows).toHaveLength(57);
    expect(texts).toContain('35.73.01.1007 | Purwantoro | Blimbing');
  });
});

describe('POST /api/v1/umkm/import', () => {
  it('validates without writing anything on a dry run and numbers the rows under the header', async () => {
    const before = await countUmkm();
    const csv = [HEADER, good('Keripik A'), 'Keripik B,Budi,12345,081234567890,35.73.01.1007,1000000,,,', good('Keripik C')].join('\n');
    const res = await importCsv(csv, { mode: 'valid', dryRun: 'true' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: 2, rejected: [{ row: 2, column: 'ownerNik', message: 'NIK harus 16 angka.' }] });
    expect(await countUmkm()).toBe(before);
  });

  it('imports nothing in mode "all" when one row is bad (422 with the report)', async () => {
    const before = await countUmkm();
    const csv = [HEADER, good('Tempe D'), good('Tempe E').replace('35.73.01.1007', '35.73.09.9999'), good('Tempe F')].join('\n');
    const res = await importCsv(csv, { mode: 'all' });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.error.code).toBe('rule_violated');
    expect(body.error.details).toEqual({
      imported: 0,
      rejected: [{ row: 2, column: 'kelurahanCode', message: 'Kelurahan tidak dikenal.' }],
    });
    expect(await countUmkm()).toBe(before);
    const names = await t.db.db.selectFrom('umkm').select('name').where('name', 'in', ['Tempe D', 'Tempe F']).execute();
    expect(names).toEqual([]);
  });

  it('imports only the valid rows in mode "valid", verified, classified and audited', async () => {
    const before = await countUmkm();
    const takenNib = nib();
    const first = await importCsv([HEADER, good('Sudah Ada', { nib: takenNib })].join('\n'), { mode: 'all' });
    expect(first.json()).toEqual({ imported: 1, rejected: [] });
    const dupNib = nib();
    const csv = [
      HEADER,
      good('Marning G', { nib: dupNib, kbli: '10794' }),
      good('Marning H', { nib: dupNib }),
      good('Marning I', { nib: takenNib }),
      good('Marning J', { kbli: '99999' }),
      good('Marning K', { annualSales: '"3.000.000.000"' }),
      'Marning L,Siti,3573011111111111,0812,35.73.01.1007,satu juta,,,',
    ].join('\r\n');
    const res = await importCsv(csv, { mode: 'valid', dryRun: 'false' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      imported: 2,
      rejected: [
        { row: 2, column: 'nib', message: 'Sama dengan baris 1 di berkas ini.' },
        { row: 3, column: 'nib', message: 'NIB ini sudah terdaftar untuk usaha lain.' },
        { row: 4, column: 'kbli', message: 'Kode KBLI tidak dikenal (huruf kategori A–U atau 5 angka).' },
        { row: 6, column: 'phone', message: 'Nomor HP tidak sah (contoh: 081234567890).' },
        { row: 6, column: 'capital', message: 'Harus bilangan bulat.' },
      ],
    });
    expect(await countUmkm()).toBe(before + 3);
    const rows = await t.db.db
      .selectFrom('umkm')
      .select(['name', 'status', 'size_class', 'kbli_section', 'kecamatan_code', 'search_text', 'verified_by'])
      .where('name', 'in', ['Marning G', 'Marning K'])
      .orderBy('name')
      .execute();
    expect(rows).toEqual([
      {
        name: 'Marning G',
        status: 'verified',
        size_class: 'mikro',
        kbli_section: 'C',
        kecamatan_code: '35.73.01',
        search_text: 'Marning G Sri Wahyuni',
        verified_by: dinas.id,
      },
      {
        name: 'Marning K',
        status: 'verified',
        size_class: 'kecil',
        kbli_section: null,
        kecamatan_code: '35.73.01',
        search_text: 'Marning K Sri Wahyuni',
        verified_by: dinas.id,
      },
    ]);
    const audit = await t.db.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('actor_user_id', '=', dinas.id)
      .where('action', '=', 'umkm.import')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ mode: 'valid', rows: 6, imported: 2, rejectedRows: 4 });
    // The new profile appears in the list API like any other.
    const list = await t.app.inject({ url: '/api/v1/umkm?q=Marning%20K', headers: dinas.auth });
    expect(list.json().items.map((i: { name: string }) => i.name)).toContain('Marning K');
  });

  it('accepts semicolon-separated files and reports in English on request', async () => {
    const csv = `name;ownerName;ownerNik;phone;kelurahanCode;capital\nKopi Ijen;Ani;3573;081234567890;35.73.02.1002;1.000.000\n`;
    const res = await importCsv(csv, { dryRun: 'true' }, dinas.auth, '/api/v1/umkm/import?lang=en');
    expect(res.json()).toEqual({ imported: 0, rejected: [{ row: 1, column: 'ownerNik', message: 'NIK must be 16 digits.' }] });
  });

  it('refuses a file without the required columns with a 400 naming them', async () => {
    const res = await importCsv('name,phone\nA,081234567890\n', { dryRun: 'true' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields).toEqual([
      { field: 'file', message: 'Kolom wajib tidak ada: ownerName, ownerNik, kelurahanCode, capital.' },
    ]);
  });

  it('is for dinas only: an owner gets 403, an anonymous caller 401', async () => {
    const csv = [HEADER, good('Tidak Boleh')].join('\n');
    expect((await importCsv(csv, { mode: 'all' }, owner.auth)).statusCode).toBe(403);
    expect((await importCsv(csv, { mode: 'all' }, {})).statusCode).toBe(401);
    const rows = await t.db.db.selectFrom('umkm').select('id').where('name', '=', 'Tidak Boleh').execute();
    expect(rows).toEqual([]);
  });

  it('imports koperasi the same way', async () => {
    const csv =
      'name;type;group;kelurahanCode;nik;legalDate;lastRatDate;memberCount\n' +
      'Kopsis SMA Contoh;konsumen;sekolah;35.73.05.1004;3573010000999001;2019-03-14;2025-03-01;120\n' +
      'Koperasi Salah;warung;umum;35.73.05.1004;;2020-01-01;2019-01-01;\n';
    const res = await importCsv(csv, { mode: 'valid' }, dinas.auth, '/api/v1/koperasi/import');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      imported: 1,
      rejected: [
        { row: 2, column: 'type', message: 'Nilai tidak diperbolehkan.' },
        { row: 2, column: 'lastRatDate', message: 'Tanggal RAT tidak boleh sebelum tanggal badan hukum.' },
      ],
    });
    const k = await t.db.db
      .selectFrom('koperasi')
      .select(['status', 'member_count', 'kecamatan_code'])
      .where('name', '=', 'Kopsis SMA Contoh')
      .executeTakeFirstOrThrow();
    expect(k).toEqual({ status: 'verified', member_count: 120, kecamatan_code: '35.73.05' });
  });
});

describe('runImport inside a session', () => {
  it('lets the first step decline (nothing written) and lands the last step with the rows, or neither', async () => {
    const ctx = await contextFor(t.db.db, dinas.id);
    const rows = (await parseImportFile('umkm', Buffer.from([HEADER, good('Kait A'), good('Kait B')].join('\n')))).rows;
    const declined = await runImport(t.db.db, ctx, 'umkm', rows, { mode: 'all', inTransaction: { begin: async () => false } });
    expect(declined).toMatchObject({ imported: 0, skipped: true });
    expect(await t.db.db.selectFrom('umkm').select('id').where('name', 'like', 'Kait %').execute()).toEqual([]);

    await expect(
      runImport(t.db.db, ctx, 'umkm', rows, {
        mode: 'all',
        inTransaction: {
          end: async (_trx, out) => {
            expect(out.imported).toBe(2);
            throw new Error('session row not writable');
          },
        },
      }),
    ).rejects.toThrow(/session row not writable/);
    expect(await t.db.db.selectFrom('umkm').select('id').where('name', 'like', 'Kait %').execute()).toEqual([]);

    let seen = 0;
    const out = await runImport(t.db.db, ctx, 'umkm', rows, {
      mode: 'all',
      inTransaction: {
        end: async (trx) => {
          seen = (await trx.selectFrom('umkm').select('id').where('name', 'like', 'Kait %').execute()).length;
        },
      },
    });
    expect(out.imported).toBe(2);
    expect(seen).toBe(2);
  });
});

describe('the import pages', () => {
  function csrfOf(html: string) {
    const m = html.match(/name="_csrf" value="([^"]+)"/);
    if (!m) throw new Error('no csrf token');
    return m[1] as string;
  }
  async function page(url: string, cookie: string) {
    const res = await t.app.inject({ url, headers: { cookie } });
    const set = res.cookies.map((c) => `${c.name}=${c.value}`);
    return { res, cookie: [cookie, ...set].join('; ') };
  }

  it('previews, reports problems row by row and imports only after confirmation', async () => {
    const start = await page('/registri/impor', dinas.cookie);
    expect(start.res.statusCode).toBe(200);
    expect(start.res.body).toContain('/api/v1/umkm/import/template?format=xlsx');
    const csv = [HEADER, good('Raket Bandung A'), good('Raket Bandung B').replace('081234567890', '12345'), good('Raket Bandung C')].join(
      '\n',
    );
    const body = multipart({ _csrf: csrfOf(start.res.body), kind: 'umkm' }, { name: 'raket.csv', content: csv });
    const up = await t.app.inject({
      method: 'POST',
      url: '/registri/impor',
      payload: body.payload,
      headers: { ...body.headers, cookie: start.cookie },
    });
    expect(up.statusCode).toBe(303);
    const location = up.headers.location as string;
    expect(location).toMatch(/^\/registri\/impor\/[0-9a-f-]{36}$/);
    expect(await t.db.db.selectFrom('umkm').select('id').where('name', 'like', 'Raket Bandung%').execute()).toEqual([]);

    const preview = await page(location, start.cookie);
    expect(preview.res.body).toContain('raket.csv');
    expect(preview.res.body).toContain('Raket Bandung A');
    expect(preview.res.body).toMatch(/<td class="num">2<\/td>\s*<td>\s*<code>phone<\/code>\s*<\/td>\s*<td>Nomor HP tidak sah/);
    expect(preview.res.body).toContain('Hanya baris yang valid');

    // Another dinas officer cannot see someone else's upload.
    const other = await userWith(t, [{ role: 'dinas' }], 'Petugas Lain');
    expect((await t.app.inject({ url: location, headers: { cookie: other.cookie } })).statusCode).toBe(404);

    const confirm = await t.app.inject({
      method: 'POST',
      url: `${location}/konfirmasi`,
      payload: new URLSearchParams({ _csrf: csrfOf(preview.res.body), mode: 'valid' }).toString(),
      headers: { cookie: preview.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(confirm.statusCode).toBe(303);
    const done = await page(location, preview.cookie);
    expect(done.res.body).toContain('2 data UMKM diimpor');
    const names = await t.db.db.selectFrom('umkm').select('name').where('name', 'like', 'Raket Bandung%').orderBy('name').execute();
    expect(names.map((n) => n.name)).toEqual(['Raket Bandung A', 'Raket Bandung C']);
    // A second confirmation imports nothing twice.
    const again = await t.app.inject({
      method: 'POST',
      url: `${location}/konfirmasi`,
      payload: new URLSearchParams({ _csrf: csrfOf(done.res.body), mode: 'valid' }).toString(),
      headers: { cookie: done.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(again.statusCode).toBe(409);
    expect(await t.db.db.selectFrom('umkm').select('id').where('name', 'like', 'Raket Bandung%').execute()).toHaveLength(2);
  });

  async function jobsOf(importId: string) {
    return t.db.db
      .selectFrom('jobs')
      .select(['type', 'status'])
      .where(sql<string>`payload->>'importId'`, '=', importId)
      .orderBy('id')
      .execute();
  }
  async function session(importId: string) {
    return t.db.db
      .withTables<{
        registry_imports: { id: string; status: string; mode: string | null; imported: number; phase_done: number; phase_total: number };
      }>()
      .selectFrom('registry_imports')
      .select(['status', 'mode', 'imported', 'phase_done', 'phase_total'])
      .where('id', '=', importId)
      .executeTakeFirstOrThrow();
  }
  async function uploadLarge(who: { cookie: string }, name: string, lines: string[]) {
    const start = await page('/registri/impor', who.cookie);
    const body = multipart({ _csrf: csrfOf(start.res.body), kind: 'umkm' }, { name, content: lines.join('\n') });
    const up = await t.app.inject({
      method: 'POST',
      url: '/registri/impor',
      payload: body.payload,
      headers: { ...body.headers, cookie: start.cookie },
    });
    expect(up.statusCode).toBe(303);
    const location = up.headers.location as string;
    return { location, id: location.split('/').pop() as string, cookie: start.cookie };
  }
  async function confirmAs(location: string, cookie: string, mode: 'all' | 'valid') {
    const preview = await page(location, cookie);
    const res = await t.app.inject({
      method: 'POST',
      url: `${location}/konfirmasi`,
      payload: new URLSearchParams({ _csrf: csrfOf(preview.res.body), mode }).toString(),
      headers: { cookie: preview.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    return { res, cookie: preview.cookie };
  }

  it('checks and imports a large file with jobs on the platform job runner, showing progress until they ran', async () => {
    const lines = [HEADER];
    for (let i = 0; i < BACKGROUND_THRESHOLD + 100; i++) lines.push(good(`Massal ${i}`));
    lines.push(good('Massal salah').replace('081234567890', 'x'));
    const up = await uploadLarge(dinas, 'besar.csv', lines);
    // Nothing runs until the runner takes the job: the page shows the progress of the check.
    expect(await jobsOf(up.id)).toEqual([{ type: IMPORT_VALIDATE_JOB, status: 'pending' }]);
    expect((await session(up.id)).status).toBe('validating');
    const progress = await t.app.inject({ url: `${up.location}/kemajuan`, headers: { cookie: up.cookie } });
    expect(progress.statusCode).toBe(200);
    expect(progress.body).toContain('<progress');
    expect(progress.body).toContain('Memeriksa berkas');
    expect(progress.headers['hx-refresh']).toBeUndefined();

    expect((await t.app.jobs.runDue()).map((r) => [r.type, r.outcome])).toEqual([[IMPORT_VALIDATE_JOB, 'done']]);
    const preview = await page(up.location, up.cookie);
    expect(preview.res.body).toContain('2.101');
    expect(preview.res.body).toMatch(/<td class="num">2101<\/td>/);
    const done = await t.app.inject({ url: `${up.location}/kemajuan`, headers: { cookie: up.cookie } });
    expect(done.headers['hx-refresh']).toBe('true');

    const confirm = await confirmAs(up.location, up.cookie, 'all');
    expect(confirm.res.statusCode).toBe(303);
    // Claimed and queued in one step; the page shows the import's progress, nothing is written yet.
    expect(await jobsOf(up.id)).toEqual([
      { type: IMPORT_VALIDATE_JOB, status: 'done' },
      { type: IMPORT_RUN_JOB, status: 'pending' },
    ]);
    expect(await session(up.id)).toMatchObject({ status: 'importing', mode: 'all', phase_done: 0, phase_total: 2101 });
    const importing = await page(up.location, confirm.cookie);
    expect(importing.res.body).toContain('Mengimpor');
    expect(importing.res.body).toContain('<progress');
    expect(importing.res.body).not.toContain('Impor sekarang');

    expect((await t.app.jobs.runDue()).map((r) => [r.type, r.outcome])).toEqual([[IMPORT_RUN_JOB, 'done']]);
    const result = await page(up.location, confirm.cookie);
    expect(result.res.body).toContain('Tidak ada yang diimpor');
    expect(await t.db.db.selectFrom('umkm').select('id').where('name', 'like', 'Massal %').execute()).toEqual([]);
    expect(await session(up.id)).toMatchObject({ status: 'aborted', imported: 0 });
  });

  it('imports only the valid rows of a large file in the background, as the uploader, and never twice', async () => {
    const lines = [HEADER];
    for (let i = 0; i < BACKGROUND_THRESHOLD + 1; i++) lines.push(good(`Latar ${i}`));
    lines.push(good('Latar salah').replace('35.73.01.1007', '35.73.09.9999'));
    const up = await uploadLarge(dinas, 'latar.csv', lines);
    await t.app.jobs.runDue();
    const confirm = await confirmAs(up.location, up.cookie, 'valid');
    expect(confirm.res.statusCode).toBe(303);
    expect(await t.db.db.selectFrom('umkm').select('id').where('name', 'like', 'Latar %').execute()).toEqual([]);
    expect((await t.app.jobs.runDue()).map((r) => r.outcome)).toEqual(['done']);

    const result = await page(up.location, confirm.cookie);
    expect(result.res.body).toContain('2.001 data UMKM diimpor');
    expect(await session(up.id)).toMatchObject({ status: 'done', mode: 'valid', imported: 2001, phase_done: 2002, phase_total: 2002 });
    const imported = await t.db.db.selectFrom('umkm').select(['status', 'verified_by']).where('name', 'like', 'Latar %').execute();
    expect(imported).toHaveLength(2001);
    expect(imported.every((r) => r.status === 'verified' && r.verified_by === dinas.id)).toBe(true);
    const audit = await t.db.db
      .selectFrom('audit_log')
      .select(['actor_user_id', 'after'])
      .where('action', '=', 'umkm.import')
      .where('entity_id', '=', up.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: dinas.id, after: { mode: 'valid', imported: 2001, rejectedRows: 1 } });

    // The same job again (a retry, a second worker) finds the import done and writes nothing.
    await enqueueJob(t.db.db, IMPORT_RUN_JOB, { importId: up.id });
    expect((await t.app.jobs.runDue()).map((r) => r.outcome)).toEqual(['done']);
    expect(await t.db.db.selectFrom('umkm').select('id').where('name', 'like', 'Latar %').execute()).toHaveLength(2001);
  });

  it('checks again in the job that the uploader may import', async () => {
    const officer = await userWith(t, [{ role: 'dinas' }], 'Petugas Pindah Tugas');
    const lines = [HEADER];
    for (let i = 0; i < BACKGROUND_THRESHOLD + 1; i++) lines.push(good(`Dicabut ${i}`));
    const up = await uploadLarge(officer, 'dicabut.csv', lines);
    await t.app.jobs.runDue();
    expect((await confirmAs(up.location, up.cookie, 'all')).res.statusCode).toBe(303);
    await t.db.db.deleteFrom('role_grants').where('user_id', '=', officer.id).execute();
    expect((await t.app.jobs.runDue()).map((r) => r.outcome)).toEqual(['done']);
    expect((await session(up.id)).status).toBe('failed');
    expect(await t.db.db.selectFrom('umkm').select('id').where('name', 'like', 'Dicabut %').execute()).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sql, type TestApp } from '../../../test/helpers.js';
import type { RequestContext } from '../../platform/context.js';
import { systemContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { translator } from '../../platform/i18n/index.js';
import {
  checkUmkmInput,
  createKoperasi,
  createUmkm,
  getUmkm,
  getUmkmProfile,
  iterateUmkm,
  listUmkm,
  setUmkmActive,
  submitKoperasi,
  submitUmkm,
  toKoperasiJson,
  toUmkmJson,
  updateUmkm,
  verifyKoperasi,
  verifyUmkm,
} from './service.js';
import { contextFor, makeUser, nik, umkmInput } from './test-support.js';

let t: TestApp;
let dinas: RequestContext;
let warga: RequestContext;
let ownerId: string;

beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
  dinas = await contextFor(t.db.db, await makeUser(t.db.db, [{ role: 'dinas' }], 'Petugas Dinas'));
  warga = await contextFor(t.db.db, await makeUser(t.db.db, [{ role: 'warga' }], 'Warga'));
  ownerId = await makeUser(t.db.db, [{ role: 'pelaku_umkm' }], 'Ayu');
});
afterAll(async () => {
  await t?.close();
});

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('registry service: UMKM', () => {
  it('registers a UMKM as draft, classifies it, records the first class event and makes the creator its owner', async () => {
    const db = t.db.db;
    let owner = await contextFor(db, ownerId);
    const row = await createUmkm(db, owner, umkmInput({ capital: 1_500_000_000 }));
    expect(row.status).toBe('draft');
    expect(row.size_class).toBe('kecil');
    expect(row.kecamatan_code).toBe('35.73.01');
    expect(row.kelurahan_name).toBe('Purwantoro');
    owner = await contextFor(db, ownerId);
    // The organisation-less sign-up grant is replaced by the grant for this UMKM.
    expect(owner.user?.roles).toEqual([{ role: 'pelaku_umkm', organizationId: row.id }]);
    const profile = await getUmkmProfile(db, owner, row.id);
    expect(profile.events).toHaveLength(1);
    expect(profile.events[0]).toMatchObject({ direction: 'awal', to_class: 'kecil', basis: 'capital' });
    expect(profile.events[0]?.evidence).toBe('Modal usaha Rp1.500.000.000 saat pendaftaran');
    const audit = await db.selectFrom('audit_log').selectAll().where('entity_id', '=', row.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['umkm.create']);
  });

  it('lets sales decide the class when both are given, and records naik kelas when sales grow', async () => {
    const db = t.db.db;
    const year = new Date().getFullYear() - 1;
    const row = await createUmkm(
      db,
      dinas,
      umkmInput({ name: 'Rotan Jaya Balearjosari', capital: 100_000_000, annualSales: 2_000_000_000, salesYear: year - 1 }),
    );
    expect(row.size_class).toBe('mikro');
    const up = await updateUmkm(db, dinas, row.id, { annualSales: 2_000_000_001, salesYear: year });
    expect(up.size_class).toBe('kecil');
    expect(up.annual_sales).toBe(2_000_000_001n);
    const down = await updateUmkm(db, dinas, row.id, { annualSales: 900_000_000, salesYear: year });
    expect(down.size_class).toBe('mikro');
    const { events } = await getUmkmProfile(db, dinas, row.id);
    expect(events.map((e) => e.direction)).toEqual(['turun', 'naik', 'awal']);
    expect(events[1]?.evidence).toBe(`Penjualan tahun ${year} Rp2.000.000.001`);
    // Dinas registered it on someone's behalf: dinas did not become the owner.
    expect(dinas.user?.roles.map((r) => r.role)).toEqual(['dinas']);
  });

  it('reports unknown kelurahan, unknown KBLI and a taken NIB without writing', async () => {
    const db = t.db.db;
    await createUmkm(db, dinas, umkmInput({ name: 'Toko Kue Ibu Ani', nib: '1234567890123' }));
    const before = await db
      .selectFrom('umkm')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    const issues = await checkUmkmInput(db, umkmInput({ kelurahanCode: '35.73.09.9999', kbli: '99999', nib: '1234567890123' }));
    expect(issues.map((i) => [i.field, i.message])).toEqual([
      ['kelurahanCode', 'registry.kelurahanInvalid'],
      ['kbli', 'registry.kbliInvalid'],
      ['nib', 'registry.nibTaken'],
    ]);
    const err = await errorOf(createUmkm(db, dinas, umkmInput({ name: 'Kue Lain', nib: '1234567890123' })));
    expect(err.code).toBe('conflict');
    expect(err.fields.map((f) => f.field)).toEqual(['nib']);
    const bad = await errorOf(createUmkm(db, dinas, umkmInput({ ownerNik: '123', nib: '12' })));
    expect(bad.code).toBe('validation_failed');
    expect(bad.fields.map((f) => f.field).sort()).toEqual(['nib', 'ownerNik']);
    const after = await db
      .selectFrom('umkm')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    expect(Number(after?.n)).toBe(Number(before?.n));
  });

  it('warns about a similar name for the same owner NIK unless confirmed', async () => {
    const db = t.db.db;
    const ownerNik = nik();
    const first = await createUmkm(db, dinas, umkmInput({ name: 'Keripik Tempe Sanan Makmur', ownerNik }));
    const err = await errorOf(createUmkm(db, dinas, umkmInput({ name: 'Keripik Tempe Sanan Makmoer', ownerNik })));
    expect(err.code).toBe('conflict');
    expect((err.details as { duplicates: { id: string }[] }).duplicates.map((d) => d.id)).toEqual([first.id]);
    const second = await createUmkm(db, dinas, umkmInput({ name: 'Keripik Tempe Sanan Makmoer', ownerNik }), {
      skipDuplicateWarning: true,
    });
    expect(second.owner_id).toBe(first.owner_id);
    // A different business of the same owner is no duplicate.
    await expect(createUmkm(db, dinas, umkmInput({ name: 'Laundry Kilat', ownerNik }))).resolves.toBeTruthy();
  });

  it('walks the lifecycle: submit, reject with a reason, resubmit, approve, deactivate, reactivate', async () => {
    const db = t.db.db;
    const uid = await makeUser(db, [], 'Budi');
    let owner = await contextFor(db, uid);
    const row = await createUmkm(db, owner, umkmInput({ name: 'Warung Pecel Budi' }));
    owner = await contextFor(db, uid);
    expect((await submitUmkm(db, owner, row.id)).status).toBe('submitted');
    expect((await errorOf(verifyUmkm(db, owner, row.id, { decision: 'approve' }))).code).toBe('forbidden');
    expect((await errorOf(verifyUmkm(db, dinas, row.id, { decision: 'reject' }))).fields.map((f) => f.field)).toEqual(['reason']);
    const rejected = await verifyUmkm(db, dinas, row.id, { decision: 'reject', reason: 'Foto KTP tidak terbaca' });
    expect(rejected.status).toBe('rejected');
    expect((await getUmkm(db, owner, row.id)).rejection_reason).toBe('Foto KTP tidak terbaca');
    expect((await errorOf(verifyUmkm(db, dinas, row.id, { decision: 'approve' }))).code).toBe('conflict');
    await submitUmkm(db, owner, row.id);
    const verified = await verifyUmkm(db, dinas, row.id, { decision: 'approve' });
    expect(verified.status).toBe('verified');
    expect(verified.verified_by).toBe(dinas.user?.id);
    expect((await errorOf(setUmkmActive(db, owner, row.id, true))).code).toBe('forbidden');
    expect((await setUmkmActive(db, owner, row.id, false)).status).toBe('inactive');
    expect((await errorOf(submitUmkm(db, owner, row.id))).code).toBe('conflict');
    expect((await setUmkmActive(db, dinas, row.id, true)).status).toBe('verified');
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('entity_id', '=', row.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'umkm.create',
      'umkm.submit',
      'umkm.reject',
      'umkm.submit',
      'umkm.approve',
      'umkm.deactivate',
      'umkm.reactivate',
    ]);
    expect(audit[2]?.after).toMatchObject({ status: 'rejected', reason: 'Foto KTP tidak terbaca' });
  });

  it('hides a UMKM from other owners and citizens (404) and masks the NIK for them', async () => {
    const db = t.db.db;
    const a = await makeUser(db, [], 'Pemilik A');
    const b = await makeUser(db, [], 'Pemilik B');
    const rowA = await createUmkm(db, await contextFor(db, a), umkmInput({ name: 'Batik Malangan A' }));
    await createUmkm(db, await contextFor(db, b), umkmInput({ name: 'Marning Jagung B', kelurahanCode: '35.73.01.1006' }));
    const ctxB = await contextFor(db, b);
    for (const p of [
      getUmkm(db, ctxB, rowA.id),
      updateUmkm(db, ctxB, rowA.id, { name: 'Diambil alih' }),
      submitUmkm(db, ctxB, rowA.id),
      getUmkm(db, warga, rowA.id),
    ]) {
      expect((await errorOf(p)).code).toBe('not_found');
    }
    const anonymous = { ...systemContext(translator('id')), ip: '10.0.0.1' };
    expect((await errorOf(getUmkm(db, anonymous, rowA.id))).code).toBe('unauthorized');
    const listB = await listUmkm(db, ctxB, {});
    expect(listB.items.map((i) => i.name)).toEqual(['Marning Jagung B']);
    expect((await listUmkm(db, warga, {})).total).toBe(0);
    expect(toUmkmJson(rowA, { showNik: false }).ownerNik).toMatch(/^3573\*{8}\d{4}$/);
    expect(toUmkmJson(rowA, { showNik: true }).ownerNik).toBe(rowA.owner_nik);
  });

  it('finds by words with typos, filters, sorts and pages; iterates every row by keyset', async () => {
    const db = t.db.db;
    await createUmkm(
      db,
      dinas,
      umkmInput({ name: 'Keramik Dinoyo Indah', kelurahanCode: '35.73.05.1004', kbli: '23931', capital: 6_000_000_000 }),
    );
    await createUmkm(db, dinas, umkmInput({ name: 'Raket Bandung Jaya', kelurahanCode: '35.73.04.1004', ownerName: 'Slamet Riyadi' }));
    const typo = await listUmkm(db, dinas, { q: 'kramik' });
    expect(typo.items.map((i) => i.name)).toContain('Keramik Dinoyo Indah');
    const byOwner = await listUmkm(db, dinas, { q: 'slamet' });
    expect(byOwner.items.map((i) => i.name)).toEqual(['Raket Bandung Jaya']);
    const lowokwaru = await listUmkm(db, dinas, { kecamatan: '35.73.05' });
    expect(lowokwaru.items.every((i) => i.kecamatan_code === '35.73.05')).toBe(true);
    expect((await listUmkm(db, dinas, { sizeClass: 'menengah' })).items.map((i) => i.name)).toEqual(['Keramik Dinoyo Indah']);
    expect((await listUmkm(db, dinas, { kbli: 'C' })).items.map((i) => i.name)).toEqual(['Keramik Dinoyo Indah']);
    const all = await listUmkm(db, dinas, { sort: 'name', dir: 'asc', pageSize: 100 });
    const names = all.items.map((i) => i.name);
    expect(names).toEqual([...names].sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase())));
    const page2 = await listUmkm(db, dinas, { sort: 'name', dir: 'asc', page: 2, pageSize: 2 });
    expect(page2.items.map((i) => i.name)).toEqual(names.slice(2, 4));
    expect(page2.total).toBe(all.total);
    const streamed: string[] = [];
    for await (const r of iterateUmkm(db, dinas, {}, 2)) streamed.push(r.id);
    expect(streamed).toHaveLength(all.total);
    expect(new Set(streamed).size).toBe(all.total);
    const typoStream: string[] = [];
    for await (const r of iterateUmkm(db, dinas, { q: 'kramik' }, 2)) typoStream.push(r.name);
    expect(typoStream).toContain('Keramik Dinoyo Indah');
  });

  it('registers a koperasi; its creator becomes pengurus and it is flagged when its RAT is overdue', async () => {
    const db = t.db.db;
    const uid = await makeUser(db, [], 'Ketua');
    const kop = await createKoperasi(db, await contextFor(db, uid), {
      name: 'Koperasi Pemuda Kedungkandang',
      type: 'konsumen',
      group: 'pemuda',
      kelurahanCode: '35.73.03.1012',
      legalDate: '2019-03-01',
      lastRatDate: '2023-04-20',
    });
    const ctx = await contextFor(db, uid);
    expect(ctx.user?.roles).toEqual([{ role: 'pengurus_koperasi', organizationId: kop.id }]);
    expect(toKoperasiJson(kop, '2025-07-01').ratOverdue).toBe(true);
    expect(toKoperasiJson(kop, '2024-06-30').ratOverdue).toBe(false);
  });
});

describe('registry service: telling the owner about a verification decision', () => {
  const URL = 'https://ngalamlaris.example.id';
  async function messagesTo(recipient: string) {
    return t.db.db
      .selectFrom('outbox_messages')
      .select(['id', 'channel', 'recipient', 'user_id', 'subject', 'body', 'status'])
      .where('recipient', '=', recipient)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }
  async function deliveryJobs(messageIds: string[]) {
    if (!messageIds.length) return [];
    return t.db.db
      .selectFrom('jobs')
      .select(['type', sql<string>`payload->>'messageId'`.as('messageId')])
      .where(sql<string>`payload->>'messageId'`, 'in', messageIds)
      .execute();
  }

  it('queues a message to the owner on reject (with the reason) and on approve, each with its delivery job', async () => {
    const db = t.db.db;
    const uid = await makeUser(db, [], 'Sri Pemilik');
    const email = (await db.selectFrom('users').select('email').where('id', '=', uid).executeTakeFirstOrThrow()).email as string;
    const row = await createUmkm(db, await contextFor(db, uid), umkmInput({ name: 'Sambal Bu Sri' }));
    const owner = await contextFor(db, uid);
    await submitUmkm(db, owner, row.id);
    expect(await messagesTo(email)).toEqual([]);

    await verifyUmkm(db, dinas, row.id, { decision: 'reject', reason: 'Foto KTP tidak terbaca' }, { publicUrl: URL });
    let msgs = await messagesTo(email);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({
      channel: 'email',
      user_id: uid,
      status: 'pending',
      subject: 'Profil usaha Sambal Bu Sri perlu diperbaiki',
    });
    expect(msgs[0]?.body).toContain(
      'Halo Sri Pemilik, petugas Diskopindag Kota Malang belum dapat memverifikasi profil usaha Sambal Bu Sri.',
    );
    expect(msgs[0]?.body).toContain('Alasan: Foto KTP tidak terbaca. Perbaiki datanya');
    expect(msgs[0]?.body).toContain(`${URL}/registri/umkm/${row.id}`);

    await submitUmkm(db, owner, row.id);
    await verifyUmkm(db, dinas, row.id, { decision: 'approve' }, { publicUrl: URL });
    msgs = await messagesTo(email);
    expect(msgs).toHaveLength(2);
    expect(msgs[1]).toMatchObject({ channel: 'email', subject: 'Profil usaha Sambal Bu Sri sudah diverifikasi' });
    expect(msgs[1]?.body).toContain('sudah diverifikasi petugas Diskopindag Kota Malang dan kini tampil di direktori publik');
    expect(msgs[1]?.body).not.toContain('Alasan');
    const jobs = await deliveryJobs(msgs.map((m) => m.id));
    expect(jobs.map((j) => j.type)).toEqual(['message.deliver', 'message.deliver']);
    expect(jobs.map((j) => j.messageId).sort()).toEqual(msgs.map((m) => m.id).sort());
    // Submitting, deactivating and the like tell nobody.
    await setUmkmActive(db, owner, row.id, false);
    expect(await messagesTo(email)).toHaveLength(2);
  });

  it('queues nothing when the verify call fails, also when it fails after the message was written', async () => {
    const db = t.db.db;
    const uid = await makeUser(db, [], 'Gagal Pemilik');
    const email = (await db.selectFrom('users').select('email').where('id', '=', uid).executeTakeFirstOrThrow()).email as string;
    const row = await createUmkm(db, await contextFor(db, uid), umkmInput({ name: 'Bakso Gagal Terus' }));
    const owner = await contextFor(db, uid);
    // Not submitted yet: a conflict.
    expect((await errorOf(verifyUmkm(db, dinas, row.id, { decision: 'approve' }))).code).toBe('conflict');
    await submitUmkm(db, owner, row.id);
    // No reason, or not dinas.
    expect((await errorOf(verifyUmkm(db, dinas, row.id, { decision: 'reject', reason: ' ' }))).code).toBe('validation_failed');
    expect((await errorOf(verifyUmkm(db, owner, row.id, { decision: 'approve' }))).code).toBe('forbidden');
    // The audit record, written after the message, fails: the decision and the message go together.
    await sql`create or replace function test_fail_audit() returns trigger language plpgsql as $$
      begin
        if new.action = 'umkm.approve' and new.entity_id = ${sql.lit(row.id)} then raise exception 'audit down'; end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger test_fail_audit before insert on audit_log for each row execute function test_fail_audit()`.execute(db);
    try {
      await expect(verifyUmkm(db, dinas, row.id, { decision: 'approve' })).rejects.toThrow(/audit down/);
    } finally {
      await sql`drop trigger test_fail_audit on audit_log`.execute(db);
      await sql`drop function test_fail_audit()`.execute(db);
    }
    expect((await getUmkm(db, dinas, row.id)).status).toBe('submitted');
    expect(await messagesTo(email)).toEqual([]);
    const about = await db.selectFrom('outbox_messages').select('id').where('subject', 'like', '%Bakso Gagal Terus%').execute();
    expect(about).toEqual([]);
    // Once it works, exactly one message.
    await verifyUmkm(db, dinas, row.id, { decision: 'approve' });
    expect(await messagesTo(email)).toHaveLength(1);
  });

  it('tells an owner registered by dinas through the owner email, else by SMS to the phone', async () => {
    const db = t.db.db;
    const withEmail = await createUmkm(
      db,
      dinas,
      umkmInput({ name: 'Tahu Walik Pak Joko', ownerName: 'Joko', ownerEmail: 'joko.tahu@example.com', phone: '081298760001' }),
    );
    const noEmail = await createUmkm(db, dinas, umkmInput({ name: 'Rujak Cingur Bu Yem', ownerName: 'Yem', phone: '081298760002' }));
    for (const r of [withEmail, noEmail]) {
      await submitUmkm(db, dinas, r.id);
      await verifyUmkm(db, dinas, r.id, { decision: 'reject', reason: 'Alamat belum lengkap' });
    }
    expect(await messagesTo('joko.tahu@example.com')).toEqual([
      expect.objectContaining({ channel: 'email', user_id: null, subject: 'Profil usaha Tahu Walik Pak Joko perlu diperbaiki' }),
    ]);
    const sms = await messagesTo('081298760002');
    expect(sms).toEqual([expect.objectContaining({ channel: 'sms', user_id: null })]);
    expect(sms[0]?.body).toContain('Halo Yem,');
    expect(sms[0]?.body).toContain('Alasan: Alamat belum lengkap.');
  });

  it('tells the pengurus of a koperasi', async () => {
    const db = t.db.db;
    const uid = await makeUser(db, [], 'Ketua Kopwan');
    const email = (await db.selectFrom('users').select('email').where('id', '=', uid).executeTakeFirstOrThrow()).email as string;
    const kop = await createKoperasi(db, await contextFor(db, uid), {
      name: 'Koperasi Wanita Sejahtera',
      type: 'simpan_pinjam',
      group: 'umum',
      kelurahanCode: '35.73.03.1012',
    });
    const ketua = await contextFor(db, uid);
    await submitKoperasi(db, ketua, kop.id);
    await verifyKoperasi(db, dinas, kop.id, { decision: 'reject', reason: 'Akta pendirian belum diunggah!' }, { publicUrl: URL });
    await submitKoperasi(db, ketua, kop.id);
    await verifyKoperasi(db, dinas, kop.id, { decision: 'approve' }, { publicUrl: URL });
    const msgs = await messagesTo(email);
    expect(msgs.map((m) => m.subject)).toEqual([
      'Data Koperasi Wanita Sejahtera perlu diperbaiki',
      'Data Koperasi Wanita Sejahtera sudah diverifikasi',
    ]);
    expect(msgs[0]?.body).toContain('Alasan: Akta pendirian belum diunggah! Perbaiki datanya');
    expect(msgs[1]?.body).toContain(`${URL}/registri/koperasi/${kop.id}`);
    expect(msgs.every((m) => m.user_id === uid && m.channel === 'email')).toBe(true);
  });
});

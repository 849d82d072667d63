import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { createSession } from '../../platform/auth/sessions.js';
import { newKoperasi } from './test-support.js';

let t: TestApp;
let ksp: string;

/** A cookie jar, like a browser. */
class Browser {
  cookies: Record<string, string> = {};
  header() {
    return Object.entries(this.cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  }
  remember(res: { cookies: { name: string; value: string; maxAge?: number }[] }) {
    for (const c of res.cookies) {
      if (c.value === '' || c.maxAge === 0) delete this.cookies[c.name];
      else this.cookies[c.name] = c.value;
    }
  }
  async get(url: string) {
    const res = await t.app.inject({ method: 'GET', url, headers: { cookie: this.header() } });
    this.remember(res);
    return res;
  }
  /** Opens `pageUrl`, takes its CSRF token and posts the form to `url`. */
  async post(pageUrl: string, url: string, form: Record<string, string>) {
    const page = await this.get(pageUrl);
    const m = page.body.match(/name="_csrf" value="([^"]+)"/);
    if (!m) throw new Error(`no CSRF token on ${pageUrl} (${page.statusCode})`);
    const res = await t.app.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams({ ...form, _csrf: m[1] as string }).toString(),
      headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.remember(res);
    return res;
  }
  async login(login: string) {
    const res = await this.post('/masuk', '/masuk', { login, password: 'demo12345' });
    expect(res.statusCode, res.body).toBe(303);
    return this;
  }
}

let ketua: Browser;
let bendahara: Browser;
const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const nik = () => `3573${String(Date.now()).slice(-8)}${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;

beforeAll(async () => {
  t = await createTestApp();
  ksp = (await t.db.db.selectFrom('koperasi').select('id').where('name', '=', 'KSP Sejahtera Bersama Malang').executeTakeFirstOrThrow()).id;
  ketua = await new Browser().login('koperasi@demo.ngalamlaris.id');
  bendahara = await new Browser().login('bendahara@demo.ngalamlaris.id');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

async function addMember(name: string) {
  const res = await ketua.post(`/koperasi/${ksp}/anggota/baru`, `/koperasi/${ksp}/anggota/baru`, { name, nik: nik(), joinDate: today() });
  expect(res.statusCode, res.body).toBe(303);
  const location = res.headers.location as string;
  expect(location).toMatch(new RegExp(`^/koperasi/${ksp}/anggota/[0-9a-f-]{36}$`));
  return location;
}

describe('books web pages for the pengurus', () => {
  it('opens every page of the demo KSP', async () => {
    const chooser = await ketua.get('/koperasi/buku');
    expect([200, 302]).toContain(chooser.statusCode);
    const overview = await ketua.get(`/koperasi/${ksp}/buku`);
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain('KSP Sejahtera Bersama Malang');
    expect(overview.body).toContain('Saldo kas');
    expect(overview.body).toContain('Simpanan berjangka aktif'); // next to pokok, wajib and sukarela
    expect(overview.body).toContain('href="/koperasi/buku"');
    for (const path of ['anggota', 'anggota/baru', 'jurnal', 'periode', 'laporan', 'laporan?akun=1-1100']) {
      const res = await ketua.get(`/koperasi/${ksp}/${path}`);
      expect(res.statusCode, `${path}: ${res.body.slice(0, 300)}`).toBe(200);
    }
    const members = await ketua.get(`/koperasi/${ksp}/anggota?q=Bambang`);
    expect(members.body).toContain('Bambang Sutrisno');
    const reports = await ketua.get(`/koperasi/${ksp}/laporan`);
    expect(reports.body).toContain('Neraca saldo');
    expect(reports.body).toContain('Seimbang');
    expect(reports.body).not.toContain('Tidak seimbang');
    // Each report offers its XLSX and PDF with the date shown; the links work.
    const links = [...reports.body.matchAll(/href="(\/koperasi\/[^"]+\/laporan\/[a-z-]+\.(xlsx|pdf)[^"]*)"/g)].map((m) =>
      (m[1] as string).replace(/&amp;/g, '&'),
    );
    expect(links.length).toBe(6);
    for (const link of links) {
      const file = await ketua.get(link);
      expect(file.statusCode, link).toBe(200);
      expect(file.headers['content-disposition']).toMatch(/^attachment; filename="/);
      if (link.includes('.pdf')) expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      else expect(file.rawPayload.subarray(0, 2).toString()).toBe('PK');
    }
    const ledger = await ketua.get(`/koperasi/${ksp}/laporan?akun=1-1100`);
    expect(ledger.body).toMatch(/laporan\/general-ledger\.pdf\?akun=1-1100/);
  });

  it('adds a member; the name is escaped', async () => {
    const location = await addMember('<script>x</script>');
    const page = await ketua.get(location);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/&lt;script(>|&gt;)x&lt;\/script/);
    expect(page.body).not.toContain('<script>x');
    const list = await ketua.get(`/koperasi/${ksp}/anggota?q=script`);
    expect(list.body).toMatch(/&lt;script(>|&gt;)x&lt;\/script/);
    expect(list.body).not.toContain('<script>x');
  });

  it('shows an invalid NIK inline with 400', async () => {
    const res = await ketua.post(`/koperasi/${ksp}/anggota/baru`, `/koperasi/${ksp}/anggota/baru`, { name: 'Sri Wahyuni', nik: '123' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="nik-error"');
  });

  it('records a deposit; a too-large sukarela withdrawal is shown inline and records nothing', async () => {
    const location = await addMember('Siti Aminah');
    const memberId = location.split('/').pop() as string;
    const deposit = await ketua.post(location, `${location}/simpanan`, {
      kind: 'sukarela',
      type: 'deposit',
      amount: '150.000',
      date: today(),
    });
    expect(deposit.statusCode, deposit.body).toBe(303);
    const count = async () =>
      Number(
        (
          await t.db.db
            .selectFrom('books_savings_transactions')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('member_id', '=', memberId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBe(1);
    const page = await ketua.get(location);
    expect(page.body).toContain('Rp150.000');
    const refused = await ketua.post(location, `${location}/simpanan`, {
      kind: 'sukarela',
      type: 'withdrawal',
      amount: '10000000',
      date: today(),
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('id="amount-error"');
    expect(refused.body).toContain('tidak cukup');
    expect(await count()).toBe(1);
    const closedMonth = await ketua.post(location, `${location}/simpanan`, {
      kind: 'sukarela',
      type: 'deposit',
      amount: '5000',
      date: `${Number(today().slice(0, 4)) - 1}-01-15`,
    });
    expect(closedMonth.statusCode).toBe(409);
    expect(closedMonth.body).toContain('id="date-error"');
    expect(await count()).toBe(1);
    expect((await ketua.get(`/koperasi/${ksp}/anggota/bukan-uuid`)).statusCode).toBe(404);
    const wajib = await ketua.post(location, `${location}/simpanan`, { kind: 'wajib', type: 'withdrawal', amount: '1000', date: today() });
    expect(wajib.statusCode).toBe(422);
    expect(wajib.body).toContain('id="amount-error"');
  });

  it('a manual entry is approved by the other pengurus, not by its writer', async () => {
    const journal = `/koperasi/${ksp}/jurnal`;
    const created = await ketua.post(journal, journal, {
      date: today(),
      memo: 'Beli ATK kantor',
      account0: '5-2600',
      debit0: '75000',
      account1: '1-1100',
      credit1: '75000',
    });
    expect(created.statusCode, created.body).toBe(303);
    const entry = await t.db.db
      .selectFrom('books_journal_entries')
      .select(['id', 'status'])
      .where('koperasi_id', '=', ksp)
      .where('memo', '=', 'Beli ATK kantor')
      .executeTakeFirstOrThrow();
    expect(entry.status).toBe('pending');
    const own = await ketua.post(journal, `${journal}/${entry.id}/setujui`, {});
    expect(own.statusCode).toBe(403);
    expect(own.body).toContain('pengurus lain');
    const other = await bendahara.post(journal, `${journal}/${entry.id}/setujui`, {});
    expect(other.statusCode, other.body).toBe(303);
    const after = await t.db.db.selectFrom('books_journal_entries').select('status').where('id', '=', entry.id).executeTakeFirstOrThrow();
    expect(after.status).toBe('posted');

    // Reverse through the confirmation page.
    const confirm = await ketua.get(`${journal}/${entry.id}/balik`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain(`action="${journal}/${entry.id}/balik"`);
    const reversed = await ketua.post(`${journal}/${entry.id}/balik`, `${journal}/${entry.id}/balik`, {});
    expect(reversed.statusCode, reversed.body).toBe(303);
    const original = await t.db.db
      .selectFrom('books_journal_entries')
      .select('reversed_by')
      .where('id', '=', entry.id)
      .executeTakeFirstOrThrow();
    expect(original.reversed_by).not.toBeNull();
    const again = await ketua.post(journal, `${journal}/${entry.id}/balik`, {});
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('sudah dibalik');
  });

  it('a member leaves through a confirmation page', async () => {
    const location = await addMember('Joko Susilo');
    const memberId = location.split('/').pop() as string;
    expect(
      (await ketua.post(location, `${location}/simpanan`, { kind: 'pokok', type: 'deposit', amount: '100000', date: today() })).statusCode,
    ).toBe(303);
    const confirm = await ketua.get(`${location}/keluar`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Joko Susilo');
    const left = await ketua.post(`${location}/keluar`, `${location}/keluar`, {});
    expect(left.statusCode, left.body).toBe(303);
    const m = await t.db.db.selectFrom('books_members').select('status').where('id', '=', memberId).executeTakeFirstOrThrow();
    expect(m.status).toBe('keluar');
    const page = await ketua.get(location);
    expect(page.body).not.toContain(`${location}/simpanan`);
  });

  it('closes the current month and reopens it through a confirmation', async () => {
    const periods = `/koperasi/${ksp}/periode`;
    const month = today().slice(0, 7);
    const list = await ketua.get(periods);
    expect(list.body).toContain(`${periods}/${month}/tutup`);
    const pendingJournal = `/koperasi/${ksp}/jurnal`;
    // A pending entry blocks closing: the service's message is shown with 409.
    await ketua.post(pendingJournal, pendingJournal, {
      date: today(),
      memo: 'Biaya rapat',
      account0: '5-2500',
      debit0: '20000',
      account1: '1-1100',
      credit1: '20000',
    });
    const blocked = await ketua.post(periods, `${periods}/${month}/tutup`, {});
    expect(blocked.statusCode).toBe(409);
    expect(blocked.body).toContain('menunggu persetujuan');
    const pending = await t.db.db
      .selectFrom('books_journal_entries')
      .select('id')
      .where('koperasi_id', '=', ksp)
      .where('memo', '=', 'Biaya rapat')
      .executeTakeFirstOrThrow();
    expect((await bendahara.post(pendingJournal, `${pendingJournal}/${pending.id}/tolak`, {})).statusCode).toBe(303);
    const closed = await ketua.post(periods, `${periods}/${month}/tutup`, {});
    expect(closed.statusCode, closed.body).toBe(303);
    expect((await ketua.get(`${periods}/${month}/buka`)).statusCode).toBe(200);
    const reopened = await ketua.post(`${periods}/${month}/buka`, `${periods}/${month}/buka`, {});
    expect(reopened.statusCode, reopened.body).toBe(303);
    const row = await t.db.db
      .selectFrom('books_periods')
      .select('status')
      .where('koperasi_id', '=', ksp)
      .where('period', '=', month)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('open');
  });

  it('shows an unbalanced entry inline and records nothing', async () => {
    const journal = `/koperasi/${ksp}/jurnal`;
    const res = await ketua.post(journal, journal, {
      date: today(),
      memo: 'Tidak seimbang',
      account0: '5-2600',
      debit0: '1000',
      account1: '1-1100',
      credit1: '900',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('tidak seimbang');
  });
});

describe('who may see the books', () => {
  it('dinas reads the books without the forms', async () => {
    const dinas = await new Browser().login('dinas@demo.ngalamlaris.id');
    const overview = await dinas.get(`/koperasi/${ksp}/buku`);
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain('hanya-baca');
    const journal = await dinas.get(`/koperasi/${ksp}/jurnal`);
    expect(journal.statusCode).toBe(200);
    expect(journal.body).not.toContain('name="account0"');
    expect((await dinas.get(`/koperasi/${ksp}/anggota/baru`)).statusCode).toBe(403);
  });

  it('renders in English', async () => {
    const b = await new Browser().login('koperasi@demo.ngalamlaris.id');
    b.cookies.nl_lang = 'en';
    const res = await b.get(`/koperasi/${ksp}/laporan`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Trial balance');
    expect(res.body).not.toContain('books.w.');
  });

  it('another koperasi’s pengurus and a warga get 404', async () => {
    const other = await newKoperasi(t.db.db, 'KSP Lain Malang');
    const b = new Browser();
    b.cookies.nl_session = (await createSession(t.db.db, other.bendahara, 'web')).token;
    for (const path of ['buku', 'anggota', 'jurnal', 'periode', 'laporan', 'laporan/trial-balance.xlsx', 'laporan/balance-sheet.pdf']) {
      expect((await b.get(`/koperasi/${ksp}/${path}`)).statusCode, path).toBe(404);
    }
    const warga = await new Browser().login('warga@demo.ngalamlaris.id');
    expect((await warga.get(`/koperasi/${ksp}/buku`)).statusCode).toBe(404);
    expect((await warga.get(`/koperasi/${ksp}/anggota`)).statusCode).toBe(404);
  });

  it('the anggota sees only their own record', async () => {
    const anggota = await new Browser().login('anggota@demo.ngalamlaris.id');
    const mine = await anggota.get('/anggota/saya');
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Bambang Sutrisno');
    expect(mine.body).toContain('href="/anggota/saya"');
    expect((await anggota.get(`/koperasi/${ksp}/anggota`)).statusCode).toBe(404);
    expect((await anggota.get(`/koperasi/${ksp}/buku`)).statusCode).toBe(404);
    const someoneElse = await t.db.db
      .selectFrom('books_members')
      .select('id')
      .where('koperasi_id', '=', ksp)
      .where('member_number', '=', 2)
      .executeTakeFirstOrThrow();
    expect((await anggota.get(`/koperasi/${ksp}/anggota/${someoneElse.id}`)).statusCode).toBe(404);
  });
});

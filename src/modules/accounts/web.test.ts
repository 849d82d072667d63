import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** A cookie jar, like a browser. */
class Browser {
  cookies: Record<string, string> = {};
  header() {
    return Object.entries(this.cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  }
  remember(res: { cookies: { name: string; value: string; maxAge?: number; expires?: Date }[] }) {
    for (const c of res.cookies) {
      if (c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())) delete this.cookies[c.name];
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
  async login(login: string, password = 'demo12345', next?: string) {
    const res = await this.post('/masuk', '/masuk', { login, password, ...(next ? { next } : {}) });
    return res;
  }
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const navLinks = (html: string) =>
  [...(html.match(/<ul class="nav-list">[\s\S]*?<\/ul>/)?.[0] ?? '').matchAll(/>([^<>]+)<\/a>/g)].map((m) => m[1]?.trim());

describe('login and logout on the web', () => {
  it('logs in with a secure session cookie and lands on the dashboard with roles explained', async () => {
    const b = new Browser();
    const res = await b.login('koperasi@demo.ngalamlaris.id');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/dasbor');
    const cookie = res.cookies.find((c) => c.name === 'nl_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const dash = await b.get('/dasbor');
    expect(dash.statusCode).toBe(200);
    const body = text(dash.body);
    expect(body).toContain('Halo, Hendra Wijaya!');
    expect(body).toContain('Pengurus koperasi');
    expect(body).toContain('untuk KSP Sejahtera Bersama Malang');
    expect(body).toContain('simpanan, pinjaman');
    expect(navLinks(dash.body)).toEqual(expect.arrayContaining(['Dasbor', 'Akun saya']));
    expect(navLinks(dash.body)).not.toContain('Pengguna');
    expect(navLinks(dash.body)).not.toContain('Daftar');
  });

  it('follows a local next, never another site', async () => {
    const a = new Browser();
    expect((await a.login('admin@demo.ngalamlaris.id', 'demo12345', '/admin/pengguna?q=budi')).headers.location).toBe(
      '/admin/pengguna?q=budi',
    );
    const b = new Browser();
    expect((await b.login('admin@demo.ngalamlaris.id', 'demo12345', '//evil.example/x')).headers.location).toBe('/dasbor');
  });

  it('shows a wrong password inline with 401 and keeps the typed login', async () => {
    const b = new Browser();
    const res = await b.login('warga@demo.ngalamlaris.id', 'salah-sandi');
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('id="login-error"');
    expect(text(res.body)).toContain('Email/nomor HP atau kata sandi salah.');
    expect(res.body).toContain('value="warga@demo.ngalamlaris.id"');
    expect(b.cookies.nl_session).toBeUndefined();
  });

  it('shows the rate limit inline from the 11th attempt (web and API count together)', async () => {
    const b = new Browser();
    for (let i = 0; i < 5; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { login: 'pendamping@demo.ngalamlaris.id', password: 'x' },
      });
    }
    for (let i = 0; i < 5; i++) expect((await b.login('pendamping@demo.ngalamlaris.id', 'salah')).statusCode).toBe(401);
    const res = await b.login('pendamping@demo.ngalamlaris.id');
    expect(res.statusCode).toBe(429);
    expect(text(res.body)).toContain('Terlalu banyak percobaan. Coba lagi dalam 15 menit.');
  });

  it('sends anonymous visitors of /dasbor to the login page', async () => {
    const res = await new Browser().get('/dasbor');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/masuk?next=%2Fdasbor');
  });

  it('logs out: the session is gone from the database', async () => {
    const b = new Browser();
    await b.login('warga@demo.ngalamlaris.id');
    const token = b.cookies.nl_session as string;
    const out = await b.post('/dasbor', '/keluar', {});
    expect(out.statusCode).toBe(303);
    expect(b.cookies.nl_session).toBeUndefined();
    // even the old cookie value no longer works
    const again = await t.app.inject({ method: 'GET', url: '/dasbor', headers: { cookie: `nl_session=${token}` } });
    expect(again.statusCode).toBe(302);
  });

  it('shows missing fields inline when the empty form is sent', async () => {
    const res = await new Browser().post('/masuk', '/masuk', {});
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="login-error"');
    expect(res.body).toContain('id="password-error"');
  });

  it('refuses a form post without the CSRF token', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/masuk',
      payload: 'login=warga%40demo.ngalamlaris.id&password=demo12345',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('offers guests the sign-up link', async () => {
    const res = await new Browser().get('/masuk');
    expect(navLinks(res.body)).toContain('Daftar');
  });
});

describe('sign-up on the web', () => {
  const good = { name: 'Budi Santoso', email: 'budi.web@contoh.id', phone: '', password: 'kata-sandi-panjang-123', accountType: 'warga' };

  it('shows a bad email inline next to the field, keeps the values, creates nothing', async () => {
    const before = await t.db.db.selectFrom('users').select(t.db.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await new Browser().post('/daftar', '/daftar', { ...good, email: 'budi-at-contoh' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<p class="field-error-message" id="email-error">Alamat email tidak sah\.<\/p>/);
    expect(res.body).toMatch(/id="field-email"[^>]*aria-invalid="true"/);
    expect(res.body).toContain('value="budi-at-contoh"');
    expect(res.body).toContain('value="Budi Santoso"');
    expect(res.body).not.toContain('kata-sandi-panjang-123');
    const after = await t.db.db.selectFrom('users').select(t.db.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('shows a short password and a taken email inline with 400', async () => {
    const short = await new Browser().post('/daftar', '/daftar', { ...good, password: 'pendek' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toMatch(/id="password-error">Minimal 8 karakter\./);
    const taken = await new Browser().post('/daftar', '/daftar', { ...good, email: 'warga@demo.ngalamlaris.id' });
    expect(taken.statusCode).toBe(400);
    expect(taken.body).toMatch(/id="email-error">Email ini sudah terdaftar/);
  });

  it('creates a pelaku UMKM account and logs it in', async () => {
    const b = new Browser();
    const res = await b.post('/daftar', '/daftar', { ...good, phone: '0857 0000 1111', accountType: 'pelaku_umkm' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/dasbor');
    const dash = text((await b.get('/dasbor')).body);
    expect(dash).toContain('Akun Anda sudah dibuat');
    expect(dash).toContain('Pelaku UMKM');
    expect(dash).toContain('Warga / pembeli');
    const u = await t.db.db
      .selectFrom('users')
      .select(['phone', 'email'])
      .where('email', '=', 'budi.web@contoh.id')
      .executeTakeFirstOrThrow();
    expect(u.phone).toBe('085700001111');
  });
});

describe('password reset on the web', () => {
  it('asks, sends, sets the new password once, and logs every session out', async () => {
    const old = new Browser();
    await old.login('bendahara@demo.ngalamlaris.id');
    const b = new Browser();
    const ask = await b.post('/lupa-sandi', '/lupa-sandi', { login: 'bendahara@demo.ngalamlaris.id' });
    expect(ask.statusCode).toBe(303);
    const sent = await b.get(ask.headers.location as string);
    expect(text(sent.body)).toContain('tautan untuk mengatur kata sandi baru sudah dikirim');
    const msg = await t.db.db
      .selectFrom('outbox_messages')
      .select('body')
      .where('recipient', '=', 'bendahara@demo.ngalamlaris.id')
      .executeTakeFirstOrThrow();
    const link = msg.body.match(/https?:\/\/\S+\/atur-sandi\?token=[\w-]+/)?.[0] as string;
    const path = new URL(link).pathname + new URL(link).search;
    const token = new URL(link).searchParams.get('token') as string;

    const short = await b.post(path, '/atur-sandi', { token, password: 'pendek' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('id="password-error"');

    const ok = await b.post(path, '/atur-sandi', { token, password: 'sandi-bendahara-baru' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/masuk');
    expect((await old.get('/dasbor')).statusCode).toBe(302);
    expect((await new Browser().login('bendahara@demo.ngalamlaris.id', 'sandi-bendahara-baru')).statusCode).toBe(303);

    const reused = await b.post(path, '/atur-sandi', { token, password: 'sandi-lain-lagi' });
    expect(reused.statusCode).toBe(400);
    expect(text(reused.body)).toContain('tidak sah, sudah dipakai, atau kedaluwarsa');
  });
});

describe('the account page', () => {
  it('changes name and language (remembered), and the password with the current one', async () => {
    const b = new Browser();
    await b.login('pasar@demo.ngalamlaris.id');
    const page = await b.get('/akun');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="Joko Santoso"');

    const saved = await b.post('/akun', '/akun', { name: 'Joko S.', locale: 'en' });
    expect(saved.statusCode).toBe(303);
    expect(b.cookies.nl_lang).toBe('en');
    const after = await b.get('/akun');
    expect(after.body).toContain('<html lang="en"');
    expect(text(after.body)).toContain('Profile saved.');

    const empty = await b.post('/akun', '/akun', { name: '', locale: 'en' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('id="name-error"');

    const wrong = await b.post('/akun', '/akun/sandi', { currentPassword: 'bukan', newPassword: 'sandi-pasar-baru' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toMatch(/id="currentPassword-error">The current password is wrong\./);
    const ok = await b.post('/akun', '/akun/sandi', { currentPassword: 'demo12345', newPassword: 'sandi-pasar-baru' });
    expect(ok.statusCode).toBe(303);
    expect((await b.get('/akun')).statusCode).toBe(200);

    const id = (await t.db.db.selectFrom('users').select('id').where('email', '=', 'pasar@demo.ngalamlaris.id').executeTakeFirstOrThrow())
      .id;
    const actions = await t.db.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['user.profile_update', 'user.password_change']);
    expect(actions[0]).toMatchObject({ before: { name: 'Joko Santoso', locale: 'id' }, after: { name: 'Joko S.', locale: 'en' } });
  });
});

describe('admin pages', () => {
  it('are for admins only: 403 for others, login for anonymous', async () => {
    const warga = new Browser();
    await warga.login('warga@demo.ngalamlaris.id');
    for (const url of ['/admin/pengguna', '/admin/audit']) {
      expect((await warga.get(url)).statusCode, url).toBe(403);
      expect((await new Browser().get(url)).statusCode, url).toBe(302);
    }
  });

  it('lists, searches and filters users in a table with the admin menu', async () => {
    const b = new Browser();
    await b.login('admin@demo.ngalamlaris.id');
    const list = await b.get('/admin/pengguna');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('<table class="data-table">');
    expect(navLinks(list.body)).toEqual(expect.arrayContaining(['Pengguna', 'Log audit']));
    const found = await b.get('/admin/pengguna?q=rahayu');
    expect(text(found.body)).toContain('Siti Rahayu');
    expect(text(found.body)).not.toContain('Hendra Wijaya');
    const byRole = text((await b.get('/admin/pengguna?role=mitra_pembiayaan')).body);
    expect(byRole).toContain('Mitra pembiayaan — Mitra Pembiayaan Demo');
    expect(byRole).not.toContain('Hendra Wijaya');
    const none = await b.get('/admin/pengguna?q=tidak-ada-yang-cocok');
    expect(none.body).toContain('empty-state');
  });

  it('grants a role in two steps, revokes it after confirmation, disables after confirmation', async () => {
    const b = new Browser();
    await b.login('admin@demo.ngalamlaris.id');
    const target = await t.db.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'dinas@demo.ngalamlaris.id')
      .executeTakeFirstOrThrow();
    const base = `/admin/pengguna/${target.id}`;
    const step2 = await b.get(`${base}?grantRole=pengelola_pasar`);
    expect(step2.statusCode).toBe(200);
    expect(text(step2.body)).toContain('Pasar Besar Malang');
    expect(text(step2.body)).not.toContain('KSP Sejahtera Bersama Malang');
    const pasar = await t.db.db.selectFrom('organizations').select('id').where('name', '=', 'Pasar Besar Malang').executeTakeFirstOrThrow();

    const wrongKind = await t.db.db
      .selectFrom('organizations')
      .select('id')
      .where('name', '=', 'Mitra Pembiayaan Demo')
      .executeTakeFirstOrThrow();
    const bad = await b.post(`${base}?grantRole=pengelola_pasar`, `${base}/peran`, {
      role: 'pengelola_pasar',
      organizationId: wrongKind.id,
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('id="organizationId-error"');

    const granted = await b.post(`${base}?grantRole=pengelola_pasar`, `${base}/peran`, {
      role: 'pengelola_pasar',
      organizationId: pasar.id,
    });
    expect(granted.statusCode).toBe(303);
    const detail = await b.get(base);
    expect(text(detail.body)).toContain('Peran diberikan.');
    expect(text(detail.body)).toContain('Pasar Besar Malang');
    const grant = await t.db.db
      .selectFrom('role_grants')
      .select('id')
      .where('user_id', '=', target.id)
      .where('role', '=', 'pengelola_pasar')
      .executeTakeFirstOrThrow();

    const confirm = await b.get(`${base}/peran/${grant.id}/cabut`);
    expect(confirm.statusCode).toBe(200);
    expect(text(confirm.body)).toContain('Cabut peran?');
    // nothing happened yet
    expect(await t.db.db.selectFrom('role_grants').select('id').where('id', '=', grant.id).executeTakeFirst()).toBeDefined();
    const revoked = await b.post(`${base}/peran/${grant.id}/cabut`, `${base}/peran/${grant.id}/cabut`, {});
    expect(revoked.statusCode).toBe(303);
    expect(await t.db.db.selectFrom('role_grants').select('id').where('id', '=', grant.id).executeTakeFirst()).toBeUndefined();

    const dinas = new Browser();
    await dinas.login('dinas@demo.ngalamlaris.id');
    const disabled = await b.post(`${base}/nonaktifkan`, `${base}/nonaktifkan`, {});
    expect(disabled.statusCode).toBe(303);
    expect((await dinas.get('/dasbor')).statusCode).toBe(302);
    expect(text((await b.get(base)).body)).toContain('Dinonaktifkan');
    const enabled = await b.post(base, `${base}/aktifkan`, {});
    expect(enabled.statusCode).toBe(303);

    const audit = await b.get(`/admin/audit?entityType=user&entityId=${target.id}`);
    expect(audit.statusCode).toBe(200);
    const auditText = text(audit.body);
    for (const action of ['role.grant', 'role.revoke', 'user.disable', 'user.enable']) expect(auditText).toContain(action);
    expect(auditText).toContain('Admin Ngalam Laris');
    expect(auditText).toMatch(/WIB/);
  });

  it('keeps an admin from disabling themselves on the web too', async () => {
    const b = new Browser();
    await b.login('admin@demo.ngalamlaris.id');
    const me = await t.db.db.selectFrom('users').select('id').where('email', '=', 'admin@demo.ngalamlaris.id').executeTakeFirstOrThrow();
    const res = await b.post(`/admin/pengguna/${me.id}`, `/admin/pengguna/${me.id}/nonaktifkan`, {});
    expect(res.statusCode).toBe(303);
    const page = text((await b.get(`/admin/pengguna/${me.id}`)).body);
    expect(page).toContain('Anda tidak dapat menonaktifkan akun Anda sendiri.');
    const row = await t.db.db.selectFrom('users').select('status').where('id', '=', me.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('active');
  });

  it('escapes user-chosen names everywhere they are shown', async () => {
    const evil = '<script>alert(1)</script>';
    const signup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { name: evil, email: 'xss@contoh.id', password: 'sandi-panjang-1' },
    });
    expect(signup.statusCode).toBe(201);
    const b = new Browser();
    await b.login('admin@demo.ngalamlaris.id');
    for (const url of ['/admin/pengguna?q=xss', `/admin/pengguna/${signup.json().user.id}`, '/admin/audit']) {
      const res = await b.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toContain(evil);
      expect(res.body, url).toContain('&lt;script');
    }
  });

  it('shows bad audit filters inline', async () => {
    const b = new Browser();
    await b.login('admin@demo.ngalamlaris.id');
    const res = await b.get('/admin/audit?from=kemarin');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="from-error"');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, createTestApp, type TestApp, withToken } from '../../../test/helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const login = (body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body });
const signup = (body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: body });

async function auditRows(entityId: string) {
  return t.db.db
    .selectFrom('audit_log')
    .select(['action', 'actor_user_id', 'before', 'after'])
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
}

describe('POST /api/v1/auth/login', () => {
  it('returns a token and the user with roles (organisation ids included)', async () => {
    const res = await login({ login: 'koperasi@demo.ngalamlaris.id', password: 'demo12345' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(typeof body.token).toBe('string');
    expect(body.token.length).toBeGreaterThan(30);
    expect(body.user).toMatchObject({ name: 'Hendra Wijaya', email: 'koperasi@demo.ngalamlaris.id' });
    const ksp = await t.db.db
      .selectFrom('organizations')
      .select('id')
      .where('name', '=', 'KSP Sejahtera Bersama Malang')
      .executeTakeFirstOrThrow();
    expect(body.user.roles).toEqual([{ role: 'pengurus_koperasi', organizationId: ksp.id }]);
    expect(res.body).not.toContain('password');
    expect(res.body).not.toContain('$argon2');
  });

  it('accepts the phone number in any common form', async () => {
    for (const phone of ['081330010003', '+6281330010003', '0813-3001-0003']) {
      const res = await login({ login: phone, password: 'demo12345' });
      expect(res.statusCode, phone).toBe(200);
      expect(res.json().user.name).toBe('Hendra Wijaya');
    }
  });

  it('answers 401 with the same message for a wrong password and an unknown login', async () => {
    const wrong = await login({ login: 'warga@demo.ngalamlaris.id', password: 'salah-sandi' });
    const unknown = await login({ login: 'tidak-ada@contoh.id', password: 'salah-sandi' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('unauthorized');
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
    expect(wrong.json().error.message).toBe('Email/nomor HP atau kata sandi salah.');
  });

  it('refuses the 11th attempt within 15 minutes with 429, and only for that login', async () => {
    const target = 'pasar@demo.ngalamlaris.id';
    for (let i = 1; i <= 10; i++) {
      const res = await login({ login: i % 2 ? target : 'PASAR@demo.ngalamlaris.id', password: `salah-${i}` });
      expect(res.statusCode, `attempt ${i}`).toBe(401);
    }
    const eleventh = await login({ login: target, password: 'demo12345' });
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json().error.code).toBe('rate_limited');
    // another login is unaffected
    expect((await login({ login: 'mitra@demo.ngalamlaris.id', password: 'demo12345' })).statusCode).toBe(200);
  });

  it('tells a disabled account so clearly', async () => {
    await t.db.db.updateTable('users').set({ status: 'disabled' }).where('email', '=', 'bendahara@demo.ngalamlaris.id').execute();
    const res = await login({ login: 'bendahara@demo.ngalamlaris.id', password: 'demo12345' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('dinonaktifkan');
    await t.db.db.updateTable('users').set({ status: 'active' }).where('email', '=', 'bendahara@demo.ngalamlaris.id').execute();
  });

  it('validates the body', async () => {
    const res = await login({ login: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields).toEqual([{ field: 'password', message: 'Wajib diisi.' }]);
  });
});

describe('bearer tokens', () => {
  it('GET /api/v1/me returns the user as login does', async () => {
    const res = await login({ login: 'umkm@demo.ngalamlaris.id', password: 'demo12345' });
    const { token, user } = res.json();
    const me = await t.app.inject(withToken(token, { method: 'GET', url: '/api/v1/me' }));
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual(user);
    expect(me.json().roles[0].role).toBe('pelaku_umkm');
  });

  it('GET /api/v1/me without a token is 401', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });

  it('logout revokes the token', async () => {
    const token = await apiLogin(t.app, 'dinas@demo.ngalamlaris.id');
    const other = await apiLogin(t.app, 'dinas@demo.ngalamlaris.id');
    const out = await t.app.inject(withToken(token, { method: 'POST', url: '/api/v1/auth/logout' }));
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject(withToken(token, { method: 'GET', url: '/api/v1/me' }))).statusCode).toBe(401);
    // only that token: another session of the same user lives on
    expect((await t.app.inject(withToken(other, { method: 'GET', url: '/api/v1/me' }))).statusCode).toBe(200);
  });

  it('a web session cookie value is not accepted as a bearer token', async () => {
    const user = await t.db.db.selectFrom('users').select('id').where('email', '=', 'warga@demo.ngalamlaris.id').executeTakeFirstOrThrow();
    const { createSession } = await import('../../platform/auth/sessions.js');
    const web = await createSession(t.db.db, user.id, 'web');
    expect((await t.app.inject(withToken(web.token, { method: 'GET', url: '/api/v1/me' }))).statusCode).toBe(401);
  });
});

describe('POST /api/v1/auth/signup', () => {
  it('creates a warga account, logs it in and audits it without the password', async () => {
    const res = await signup({ name: 'Ani Suryani', email: 'Ani@Contoh.id', password: 'rahasia-ani-1', accountType: 'warga' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.user).toMatchObject({
      name: 'Ani Suryani',
      email: 'ani@contoh.id',
      phone: null,
      roles: [{ role: 'warga', organizationId: null }],
    });
    const me = await t.app.inject(withToken(body.token, { method: 'GET', url: '/api/v1/me' }));
    expect(me.json().id).toBe(body.user.id);
    const audit = await auditRows(body.user.id);
    expect(audit.map((a) => a.action)).toEqual(['user.signup']);
    expect(audit[0]?.actor_user_id).toBe(body.user.id);
    expect(audit[0]?.after).toMatchObject({ name: 'Ani Suryani', email: 'ani@contoh.id' });
    expect(JSON.stringify(audit)).not.toContain('argon2');
    expect(JSON.stringify(audit)).not.toContain('rahasia-ani-1');
  });

  it('a pelaku UMKM gets warga and pelaku_umkm without a business; the phone is normalised', async () => {
    const res = await signup({ name: 'Tono', phone: '+62 857-1234-5678', password: 'usaha-tono-1', accountType: 'pelaku_umkm' });
    expect(res.statusCode).toBe(201);
    expect(res.json().user.phone).toBe('085712345678');
    expect(res.json().user.roles).toHaveLength(2);
    expect(res.json().user.roles).toEqual(
      expect.arrayContaining([
        { role: 'warga', organizationId: null },
        { role: 'pelaku_umkm', organizationId: null },
      ]),
    );
    // and can log in with the other spelling of the number
    expect((await login({ login: '085712345678', password: 'usaha-tono-1' })).statusCode).toBe(200);
  });

  it.each([
    [{ name: 'Budi', email: 'budi-at-contoh', password: 'panjang-sekali' }, 'email', 'Alamat email tidak sah.'],
    [{ name: 'Budi', email: 'budi@contoh.id', password: 'pendek' }, 'password', 'Minimal 8 karakter.'],
    [{ name: 'Budi', password: 'panjang-sekali' }, 'email', 'Isi email atau nomor HP (salah satu cukup).'],
    [{ name: 'Budi', phone: '0341-551234', password: 'panjang-sekali' }, 'phone', 'Nomor HP tidak sah (contoh: 081234567890).'],
    [{ name: 'Budi', email: 'budi@contoh.id', password: 'BUDI@contoh.id' }, 'password', 'Kata sandi tidak boleh sama dengan email.'],
    [
      { name: 'Budi', email: 'budi@contoh.id', password: 'panjang-sekali', accountType: 'admin' },
      'accountType',
      'Nilai tidak diperbolehkan.',
    ],
  ])('rejects %j with 400 on %s', async (body, field, message) => {
    const res = await signup(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields).toContainEqual({ field, message });
  });

  it('answers 409 for a taken email (any case) or phone', async () => {
    const email = await signup({ name: 'Lain', email: 'WARGA@demo.ngalamlaris.id', password: 'panjang-sekali' });
    expect(email.statusCode).toBe(409);
    expect(email.json().error.details.fields).toEqual([{ field: 'email', message: expect.stringContaining('sudah terdaftar') }]);
    const phone = await signup({ name: 'Lain', phone: '+6281330010005', password: 'panjang-sekali' });
    expect(phone.statusCode).toBe(409);
    expect(phone.json().error.details.fields[0].field).toBe('phone');
  });
});

describe('password reset', () => {
  async function latestMessage(recipient: string) {
    return t.db.db
      .selectFrom('outbox_messages')
      .select(['channel', 'recipient', 'subject', 'body'])
      .where('recipient', '=', recipient)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
  }
  const tokenIn = (body: string) => {
    const m = body.match(/\/atur-sandi\?token=([A-Za-z0-9_-]+)/);
    if (!m) throw new Error(`no link in ${body}`);
    return m[1] as string;
  };

  it('answers 202 whether or not the account exists, and only writes a message for a real one', async () => {
    const before = await t.db.db.selectFrom('outbox_messages').select(t.db.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { login: 'tidak-ada@contoh.id' } });
    expect(none.statusCode).toBe(202);
    const after = await t.db.db.selectFrom('outbox_messages').select(t.db.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('works end to end: Indonesian message with the link, new password, old sessions dead, token single use', async () => {
    const oldToken = await apiLogin(t.app, 'anggota@demo.ngalamlaris.id');
    const req = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { login: '0813 3001 0004' } });
    expect(req.statusCode).toBe(202);
    const msg = await latestMessage('anggota@demo.ngalamlaris.id');
    expect(msg.channel).toBe('email');
    expect(msg.subject).toBe('Atur ulang kata sandi Ngalam Laris');
    expect(msg.body).toContain('Halo Bambang Sutrisno');
    expect(msg.body).toContain(`${t.config.publicUrl}/atur-sandi?token=`);
    const token = tokenIn(msg.body);

    const short = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token, password: 'pendek' },
    });
    expect(short.statusCode).toBe(400);

    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token, password: 'sandi-baru-anggota' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject(withToken(oldToken, { method: 'GET', url: '/api/v1/me' }))).statusCode).toBe(401);
    expect((await login({ login: 'anggota@demo.ngalamlaris.id', password: 'demo12345' })).statusCode).toBe(401);
    expect((await login({ login: 'anggota@demo.ngalamlaris.id', password: 'sandi-baru-anggota' })).statusCode).toBe(200);

    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token, password: 'sandi-ketiga-123' },
    });
    expect(again.statusCode).toBe(422);
    expect(again.json().error.message).toContain('tidak sah');

    const user = await t.db.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'anggota@demo.ngalamlaris.id')
      .executeTakeFirstOrThrow();
    const actions = (await auditRows(user.id)).map((a) => a.action);
    expect(actions).toEqual(['user.password_reset_requested', 'user.password_reset']);
  });

  it('sends an SMS to an account without email', async () => {
    const res = await signup({ name: 'Pak Slamet', phone: '081299998888', password: 'sandi-slamet-1' });
    expect(res.statusCode).toBe(201);
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { login: '+6281299998888' } });
    const msg = await latestMessage('081299998888');
    expect(msg.channel).toBe('sms');
    expect(msg.body).toContain('/atur-sandi?token=');
  });

  it('refuses an expired token', async () => {
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { login: 'pendamping@demo.ngalamlaris.id' } });
    const token = tokenIn((await latestMessage('pendamping@demo.ngalamlaris.id')).body);
    await t.db.db
      .updateTable('password_resets')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('used_at', 'is', null)
      .execute();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token, password: 'sandi-baru-123' },
    });
    expect(res.statusCode).toBe(422);
  });
});

describe('own account through the API', () => {
  it('changes name and language, then the password (current one required), all audited', async () => {
    const token = await apiLogin(t.app, 'mitra@demo.ngalamlaris.id');
    const patch = await t.app.inject(withToken(token, { method: 'PATCH', url: '/api/v1/me', payload: { name: 'Dewi L.', locale: 'en' } }));
    expect(patch.statusCode).toBe(200);
    expect(patch.json()).toMatchObject({ name: 'Dewi L.', locale: 'en' });

    const wrong = await t.app.inject(
      withToken(token, {
        method: 'POST',
        url: '/api/v1/me/password',
        payload: { currentPassword: 'bukan', newPassword: 'sandi-mitra-baru' },
      }),
    );
    expect(wrong.statusCode).toBe(400);
    // the token's locale is now English
    expect(wrong.json().error.details.fields).toEqual([{ field: 'currentPassword', message: 'The current password is wrong.' }]);
    const ok = await t.app.inject(
      withToken(token, {
        method: 'POST',
        url: '/api/v1/me/password',
        payload: { currentPassword: 'demo12345', newPassword: 'sandi-mitra-baru' },
      }),
    );
    expect(ok.statusCode).toBe(204);
    // this token stays valid
    expect((await t.app.inject(withToken(token, { method: 'GET', url: '/api/v1/me' }))).statusCode).toBe(200);
    expect((await login({ login: 'mitra@demo.ngalamlaris.id', password: 'sandi-mitra-baru' })).statusCode).toBe(200);

    const me = patch.json();
    const audit = await auditRows(me.id);
    expect(audit.map((a) => a.action)).toEqual(['user.profile_update', 'user.password_change']);
    expect(audit[0]).toMatchObject({ before: { name: 'Dewi Lestari', locale: 'id' }, after: { name: 'Dewi L.', locale: 'en' } });
  });
});

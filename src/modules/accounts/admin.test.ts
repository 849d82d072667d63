import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, createTestApp, type TestApp, withToken } from '../../../test/helpers.js';

let t: TestApp;
let admin: string;
let adminId: string;
let orgs: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await apiLogin(t.app, 'admin@demo.ngalamlaris.id');
  adminId = (await t.app.inject(withToken(admin, { method: 'GET', url: '/api/v1/me' }))).json().id;
  const rows = await t.db.db.selectFrom('organizations').select(['id', 'name']).where('is_demo', '=', true).execute();
  orgs = Object.fromEntries(rows.map((r) => [r.name, r.id]));
});
afterAll(async () => {
  await t?.close();
});

const api = (token: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
  t.app.inject(withToken(token, { method, url, ...(payload !== undefined ? { payload: payload as object } : {}) }));

async function userId(email: string) {
  return (await t.db.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

async function audit(entityId: string, action: string) {
  return t.db.db
    .selectFrom('audit_log')
    .select(['actor_user_id', 'organization_id', 'before', 'after'])
    .where('entity_id', '=', entityId)
    .where('action', '=', action)
    .orderBy('id', 'desc')
    .execute();
}

describe('who may use the admin API', () => {
  it('anonymous → 401, pengurus koperasi and warga → 403', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/users' })).statusCode).toBe(401);
    const pengurus = await apiLogin(t.app, 'koperasi@demo.ngalamlaris.id');
    const warga = await apiLogin(t.app, 'warga@demo.ngalamlaris.id');
    for (const token of [pengurus, warga]) {
      for (const url of ['/api/v1/admin/users', '/api/v1/admin/audit', '/api/v1/admin/organizations', `/api/v1/admin/users/${adminId}`]) {
        const res = await api(token, 'GET', url);
        expect(res.statusCode, url).toBe(403);
        expect(res.json().error.code).toBe('forbidden');
      }
      const grant = await api(token, 'POST', `/api/v1/admin/users/${adminId}/roles`, { role: 'dinas' });
      expect(grant.statusCode).toBe(403);
    }
  });
});

describe('GET /api/v1/admin/users', () => {
  it('lists users 20 per page with total, never a password hash', async () => {
    const res = await api(admin, 'GET', '/api/v1/admin/users');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.page).toBe(1);
    expect(body.pageSize).toBe(20);
    expect(body.total).toBeGreaterThanOrEqual(10);
    expect(res.body).not.toMatch(/password|argon2/i);
  });

  it('searches name, email and phone, filters by role and status, sorts and pages', async () => {
    const byName = (await api(admin, 'GET', '/api/v1/admin/users?q=wahyuning')).json();
    expect(byName.items.map((u: { email: string }) => u.email)).toEqual(['umkm@demo.ngalamlaris.id']);
    const byPhone = (await api(admin, 'GET', '/api/v1/admin/users?q=%2B6281330010002')).json();
    expect(byPhone.items.map((u: { name: string }) => u.name)).toEqual(['Agus Prasetyo']);
    const byRole = (await api(admin, 'GET', '/api/v1/admin/users?role=pengurus_koperasi&sort=name')).json();
    expect(byRole.items.map((u: { name: string }) => u.name)).toEqual(['Hendra Wijaya', 'Siti Rahayu', 'Sri Mulyani (Pembina Kopsis)']);
    expect(byRole.items[0].roles[0]).toMatchObject({
      role: 'pengurus_koperasi',
      organizationName: 'KSP Sejahtera Bersama Malang',
      organizationKind: 'koperasi',
    });
    const desc = (await api(admin, 'GET', '/api/v1/admin/users?sort=name&dir=desc&pageSize=3')).json();
    const names = desc.items.map((u: { name: string }) => u.name);
    expect(names).toEqual([...names].sort().reverse());
    expect(names).toHaveLength(3);
    const page2 = (await api(admin, 'GET', '/api/v1/admin/users?sort=name&dir=desc&pageSize=3&page=2')).json();
    expect(page2.items.map((u: { name: string }) => u.name).some((n: string) => names.includes(n))).toBe(false);
    const wildcard = (await api(admin, 'GET', '/api/v1/admin/users?q=%25')).json();
    expect(wildcard.total).toBe(0);
  });

  it('rejects a bad filter with 400', async () => {
    expect((await api(admin, 'GET', '/api/v1/admin/users?role=raja')).statusCode).toBe(400);
  });
});

describe('granting and revoking roles', () => {
  it('grants an organisation role for an organisation of the right kind, and audits it', async () => {
    const warga = await userId('warga@demo.ngalamlaris.id');
    const res = await api(admin, 'POST', `/api/v1/admin/users/${warga}/roles`, {
      role: 'anggota_koperasi',
      organizationId: orgs['Kopsis SMPN Contoh Malang'],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      role: 'anggota_koperasi',
      organizationName: 'Kopsis SMPN Contoh Malang',
      organizationKind: 'koperasi',
    });
    // the user's token now carries the role
    const token = await apiLogin(t.app, 'warga@demo.ngalamlaris.id');
    const me = (await api(token, 'GET', '/api/v1/me')).json();
    expect(me.roles).toContainEqual({ role: 'anggota_koperasi', organizationId: orgs['Kopsis SMPN Contoh Malang'] });
    const rows = await audit(warga, 'role.grant');
    expect(rows[0]).toMatchObject({
      actor_user_id: adminId,
      organization_id: orgs['Kopsis SMPN Contoh Malang'],
      before: null,
      after: { role: 'anggota_koperasi', organizationName: 'Kopsis SMPN Contoh Malang', grantId: res.json().id },
    });
    // the same grant twice is a conflict
    const again = await api(admin, 'POST', `/api/v1/admin/users/${warga}/roles`, {
      role: 'anggota_koperasi',
      organizationId: orgs['Kopsis SMPN Contoh Malang'],
    });
    expect(again.statusCode).toBe(409);
  });

  it.each([
    ['pengurus_koperasi', 'Keripik Tempe Bu Sri Sanan'],
    ['pelaku_umkm', 'KSP Sejahtera Bersama Malang'],
    ['pengelola_pasar', 'Mitra Pembiayaan Demo'],
    ['mitra_pembiayaan', 'Pasar Besar Malang'],
    ['pengelola_pasar', null],
    ['dinas', 'Pasar Besar Malang'],
    ['admin', 'KSP Sejahtera Bersama Malang'],
  ])('refuses %s for %s with 422', async (role, orgName) => {
    const warga = await userId('warga@demo.ngalamlaris.id');
    const res = await api(admin, 'POST', `/api/v1/admin/users/${warga}/roles`, {
      role,
      ...(orgName ? { organizationId: orgs[orgName] } : {}),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('rule_violated');
  });

  it('404 for an unknown user or organisation', async () => {
    expect((await api(admin, 'POST', '/api/v1/admin/users/00000000-0000-0000-0000-000000000000/roles', { role: 'dinas' })).statusCode).toBe(
      404,
    );
    expect((await api(admin, 'GET', '/api/v1/admin/users/bukan-uuid')).statusCode).toBe(404);
    const warga = await userId('warga@demo.ngalamlaris.id');
    const res = await api(admin, 'POST', `/api/v1/admin/users/${warga}/roles`, {
      role: 'pelaku_umkm',
      organizationId: '00000000-0000-0000-0000-000000000000',
    });
    expect(res.statusCode).toBe(422);
  });

  it('revokes a role and audits the grant it removed', async () => {
    const pendamping = await userId('pendamping@demo.ngalamlaris.id');
    const granted = (await api(admin, 'POST', `/api/v1/admin/users/${pendamping}/roles`, { role: 'dinas' })).json();
    const del = await api(admin, 'DELETE', `/api/v1/admin/users/${pendamping}/roles/${granted.id}`);
    expect(del.statusCode).toBe(204);
    const user = (await api(admin, 'GET', `/api/v1/admin/users/${pendamping}`)).json();
    expect(user.roles.map((r: { role: string }) => r.role)).toEqual(['pendamping']);
    const rows = await audit(pendamping, 'role.revoke');
    expect(rows[0]).toMatchObject({ actor_user_id: adminId, before: { grantId: granted.id, role: 'dinas' }, after: null });
    // a grant of another user cannot be revoked through this user
    const dinas = await userId('dinas@demo.ngalamlaris.id');
    const dinasGrant = (await api(admin, 'GET', `/api/v1/admin/users/${dinas}`)).json().roles[0].id;
    expect((await api(admin, 'DELETE', `/api/v1/admin/users/${pendamping}/roles/${dinasGrant}`)).statusCode).toBe(404);
  });

  it('an admin cannot revoke their own admin role or disable themselves', async () => {
    const own = (await api(admin, 'GET', `/api/v1/admin/users/${adminId}`)).json().roles.find((r: { role: string }) => r.role === 'admin');
    const revoke = await api(admin, 'DELETE', `/api/v1/admin/users/${adminId}/roles/${own.id}`);
    expect(revoke.statusCode).toBe(422);
    const disable = await api(admin, 'POST', `/api/v1/admin/users/${adminId}/disable`);
    expect(disable.statusCode).toBe(422);
    expect((await api(admin, 'GET', '/api/v1/me')).json().roles).toContainEqual({ role: 'admin', organizationId: null });
  });
});

describe('disabling and enabling an account', () => {
  it('disable ends the sessions and blocks login; enable lets the user back in; both audited', async () => {
    const pasarToken = await apiLogin(t.app, 'umkm@demo.ngalamlaris.id');
    const id = await userId('umkm@demo.ngalamlaris.id');
    const res = await api(admin, 'POST', `/api/v1/admin/users/${id}/disable`);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('disabled');
    expect((await api(pasarToken, 'GET', '/api/v1/me')).statusCode).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: 'umkm@demo.ngalamlaris.id', password: 'demo12345' },
    });
    expect(login.statusCode).toBe(403);
    expect(await t.db.db.selectFrom('sessions').select('token_hash').where('user_id', '=', id).execute()).toEqual([]);
    expect((await audit(id, 'user.disable'))[0]).toMatchObject({
      actor_user_id: adminId,
      before: { status: 'active' },
      after: { status: 'disabled' },
    });

    const filtered = (await api(admin, 'GET', '/api/v1/admin/users?status=disabled')).json();
    expect(filtered.items.map((u: { id: string }) => u.id)).toEqual([id]);

    const en = await api(admin, 'POST', `/api/v1/admin/users/${id}/enable`);
    expect(en.json().status).toBe('active');
    expect((await audit(id, 'user.enable'))[0]).toMatchObject({ before: { status: 'disabled' }, after: { status: 'active' } });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { login: 'umkm@demo.ngalamlaris.id', password: 'demo12345' },
        })
      ).statusCode,
    ).toBe(200);
  });
});

describe('GET /api/v1/admin/organizations', () => {
  it('lists organisations by kind and name', async () => {
    const res = await api(admin, 'GET', '/api/v1/admin/organizations?kind=koperasi');
    const names = res.json().items.map((o: { name: string }) => o.name);
    expect(names).toContain('KSP Sejahtera Bersama Malang');
    expect(names).toContain('Kopsis SMPN Contoh Malang');
    expect(res.json().items.every((o: { kind: string }) => o.kind === 'koperasi')).toBe(true);
    const q = (await api(admin, 'GET', '/api/v1/admin/organizations?kind=pasar&q=pasar%20besar')).json();
    expect(q.items).toEqual([{ id: orgs['Pasar Besar Malang'], name: 'Pasar Besar Malang', kind: 'pasar', isDemo: true }]);
    const byName = (await api(admin, 'GET', '/api/v1/admin/organizations?q=pasar%20besar')).json();
    expect(byName.items.every((o: { name: string }) => /pasar besar/i.test(o.name))).toBe(true);
  });
});

describe('GET /api/v1/admin/audit', () => {
  it('shows who did what, newest first, filtered by entity, actor and WIB dates', async () => {
    const anggota = await userId('anggota@demo.ngalamlaris.id');
    const g = (await api(admin, 'POST', `/api/v1/admin/users/${anggota}/roles`, { role: 'warga' })).json();
    await api(admin, 'DELETE', `/api/v1/admin/users/${anggota}/roles/${g.id}`);
    const res = await api(admin, 'GET', `/api/v1/admin/audit?entityType=user&entityId=${anggota}`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.map((a: { action: string }) => a.action)).toEqual(['role.revoke', 'role.grant']);
    expect(items[0]).toMatchObject({ actorId: adminId, actorName: 'Admin Ngalam Laris', entityType: 'user', entityId: anggota });
    expect(items[1].after).toMatchObject({ role: 'warga' });

    const byActor = (await api(admin, 'GET', `/api/v1/admin/audit?actor=${adminId}&pageSize=100`)).json();
    expect(byActor.items.length).toBeGreaterThanOrEqual(2);
    expect(byActor.items.every((a: { actorId: string }) => a.actorId === adminId)).toBe(true);
    const times = byActor.items.map((a: { at: string }) => a.at);
    expect(times).toEqual([...times].sort().reverse());

    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
    const todays = (await api(admin, 'GET', `/api/v1/admin/audit?entityId=${anggota}&from=${today}&to=${today}`)).json();
    expect(todays.total).toBe(2);
    const past = (await api(admin, 'GET', `/api/v1/admin/audit?entityId=${anggota}&to=2020-01-01`)).json();
    expect(past.total).toBe(0);
    expect((await api(admin, 'GET', '/api/v1/admin/audit?from=kemarin')).statusCode).toBe(400);
  });
});

/**
 * Test support for the registry's import/export/directory tests: a test app (PGlite in memory, or
 * an isolated schema on TEST_DATABASE_URL) with `registryExtras` registered even before the
 * registry module registers it itself, plus users with bearer tokens and web sessions.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { startApp } from '../../bootstrap.js';
import { loadConfig } from '../../config.js';
import { type Db, openDatabase } from '../../db/index.js';
import { createSession } from '../../platform/auth/sessions.js';
import type { Role } from '../../platform/context.js';
import { registryExtras } from './import-web.js';
import { makeUser } from './test-support.js';

export interface ExtrasTestApp {
  app: FastifyInstance;
  db: Db;
  close(): Promise<void>;
}

export async function createExtrasTestApp(): Promise<ExtrasTestApp> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_PASSWORD: 'demo12345', SEED_DEMO: 'false' });
  const url = process.env.TEST_DATABASE_URL;
  let db: Db;
  let dropSchema: (() => Promise<void>) | undefined;
  if (url) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('create extension if not exists pg_trgm');
    await admin.query(`create schema ${schema}`);
    await admin.end();
    db = await openDatabase({ databaseUrl: url, schema, poolSize: 5 });
    dropSchema = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    };
  } else {
    db = await openDatabase({ memory: true });
  }
  const started = await startApp({ ...config }, db);
  if (!started.app.hasRoute({ method: 'GET', url: '/direktori' })) await started.app.register(registryExtras);
  await started.app.ready();
  return {
    app: started.app,
    db,
    async close() {
      await started.app.close();
      await db.close();
      if (dropSchema) await dropSchema();
    },
  };
}

/** A user with roles, an API bearer token and a web session cookie. */
export async function userWith(t: ExtrasTestApp, roles: { role: Role; organizationId?: string | null }[], name = 'Penguji') {
  const id = await makeUser(t.db.db, roles, name);
  const api = await createSession(t.db.db, id, 'api');
  const web = await createSession(t.db.db, id, 'web');
  return { id, token: api.token, cookie: `nl_session=${web.token}`, auth: { authorization: `Bearer ${api.token}` } };
}

/** A multipart/form-data body with text fields and one file. */
export function multipart(fields: Record<string, string>, file?: { name: string; content: Buffer | string; type?: string }) {
  const boundary = `----nl${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
    );
    parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

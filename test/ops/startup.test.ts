import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, freePort, runScript, start, tempDir } from './spawn.js';

// These start their own processes on an embedded DATA_DIR: the database under test plays no part,
// so they run once, in the PGlite pass, not again in the PostgreSQL pass (npm test runs both).
const ON_POSTGRES = Boolean(process.env.TEST_DATABASE_URL);

const dirs: string[] = [];
function dir(prefix: string) {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
}
// Every start here runs the bundle `npm start` runs (and it loads in a fraction of tsx's time).
beforeAll(() => buildDist());
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The operator sees exactly one line on stderr, with no stack trace. */
function expectOneLine(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe.skipIf(ON_POSTGRES)('start-up problems stop the app with one line saying what to fix', () => {
  it('a DATABASE_URL where no PostgreSQL listens', async () => {
    const r = await runScript('dist/main.js', { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x', PORT: String(await freePort()) });
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /DATABASE_URL postgres:\/\/nobody.*127\.0\.0\.1:1\/x.*PostgreSQL running/);
  });

  it('a DATABASE_URL that is not PostgreSQL', async () => {
    const r = await runScript('dist/main.js', { DATABASE_URL: 'mysql://root:rahasia@localhost/laris', PORT: String(await freePort()) });
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /DATABASE_URL must start with postgres:\/\//);
    expect(r.stderr).not.toContain('rahasia');
  });

  it('a DATA_DIR that cannot be created (its parent is a file)', async () => {
    const d = dir('file-parent');
    const file = path.join(d, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const r = await runScript('dist/main.js', { DATA_DIR: path.join(file, 'data'), PORT: String(await freePort()) });
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /DATA_DIR .*not-a-folder\/data is not writable.*set DATA_DIR/);
  });

  it('a port that is already in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '0.0.0.0', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await runScript('dist/main.js', { DATA_DIR: dir('port'), PORT: String(port), SEED_DEMO: 'false' });
      expect(r.code).not.toBe(0);
      expectOneLine(r.stderr, new RegExp(`Port ${port} is already in use.*PORT`));
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });

  it('an invalid PORT', async () => {
    const r = await runScript('dist/main.js', { DATA_DIR: dir('badport'), PORT: 'tiga ribu' });
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /PORT must be a whole number/);
  });

  it('WEB_CONCURRENCY above 1 on the embedded database', async () => {
    const r = await runScript('dist/main.js', { DATA_DIR: dir('cluster'), PORT: String(await freePort()), WEB_CONCURRENCY: '2' });
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /WEB_CONCURRENCY above 1 needs DATABASE_URL/);
  });

  it('npm run worker on the embedded database refuses and points to IN_PROCESS_JOBS', async () => {
    const r = await runScript('dist/worker.js', { DATA_DIR: dir('worker') });
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /DATABASE_URL.*IN_PROCESS_JOBS/);
  });
});

describe.skipIf(ON_POSTGRES)('first start on an empty DATA_DIR, as `npm start` runs it (the dist/ bundle)', () => {
  it('creates the embedded database, answers /healthz and serves the pages and their assets', async () => {
    const dataDir = dir('fresh');
    const port = await freePort();
    const app = start('dist/main.js', { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' });
    let exitedEarly: unknown = null;
    void app.exited.then((f) => {
      exitedEarly = f;
    });
    try {
      let body: unknown = null;
      // Poll until the server answers (first start migrates and seeds; the test timeout bounds it).
      while (!exitedEarly) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/healthz`);
          if (res.status === 200) {
            body = await res.json();
            break;
          }
        } catch {
          /* not listening yet */
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(exitedEarly, app.stderr()).toBeNull();
      expect(body).toEqual({ status: 'ok', database: 'pglite', searchIndex: expect.stringMatching(/^(ready|loading)$/) });
      expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(true);
      // Files the bundle reads from the project folder: public assets, htmx, the seeded regions.
      for (const asset of ['/static/app.css', '/static/vendor/htmx.min.js']) {
        const res = await fetch(`http://127.0.0.1:${port}${asset}`);
        expect(res.status, asset).toBe(200);
      }
      const regions = await fetch(`http://127.0.0.1:${port}/api/v1/regions?level=kelurahan`);
      expect(regions.status).toBe(200);
      expect(JSON.stringify(await regions.json())).toContain('Purwantoro');
    } finally {
      app.child.kill('SIGTERM');
    }
    const done = await app.exited;
    expect(done.code).toBe(0);
    expect(done.stderr).toBe('');
    // A whole first start (migrate + every module's demo data) in a child process, while the
    // other test files share the two cores: not a timing test, so a generous bound.
  }, 240_000);
});

describe.runIf(ON_POSTGRES)('WEB_CONCURRENCY=2 on PostgreSQL (the dist/ bundle)', () => {
  it('runs two app processes on one port, and stops them all on SIGTERM', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL as string);
    const name = `t_cluster_${process.pid}`;
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    await admin.end();
    url.pathname = `/${name}`;
    const port = await freePort();
    const app = start('dist/main.js', {
      DATABASE_URL: url.toString(),
      DATA_DIR: dir('cluster-pg'),
      PORT: String(port),
      HOST: '127.0.0.1',
      WEB_CONCURRENCY: '2',
      SEED_DEMO: 'false',
    });
    try {
      // Both processes migrate the new database (under the migration lock) and listen.
      const deadline = Date.now() + 120_000;
      let ok = 0;
      while (ok < 10 && Date.now() < deadline && app.child.exitCode === null) {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
        if (res?.status === 200) ok++;
        else await new Promise((r) => setTimeout(r, 200));
      }
      expect(ok, app.stderr()).toBe(10);
      const workers = execFileSync('ps', ['--ppid', String(app.child.pid), '-o', 'pid='])
        .toString()
        .trim()
        .split('\n');
      expect(workers).toHaveLength(2);
    } finally {
      app.child.kill('SIGTERM');
    }
    const done = await app.exited;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toBe('');
    const drop = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL as string });
    await drop.connect();
    await drop.query(`drop database if exists ${name} with (force)`);
    await drop.end();
  }, 180_000);
});

/**
 * Cooperative books benchmarks (issue 5) against a real server process on PostgreSQL.
 *
 *   npx tsx bench/books.ts <generate|savings|reports|statement|all> [--duration 10] [--connections 16]
 *
 * generate   fresh database `bench_books` (on BENCH_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres),
 *            migrated, one koperasi with books set up through the service, 20,000 members and 60 months of
 *            wajib deposits for every member (1.2M savings rows, 1.2M journal entries, 2.4M journal lines)
 *            generated server-side (INSERT … SELECT FROM generate_series), months before the current one
 *            closed, then ANALYZE and a consistency check (trial balance, balances = sums).
 * savings    POST /api/v1/koperasi/{id}/savings/transactions (sukarela deposits, random members, today) as
 *            pengurus with 16 connections: transactions/s, p50/p95/p99; then ledger and row-count checks.
 * reports    trial balance and balance sheet as of the end of the last full year, income statement of that
 *            year: sequential (2 warm-ups + 10) and under 4 connections: p50/p95 ms.
 * statement  GET …/members/{memberId}/statement for a year, random members: 16 connections and sequential.
 * all        every scenario in turn (generate first when the database is missing).
 *
 * Every run appends a line per scenario to bench/results/books.jsonl. The server is bench/server.ts.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { ADMIN_URL, pct, ROOT, round, startServer } from './server.js';

const DB_NAME = process.env.BENCH_BOOKS_DB ?? 'bench_books';
const N_MEMBERS = Number(process.env.BENCH_MEMBERS ?? 20_000);
const N_MONTHS = Number(process.env.BENCH_MONTHS ?? 60);
const KOP_NAME = 'KSP Bench Sejahtera Malang';

const log = (s: string) => process.stderr.write(`[bench:books] ${s}\n`);

function dbUrl() {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
}

function todayWib(now = new Date()) {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** 'YYYY-MM' n months before `period`. */
function monthsBefore(period: string, n: number) {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const idx = y * 12 + (m - 1) - n;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

function loadAvg() {
  try {
    return execSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return os
      .loadavg()
      .map((x) => round(x, 2))
      .join(', ');
  }
}

// ---------------------------------------------------------------------------------------------
// Data

async function databaseExists() {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  const r = await c.query('select 1 from pg_database where datname = $1', [DB_NAME]);
  await c.end();
  return r.rowCount === 1;
}

async function withClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: dbUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function koperasiId(c: pg.Client): Promise<string> {
  const r = await c.query(`select id from organizations where kind = 'koperasi' and name = $1`, [KOP_NAME]);
  if (!r.rows[0]) throw new Error(`no koperasi "${KOP_NAME}" in ${DB_NAME}: run generate`);
  return r.rows[0].id as string;
}

/** Ledger checks: trial balance debit = credit (service), balances = sums of savings rows (service), every entry balanced. */
async function consistency(koperasi: string, asOf = todayWib()) {
  const { openDatabase } = await import('../src/db/index.js');
  const svc = await import('../src/modules/books/service.js');
  const { contextFor, makeUser } = await import('../src/modules/books/test-support.js');
  const db = await openDatabase({ databaseUrl: dbUrl(), poolSize: 2 });
  try {
    const t0 = performance.now();
    const reader = await makeUser(db.db, [{ role: 'dinas' }], 'Bench Pemeriksa');
    const ctx = await contextFor(db.db, reader);
    const tb = await svc.trialBalance(db.db, ctx, koperasi, asOf);
    const rec = await svc.reconcile(db.db, koperasi);
    const c = await withClient(async (cl) => {
      const unbalanced = await cl.query(
        `select count(*)::int as n from (select entry_id from books_journal_lines where koperasi_id = $1
           group by entry_id having sum(debit) <> sum(credit)) x`,
        [koperasi],
      );
      const dupNumbers = await cl.query(
        `select count(*)::int as n from (select number from books_journal_entries where koperasi_id = $1 group by number having count(*) > 1) x`,
        [koperasi],
      );
      const counts = await cl.query(
        `select (select count(*)::int from books_journal_entries where koperasi_id = $1) as entries,
                (select count(*)::int from books_journal_lines where koperasi_id = $1) as lines,
                (select count(*)::int from books_savings_transactions where koperasi_id = $1) as savings,
                (select max(number)::int from books_journal_entries where koperasi_id = $1) as max_number`,
        [koperasi],
      );
      return { unbalanced: unbalanced.rows[0].n as number, dupNumbers: dupNumbers.rows[0].n as number, ...counts.rows[0] };
    });
    const ok = tb.totalDebit === tb.totalCredit && rec.ok && c.unbalanced === 0 && c.dupNumbers === 0 && c.max_number === c.entries;
    return {
      ok,
      trialBalance: { asOf, totalDebit: Number(tb.totalDebit), totalCredit: Number(tb.totalCredit) },
      balancesEqualSums: rec.ok,
      balanceMismatches: rec.mismatches.length,
      unbalancedEntries: c.unbalanced,
      duplicateEntryNumbers: c.dupNumbers,
      entries: c.entries,
      lines: c.lines,
      savingsRows: c.savings,
      journalMaxNumber: c.max_number,
      seconds: round((performance.now() - t0) / 1000),
    };
  } finally {
    await db.close();
  }
}

export async function generate() {
  const load = loadAvg();
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${DB_NAME} with (force)`);
  await admin.query(`create database ${DB_NAME}`);
  await admin.end();
  const url = dbUrl();
  const { loadConfig } = await import('../src/config.js');
  const { openDatabase } = await import('../src/db/index.js');
  const { prepareDatabase } = await import('../src/bootstrap.js');
  const svc = await import('../src/modules/books/service.js');
  const { SAVINGS_ACCOUNT, SYSTEM_ACCOUNTS } = await import('../src/modules/books/domain.js');
  const { newKoperasi, contextFor } = await import('../src/modules/books/test-support.js');
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn', SEED_DEMO: 'false' });
  const db = await openDatabase({ databaseUrl: url, poolSize: 2 });
  const t0 = performance.now();
  await prepareDatabase(db, config);
  // The koperasi (registry row + organization) and its books (settings + chart) through the services.
  const kop = await newKoperasi(db.db, KOP_NAME);
  const settings = await svc.initBooks(db.db, await contextFor(db.db, kop.bendahara), kop.koperasiId);
  await db.close();
  const wajib = BigInt(settings.wajib_monthly_amount);
  const t1 = performance.now();

  const current = todayWib().slice(0, 7);
  const start = monthsBefore(current, N_MONTHS); // first month; the last generated month is the one before `current`
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const K = kop.koperasiId;
  const B = kop.bendahara;
  const acc = async (code: string) =>
    (await c.query('select id from books_accounts where koperasi_id = $1 and code = $2', [K, code])).rows[0].id as string;
  const kas = await acc(SYSTEM_ACCOUNTS.kas);
  const wajibAcc = await acc(SAVINGS_ACCOUNT.wajib);
  const first = `array['Sri','Siti','Endang','Wahyuni','Slamet','Budi','Agus','Joko','Bambang','Hadi','Dewi','Yuli','Ani','Tini','Eko','Teguh','Rudi','Imam','Ahmad','Ratna','Puji','Heru','Fitri','Umi']`;
  const last = `array['Santoso','Wibowo','Susanto','Prasetyo','Hidayat','Setiawan','Purnomo','Kurniawan','Rahmawati','Wulandari','Saputra','Nugroho','Handayani','Suryani','Hartono','Utami']`;
  await c.query('begin');
  // Rows are generated consistently (checked below); per-row foreign-key triggers are skipped for this
  // transaction only (as demo.ts does); CHECK constraints and unique indexes still apply.
  await c.query('set local session_replication_role = replica');
  await c.query(`set local work_mem = '256MB'`);
  await c.query(`
    create temp table gm on commit drop as
    select i, gen_random_uuid() as id,
           (${first})[1 + abs(hashtext(i::text || ':1')) % 24] || ' ' || (${last})[1 + abs(hashtext(i::text || ':2')) % 16] as name
    from generate_series(1, ${N_MEMBERS}) as s(i)`);
  await c.query(
    `insert into books_members (id, koperasi_id, member_number, nik, name, address, phone, join_date, created_by)
     select id, $1, i, '3573' || lpad(i::text, 12, '0'), name, 'Jl. Bench No. ' || (1 + i % 97), '0813' || lpad(i::text, 8, '0'),
            to_date($2 || '-01', 'YYYY-MM-DD'), $3 from gm`,
    [K, start, B],
  );
  // One deposit per member and month, dated on day 1..25 of the month; entry numbers in date order.
  await c.query(
    `create temp table gd on commit drop as
     select gen_random_uuid() as entry_id, gen_random_uuid() as savings_id, gm.id as member_id, gm.i as member_number, gm.name,
            (to_date($1 || '-01', 'YYYY-MM-DD') + make_interval(months => k))::date + (gm.i % 25) as d
     from generate_series(0, ${N_MONTHS - 1}) as k cross join gm`,
    [start],
  );
  await c.query(`
    create temp table ge on commit drop as
    select gd.*, row_number() over (order by d, member_number)::int as number from gd`);
  await c.query(
    `insert into books_journal_entries (id, koperasi_id, number, entry_date, memo, source_type, source_id, status, created_by, created_at)
     select entry_id, $1, number, d, 'Setoran simpanan wajib ' || name || ' (' || member_number || ')', 'savings', savings_id, 'posted', $2,
            d + time '09:00' from ge order by number`,
    [K, B],
  );
  await c.query(
    `insert into books_journal_lines (entry_id, koperasi_id, account_id, entry_date, debit, credit, member_id, posted)
     select entry_id, $1, x.account_id, d, x.debit, x.credit, x.member_id, true
       from ge cross join lateral (values ($2::uuid, $4::bigint, 0::bigint, null::uuid), ($3::uuid, 0::bigint, $4::bigint, ge.member_id))
            as x(account_id, debit, credit, member_id)
      order by number`,
    [K, kas, wajibAcc, wajib.toString()],
  );
  await c.query(
    `insert into books_savings_transactions (id, koperasi_id, member_id, kind, type, amount, txn_date, journal_entry_id, created_by, created_at)
     select savings_id, $1, member_id, 'wajib', 'deposit', $2::bigint, d, entry_id, $3, d + time '09:00' from ge order by number`,
    [K, wajib.toString(), B],
  );
  await c.query(
    `insert into books_savings_balances (member_id, kind, koperasi_id, balance)
     select gm.id, k.kind, $1, case when k.kind = 'wajib' then $2::bigint * ${N_MONTHS} else 0 end
       from gm cross join (values ('pokok'), ('wajib'), ('sukarela')) as k(kind)`,
    [K, wajib.toString()],
  );
  // Months before the current one closed, as closePeriod records them.
  await c.query(
    `insert into books_periods (koperasi_id, period, status, closed_by, closed_at)
     select $1, to_char(to_date($2 || '-01', 'YYYY-MM-DD') + make_interval(months => k), 'YYYY-MM'), 'closed', $3,
            to_date($2 || '-01', 'YYYY-MM-DD') + make_interval(months => k + 1, days => 4)
       from generate_series(0, ${N_MONTHS - 1}) as k
     on conflict (koperasi_id, period) do update set status = 'closed', closed_by = excluded.closed_by, closed_at = excluded.closed_at`,
    [K, start, B],
  );
  await c.query(
    `insert into books_counters (koperasi_id, name, value) values ($1, 'member', $2), ($1, 'journal', $3)
     on conflict (koperasi_id, name) do update set value = excluded.value`,
    [K, N_MEMBERS, N_MEMBERS * N_MONTHS],
  );
  await c.query(`update koperasi set member_count = $2 where id = $1`, [K, N_MEMBERS]);
  await c.query('set local session_replication_role = origin');
  await c.query('commit');
  const t2 = performance.now();
  await c.query('vacuum analyze');
  await c.end();
  const seconds = (performance.now() - t1) / 1000;
  log(
    `generated ${N_MEMBERS} members × ${N_MONTHS} months in ${round(seconds)} s (migrate + init ${round((t1 - t0) / 1000)} s, vacuum analyze ${round((performance.now() - t2) / 1000)} s)`,
  );
  const check = await consistency(K, todayWib());
  log(`consistency: ${JSON.stringify(check)}`);
  return {
    load,
    seconds: round(seconds),
    migrateSeconds: round((t1 - t0) / 1000),
    members: N_MEMBERS,
    months: N_MONTHS,
    from: start,
    koperasiId: K,
    consistency: check,
  };
}

// ---------------------------------------------------------------------------------------------
// Server

/** A pengurus of the bench koperasi with an API session. */
async function pengurusToken(koperasi: string): Promise<string> {
  const { openDatabase } = await import('../src/db/index.js');
  const { createSession } = await import('../src/platform/auth/sessions.js');
  const db = await openDatabase({ databaseUrl: dbUrl(), poolSize: 1 });
  try {
    const u = await db.db
      .insertInto('users')
      .values({ name: 'Bench Pengurus', email: `bench-${Date.now()}@bench.ngalamlaris.id`, password_hash: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.db.insertInto('role_grants').values({ user_id: u.id, role: 'pengurus_koperasi', organization_id: koperasi }).execute();
    return (await createSession(db.db, u.id, 'api')).token;
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Load

interface Load {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
  status: Record<string, number>;
}

interface Req {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
  setupRequest?: (r: Req) => Req;
}

async function load(
  base: string,
  requests: Req[],
  opts: { connections: number; duration: number; headers?: Record<string, string>; warmup?: number; amount?: number },
): Promise<Load> {
  // A short warm-up, then the measured run; every response time and status is kept.
  const run = (duration: number, times: number[] | null, status: Record<string, number>) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const inst = autocannon(
        {
          url: base,
          connections: opts.connections,
          ...(opts.amount && times ? { amount: opts.amount } : { duration }),
          headers: opts.headers,
          requests,
        } as unknown as autocannon.Options,
        (err, res) => (err ? reject(err) : resolve(res)),
      );
      inst.on('response', (_c: unknown, s: number, _b: number, t: number) => {
        status[s] = (status[s] ?? 0) + 1;
        if (times) times.push(t);
      });
    });
  if (opts.warmup !== 0) await run(opts.warmup ?? 2, null, {});
  const times: number[] = [];
  const status: Record<string, number> = {};
  const t0 = performance.now();
  const r = await run(opts.duration, times, status);
  const seconds = opts.amount ? (performance.now() - t0) / 1000 : opts.duration;
  times.sort((a, b) => a - b);
  return {
    requests: times.length,
    rps: round(times.length / seconds),
    p50: pct(times, 50),
    p95: pct(times, 95),
    p99: pct(times, 99),
    non2xx: r.non2xx,
    errors: r.errors,
    status,
  };
}

/** Sequential timing: `warm` unmeasured requests, then `n` measured ones (ms, wall clock of fetch + body). */
async function sequential(base: string, paths: string[], headers: Record<string, string>, n: number, warm = 2) {
  const times: number[] = [];
  let bad = 0;
  for (let i = 0; i < warm + n; i++) {
    const p = paths[i % paths.length] as string;
    const t = performance.now();
    const r = await fetch(`${base}${p}`, { headers });
    await r.arrayBuffer();
    const ms = performance.now() - t;
    if (!r.ok) bad++;
    if (i >= warm) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { n: times.length, p50: pct(times, 50), p95: pct(times, 95), max: round(times[times.length - 1] ?? 0, 2), non2xx: bad };
}

async function memberIds(koperasi: string, n: number) {
  return withClient(async (c) => {
    const r = await c.query(`select id from books_members where koperasi_id = $1 order by random() limit $2`, [koperasi, n]);
    return r.rows.map((x) => x.id as string);
  });
}

async function savingsScenario(base: string, koperasi: string, token: string, connections: number, duration: number) {
  const members = await memberIds(koperasi, N_MEMBERS);
  const today = todayWib();
  const count = async () =>
    withClient(async (c) => {
      const r = await c.query(`select count(*)::int as n from books_savings_transactions where koperasi_id = $1`, [koperasi]);
      return r.rows[0].n as number;
    });
  const before = await count();
  const req: Req = {
    method: 'POST',
    path: `/api/v1/koperasi/${koperasi}/savings/transactions`,
    headers: { 'content-type': 'application/json' },
    setupRequest: (r) => {
      return {
        ...r,
        body: JSON.stringify({
          memberId: members[Math.floor(Math.random() * members.length)],
          kind: 'sukarela',
          type: 'deposit',
          amount: 25_000 * (1 + Math.floor(Math.random() * 20)),
          date: today,
        }),
      };
    },
  };
  const l = await load(base, [req], { connections, duration, headers: { authorization: `Bearer ${token}` }, warmup: 0 });
  // autocannon stops at `duration` without waiting for the requests still in flight (the server still
  // commits them), so the timed run can only be checked within ± connections. The exact check is a
  // second run of a fixed number of requests, each awaited: new rows must equal the 201 responses.
  await new Promise((r) => setTimeout(r, 2000));
  const afterTimed = await count();
  const created = l.status['201'] ?? 0;
  const exactAmount = 1000;
  const v = await load(base, [req], {
    connections,
    duration,
    headers: { authorization: `Bearer ${token}` },
    warmup: 0,
    amount: exactAmount,
  });
  const after = await count();
  const check = await consistency(koperasi, todayWib());
  return {
    load: loadAvg(),
    connections,
    duration,
    transactionsPerSecond: round(created / duration),
    ...l,
    created201: created,
    newSavingsRowsTimed: afterTimed - before,
    timedWithinInFlight: afterTimed - before >= created && afterTimed - before <= created + connections,
    exactRun: {
      requests: exactAmount,
      created201: v.status['201'] ?? 0,
      newSavingsRows: after - afterTimed,
      rowsMatch201: after - afterTimed === (v.status['201'] ?? 0),
      transactionsPerSecond: v.rps,
      p50: v.p50,
      p95: v.p95,
      non2xx: v.non2xx,
    },
    ledgerBalanced: check.trialBalance.totalDebit === check.trialBalance.totalCredit,
    consistency: check,
  };
}

function lastFullYear() {
  const y = Number(todayWib().slice(0, 4)) - 1;
  return { from: `${y}-01-01`, to: `${y}-12-31` };
}

async function reportsScenario(base: string, koperasi: string, token: string, duration: number) {
  const { from, to } = lastFullYear();
  const headers = { authorization: `Bearer ${token}` };
  const paths = {
    trialBalance: `/api/v1/koperasi/${koperasi}/reports/trial-balance?asOf=${to}`,
    balanceSheet: `/api/v1/koperasi/${koperasi}/reports/balance-sheet?asOf=${to}`,
    incomeStatement: `/api/v1/koperasi/${koperasi}/reports/income-statement?from=${from}&to=${to}`,
  };
  const out: Record<string, unknown> = { load: loadAvg(), asOf: to };
  for (const [name, p] of Object.entries(paths)) {
    const seq = await sequential(base, [p], headers, 10, 2);
    const conc = await load(base, [{ method: 'GET', path: p }], { connections: 4, duration, headers, warmup: 1 });
    out[name] = { sequential: seq, concurrent4: conc };
    log(`${name}: ${JSON.stringify(out[name])}`);
  }
  return out;
}

async function statementScenario(base: string, koperasi: string, token: string, connections: number, duration: number) {
  const { from, to } = lastFullYear();
  const headers = { authorization: `Bearer ${token}` };
  const members = await memberIds(koperasi, 2000);
  const paths = members.map((m) => `/api/v1/koperasi/${koperasi}/members/${m}/statement?from=${from}&to=${to}`);
  const seq = await sequential(base, paths.slice(0, 102), headers, 100, 2);
  const conc = await load(
    base,
    paths.map((p) => ({ method: 'GET' as const, path: p })),
    { connections, duration, headers },
  );
  return { load: loadAvg(), from, to, sequential: seq, concurrent: { connections, ...conc } };
}

// ---------------------------------------------------------------------------------------------

type Scenario = 'generate' | 'savings' | 'reports' | 'statement';
const ALL: Scenario[] = ['generate', 'savings', 'reports', 'statement'];

async function main() {
  const argv = process.argv.slice(2);
  const opt = (name: string, d: number) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : d;
  };
  const duration = opt('duration', 10);
  const connections = opt('connections', 16);
  const wanted = argv.filter((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  if (!wanted.length) {
    process.stderr.write('usage: npx tsx bench/books.ts <generate|savings|reports|statement|all> [--duration 10] [--connections 16]\n');
    process.exit(2);
  }
  // `all` generates only when the database is missing; `generate` named explicitly always regenerates.
  const scenarios: Scenario[] = wanted.includes('all') ? ALL.filter((s) => s !== 'generate') : (wanted as Scenario[]);
  const results: Record<string, unknown> = {};
  if (scenarios.includes('generate') || !(await databaseExists())) results.generate = await generate();
  const rest = scenarios.filter((s) => s !== 'generate');
  if (rest.length) {
    const koperasi = await withClient(koperasiId);
    const server = await startServer(dbUrl());
    try {
      const token = await pengurusToken(koperasi);
      for (const s of rest) {
        log(`running ${s}…`);
        if (s === 'savings') results.savings = await savingsScenario(server.base, koperasi, token, connections, duration);
        if (s === 'reports') results.reports = await reportsScenario(server.base, koperasi, token, duration);
        if (s === 'statement') results.statement = await statementScenario(server.base, koperasi, token, connections, duration);
        log(`${s}: ${JSON.stringify(results[s])}`);
      }
    } finally {
      await server.stop();
    }
  }
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${round(os.totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}, PostgreSQL on 127.0.0.1`;
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  const at = new Date().toISOString();
  for (const [scenario, result] of Object.entries(results)) {
    const line = JSON.stringify({ at, machine, scenario, connections, duration, result });
    fs.appendFileSync(path.join(ROOT, 'bench', 'results', 'books.jsonl'), `${line}\n`);
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

await main();

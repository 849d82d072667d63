/**
 * Cooperative lending benchmarks (issue 6) on PostgreSQL.
 *
 *   npx tsx bench/lending.ts <generate|arrears|shu|repayments|all> [--duration 10] [--connections 16]
 *
 * generate    fresh database `bench_lending`: the books benchmark's koperasi with 20,000 members and 60
 *             months of wajib deposits (bench/books.ts generate with BENCH_BOOKS_DB=bench_lending), then
 *             three loan products (flat, efektif, anuitas) and 8,300 loans (≈ 8,000 still active) put through the real lending
 *             service — applied by one pengurus, approved by another, disbursed 0–11 months ago — of which
 *             half paid everything due up to a few weeks ago in one repayment; the rest never paid. The
 *             closed months are opened while loans are written and closed again afterwards (as the demo
 *             does). Ends with a consistency check: trial balance, piutang = Σ outstanding principal.
 * arrears     the nightly arrears and penalty run (`runArrears`, what the `lending.arrears` job calls) over
 *             all active loans, in-process, for three consecutive nights: seconds, loans, penalties.
 * shu         closes last year's books (as pengurus would, once), then times the SHU
 *             simulation (`simulateShu`: bases for every member from the books, shares, the draft run
 *             written) for last year, three runs, in-process.
 * repayments  POST …/loans/{loanId}/repayments (Rp 10,000 on random active loans, today) as pengurus, 16
 *             connections: repayments/s, p50/p95/p99; then row counts = 201s and the ledger checks.
 *
 * Every run appends a line per scenario to bench/results/lending.jsonl (git-ignored).
 */
import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { ADMIN_URL, pct, ROOT, round, startServer } from './server.js';

const DB_NAME = 'bench_lending';
const N_LOANS = Number(process.env.BENCH_LOANS ?? 8_300); // ≈ 8,000 still active after the short ones are repaid
const KOP_NAME = 'KSP Bench Sejahtera Malang';

const log = (s: string) => process.stderr.write(`[bench:lending] ${s}\n`);

function dbUrl() {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
}

function todayWib(now = new Date()) {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

function addDays(date: string, days: number) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
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

async function withClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: dbUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function databaseExists() {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  const r = await c.query('select 1 from pg_database where datname = $1', [DB_NAME]);
  await c.end();
  return r.rowCount === 1;
}

async function koperasiId(): Promise<string> {
  return withClient(async (c) => {
    const r = await c.query(`select id from organizations where kind = 'koperasi' and name = $1`, [KOP_NAME]);
    if (!r.rows[0]) throw new Error(`no koperasi "${KOP_NAME}" in ${DB_NAME}: run generate`);
    return r.rows[0].id as string;
  });
}

/** Runs `fn` over `items` with at most `n` at a time. */
async function pool<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i] as T, i);
      }
    }),
  );
}

/** Ledger and portfolio checks: trial balance, every entry balanced, piutang = Σ outstanding principal. */
async function consistency(koperasi: string) {
  const { openDatabase } = await import('../src/db/index.js');
  const books = await import('../src/modules/books/service.js');
  const { LENDING_ACCOUNTS } = await import('../src/modules/lending/service.js');
  const { contextFor, makeUser } = await import('../src/modules/books/test-support.js');
  const db = await openDatabase({ databaseUrl: dbUrl(), poolSize: 2 });
  try {
    const reader = await makeUser(db.db, [{ role: 'dinas' }], 'Bench Pemeriksa');
    const ctx = await contextFor(db.db, reader);
    const tb = await books.trialBalance(db.db, ctx, koperasi, addDays(todayWib(), 400));
    const c = await withClient(async (cl) => {
      const unbalanced = await cl.query(
        `select count(*)::int as n from (select entry_id from books_journal_lines where koperasi_id = $1
           group by entry_id having sum(debit) <> sum(credit)) x`,
        [koperasi],
      );
      const piutang = await cl.query(
        `select coalesce(sum(l.debit - l.credit), 0)::text as balance from books_journal_lines l
           join books_accounts a on a.id = l.account_id
          where l.koperasi_id = $1 and a.code = $2 and l.posted`,
        [koperasi, LENDING_ACCOUNTS.piutang],
      );
      const loans = await cl.query(
        `select count(*) filter (where status = 'aktif')::int as active, count(*)::int as loans,
                coalesce(sum(principal_outstanding), 0)::text as outstanding,
                (select count(*)::int from loan_repayments where koperasi_id = $1) as repayments
           from loans where koperasi_id = $1`,
        [koperasi],
      );
      return { unbalanced: unbalanced.rows[0].n as number, piutang: piutang.rows[0].balance as string, ...loans.rows[0] };
    });
    return {
      ok: tb.totalDebit === tb.totalCredit && c.unbalanced === 0 && c.piutang === c.outstanding,
      trialBalanceDebit: Number(tb.totalDebit),
      trialBalanceCredit: Number(tb.totalCredit),
      unbalancedEntries: c.unbalanced,
      piutang: Number(c.piutang),
      outstandingPrincipal: Number(c.outstanding),
      loans: c.loans as number,
      activeLoans: c.active as number,
      repayments: c.repayments as number,
    };
  } finally {
    await db.close();
  }
}

async function generate() {
  const load = loadAvg();
  const t0 = performance.now();
  log('books: 20,000 members × 60 months (bench/books.ts generate)…');
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/books.ts', 'generate'], {
    cwd: ROOT,
    env: { ...process.env, BENCH_BOOKS_DB: DB_NAME },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tBooks = performance.now();
  const { openDatabase } = await import('../src/db/index.js');
  const books = await import('../src/modules/books/service.js');
  const svc = await import('../src/modules/lending/service.js');
  const { dueDate } = await import('../src/modules/lending/calc.js');
  const { contextFor, makeUser } = await import('../src/modules/books/test-support.js');
  const db = await openDatabase({ databaseUrl: dbUrl(), poolSize: 8 });
  const K = await koperasiId();
  try {
    await books.syncJournalSequences(db.db);
    const entering = await contextFor(db.db, await makeUser(db.db, [{ role: 'pengurus_koperasi', organizationId: K }], 'Bench Ketua'));
    const approving = await contextFor(db.db, await makeUser(db.db, [{ role: 'pengurus_koperasi', organizationId: K }], 'Bench Bendahara'));
    await svc.enableLoansFeature(db.db, entering, K);
    const common = { minTerm: 3, maxTerm: 36, minAmount: 500_000, maxAmount: 50_000_000, adminFeePercent: 1 };
    const products = [
      await svc.createProduct(db.db, entering, K, {
        ...common,
        name: 'Bench Flat',
        method: 'flat',
        ratePercent: '1.5',
        rateBasis: 'month',
        penaltyMode: 'per_day',
        penaltyRatePercent: '0.1',
        roundingUnit: 500,
      }),
      await svc.createProduct(db.db, entering, K, {
        ...common,
        name: 'Bench Efektif',
        method: 'efektif',
        ratePercent: 15,
        penaltyMode: 'per_day',
        penaltyRatePercent: '0.05',
        roundingUnit: 100,
      }),
      await svc.createProduct(db.db, entering, K, {
        ...common,
        name: 'Bench Anuitas',
        method: 'anuitas',
        ratePercent: 12,
        penaltyMode: 'per_month',
        penaltyRatePercent: 1,
        roundingUnit: 1000,
      }),
    ];
    const members = (
      await db.db.selectFrom('books_members').select('id').where('koperasi_id', '=', K).orderBy('member_number').limit(N_LOANS).execute()
    ).map((m) => m.id);
    const closed = await db.db
      .selectFrom('books_periods')
      .select('period')
      .where('koperasi_id', '=', K)
      .where('status', '=', 'closed')
      .execute();
    await db.db.updateTable('books_periods').set({ status: 'open' }).where('koperasi_id', '=', K).where('status', '=', 'closed').execute();
    const today = todayWib();
    const [y, m] = today.slice(0, 7).split('-').map(Number) as [number, number];
    let done = 0;
    const tLoans = performance.now();
    try {
      await pool(members, 6, async (memberId, i) => {
        const monthsAgo = i % 12;
        const idx = y * 12 + (m - 1) - monthsAgo;
        const applied = `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}-${String(1 + (i % 20)).padStart(2, '0')}`;
        const appliedOn = applied > today ? today : applied;
        const product = products[i % 3] as (typeof products)[number];
        const loan = await svc.applyForLoan(db.db, entering, K, {
          memberId,
          productId: product.id,
          principal: 1_000_000 + (i % 40) * 250_000,
          termMonths: [6, 12, 18, 24, 36][i % 5] as number,
          purpose: 'Modal usaha',
          appliedOn,
        });
        await svc.approveLoan(db.db, approving, K, loan.id);
        await svc.disburseLoan(db.db, entering, K, loan.id, { date: appliedOn, method: i % 2 ? 'transfer' : 'cash' });
        // Half the borrowers paid everything due up to three weeks ago in one go; the others never paid.
        const paidUpTo = addDays(today, -21);
        if (i % 2 === 0 && dueDate(appliedOn, 1) <= paidUpTo) {
          const view = await svc.getLoan(db.db, entering, K, loan.id, paidUpTo);
          const owed = view.dueNow.principal + view.dueNow.interest + view.dueNow.penalty;
          if (owed > 0n) await svc.recordRepayment(db.db, entering, K, loan.id, { amount: Number(owed), date: paidUpTo });
        }
        done++;
        if (done % 1000 === 0) log(`${done} loans (${round((performance.now() - tLoans) / 1000)} s)`);
      });
    } finally {
      if (closed.length)
        await db.db
          .updateTable('books_periods')
          .set({ status: 'closed' })
          .where('koperasi_id', '=', K)
          .where(
            'period',
            'in',
            closed.map((c) => c.period),
          )
          .execute();
    }
    const loansSeconds = (performance.now() - tLoans) / 1000;
    await withClient((c) => c.query('vacuum analyze'));
    const check = await consistency(K);
    log(`consistency: ${JSON.stringify(check)}`);
    return {
      load,
      booksSeconds: round((tBooks - t0) / 1000),
      loans: N_LOANS,
      loansSeconds: round(loansSeconds),
      loansPerSecond: round(N_LOANS / loansSeconds),
      consistency: check,
    };
  } finally {
    await db.close();
  }
}

async function arrearsScenario(koperasi: string) {
  const { openDatabase } = await import('../src/db/index.js');
  const svc = await import('../src/modules/lending/service.js');
  const db = await openDatabase({ databaseUrl: dbUrl(), poolSize: 4 });
  const runs: Record<string, unknown>[] = [];
  try {
    const start = addDays(todayWib(), 1);
    for (let n = 0; n < 3; n++) {
      const asOf = addDays(start, n);
      const load = loadAvg();
      const t = performance.now();
      const r = await svc.runArrears(db.db, asOf, koperasi);
      const seconds = round((performance.now() - t) / 1000, 2);
      const summary = { asOf, load, seconds, loans: r.loans, reminders: r.reminders, penaltiesAccrued: Number(r.penaltiesAccrued) };
      log(`arrears ${JSON.stringify(summary)}`);
      runs.push(summary);
    }
    const bands = await withClient(async (c) => {
      const r = await c.query(
        `select kolektibilitas, count(*)::int as n from loans where koperasi_id = $1 and status = 'aktif' group by 1 order by 1`,
        [koperasi],
      );
      return Object.fromEntries(r.rows.map((x) => [x.kolektibilitas, x.n]));
    });
    return { runs, kolektibilitas: bands, consistency: await consistency(koperasi) };
  } finally {
    await db.close();
  }
}

async function shuScenario(koperasi: string) {
  const { openDatabase } = await import('../src/db/index.js');
  const shu = await import('../src/modules/lending/shu-service.js');
  const { closeYear, listYears } = await import('../src/modules/books/yearend.js');
  const { contextFor, makeUser } = await import('../src/modules/books/test-support.js');
  const db = await openDatabase({ databaseUrl: dbUrl(), poolSize: 4 });
  try {
    const ctx = await contextFor(db.db, await makeUser(db.db, [{ role: 'pengurus_koperasi', organizationId: koperasi }], 'Bench SHU'));
    const year = Number(todayWib().slice(0, 4)) - 1;
    // Last year's close (its twelve months are closed by generate); earlier years stay as they are.
    const closed = (await listYears(db.db, ctx, koperasi)).some((y) => y.year === year && y.status === 'closed');
    if (!closed) await closeYear(db.db, ctx, koperasi, year);
    const runs: Record<string, unknown>[] = [];
    for (let n = 0; n < 3; n++) {
      const load = loadAvg();
      const t = performance.now();
      const run = await shu.simulateShu(db.db, ctx, koperasi, year);
      const seconds = round((performance.now() - t) / 1000, 2);
      runs.push({
        load,
        seconds,
        members: run.members,
        shu: Number(run.shu),
        jasaModal: Number(run.jasaModalTotal),
        jasaUsaha: Number(run.jasaUsahaTotal),
      });
      log(`shu ${JSON.stringify(runs[runs.length - 1])}`);
    }
    return { year, runs };
  } finally {
    await db.close();
  }
}

async function pengurusToken(koperasi: string): Promise<string> {
  const { openDatabase } = await import('../src/db/index.js');
  const { createSession } = await import('../src/platform/auth/sessions.js');
  const db = await openDatabase({ databaseUrl: dbUrl(), poolSize: 1 });
  try {
    const u = await db.db
      .insertInto('users')
      .values({ name: 'Bench Kasir', email: `bench-${Date.now()}@bench.ngalamlaris.id`, password_hash: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.db.insertInto('role_grants').values({ user_id: u.id, role: 'pengurus_koperasi', organization_id: koperasi }).execute();
    return (await createSession(db.db, u.id, 'api')).token;
  } finally {
    await db.close();
  }
}

async function repaymentsScenario(base: string, koperasi: string, token: string, connections: number, duration: number) {
  const loans = await withClient(async (c) => {
    const r = await c.query(`select id from loans where koperasi_id = $1 and status = 'aktif' and principal_outstanding > 100000`, [
      koperasi,
    ]);
    return r.rows.map((x) => x.id as string);
  });
  const count = () =>
    withClient(
      async (c) => (await c.query(`select count(*)::int as n from loan_repayments where koperasi_id = $1`, [koperasi])).rows[0].n as number,
    );
  const before = await count();
  const today = todayWib();
  const status: Record<string, number> = {};
  const times: number[] = [];
  const load = loadAvg();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const inst = autocannon(
      {
        url: base,
        connections,
        duration,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        requests: [
          {
            method: 'POST',
            setupRequest: (r: Record<string, unknown>) => ({
              ...r,
              path: `/api/v1/koperasi/${koperasi}/loans/${loans[Math.floor(Math.random() * loans.length)]}/repayments`,
              body: JSON.stringify({ amount: 10_000, date: today }),
            }),
          },
        ],
      } as unknown as autocannon.Options,
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    inst.on('response', (_c: unknown, s: number, _b: number, t: number) => {
      status[s] = (status[s] ?? 0) + 1;
      times.push(t);
    });
  });
  await new Promise((r) => setTimeout(r, 2000));
  const after = await count();
  times.sort((a, b) => a - b);
  const created = status['201'] ?? 0;
  return {
    load,
    connections,
    duration,
    activeLoans: loans.length,
    repaymentsPerSecond: round(created / duration),
    p50: pct(times, 50),
    p95: pct(times, 95),
    p99: pct(times, 99),
    status,
    non2xx: result.non2xx,
    newRows: after - before,
    // autocannon stops without waiting for requests in flight; the server still commits them.
    rowsWithinInFlight: after - before >= created && after - before <= created + connections,
    consistency: await consistency(koperasi),
  };
}

type Scenario = 'generate' | 'arrears' | 'shu' | 'repayments';

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
    process.stderr.write('usage: npx tsx bench/lending.ts <generate|arrears|shu|repayments|all> [--duration 10] [--connections 16]\n');
    process.exit(2);
  }
  const scenarios: Scenario[] = wanted.includes('all') ? ['arrears', 'shu', 'repayments'] : (wanted as Scenario[]);
  const results: Record<string, unknown> = {};
  if (scenarios.includes('generate') || !(await databaseExists())) results.generate = await generate();
  const koperasi = await koperasiId();
  if (scenarios.includes('arrears')) results.arrears = await arrearsScenario(koperasi);
  if (scenarios.includes('shu')) results.shu = await shuScenario(koperasi);
  if (scenarios.includes('repayments')) {
    const server = await startServer(dbUrl());
    try {
      results.repayments = await repaymentsScenario(server.base, koperasi, await pengurusToken(koperasi), connections, duration);
      log(`repayments: ${JSON.stringify(results.repayments)}`);
    } finally {
      await server.stop();
    }
  }
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${round(os.totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}, PostgreSQL on 127.0.0.1`;
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  const at = new Date().toISOString();
  for (const [scenario, result] of Object.entries(results)) {
    fs.appendFileSync(path.join(ROOT, 'bench', 'results', 'lending.jsonl'), `${JSON.stringify({ at, machine, scenario, result })}\n`);
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

await main();

/**
 * Registry benchmarks (issue 3) against a real server process on PostgreSQL.
 *
 *   npx tsx bench/registry.ts <generate|list|browse|search|directory|import|export|all> [--duration 10] [--connections 20] [--keep]
 *
 * generate   fresh database `bench_registry` (on BENCH_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres),
 *            migrated, then 150,000 UMKM (with owners, NIB for a third, legal documents) and 1,000 koperasi
 *            generated server-side (INSERT … SELECT FROM generate_series: COPY speed), then VACUUM ANALYZE.
 * list       GET /api/v1/umkm with filters (kecamatan, sizeClass, status, legality, pages) as dinas: p50/p95/p99.
 * browse     GET /api/v1/umkm over 3,750 different pages at random (rows rarely reused): p50/p95/p99.
 * search     GET /api/v1/umkm?q=<words, one with a typo> as dinas: p50/p95/p99.
 * directory  GET /direktori (anonymous, a mix of filters): requests per second.
 * import     POST /api/v1/umkm/import with a 10,000-row CSV (mode=all): seconds end to end.
 * export     GET /api/v1/umkm/export?format=csv of all 150,000 rows: seconds, rows, and the server's peak RSS.
 * all        every scenario in turn (generate first when the database is missing).
 * Every run appends a JSON line to bench/results/registry.jsonl (not committed); docs/benchmarks/registry.md is written by hand.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { pct, round, startServer } from './server.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DB_NAME = 'bench_registry';
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const N_UMKM = Number(process.env.BENCH_UMKM ?? 150_000);
const N_KOP = Number(process.env.BENCH_KOPERASI ?? 1_000);

const log = (s: string) => process.stderr.write(`[bench:registry] ${s}\n`);

function dbUrl() {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
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

export async function generate() {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${DB_NAME} with (force)`);
  await admin.query(`create database ${DB_NAME}`);
  await admin.end();
  const url = dbUrl();
  const { loadConfig } = await import('../src/config.js');
  const { openDatabase } = await import('../src/db/index.js');
  const { prepareDatabase } = await import('../src/bootstrap.js');
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn', SEED_DEMO: 'false' });
  const db = await openDatabase({ databaseUrl: url, poolSize: 2 });
  const t0 = performance.now();
  await prepareDatabase(db, config);
  await db.close();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const t1 = performance.now();
  const words = `array['Keripik Tempe','Bakso Malang','Warung Makan','Toko Kelontong','Laundry Kiloan','Batik Malangan','Konveksi','Kopi Robusta','Roti dan Kue','Sambal Bawang','Mebel Rotan','Keramik Dinoyo','Marning Jagung','Topeng Malangan','Raket Bulu Tangkis','Gerabah','Salon Kecantikan','Pangkas Rambut','Catering','Es Dawet','Tanaman Hias','Sayur Hidroponik','Foto Studio','Penjahit','Sepatu Kulit']`;
  const trade = `array['Barokah','Berkah','Sejahtera','Makmur','Lancar','Sumber Rejeki','Mandiri','Jaya','Abadi','Sentosa','Arema','Ngalam','Sari','Mulya','Rahayu']`;
  const first = `array['Sri','Siti','Endang','Wahyuni','Slamet','Budi','Agus','Joko','Bambang','Hadi','Dewi','Yuli','Ani','Tini','Eko','Teguh','Rudi','Imam','Ahmad','Ratna','Puji','Heru','Fitri','Umi']`;
  const last = `array['Santoso','Wibowo','Susanto','Prasetyo','Hidayat','Setiawan','Purnomo','Kurniawan','Rahmawati','Wulandari','Saputra','Nugroho','Handayani','Suryani','Hartono','Utami']`;
  await c.query('begin');
  await c.query(
    `create function pg_temp.h(i int, salt int) returns int language sql immutable as $$ select abs(hashtext(i::text || ':' || salt::text)) $$`,
  );
  await c.query(
    `create temp table kel as select (row_number() over (order by code) - 1)::int as i, code, parent_code from regions where level = 'kelurahan'`,
  );
  await c.query(
    `create temp table kb as select (row_number() over (order by code) - 1)::int as i, code, section from kbli where is_common`,
  );
  const nKb = (await c.query('select count(*)::int as n from kb')).rows[0].n as number;
  await c.query(`
    create temp table g as
    select i, gen_random_uuid() as id, gen_random_uuid() as person_id,
      (${words})[1 + (pg_temp.h(i, 1) % 25)] || ' ' || (${trade})[1 + (pg_temp.h(i, 2) % 15)] as name,
      (${first})[1 + (pg_temp.h(i, 3) % 24)] || ' ' || (${last})[1 + (pg_temp.h(i, 4) % 16)] as owner,
      pg_temp.h(i, 5) % 57 as kel_i, pg_temp.h(i, 6) % ${nKb} as kb_i,
      case when pg_temp.h(i, 7) % 100 < 86 then (2 + pg_temp.h(i, 8) % 900) * 1000000::bigint
           when pg_temp.h(i, 7) % 100 < 98 then (1100 + pg_temp.h(i, 8) % 3800) * 1000000::bigint
           else (5200 + pg_temp.h(i, 8) % 4000) * 1000000::bigint end as capital,
      case when pg_temp.h(i, 9) % 100 < 85 then 'verified' when pg_temp.h(i, 9) % 100 < 92 then 'submitted'
           when pg_temp.h(i, 9) % 100 < 97 then 'draft' else 'rejected' end as status,
      pg_temp.h(i, 10) % 100 as r
    from generate_series(1, ${N_UMKM}) as s(i)`);
  await c.query(`insert into organizations (id, kind, name) select id, 'umkm', name from g`);
  await c.query(
    `insert into persons (id, name, nik, phone) select person_id, owner, '3573' || lpad(i::text, 12, '0'), '0812' || lpad(i::text, 8, '0') from g`,
  );
  await c.query(`
    insert into umkm (id, name, owner_id, nib, phone, kelurahan_code, kecamatan_code, kbli_code, kbli_section, year_started, workers,
                      capital, size_class, status, verified_at, whatsapp, show_whatsapp, description, search_text, created_at, updated_at,
                      document_kinds)
    select g.id, g.name, g.person_id, case when g.r < 33 then '9' || lpad(g.i::text, 12, '0') end, '0812' || lpad(g.i::text, 8, '0'),
           kel.code, kel.parent_code, kb.code, kb.section, 1990 + g.r % 35, 1 + g.r % 12, g.capital,
           case when g.capital <= 1000000000 then 'mikro' when g.capital <= 5000000000 then 'kecil' else 'menengah' end,
           g.status, case when g.status = 'verified' then now() end,
           case when g.r < 60 then '0813' || lpad(g.i::text, 8, '0') end, g.r < 45,
           'Usaha ' || lower(g.name) || ' di ' || kel.code, g.name || ' ' || g.owner,
           now() - (g.i || ' minutes')::interval, now(),
           array_remove(array[case when g.r % 7 = 0 then 'halal' end, case when g.r < 33 then 'nib' end, case when g.r % 5 = 0 then 'spp_irt' end], null)
    from g join kel on kel.i = g.kel_i join kb on kb.i = g.kb_i`);
  // A bulk load, as a restore does it: the UMKM rows carry their document kinds (below: the same
  // documents), and the trigger that keeps them (migration 0023) is off while the documents go in —
  // else every row is rewritten once per document and the table doubles. Checked after the load.
  await c.query('alter table umkm_documents disable trigger umkm_documents_kinds');
  await c.query(`insert into umkm_documents (umkm_id, kind, number) select id, 'nib', '9' || lpad(i::text, 12, '0') from g where r < 33`);
  await c.query(
    `insert into umkm_documents (umkm_id, kind, number) select id, 'halal', 'ID' || lpad(i::text, 14, '0') from g where r % 7 = 0`,
  );
  await c.query(
    `insert into umkm_documents (umkm_id, kind, number) select id, 'spp_irt', 'P-IRT ' || lpad(i::text, 13, '0') from g where r % 5 = 0`,
  );
  await c.query('alter table umkm_documents enable trigger umkm_documents_kinds');
  const mismatched = (
    await c.query(`select count(*)::int as n from umkm u
      where document_kinds is distinct from array(select distinct d.kind from umkm_documents d where d.umkm_id = u.id order by d.kind)`)
  ).rows[0].n as number;
  if (mismatched !== 0) throw new Error(`${mismatched} UMKM whose document_kinds differ from their documents`);
  await c.query(`
    insert into size_class_events (organization_id, to_class, direction, occurred_on, basis, amount, evidence)
    select id, case when capital <= 1000000000 then 'mikro' when capital <= 5000000000 then 'kecil' else 'menengah' end,
           'awal', current_date, 'capital', capital, 'Modal usaha saat pendaftaran' from g`);
  await c.query(`
    create temp table gk as
    select i, gen_random_uuid() as id, 'Koperasi ' || (${trade})[1 + pg_temp.h(i, 11) % 15] || ' ' || (${first})[1 + pg_temp.h(i, 12) % 24] || ' ' || i as name,
           pg_temp.h(i, 13) % 57 as kel_i, pg_temp.h(i, 14) % 100 as r
    from generate_series(1, ${N_KOP}) as s(i)`);
  await c.query(`insert into organizations (id, kind, name) select id, 'koperasi', name from gk`);
  await c.query(`
    insert into koperasi (id, name, type, koperasi_group, kelurahan_code, kecamatan_code, member_count, status, nik, search_text, last_rat_date)
    select gk.id, gk.name, (array['simpan_pinjam','konsumen','produsen','pemasaran','jasa'])[1 + gk.r % 5],
           (array['sekolah','pemuda','komunitas','kelurahan_merah_putih','karyawan','umum'])[1 + gk.r % 6],
           kel.code, kel.parent_code, 20 + gk.r * 7, case when gk.r < 85 then 'verified' else 'submitted' end,
           '3573' || lpad((900000 + gk.i)::text, 12, '0'), gk.name, current_date - (gk.r * 5)
    from gk join kel on kel.i = gk.kel_i`);
  await c.query('commit');
  const t2 = performance.now();
  await c.query('vacuum analyze'); // as autovacuum would: statistics, and the GIN indexes' pending lists merged
  await c.end();
  const seconds = (performance.now() - t1) / 1000;
  log(
    `generated ${N_UMKM} UMKM + ${N_KOP} koperasi in ${round(seconds)} s (migrate ${round((t1 - t0) / 1000)} s, analyze ${round((performance.now() - t2) / 1000)} s)`,
  );
  return { seconds: round(seconds), umkm: N_UMKM, koperasi: N_KOP };
}

// ---------------------------------------------------------------------------------------------
// Server

function memoryOf(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: round(kb('VmRSS') / 1024), peakMb: round(kb('VmHWM') / 1024) };
}

async function dinasToken(): Promise<string> {
  const { openDatabase } = await import('../src/db/index.js');
  const { createSession } = await import('../src/platform/auth/sessions.js');
  const db = await openDatabase({ databaseUrl: dbUrl(), poolSize: 1 });
  try {
    const u = await db.db
      .insertInto('users')
      .values({ name: 'Bench Dinas', email: `bench-${Date.now()}@bench.ngalamlaris.id`, password_hash: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.db.insertInto('role_grants').values({ user_id: u.id, role: 'dinas', organization_id: null }).execute();
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
}

async function load(
  base: string,
  paths: string[] | (() => string),
  opts: { connections: number; duration: number; headers?: Record<string, string> },
): Promise<Load> {
  // A short warm-up, then the measured run; every response time is kept for exact percentiles.
  const run = (duration: number, times: number[] | null) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const inst = autocannon(
        {
          url: base,
          connections: opts.connections,
          duration,
          headers: opts.headers,
          requests:
            typeof paths === 'function'
              ? [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths() }) }]
              : paths.map((p) => ({ method: 'GET', path: p })),
        } as autocannon.Options,
        (err, res) => (err ? reject(err) : resolve(res)),
      );
      if (times) inst.on('response', (_c: unknown, _s: number, _b: number, t: number) => times.push(t));
    });
  await run(2, null);
  const times: number[] = [];
  const r = await run(opts.duration, times);
  times.sort((a, b) => a - b);
  return {
    requests: times.length,
    rps: round(times.length / opts.duration),
    p50: pct(times, 50),
    p95: pct(times, 95),
    p99: pct(times, 99),
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

const KEC = ['35.73.01', '35.73.02', '35.73.03', '35.73.04', '35.73.05'];

const LIST_PATHS = [
  ...KEC.map((k, i) => `/api/v1/umkm?kecamatan=${k}&status=verified&page=${i + 1}`),
  ...KEC.map((k) => `/api/v1/umkm?kecamatan=${k}&sizeClass=kecil&sort=name`),
  '/api/v1/umkm?kelurahan=35.73.01.1007&status=verified',
  '/api/v1/umkm?legality=halal&kecamatan=35.73.02',
  '/api/v1/umkm?kbli=C&sizeClass=menengah&page=2',
  '/api/v1/umkm?status=submitted&sort=newest',
];
/**
 * Many different pages (3,750: kecamatan × size class × order × page 1–50, drawn at random per
 * request): the list rows the index keeps between requests are rarely asked for again, so this
 * measures a list whose rows are read from the database.
 */
function browsePath(): string {
  const r = (n: number) => Math.floor(Math.random() * n);
  const size = ['', '&sizeClass=mikro', '&sizeClass=kecil', '&sizeClass=menengah', '&sizeClass=besar'][r(5)];
  const sort = ['newest', 'name', 'capital'][r(3)];
  return `/api/v1/umkm?kecamatan=${KEC[r(KEC.length)]}${size}&sort=${sort}&page=${1 + r(50)}`;
}
const SEARCH_PATHS = [
  '/api/v1/umkm?q=keripik%20tempe',
  '/api/v1/umkm?q=bakso',
  '/api/v1/umkm?q=laundri', // typo
  '/api/v1/umkm?q=Slamet%20Santoso',
  '/api/v1/umkm?q=rotan&kecamatan=35.73.01',
  '/api/v1/umkm?q=kramik%20dinoyo', // typo
];
const DIRECTORY_PATHS = [
  '/direktori',
  '/direktori?kecamatan=35.73.02',
  '/direktori?q=keripik',
  '/direktori?sizeClass=kecil',
  '/direktori?legality=halal',
  '/direktori?jenis=koperasi',
  '/direktori?page=3',
  '/direktori?kbli=I',
];

function importCsv(rows: number) {
  const lines = ['name,ownerName,ownerNik,phone,kelurahanCode,capital,annualSales,nib,kbli,description'];
  const kel = ['35.73.01.1007', '35.73.02.1002', '35.73.03.1012', '35.73.04.1004', '35.73.05.1004'];
  const stamp = String(Date.now()).slice(-6);
  for (let i = 1; i <= rows; i++) {
    lines.push(
      [
        `Impor Bench ${i}`,
        `Pemilik ${i}`,
        `3574${stamp}${String(i).padStart(6, '0')}`,
        '081234567890',
        kel[i % 5],
        `"${(5_000_000 + i * 1000).toLocaleString('id-ID')}"`,
        i % 3 === 0 ? String(100_000_000 + i) : '',
        i % 2 === 0 ? `8${stamp}${String(i).padStart(6, '0')}` : '',
        i % 4 === 0 ? '10794' : '',
        'Usaha hasil impor massal',
      ].join(','),
    );
  }
  return lines.join('\n');
}

async function importScenario(base: string, token: string) {
  const csv = importCsv(10_000);
  const form = new FormData();
  form.set('mode', 'all');
  form.set('file', new Blob([csv], { type: 'text/csv' }), 'bench-10000.csv');
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/umkm/import`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { imported?: number; rejected?: unknown[] };
  const seconds = (performance.now() - t0) / 1000;
  // What autovacuum would do soon after 10,000 new rows (it is off on the benchmark machine): merge
  // the GIN indexes' pending lists — else every later typo lookup in the registry's vocabulary
  // scans 10,000 pending entries (word search 517 → 223–265 req/s, measured).
  const c = new pg.Client({ connectionString: dbUrl() });
  await c.connect();
  try {
    await c.query('vacuum analyze');
  } finally {
    await c.end();
  }
  return {
    status: res.status,
    imported: body.imported ?? 0,
    rejected: body.rejected?.length ?? -1,
    seconds: round(seconds, 2),
    bytes: csv.length,
  };
}

async function exportScenario(base: string, token: string, pid: number, format: 'csv' | 'xlsx') {
  const before = memoryOf(pid);
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/umkm/export?format=${format}`, { headers: { authorization: `Bearer ${token}` } });
  let bytes = 0;
  let newlines = 0;
  let peakRss = before.rssMb;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, memoryOf(pid).rssMb);
  }, 100);
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    if (format === 'csv') for (const b of chunk) if (b === 10) newlines++;
  }
  clearInterval(timer);
  const seconds = (performance.now() - t0) / 1000;
  const after = memoryOf(pid);
  return {
    status: res.status,
    format,
    rows: format === 'csv' ? newlines - 1 : null,
    mb: round(bytes / 1024 / 1024),
    seconds: round(seconds, 2),
    rssBeforeMb: before.rssMb,
    rssPeakDuringMb: round(peakRss),
    vmHwmAfterMb: after.peakMb,
  };
}

// ---------------------------------------------------------------------------------------------
// Main

type Scenario = 'generate' | 'list' | 'browse' | 'search' | 'directory' | 'import' | 'export';
// Search last: its slow queries would otherwise still occupy the pool while the next scenario runs.
const ALL: Scenario[] = ['generate', 'list', 'browse', 'directory', 'import', 'export', 'search'];

async function main() {
  const argv = process.argv.slice(2);
  const opt = (name: string, d: number) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : d;
  };
  const duration = opt('duration', 10);
  const connections = opt('connections', 20);
  const wanted = argv.filter((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  if (!wanted.length) {
    process.stderr.write(
      'usage: npx tsx bench/registry.ts <generate|list|browse|search|directory|import|export|all> [--duration 10] [--connections 20]\n',
    );
    process.exit(2);
  }
  const scenarios: Scenario[] = wanted.includes('all') ? ALL : (wanted as Scenario[]);
  const results: Record<string, unknown> = {};
  if (scenarios.includes('generate') || !(await databaseExists())) results.generate = await generate();
  const rest = scenarios.filter((s) => s !== 'generate');
  if (rest.length) {
    const server = await startServer(dbUrl(), { BODY_LIMIT: String(25 * 1024 * 1024) });
    try {
      const token = await dinasToken();
      const auth = { authorization: `Bearer ${token}` };
      const pid = server.child.pid as number;
      for (const s of rest) {
        log(`running ${s}…`);
        if (s === 'list') results.list = await load(server.base, LIST_PATHS, { connections, duration, headers: auth });
        if (s === 'browse') results.browse = await load(server.base, browsePath, { connections, duration, headers: auth });
        if (s === 'search') results.search = await load(server.base, SEARCH_PATHS, { connections, duration, headers: auth });
        if (s === 'directory') results.directory = await load(server.base, DIRECTORY_PATHS, { connections, duration });
        if (s === 'import') results.import = await importScenario(server.base, token);
        if (s === 'export') {
          results.export = await exportScenario(server.base, token, pid, 'csv');
          results.exportXlsx = await exportScenario(server.base, token, pid, 'xlsx');
        }
        log(`${s}: ${JSON.stringify(results[s])}`);
      }
    } finally {
      await server.stop();
    }
  }
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${round(os.totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}, PostgreSQL on 127.0.0.1`;
  const line = JSON.stringify({ at: new Date().toISOString(), machine, connections, duration, results });
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  fs.appendFileSync(path.join(ROOT, 'bench', 'results', 'registry.jsonl'), `${line}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

await main();

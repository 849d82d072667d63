/**
 * City-scale data generator: N users with role grants and M organisations (UMKM + koperasi with
 * their registry profiles) spread over Kota Malang's real kelurahan (read from `regions`).
 *
 * Deterministic for a given seed (a tiny seeded PRNG, never Math.random), batched inside
 * transactions, and cheap: every generated account shares one precomputed argon2id hash.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/mydb npx tsx bench/generate.ts --users 100000 --umkm 20000 --koperasi 400 --seed 1
 *   npm run bench -- home --generate 100000     (a benchmark scenario on generated data)
 *
 * Generated accounts log in as gen-u000001@gen.ngalamlaris.id … with password GEN_PASSWORD
 * (default "generated123"). Meant to be built on: later modules add their tables here.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import argon2 from 'argon2';
import { type Insertable, type Kysely, sql } from 'kysely';
import type { Database } from '../src/db/types.js';

export interface GenerateOptions {
  users?: number;
  umkm?: number;
  koperasi?: number;
  seed?: number;
  batchSize?: number;
  password?: string;
  log?: (line: string) => void;
}

export interface GenerateResult {
  users: number;
  organizations: number;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  skipped: boolean;
}

export const GEN_DOMAIN = 'gen.ngalamlaris.id';

/** mulberry32: a tiny, fast, seeded PRNG (32-bit state). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Agus',
  'Budi',
  'Dewi',
  'Eko',
  'Fitri',
  'Hadi',
  'Indah',
  'Joko',
  'Kartika',
  'Lestari',
  'Made',
  'Nur',
  'Putri',
  'Rina',
  'Sari',
  'Slamet',
  'Siti',
  'Teguh',
  'Wahyu',
  'Yuni',
  'Rizky',
  'Ayu',
  'Bambang',
  'Dian',
  'Heru',
  'Ika',
  'Lilik',
  'Sri',
];
const LAST = [
  'Santoso',
  'Wibowo',
  'Lestari',
  'Saputra',
  'Rahayu',
  'Hidayat',
  'Kurniawan',
  'Susanti',
  'Pratama',
  'Wulandari',
  'Setiawan',
  'Handayani',
  'Nugroho',
  'Purnomo',
  'Maharani',
  'Firmansyah',
  'Utami',
  'Prasetyo',
];
const UMKM_WORDS: [string, string][] = [
  ['Keripik Tempe', 'keripik tempe camilan'],
  ['Kopi', 'kopi bubuk biji'],
  ['Batik', 'batik tulis kain'],
  ['Bakso', 'bakso malang kuliner'],
  ['Keramik', 'keramik gerabah vas'],
  ['Rotan', 'rotan mebel kursi'],
  ['Kue', 'kue basah jajanan'],
  ['Sari Apel', 'minuman apel malang'],
  ['Konveksi', 'kaos seragam jahit'],
  ['Topeng', 'topeng malangan kerajinan'],
  ['Laundry', 'laundry cuci setrika'],
  ['Warung', 'warung makan nasi'],
];
const UMKM_SUFFIX = ['Barokah', 'Makmur', 'Sejahtera', 'Arema', 'Jaya', 'Mandiri', 'Berkah', 'Ngalam', 'Sumber Rejeki', 'Lancar'];
const KOP_TYPES = ['simpan_pinjam', 'konsumen', 'produsen', 'pemasaran', 'jasa'] as const;
const KOP_GROUPS = ['umum', 'karyawan', 'komunitas', 'sekolah', 'pemuda', 'kelurahan_merah_putih'] as const;
const STATUSES = ['verified', 'verified', 'verified', 'submitted', 'draft'] as const;

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)];
}

/** A UUID (version-4 layout) drawn from the seeded PRNG, so ids are reproducible too. */
function uuid(rand: () => number): string {
  const h: string[] = [];
  for (let i = 0; i < 4; i++)
    h.push(
      Math.floor(rand() * 0x100000000)
        .toString(16)
        .padStart(8, '0'),
    );
  const s = h.join('');
  const variant = ((Number.parseInt(s[16], 16) & 0x3) | 0x8).toString(16);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

async function tableExists(db: Kysely<Database>, name: string): Promise<boolean> {
  const r = await sql<{ t: string | null }>`select to_regclass(${name})::text as t`.execute(db);
  return Boolean(r.rows[0]?.t);
}

/**
 * Inserts the generated population. Users come first (all `warga`); user i < umkm owns UMKM i
 * (`pelaku_umkm`), the next 3 × koperasi users are pengurus (3 per koperasi), and every 4th
 * remaining user is `anggota_koperasi` of a koperasi. Skips (returns skipped=true) when the
 * database already holds at least that many generated users.
 */
export async function generate(db: Kysely<Database>, opts: GenerateOptions = {}): Promise<GenerateResult> {
  const nUsers = opts.users ?? 100_000;
  const nUmkm = Math.min(opts.umkm ?? 20_000, nUsers);
  const nKop = opts.koperasi ?? 400;
  const batch = opts.batchSize ?? 1000;
  const log = opts.log ?? (() => {});
  const rand = prng(opts.seed ?? 1);
  const t0 = performance.now();

  const existing = await sql<{ n: number }>`select count(*)::int as n from users where email like ${`%@${GEN_DOMAIN}`}`.execute(db);
  if ((existing.rows[0]?.n ?? 0) >= nUsers) {
    log(`generate: ${existing.rows[0]?.n} generated users already present; nothing to do`);
    return { users: 0, organizations: 0, rows: 0, seconds: 0, rowsPerSecond: 0, skipped: true };
  }
  if ((existing.rows[0]?.n ?? 0) > 0) throw new Error('generate: a partial generated population exists; use a fresh database');

  const kel = await sql<{ code: string; parent_code: string }>`
    select code, parent_code from regions where level = 'kelurahan' and code like '35.73.%' order by code`.execute(db);
  const kelurahan = kel.rows;
  if (kelurahan.length === 0) throw new Error('generate: no Kota Malang kelurahan in regions; run the migrations/region seed first');
  const withRegistry = (await tableExists(db, 'umkm')) && (await tableExists(db, 'koperasi')) && (await tableExists(db, 'persons'));
  const kbli = withRegistry
    ? (await sql<{ code: string; section: string }>`select code, section from kbli where is_common order by code`.execute(db)).rows
    : [];

  const hash = await argon2.hash(opts.password ?? process.env.GEN_PASSWORD ?? 'generated123', { type: argon2.argon2id });
  let rows = 0;

  // Organisation ids first (deterministic), so users' grants can point at them.
  const umkmIds = Array.from({ length: nUmkm }, () => uuid(rand));
  const kopIds = Array.from({ length: nKop }, () => uuid(rand));

  // 1. Organisations and their registry profiles.
  for (let start = 0; start < nKop; start += batch) {
    const end = Math.min(nKop, start + batch);
    await db.transaction().execute(async (trx) => {
      const orgs: Insertable<Database['organizations']>[] = [];
      const profiles: Insertable<Database['koperasi']>[] = [];
      for (let i = start; i < end; i++) {
        const k = kelurahan[i % kelurahan.length];
        const name = `Koperasi ${pick(rand, UMKM_SUFFIX)} ${pad(i + 1, 4)}`;
        orgs.push({ id: kopIds[i], kind: 'koperasi', name });
        profiles.push({
          id: kopIds[i],
          name,
          type: pick(rand, KOP_TYPES),
          koperasi_group: pick(rand, KOP_GROUPS),
          kelurahan_code: k.code,
          kecamatan_code: k.parent_code,
          member_count: 20 + Math.floor(rand() * 400),
          status: pick(rand, STATUSES),
          search_text: name.toLowerCase(),
        });
      }
      await trx.insertInto('organizations').values(orgs).execute();
      rows += orgs.length;
      if (withRegistry) {
        await trx.insertInto('koperasi').values(profiles).execute();
        rows += profiles.length;
      }
    });
  }
  log(`generate: ${nKop} koperasi`);

  for (let start = 0; start < nUmkm; start += batch) {
    const end = Math.min(nUmkm, start + batch);
    await db.transaction().execute(async (trx) => {
      const orgs: Insertable<Database['organizations']>[] = [];
      const persons: Insertable<Database['persons']>[] = [];
      const profiles: Insertable<Database['umkm']>[] = [];
      for (let i = start; i < end; i++) {
        // Spread evenly over the kelurahan, with a random tilt so counts differ.
        const k = kelurahan[rand() < 0.7 ? i % kelurahan.length : Math.floor(rand() * kelurahan.length)];
        const [what, words] = pick(rand, UMKM_WORDS);
        const name = `${what} ${pick(rand, UMKM_SUFFIX)} ${pad(i + 1, 5)}`;
        const owner = `${pick(rand, FIRST)} ${pick(rand, LAST)}`;
        const personId = uuid(rand);
        const capital = BigInt(Math.floor(5_000_000 + rand() * rand() * 2_000_000_000));
        const size = capital <= 1_000_000_000n ? 'mikro' : 'kecil';
        const code = kbli.length ? pick(rand, kbli) : undefined;
        orgs.push({ id: umkmIds[i], kind: 'umkm', name });
        persons.push({ id: personId, name: owner, nik: `3573${k.code.slice(6, 8)}${pad(i + 1, 10)}`, phone: `0812${pad(i + 1, 8)}` });
        profiles.push({
          id: umkmIds[i],
          name,
          owner_id: personId,
          nib: rand() < 0.5 ? `9${pad(i + 1, 12)}` : null,
          phone: `0812${pad(i + 1, 8)}`,
          kelurahan_code: k.code,
          kecamatan_code: k.parent_code,
          kbli_code: code?.code ?? null,
          kbli_section: code?.section ?? null,
          year_started: 1995 + Math.floor(rand() * 30),
          workers: 1 + Math.floor(rand() * 12),
          capital,
          size_class: size,
          status: pick(rand, STATUSES),
          product_words: words,
          search_text: `${name} ${words}`.toLowerCase(),
        });
      }
      await trx.insertInto('organizations').values(orgs).execute();
      rows += orgs.length;
      if (withRegistry) {
        await trx.insertInto('persons').values(persons).execute();
        await trx.insertInto('umkm').values(profiles).execute();
        rows += persons.length + profiles.length;
      }
    });
    if ((end / batch) % 5 === 0 || end === nUmkm) log(`generate: ${end}/${nUmkm} UMKM`);
  }

  // 2. Users and their role grants.
  const pengurusEnd = nUmkm + 3 * nKop;
  for (let start = 0; start < nUsers; start += batch) {
    const end = Math.min(nUsers, start + batch);
    await db.transaction().execute(async (trx) => {
      const users: Insertable<Database['users']>[] = [];
      const grants: Insertable<Database['role_grants']>[] = [];
      for (let i = start; i < end; i++) {
        const id = uuid(rand);
        users.push({
          id,
          name: `${pick(rand, FIRST)} ${pick(rand, LAST)}`,
          email: `gen-u${pad(i + 1, 6)}@${GEN_DOMAIN}`,
          phone: rand() < 0.6 ? `0857${pad(i + 1, 8)}` : null,
          password_hash: hash,
          locale: rand() < 0.9 ? 'id' : 'en',
        });
        grants.push({ user_id: id, role: 'warga', organization_id: null });
        if (i < nUmkm) grants.push({ user_id: id, role: 'pelaku_umkm', organization_id: umkmIds[i] });
        else if (i < pengurusEnd && nKop > 0)
          grants.push({ user_id: id, role: 'pengurus_koperasi', organization_id: kopIds[(i - nUmkm) % nKop] });
        else if (nKop > 0 && i % 4 === 0)
          grants.push({ user_id: id, role: 'anggota_koperasi', organization_id: kopIds[Math.floor(rand() * nKop)] });
      }
      await trx.insertInto('users').values(users).execute();
      await trx.insertInto('role_grants').values(grants).execute();
      rows += users.length + grants.length;
    });
    if ((end / batch) % 10 === 0 || end === nUsers) log(`generate: ${end}/${nUsers} users`);
  }

  await sql`analyze`.execute(db);
  const seconds = (performance.now() - t0) / 1000;
  return { users: nUsers, organizations: nUmkm + nKop, rows, seconds, rowsPerSecond: Math.round(rows / seconds), skipped: false };
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function cli() {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    process.stdout.write(
      'usage: tsx bench/generate.ts [--users 100000] [--umkm 20000] [--koperasi 400] [--seed 1] [--batch 1000]\n' +
        'Writes into DATABASE_URL (PostgreSQL) or the embedded database in DATA_DIR; migrates first.\n',
    );
    return;
  }
  const { loadConfig } = await import('../src/config.js');
  const { openFromConfig } = await import('../src/db/index.js');
  const { prepareDatabase } = await import('../src/bootstrap.js');
  const config = loadConfig({ ...process.env, SEED_DEMO: 'false' });
  const db = await openFromConfig(config);
  try {
    await prepareDatabase(db, config, (m) => process.stdout.write(`${m}\n`));
    const r = await generate(db.db, {
      users: Number(arg(argv, 'users') ?? 100_000),
      umkm: Number(arg(argv, 'umkm') ?? 20_000),
      koperasi: Number(arg(argv, 'koperasi') ?? 400),
      seed: Number(arg(argv, 'seed') ?? 1),
      batchSize: Number(arg(argv, 'batch') ?? 1000),
      log: (l) => process.stdout.write(`${l}\n`),
    });
    if (!r.skipped) {
      process.stdout.write(
        `generated ${r.users} users and ${r.organizations} organisations: ${r.rows} rows in ${r.seconds.toFixed(1)} s = ${r.rowsPerSecond} rows/s\n`,
      );
    }
  } finally {
    await db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  cli().catch((err) => {
    process.stderr.write(`generate: ${(err as Error).message}\n`);
    process.exit(1);
  });
}

/**
 * Registry demo data: 300 made-up UMKM and a dozen koperasi spread over all 57 kelurahan of Kota
 * Malang and its real sentra (Sanan tempe, Dinoyo ceramics, Balearjosari rattan, Bandungrejosari
 * rackets, Penanggungan pottery, Pandanwangi marning, Tlogowaru masks, Jodipan), with owners,
 * NIK-like numbers, phones, capital and sales history (mostly mikro, some kecil, a few menengah, and
 * naik kelas events), legal documents without scans and mixed statuses. Every record is
 * `is_demo = true`. Deterministic: a seeded PRNG, so every fresh database gets the same data.
 *
 * It also attaches a verified registry profile to the demo organisations created with the demo
 * accounts ("Keripik Tempe Bu Sri Sanan" of umkm@…, "KSP Sejahtera Bersama Malang" and "Kopsis SMPN
 * Contoh Malang" of koperasi@…), reusing their organizations.id. Idempotent; a second run adds nothing.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types.js';
import { classChange, classify, type SizeClass } from './domain.js';
import { decideClass, insertKoperasiBatch, insertUmkmBatch, type KoperasiBatchItem, type UmkmBatchItem } from './import.js';
import type { KoperasiInput, UmkmInput } from './schemas.js';
import { todayWib } from './service.js';
import type { RegistryStatusColumn } from './tables.js';

export const DEMO_UMKM_COUNT = 300;

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof prng>;

const WOMEN = [
  'Sri',
  'Siti',
  'Endang',
  'Wahyuni',
  'Suharti',
  'Lestari',
  'Rini',
  'Dewi',
  'Yuli',
  'Ani',
  'Tini',
  'Sumiati',
  'Nur',
  'Indah',
  'Ratna',
  'Puji',
  'Kartini',
  'Listyowati',
  'Mulyani',
  'Rahayu',
  'Eka',
  'Fitri',
  'Anik',
  'Umi',
];
const MEN = [
  'Slamet',
  'Budi',
  'Agus',
  'Joko',
  'Bambang',
  'Hadi',
  'Suyono',
  'Eko',
  'Teguh',
  'Wahyu',
  'Sugeng',
  'Heru',
  'Rudi',
  'Imam',
  'Ahmad',
  'Yusuf',
  'Rahmat',
  'Didik',
  'Hari',
  'Gatot',
  'Sutrisno',
  'Arif',
  'Dwi',
  'Fajar',
];
const FAMILY = [
  'Santoso',
  'Wibowo',
  'Susanto',
  'Prasetyo',
  'Hidayat',
  'Setiawan',
  'Purnomo',
  'Kurniawan',
  'Rahmawati',
  'Wulandari',
  'Saputra',
  'Nugroho',
  'Handayani',
  'Suryani',
  'Maulana',
  'Firmansyah',
  'Utami',
  'Hartono',
  'Sulistyo',
  'Hermawan',
];
const TRADE_WORDS = [
  'Barokah',
  'Berkah',
  'Sejahtera',
  'Makmur',
  'Lancar',
  'Sumber Rejeki',
  'Mandiri',
  'Jaya',
  'Abadi',
  'Sentosa',
  'Arema',
  'Ngalam',
];

interface Category {
  /** Name patterns: {o} = owner call name (Bu Sri / Pak Slamet), {w} = a trade word. */
  names: string[];
  kbli: string[];
  words: string;
  food?: boolean;
  sentra?: string;
}

const SENTRA_CATEGORIES: Record<string, Category> = {
  sanan: {
    names: ['Keripik Tempe {o}', 'Tempe Sanan {w}', 'Keripik Tempe {w}', 'Tempe Murni {o}'],
    kbli: ['10391', '10794'],
    words: 'Tempe dan keripik tempe khas Sanan, digoreng tipis dan renyah, berbagai rasa.',
    food: true,
  },
  dinoyo: {
    names: ['Keramik Dinoyo {w}', 'Keramik {o}', 'Galeri Keramik {w}'],
    kbli: ['23931'],
    words: 'Keramik hias dan perlengkapan rumah tangga buatan tangan pengrajin Dinoyo.',
  },
  balearjosari: {
    names: ['Rotan {w}', 'Mebel Rotan {o}', 'Anyaman Rotan {w}'],
    kbli: ['31002', '16291'],
    words: 'Kursi, meja, dan anyaman rotan dari sentra rotan Balearjosari.',
  },
  bandungrejosari: {
    names: ['Raket {w}', 'Raket Bulu Tangkis {o}'],
    kbli: ['32909'],
    words: 'Raket bulu tangkis buatan tangan, senar dan rangka dirakit sendiri.',
  },
  penanggungan: {
    names: ['Gerabah {w}', 'Gerabah {o}'],
    kbli: ['23931'],
    words: 'Gerabah tanah liat: pot, kendi, dan cobek dari Penanggungan.',
  },
  pandanwangi: {
    names: ['Marning Jagung {o}', 'Marning {w}'],
    kbli: ['10794'],
    words: 'Marning jagung renyah dengan bumbu pedas dan original.',
    food: true,
  },
  tlogowaru: {
    names: ['Topeng Malangan {o}', 'Sanggar Topeng {w}'],
    kbli: ['32909'],
    words: 'Topeng Malangan ukir kayu dan suvenir untuk wisatawan.',
  },
  jodipan: {
    names: ['Suvenir Jodipan {w}', 'Kedai Kopi Warna-warni {o}'],
    kbli: ['32909', '56303'],
    words: 'Suvenir dan kedai kopi di Kampung Warna-warni Jodipan.',
  },
};

const CATEGORIES: Category[] = [
  {
    names: ['Warung Makan {o}', 'Rawon {o}', 'Nasi Pecel {o}'],
    kbli: ['56102'],
    words: 'Masakan rumahan khas Malang: rawon, pecel, dan lauk harian.',
    food: true,
  },
  {
    names: ['Bakso Malang {o}', 'Bakso {w}', 'Cwie Mie {o}'],
    kbli: ['56103'],
    words: 'Bakso Malang dan cwie mie dengan kuah kaldu sapi.',
    food: true,
  },
  { names: ['Kue Basah {o}', 'Jajan Pasar {w}'], kbli: ['10792'], words: 'Kue basah dan jajan pasar untuk hajatan dan rapat.', food: true },
  { names: ['Roti {w}', 'Bakery {o}'], kbli: ['10710'], words: 'Roti manis, roti tawar, dan kue kering pesanan.', food: true },
  {
    names: ['Kopi {w}', 'Kedai Kopi {o}'],
    kbli: ['56303', '10761'],
    words: 'Kopi robusta Malang disangrai sendiri, bubuk dan biji.',
    food: true,
  },
  {
    names: ['Keripik Singkong {o}', 'Keripik Buah {w}', 'Camilan {w}'],
    kbli: ['10794'],
    words: 'Keripik singkong, keripik apel, dan camilan oleh-oleh Malang.',
    food: true,
  },
  { names: ['Sambal {o}', 'Sambal Bawang {w}'], kbli: ['10799'], words: 'Sambal bawang dan sambal ikan dalam botol.', food: true },
  { names: ['Catering {o}', 'Katering {w}'], kbli: ['56210'], words: 'Katering nasi kotak dan prasmanan untuk acara.', food: true },
  {
    names: ['Es Dawet {o}', 'Minuman Segar {w}'],
    kbli: ['56306', '11040'],
    words: 'Es dawet, sari kedelai, dan minuman segar.',
    food: true,
  },
  { names: ['Konveksi {w}', 'Konveksi {o}'], kbli: ['14111'], words: 'Konveksi kaos, seragam sekolah, dan seragam kantor.' },
  { names: ['Batik Malangan {w}', 'Batik Tulis {o}'], kbli: ['13133'], words: 'Batik tulis dan cap motif Malangan.' },
  { names: ['Penjahit {o}', 'Jahit {w}'], kbli: ['14120'], words: 'Jahit pakaian sesuai pesanan dan permak.' },
  { names: ['Toko Kelontong {o}', 'Toko {w}'], kbli: ['47111'], words: 'Toko kelontong kebutuhan sehari-hari.' },
  { names: ['Olshop {w}', 'Toko Online {o}'], kbli: ['47919', '47911'], words: 'Penjualan daring produk lokal Malang.' },
  { names: ['Laundry {w}', 'Laundry Kiloan {o}'], kbli: ['96011'], words: 'Cuci kiloan dan setrika, antar jemput.' },
  { names: ['Pangkas Rambut {o}', 'Barbershop {w}'], kbli: ['96021'], words: 'Pangkas rambut pria dan anak.' },
  { names: ['Salon {o}', 'Salon Kecantikan {w}'], kbli: ['96022'], words: 'Salon kecantikan dan rias pengantin.' },
  { names: ['Foto Studio {w}'], kbli: ['74201'], words: 'Foto studio, pas foto, dan dokumentasi acara.' },
  { names: ['Kursus {w}', 'Bimbel {o}'], kbli: ['85499'], words: 'Kursus dan bimbingan belajar untuk pelajar.' },
  { names: ['Tanaman Hias {o}', 'Bibit {w}'], kbli: ['01301'], words: 'Tanaman hias dan bibit buah.' },
  { names: ['Sayur Hidroponik {w}'], kbli: ['01135'], words: 'Sayur hidroponik segar dipanen setiap pagi.' },
  { names: ['Mebel Kayu {o}', 'Ukir Kayu {w}'], kbli: ['31001', '16293'], words: 'Mebel dan ukiran kayu pesanan.' },
  { names: ['Sepatu {w}', 'Sandal {o}'], kbli: ['15201'], words: 'Sepatu dan sandal kulit buatan tangan.' },
];

/** Rough centre of each kecamatan (demo map points land near them). */
const KECAMATAN_CENTRE: Record<string, [number, number]> = {
  '35.73.01': [-7.9445, 112.6502],
  '35.73.02': [-7.9779, 112.6304],
  '35.73.03': [-7.9986, 112.6613],
  '35.73.04': [-7.9999, 112.6158],
  '35.73.05': [-7.9466, 112.6152],
};

const REJECT_REASONS = [
  'Foto KTP pemilik tidak terbaca. Unggah ulang dokumen yang jelas.',
  'Alamat usaha tidak sesuai dengan kelurahan yang dipilih.',
  'NIB yang dicantumkan milik usaha lain. Periksa kembali.',
];

const digits = (r: Rng, n: number) => Array.from({ length: n }, () => r.int(0, 9)).join('');

function personName(r: Rng) {
  const woman = r.chance(0.55);
  const first = r.pick(woman ? WOMEN : MEN);
  const full = r.chance(0.7) ? `${first} ${r.pick(FAMILY)}` : first;
  return { woman, first, full };
}

function nikFor(r: Rng, kecamatan: string, woman: boolean, seq: number) {
  const day = r.int(1, 28) + (woman ? 40 : 0);
  const month = r.int(1, 12);
  const year = r.int(55, 99);
  return `3573${kecamatan.slice(-2)}${String(day).padStart(2, '0')}${String(month).padStart(2, '0')}${String(year).padStart(2, '0')}${String(seq).padStart(4, '0')}`;
}

const phone = (r: Rng) => `08${r.pick(['11', '12', '13', '52', '56', '57', '58', '77', '78', '81', '82', '95', '96'])}${digits(r, 8)}`;

const JUTA = 1_000_000;

/** Capital and yearly sales giving mostly mikro, some kecil, a few menengah; some grow a class. */
function money(r: Rng, currentYear: number) {
  const roll = r.next();
  let capital: number;
  let baseSales: number;
  if (roll < 0.84) {
    capital = r.int(2, 400) * JUTA;
    baseSales = r.int(24, 1500) * JUTA;
  } else if (roll < 0.97) {
    capital = r.int(1100, 4800) * JUTA;
    baseSales = r.int(2100, 12000) * JUTA;
  } else {
    capital = r.int(5200, 9500) * JUTA;
    baseSales = r.int(16000, 45000) * JUTA;
  }
  const sales: { year: number; amount: bigint }[] = [];
  const grows = roll < 0.84 && r.chance(0.12);
  if (grows) {
    // A mikro business whose last full year's sales passed Rp2 miliar: naik kelas to kecil.
    sales.push({ year: currentYear - 3, amount: BigInt(r.int(900, 1400) * JUTA) });
    sales.push({ year: currentYear - 2, amount: BigInt(r.int(1500, 1950) * JUTA) });
    sales.push({ year: currentYear - 1, amount: BigInt(r.int(2100, 3200) * JUTA) });
    capital = Math.min(capital, 600 * JUTA);
  } else if (r.chance(0.6)) {
    const years = r.int(1, 3);
    for (let y = years; y >= 1; y--) {
      const f = 0.8 + r.next() * 0.4;
      sales.push({ year: currentYear - y, amount: BigInt(Math.round((baseSales * f) / JUTA) * JUTA) });
    }
  }
  return { capital, sales };
}

function statusFor(r: Rng): RegistryStatusColumn {
  const s = r.next();
  if (s < 0.8) return 'verified';
  if (s < 0.88) return 'submitted';
  if (s < 0.94) return 'draft';
  if (s < 0.98) return 'rejected';
  return 'inactive';
}

interface Plan {
  item: UmkmBatchItem;
  docs: { kind: 'nib' | 'halal' | 'spp_irt' | 'bpom_md' | 'merek'; number: string; issued: string; expires: string | null }[];
}

function dateStr(d: Date) {
  return d.toISOString().slice(0, 10);
}

/** Seeds the registry's demo data (skipped when demo UMKM already exist). */
export async function seedRegistryDemo(db: Kysely<Database>): Promise<{ umkm: number; koperasi: number }> {
  const ctx = { user: null, ip: null };
  const already = await db.selectFrom('umkm').select('id').where('is_demo', '=', true).limit(1).executeTakeFirst();
  let umkm = 0;
  let koperasi = 0;
  await db.transaction().execute(async (trx) => {
    if (!already) {
      const out = await seedMany(trx as unknown as Kysely<Database>, ctx);
      umkm += out.umkm;
      koperasi += out.koperasi;
    }
    const attached = await attachDemoOrganisations(trx as unknown as Kysely<Database>, ctx);
    umkm += attached.umkm;
    koperasi += attached.koperasi;
  });
  return { umkm, koperasi };
}

async function seedMany(db: Kysely<Database>, ctx: { user: null; ip: null }) {
  const r = prng(35_73_2025);
  const today = todayWib();
  const currentYear = Number(today.slice(0, 4));
  const kelurahan = await db
    .selectFrom('regions')
    .select(['code', 'name', 'parent_code'])
    .where('level', '=', 'kelurahan')
    .orderBy('code')
    .execute();
  if (!kelurahan.length) return { umkm: 0, koperasi: 0 };
  const sentra = await db.selectFrom('sentra').select(['id', 'slug', 'kelurahan_code']).orderBy('slug').execute();
  const kelName = new Map(kelurahan.map((k) => [k.code, k.name]));

  const plans: Plan[] = [];
  const usedNames = new Set<string>();
  let nibSeq = 0;
  const start = Date.UTC(currentYear - 4, 0, 10);
  const span = Date.UTC(currentYear, 0, 1) - start;

  for (let i = 0; i < DEMO_UMKM_COUNT; i++) {
    // The first 57 cover every kelurahan; then about a fifth go to the sentra, the rest anywhere.
    let kel = i < kelurahan.length ? (kelurahan[i] as (typeof kelurahan)[number]) : r.pick(kelurahan);
    let cat: Category = r.pick(CATEGORIES);
    let sentraId: string | undefined;
    if (i >= kelurahan.length && sentra.length && r.chance(0.22)) {
      const s = r.pick(sentra);
      const sc = SENTRA_CATEGORIES[s.slug];
      if (sc) {
        cat = sc;
        sentraId = s.id;
        kel = kelurahan.find((k) => k.code === s.kelurahan_code) ?? kel;
      }
    }
    const owner = personName(r);
    const call = `${owner.woman ? 'Bu' : 'Pak'} ${owner.first}`;
    let name = '';
    for (let tries = 0; tries < 6; tries++) {
      name = r.pick(cat.names).replace('{o}', call).replace('{w}', r.pick(TRADE_WORDS));
      if (!usedNames.has(name)) break;
      name = `${name} ${kelName.get(kel.code) ?? ''}`.trim();
      if (!usedNames.has(name)) break;
    }
    usedNames.add(name);
    const kec = kel.parent_code ?? kel.code.slice(0, 8);
    const { capital, sales } = money(r, currentYear);
    const createdAt = new Date(start + Math.floor(r.next() * span));
    const phoneNo = phone(r);
    const centre = KECAMATAN_CENTRE[kec] ?? [-7.98, 112.63];
    const hasPoint = r.chance(0.75);
    const status = statusFor(r);
    const hasNib = r.chance(status === 'verified' ? 0.5 : 0.25);
    const nib = hasNib
      ? `91${String(currentYear).slice(-2)}${String(kec.slice(-1))}${String(++nibSeq).padStart(4, '0')}${digits(r, 4)}`
      : undefined;
    const input: UmkmInput = {
      name,
      ownerName: owner.full,
      ownerNik: nikFor(r, kec, owner.woman, i + 1),
      phone: phoneNo,
      kelurahanCode: kel.code,
      capital,
      kbli: r.pick(cat.kbli),
      yearStarted: r.int(1995, currentYear - 1),
      workers: r.int(1, capital > 1000 * JUTA ? 40 : 8),
      description: cat.words,
      ...(sentraId ? { sentraId } : {}),
      ...(nib ? { nib } : {}),
      ...(hasPoint
        ? {
            latitude: Number((centre[0] + (r.next() - 0.5) * 0.025).toFixed(5)),
            longitude: Number((centre[1] + (r.next() - 0.5) * 0.025).toFixed(5)),
          }
        : {}),
      ...(r.chance(0.7) ? { whatsapp: phoneNo, showWhatsapp: r.chance(0.75) } : {}),
      ...(r.chance(0.3)
        ? {
            instagram: `@${name
              .toLowerCase()
              .replace(/[^a-z0-9]+/g, '')
              .slice(0, 24)}`,
          }
        : {}),
    };
    const docs: Plan['docs'] = [];
    const issued = (d: Date) => dateStr(new Date(Math.min(Date.now(), d.getTime() + r.int(10, 200) * 86400_000)));
    if (nib) docs.push({ kind: 'nib', number: nib, issued: issued(createdAt), expires: null });
    if (cat.food && r.chance(0.35)) {
      const iss = issued(createdAt);
      docs.push({
        kind: 'spp_irt',
        number: `P-IRT ${r.int(2, 5)}${digits(r, 12)}-${String(currentYear + r.int(1, 4)).slice(-2)}`,
        issued: iss,
        expires: `${Number(iss.slice(0, 4)) + 5}${iss.slice(4)}`,
      });
    }
    if (cat.food && r.chance(0.3))
      docs.push({
        kind: 'halal',
        number: `ID35110000${digits(r, 8)}${currentYear - r.int(0, 3)}`,
        issued: issued(createdAt),
        expires: null,
      });
    if (cat.food && capital > 1000 * JUTA && r.chance(0.5))
      docs.push({ kind: 'bpom_md', number: `BPOM RI MD ${digits(r, 12)}`, issued: issued(createdAt), expires: null });
    if (r.chance(0.06)) docs.push({ kind: 'merek', number: `IDM000${digits(r, 6)}`, issued: issued(createdAt), expires: null });
    plans.push({
      item: {
        input,
        status,
        rejectionReason: status === 'rejected' ? r.pick(REJECT_REASONS) : null,
        sales,
        isDemo: true,
        createdAt,
        skipClassEvents: true,
      },
      docs,
    });
  }

  const ids = await insertUmkmBatch(
    db,
    ctx,
    plans.map((p) => p.item),
    { auditAction: 'umkm.demo' },
  );

  // Documents (no scans) and the size-class history: the class at registration from capital,
  // then naik/turun kelas when a full year's sales put the business in another class.
  const docRows = [];
  const events = [];
  for (let i = 0; i < plans.length; i++) {
    const p = plans[i] as Plan;
    const id = ids[i] as string;
    for (const d of p.docs) {
      docRows.push({
        umkm_id: id,
        kind: d.kind,
        number: d.number,
        issued_on: d.issued,
        expires_on: d.expires,
        created_at: p.item.createdAt,
      });
    }
    const capital = BigInt(p.item.input.capital);
    const initial = classify({ capital }) as NonNullable<ReturnType<typeof classify>>;
    const created = p.item.createdAt as Date;
    events.push({
      organization_id: id,
      from_class: null,
      to_class: initial.sizeClass,
      direction: 'awal' as const,
      occurred_on: dateStr(created),
      basis: 'capital' as const,
      amount: capital,
      year: null,
      evidence: `Modal usaha Rp${capital.toLocaleString('id-ID')} saat pendaftaran`,
      created_by: null,
    });
    const sorted = [...(p.item.sales ?? [])].sort((a, b) => a.year - b.year);
    let current: SizeClass = initial.sizeClass;
    for (const s of sorted) {
      if (s.year < created.getUTCFullYear()) continue;
      const next = decideClass(capital, [s], `${s.year + 1}-02-01`).basis.sizeClass;
      const dir = classChange(current, next);
      if (dir && dir !== 'awal') {
        events.push({
          organization_id: id,
          from_class: current,
          to_class: next,
          direction: dir,
          occurred_on: `${s.year + 1}-02-01`,
          basis: 'sales' as const,
          amount: s.amount,
          year: s.year,
          evidence: `Penjualan tahun ${s.year} Rp${s.amount.toLocaleString('id-ID')}`,
          created_by: null,
        });
        current = next;
      }
    }
  }
  for (let i = 0; i < docRows.length; i += 500)
    await db
      .insertInto('umkm_documents')
      .values(docRows.slice(i, i + 500))
      .execute();
  for (let i = 0; i < events.length; i += 500)
    await db
      .insertInto('size_class_events')
      .values(events.slice(i, i + 500))
      .execute();

  const kop = await seedKoperasi(db, ctx, r, kelurahan, currentYear);
  return { umkm: ids.length, koperasi: kop };
}

async function seedKoperasi(
  db: Kysely<Database>,
  ctx: { user: null; ip: null },
  r: Rng,
  kelurahan: { code: string; name: string }[],
  currentYear: number,
) {
  const byName = (n: string) =>
    kelurahan.find((k) => k.name.toLowerCase() === n.toLowerCase())?.code ?? (kelurahan[0] as { code: string }).code;
  const rat = (overdue: boolean) =>
    overdue ? `${currentYear - 2}-04-${String(r.int(10, 28))}` : `${currentYear}-03-${String(r.int(10, 28))}`;
  const specs: [string, KoperasiInput['type'], KoperasiInput['group'], string, boolean, number][] = [
    ['Koperasi Kelurahan Merah Putih Purwantoro', 'konsumen', 'kelurahan_merah_putih', 'Purwantoro', false, 64],
    ['Koperasi Kelurahan Merah Putih Dinoyo', 'konsumen', 'kelurahan_merah_putih', 'Dinoyo', false, 52],
    ['Koperasi Kelurahan Merah Putih Bandungrejosari', 'konsumen', 'kelurahan_merah_putih', 'Bandungrejosari', false, 48],
    ['Koperasi Produsen Tempe Tahu Sanan', 'produsen', 'komunitas', 'Purwantoro', false, 137],
    ['Koperasi Pemasaran Keramik Dinoyo', 'pemasaran', 'komunitas', 'Dinoyo', false, 41],
    ['KSP Arema Mandiri', 'simpan_pinjam', 'umum', 'Sawojajar', false, 812],
    ['Koperasi Syariah BMT Ngalam Berkah', 'simpan_pinjam', 'umum', 'Kotalama', false, 455],
    ['Kopsis SMAN Contoh 3 Malang', 'konsumen', 'sekolah', 'Klojen', false, 610],
    ['Koperasi Pemuda Kreatif Malang', 'jasa', 'pemuda', 'Lowokwaru', true, 35],
    ['Koperasi Karyawan Pasar Besar', 'konsumen', 'karyawan', 'Sukoharjo', false, 190],
    ['Koperasi Perajin Rotan Balearjosari', 'produsen', 'komunitas', 'Balearjosari', true, 29],
    ['Koperasi Jasa Kampung Topeng Tlogowaru', 'jasa', 'komunitas', 'Tlogowaru', false, 23],
  ];
  const items: KoperasiBatchItem[] = specs.map(([name, type, group, kel, overdue, members], i) => {
    const legalYear = r.int(2005, currentYear - 2);
    return {
      input: {
        name,
        type,
        group,
        syariah: name.includes('Syariah'),
        kelurahanCode: byName(kel),
        legalNumber: `AHU-00${r.int(10000, 99999)}.AH.01.26.TAHUN ${legalYear}`,
        legalDate: `${legalYear}-0${r.int(1, 9)}-1${r.int(0, 9)}`,
        nik: `3573${String(i + 1).padStart(2, '0')}${digits(r, 10)}`,
        address: `Jl. ${r.pick(['Ijen', 'Soekarno-Hatta', 'Borobudur', 'Letjen Sutoyo', 'Gajayana', 'Kawi', 'Mayjen Panjaitan', 'Danau Toba'])} No. ${r.int(1, 180)}`,
        phone: phone(r),
        memberCount: members,
        lastRatDate: rat(overdue),
        fiscalYearStartMonth: 1,
      },
      status: i === 8 ? 'submitted' : 'verified',
      isDemo: true,
      createdAt: new Date(Date.UTC(currentYear - 1, r.int(0, 11), r.int(1, 28))),
    };
  });
  const ids = await insertKoperasiBatch(db, ctx, items, { auditAction: 'koperasi.demo' });
  return ids.length;
}

/** The demo accounts' own organisations get verified registry profiles (same organizations.id). */
async function attachDemoOrganisations(db: Kysely<Database>, ctx: { user: null; ip: null }) {
  let umkm = 0;
  let koperasi = 0;
  const currentYear = Number(todayWib().slice(0, 4));
  const sri = await db
    .selectFrom('organizations as o')
    .leftJoin('umkm as u', 'u.id', 'o.id')
    .select(['o.id', 'u.id as profile'])
    .where('o.name', '=', 'Keripik Tempe Bu Sri Sanan')
    .where('o.kind', '=', 'umkm')
    .executeTakeFirst();
  if (sri && !sri.profile) {
    const sanan = await db.selectFrom('sentra').select('id').where('slug', '=', 'sanan').executeTakeFirst();
    const nikTaken = await db.selectFrom('persons').select('id').where('nik', '=', '3573014506720001').executeTakeFirst();
    await insertUmkmBatch(
      db,
      ctx,
      [
        {
          organizationId: sri.id,
          input: {
            name: 'Keripik Tempe Bu Sri Sanan',
            brandName: 'Tempe Sri Sanan',
            ownerName: 'Sri Wahyuningsih',
            ownerNik: nikTaken ? `3573014506${String(Date.now()).slice(-6)}` : '3573014506720001',
            phone: '081233445566',
            kelurahanCode: '35.73.01.1007',
            address: 'Jl. Sanan Gg. 5 No. 21, Purwantoro',
            latitude: -7.9594,
            longitude: 112.6447,
            kbli: '10794',
            ...(sanan ? { sentraId: sanan.id } : {}),
            yearStarted: 2008,
            workers: 6,
            capital: 85 * JUTA,
            nib: '9120301000001',
            whatsapp: '081233445566',
            showWhatsapp: true,
            instagram: '@keripiktempe.busri',
            description: 'Keripik tempe tipis renyah khas Sanan, rasa original, pedas, dan balado. Dibuat setiap hari sejak 2008.',
          },
          status: 'verified',
          sales: [
            { year: currentYear - 2, amount: 310n * BigInt(JUTA) },
            { year: currentYear - 1, amount: 365n * BigInt(JUTA) },
          ],
          isDemo: true,
        },
      ],
      { auditAction: 'umkm.demo' },
    );
    await db
      .insertInto('umkm_documents')
      .values([
        { umkm_id: sri.id, kind: 'nib', number: '9120301000001', issued_on: '2021-05-10', expires_on: null },
        { umkm_id: sri.id, kind: 'spp_irt', number: 'P-IRT 2063573010123-26', issued_on: '2021-08-02', expires_on: '2026-08-02' },
        { umkm_id: sri.id, kind: 'halal', number: 'ID35110000123450822', issued_on: '2022-11-15', expires_on: null },
      ])
      .execute();
    umkm += 1;
  }
  const koperasiOrgs: [string, KoperasiInput][] = [
    [
      'KSP Sejahtera Bersama Malang',
      {
        name: 'KSP Sejahtera Bersama Malang',
        type: 'simpan_pinjam',
        group: 'umum',
        kelurahanCode: '35.73.02.1002',
        address: 'Jl. Kawi No. 24',
        legalNumber: 'AHU-0012345.AH.01.26.TAHUN 2012',
        legalDate: '2012-07-16',
        phone: '081234500011',
        memberCount: 348,
        lastRatDate: `${currentYear}-03-22`,
      },
    ],
    [
      'Kopsis SMPN Contoh Malang',
      {
        name: 'Kopsis SMPN Contoh Malang',
        type: 'konsumen',
        group: 'sekolah',
        kelurahanCode: '35.73.05.1004',
        address: 'Jl. MT Haryono No. 7',
        memberCount: 420,
        lastRatDate: `${currentYear}-02-14`,
      },
    ],
  ];
  for (const [orgName, input] of koperasiOrgs) {
    const org = await db
      .selectFrom('organizations as o')
      .leftJoin('koperasi as k', 'k.id', 'o.id')
      .select(['o.id', 'k.id as profile'])
      .where('o.name', '=', orgName)
      .where('o.kind', '=', 'koperasi')
      .executeTakeFirst();
    if (!org || org.profile) continue;
    await insertKoperasiBatch(db, ctx, [{ organizationId: org.id, input, status: 'verified', isDemo: true }], {
      auditAction: 'koperasi.demo',
    });
    koperasi += 1;
  }
  return { umkm, koperasi };
}

/** For tests: how many kelurahan have at least one demo UMKM. */
export async function demoKelurahanCoverage(db: Kysely<Database>) {
  const r = await sql<{ n: number }>`select count(distinct kelurahan_code)::int as n from umkm where is_demo`.execute(db);
  return r.rows[0]?.n ?? 0;
}

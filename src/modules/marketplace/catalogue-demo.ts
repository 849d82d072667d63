import path from 'node:path';
import type { Kysely } from 'kysely';
import sharp from 'sharp';
import type { Config } from '../../config.js';
import type { Database } from '../../db/types.js';
import { LocalDiskStorage } from '../../platform/storage.js';
import { prng } from '../registry/demo.js';
import { freeSlug, slugify, storePhotoRenditions } from './catalogue-service.js';

/**
 * Marketplace demo (idempotent): the store of "Keripik Tempe Bu Sri Sanan" (umkm@demo…) with eight
 * products, variants, stock and generated photos, plus about thirty stores of verified demo UMKM and
 * koperasi (Sanan tempe, Dinoyo keramik, batik Malangan, topeng, rotan, …) with 3–8 products each.
 * Photos are SVG drawings rendered by sharp and stored through the upload's rendition path.
 * Everything is is_demo (stores) or belongs to a demo store.
 */

type Tpl = [name: string, category: string, price: number, variants?: Array<[string, number]>, description?: string];

const BU_SRI: Tpl[] = [
  [
    'Keripik Tempe Original',
    'kuliner-camilan',
    15_000,
    [
      ['100 g', 15_000],
      ['250 g', 32_000],
      ['500 g', 60_000],
    ],
    'Keripik tempe **tipis dan renyah** khas Sanan, digoreng setiap pagi.\n\n- Tempe kedelai pilihan\n- Tanpa pengawet\n- Tahan 2 bulan',
  ],
  [
    'Keripik Tempe Pedas',
    'kuliner-camilan',
    16_000,
    [
      ['100 g', 16_000],
      ['250 g', 34_000],
    ],
    'Keripik tempe dengan bumbu cabai rawit. *Pedasnya nendang.*',
  ],
  [
    'Keripik Tempe Balado',
    'kuliner-camilan',
    16_000,
    [
      ['100 g', 16_000],
      ['250 g', 34_000],
    ],
    'Bumbu balado manis pedas.',
  ],
  ['Keripik Tempe Rasa Keju', 'kuliner-camilan', 18_000, undefined, 'Keripik tempe bertabur bubuk keju, favorit anak-anak.'],
  [
    'Tempe Mentah Sanan',
    'kuliner-makanan-berat',
    6_000,
    [
      ['Papan kecil', 6_000],
      ['Papan besar', 12_000],
    ],
    'Tempe segar dibungkus daun, dibuat hari ini.',
  ],
  ['Paket Oleh-oleh Sanan', 'oleh-oleh', 75_000, undefined, 'Lima rasa keripik tempe dalam satu kardus cantik, pas untuk oleh-oleh.'],
  [
    'Sambal Pecel Bu Sri',
    'kuliner-sambal-bumbu',
    20_000,
    [
      ['250 g', 20_000],
      ['500 g', 38_000],
    ],
    'Sambal pecel kacang, tinggal seduh air panas.',
  ],
  ['Tempe Goreng Tepung Frozen', 'kuliner-frozen', 25_000, undefined, 'Tempe goreng tepung beku, 20 potong. Simpan di freezer.'],
];

const KINDS: Array<{ match: RegExp; products: Tpl[] }> = [
  {
    match: /tempe|sanan/i,
    products: [
      [
        'Keripik Tempe Original',
        'kuliner-camilan',
        14_000,
        [
          ['100 g', 14_000],
          ['250 g', 30_000],
        ],
      ],
      ['Keripik Tempe Pedas Daun Jeruk', 'kuliner-camilan', 16_000],
      ['Keripik Tempe Sagu', 'kuliner-camilan', 15_000],
      ['Tempe Segar Bungkus Daun', 'kuliner-makanan-berat', 5_000],
      [
        'Keripik Tempe Bawang',
        'kuliner-camilan',
        15_000,
        [
          ['100 g', 15_000],
          ['200 g', 28_000],
        ],
      ],
      ['Brownies Tempe', 'kuliner-kue-roti', 35_000],
    ],
  },
  {
    match: /keramik|gerabah/i,
    products: [
      [
        'Vas Keramik Dinoyo Motif Bunga',
        'kriya-keramik',
        85_000,
        [
          ['Kecil', 85_000],
          ['Sedang', 135_000],
          ['Besar', 220_000],
        ],
      ],
      ['Set Cangkir Keramik', 'kriya-keramik', 120_000],
      ['Piring Hias Keramik Malangan', 'kriya-keramik', 95_000],
      ['Asbak Keramik Lukis', 'kriya-keramik', 35_000],
      [
        'Pot Gerabah Tanah Liat',
        'kriya-keramik',
        25_000,
        [
          ['Diameter 15 cm', 25_000],
          ['Diameter 25 cm', 45_000],
        ],
      ],
      ['Cobek Batu Tanah Liat', 'kriya-keramik', 40_000],
    ],
  },
  {
    match: /batik/i,
    products: [
      ['Kain Batik Tulis Malangan Motif Teratai', 'fashion-batik-malangan', 350_000],
      [
        'Kemeja Batik Malangan Pria',
        'fashion-batik-malangan',
        175_000,
        [
          ['M', 175_000],
          ['L', 175_000],
          ['XL', 185_000],
        ],
      ],
      [
        'Blus Batik Cap Wanita',
        'fashion-batik-malangan',
        150_000,
        [
          ['S', 150_000],
          ['M', 150_000],
          ['L', 155_000],
        ],
      ],
      ['Selendang Batik Malangan', 'fashion-batik-malangan', 95_000],
      ['Masker Kain Batik', 'fashion-hijab-aksesoris', 15_000],
    ],
  },
  {
    match: /topeng/i,
    products: [
      ['Topeng Malangan Panji Asmorobangun', 'kriya-topeng', 450_000],
      ['Topeng Malangan Dewi Sekartaji', 'kriya-topeng', 450_000],
      [
        'Topeng Mini Suvenir',
        'kriya-topeng',
        35_000,
        [
          ['Satuan', 35_000],
          ['Paket 5', 150_000],
        ],
      ],
      ['Gantungan Kunci Topeng', 'oleh-oleh', 12_000],
      ['Topeng Klana Ukir Kayu', 'kriya-topeng', 600_000],
    ],
  },
  {
    match: /rotan/i,
    products: [
      ['Kursi Rotan Teras', 'kriya-rotan', 650_000],
      [
        'Keranjang Rotan Anyaman',
        'kriya-anyaman',
        85_000,
        [
          ['Kecil', 85_000],
          ['Besar', 140_000],
        ],
      ],
      ['Tudung Saji Rotan', 'kriya-anyaman', 60_000],
      ['Meja Rotan Bundar', 'kriya-rotan', 850_000],
    ],
  },
  {
    match: /marning|keripik|camilan/i,
    products: [
      [
        'Marning Jagung Pedas',
        'kuliner-camilan',
        12_000,
        [
          ['150 g', 12_000],
          ['300 g', 22_000],
        ],
      ],
      ['Keripik Apel Malang', 'kuliner-camilan', 25_000],
      ['Keripik Singkong Balado', 'kuliner-camilan', 12_000],
      ['Keripik Nangka', 'kuliner-camilan', 28_000],
      ['Emping Jagung', 'kuliner-camilan', 15_000],
    ],
  },
  {
    match: /kopi/i,
    products: [
      [
        'Kopi Robusta Dampit Bubuk',
        'kuliner-minuman',
        35_000,
        [
          ['200 g', 35_000],
          ['500 g', 80_000],
        ],
      ],
      ['Kopi Arabika Biji Sangrai', 'kuliner-minuman', 65_000],
      ['Kopi Susu Literan', 'kuliner-minuman', 60_000],
      ['Kopi Tubruk Sachet', 'kuliner-minuman', 20_000],
    ],
  },
  {
    match: /sambal/i,
    products: [
      [
        'Sambal Bawang Botol',
        'kuliner-sambal-bumbu',
        25_000,
        [
          ['Sedang', 25_000],
          ['Extra pedas', 27_000],
        ],
      ],
      ['Sambal Ikan Tongkol', 'kuliner-sambal-bumbu', 30_000],
      ['Sambal Teri Medan', 'kuliner-sambal-bumbu', 32_000],
      ['Bumbu Rawon Instan', 'kuliner-sambal-bumbu', 15_000],
    ],
  },
  {
    match: /kue|jajan|roti|bakery/i,
    products: [
      ['Lapis Legit', 'kuliner-kue-roti', 120_000],
      ['Kue Lumpur Isi 10', 'kuliner-kue-roti', 30_000],
      ['Roti Sobek Cokelat', 'kuliner-kue-roti', 22_000],
      [
        'Nastar Toples',
        'kuliner-kue-roti',
        85_000,
        [
          ['250 g', 85_000],
          ['500 g', 160_000],
        ],
      ],
    ],
  },
  {
    match: /tanaman|bibit|hidroponik/i,
    products: [
      ['Bibit Apel Manalagi', 'pertanian-bibit-tanaman', 35_000],
      ['Monstera Pot Kecil', 'pertanian-bibit-tanaman', 75_000],
      ['Selada Hidroponik 250 g', 'pertanian-sayur-buah', 12_000],
      ['Paket Sayur Hidroponik', 'pertanian-sayur-buah', 35_000],
    ],
  },
];

const KOPERASI_PRODUCTS: Array<{ match: RegExp; products: Tpl[] }> = [
  { match: /tempe/i, products: KINDS[0]?.products ?? [] },
  { match: /keramik/i, products: KINDS[1]?.products ?? [] },
  { match: /topeng/i, products: KINDS[3]?.products ?? [] },
];

const COLOURS: Record<string, string> = {
  kuliner: '#b5651d',
  fashion: '#6b3fa0',
  kriya: '#8a5a2b',
  pertanian: '#3f7d3a',
  'oleh-oleh': '#c2185b',
};

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A square product picture: a coloured background with the product's name, rendered by sharp. */
async function demoPicture(name: string, category: string, size: number): Promise<Buffer> {
  const colour = COLOURS[category.split('-')[0] as string] ?? COLOURS[category] ?? '#455a64';
  const words = name.split(' ');
  const lines: string[] = [];
  for (const w of words) {
    const last = lines[lines.length - 1];
    if (last && `${last} ${w}`.length <= 16) lines[lines.length - 1] = `${last} ${w}`;
    else lines.push(w);
  }
  const text = lines
    .slice(0, 4)
    .map(
      (l, i) =>
        `<text x="600" y="${760 + i * 110}" font-size="96" text-anchor="middle" fill="#fff" font-family="sans-serif" font-weight="bold">${escapeXml(l)}</text>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1200"><rect width="1200" height="1200" fill="${colour}"/><circle cx="600" cy="420" r="240" fill="#fff" opacity=".22"/><circle cx="600" cy="420" r="150" fill="#fff" opacity=".3"/>${text}</svg>`;
  // Drawn on a 1200 canvas and rasterised at `size` (other stores' pictures are smaller, to seed fast).
  return sharp(Buffer.from(svg), { density: (72 * size) / 1200 })
    .resize(size, size)
    .png({ compressionLevel: 0 })
    .toBuffer();
}

interface Org {
  id: string;
  name: string;
  kind: 'umkm' | 'koperasi';
  address: string | null;
  kelurahan_code: string;
  kecamatan_code: string;
  phone: string | null;
}

export async function seedCatalogueDemo(
  db: Kysely<Database>,
  config: Pick<Config, 'dataDir'>,
): Promise<{ stores: number; products: number }> {
  const bu = await db
    .selectFrom('umkm')
    .select(['id', 'name', 'address', 'kelurahan_code', 'kecamatan_code', 'phone'])
    .where('name', '=', 'Keripik Tempe Bu Sri Sanan')
    .where('status', '=', 'verified')
    .executeTakeFirst();
  if (!bu) return { stores: 0, products: 0 };
  const done = await db.selectFrom('market_stores').select('id').where('organization_id', '=', bu.id).executeTakeFirst();
  if (done) return { stores: 0, products: 0 };

  const storage = new LocalDiskStorage(path.join(config.dataDir, 'files'));
  const rng = prng(4_2026);
  const [umkm, koperasi] = await Promise.all([
    db
      .selectFrom('umkm')
      .select(['id', 'name', 'address', 'kelurahan_code', 'kecamatan_code', 'phone'])
      .where('is_demo', '=', true)
      .where('status', '=', 'verified')
      .where('id', '<>', bu.id)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('koperasi')
      .select(['id', 'name', 'address', 'kelurahan_code', 'kecamatan_code', 'phone'])
      .where('is_demo', '=', true)
      .where('status', '=', 'verified')
      .orderBy('name')
      .execute(),
  ]);

  const chosen: Array<{ org: Org; products: Tpl[] }> = [{ org: { ...bu, kind: 'umkm' }, products: BU_SRI }];
  const used = new Set<string>([bu.id]);
  for (const kind of KINDS) {
    const orgs = umkm.filter((u) => !used.has(u.id) && kind.match.test(u.name)).slice(0, 3);
    for (const o of orgs) used.add(o.id);
    for (const o of orgs) {
      const n = Math.min(kind.products.length, rng.int(3, 8));
      chosen.push({ org: { ...o, kind: 'umkm' }, products: kind.products.slice(0, n) });
    }
  }
  for (const kp of KOPERASI_PRODUCTS) {
    const k = koperasi.find((x) => kp.match.test(x.name));
    if (k) chosen.push({ org: { ...k, kind: 'koperasi' }, products: kp.products.slice(0, 4) });
  }

  const photos: Array<{ productId: string; name: string; category: string; size: number }> = [];
  let productCount = 0;
  await db.transaction().execute(async (trx) => {
    const kec = await trx
      .selectFrom('regions')
      .select('code')
      .where('level', '=', 'kecamatan')
      .where('code', 'like', '35.73.%')
      .orderBy('code')
      .execute();
    const taken = new Set((await trx.selectFrom('market_stores').select('slug').execute()).map((r) => r.slug));
    for (const [si, { org, products }] of chosen.entries()) {
      const slug = freeSlug(slugify(org.name), taken);
      taken.add(slug);
      const phone = (org.phone ?? '').replace(/[^0-9+]/g, '');
      const delivers = si === 0 || rng.chance(0.6);
      const store = await trx
        .insertInto('market_stores')
        .values({
          organization_id: org.id,
          organization_kind: org.kind,
          slug,
          name: org.name,
          story:
            si === 0
              ? 'Bu Sri membuat keripik tempe di Sanan sejak 2008. Tempe dibuat sendiri dari kedelai pilihan, diiris tipis, lalu digoreng setiap pagi.'
              : `${org.name} adalah usaha lokal Kota Malang. Produk dibuat sendiri dan dikirim dari Malang.`,
          whatsapp: /^(\+62|62|0)8[0-9]{7,12}$/.test(phone) ? phone : null,
          opening_hours: 'Senin–Sabtu 08.00–17.00',
          address: org.address,
          kelurahan_code: org.kelurahan_code,
          kecamatan_code: org.kecamatan_code,
          offers_pickup: true,
          offers_delivery: delivers,
          offers_cod: delivers && rng.chance(0.5),
          bank_name: 'BRI',
          bank_account_number: `0${String(100_000_000 + si * 7_919_113).slice(0, 9)}01`,
          bank_account_name: org.name,
          status: 'open',
          is_demo: true,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('market_pickup_points')
        .values({ store_id: store.id, kind: 'alamat', label: org.name, address: org.address, position: 0 })
        .execute();
      if (delivers) {
        await trx
          .insertInto('market_store_delivery_fees')
          .values(
            kec.map((k) => ({
              store_id: store.id,
              kecamatan_code: k.code,
              fee: BigInt(k.code === org.kecamatan_code ? 5_000 : 10_000 + rng.int(0, 2) * 2_500),
            })),
          )
          .execute();
      }
      const slugs = new Set<string>();
      const rows = products.map(([name, category, price, variants, description], pi) => {
        const pslug = freeSlug(slugify(name), slugs);
        slugs.add(pslug);
        return { pi, name, category, pslug, variants: variants ?? [['', price] as [string, number]], description };
      });
      const inserted = await trx
        .insertInto('market_products')
        .values(
          rows.map((r) => ({
            store_id: store.id,
            category_id: r.category,
            name: r.name,
            slug: r.pslug,
            description: r.description ?? `${r.name} dari ${org.name}, Kota Malang.`,
            status: 'active' as const,
            weight_grams: r.category.startsWith('kuliner') ? 250 : 1000,
            sold_count: rng.int(0, 120),
          })),
        )
        .returning(['id', 'slug'])
        .execute();
      const idOf = new Map(inserted.map((x) => [x.slug, x.id]));
      await trx
        .insertInto('market_variants')
        .values(
          rows.flatMap((r) =>
            r.variants.map(([vn, vp], vi) => ({
              product_id: idOf.get(r.pslug) as string,
              name: vn,
              price: BigInt(vp),
              stock: si === 0 && r.pi === 3 ? 3 : rng.int(0, 10) === 0 ? 0 : rng.int(4, 60),
              position: vi,
            })),
          ),
        )
        .execute();
      productCount += rows.length;
      for (const r of rows)
        if (si === 0 || r.pi === 0)
          photos.push({ productId: idOf.get(r.pslug) as string, name: r.name, category: r.category, size: si === 0 ? 1200 : 600 });
    }
    await trx
      .insertInto('audit_log')
      .values({
        actor_user_id: null,
        action: 'demo.seed.marketplace',
        entity_type: 'system',
        entity_id: null,
        after: JSON.stringify({ stores: chosen.length, products: productCount }),
      })
      .execute();
  });

  // Photos after the rows are in (files first, then their rows, as the upload does), two at a time.
  const work = [...photos];
  const worker = async () => {
    for (let job = work.shift(); job; job = work.shift()) {
      const picture = await demoPicture(job.name, job.category, job.size);
      const { id, keys } = await storePhotoRenditions(storage, job.productId, picture, 0);
      await db
        .insertInto('market_product_photos')
        .values({ id, product_id: job.productId, position: 0, small_key: keys.small, medium_key: keys.medium, large_key: keys.large })
        .execute();
    }
  };
  await Promise.all([worker(), worker()]);
  return { stores: chosen.length, products: productCount };
}

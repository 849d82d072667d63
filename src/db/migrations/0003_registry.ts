import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// The registry (data tunggal KUMKM): owners, UMKM, koperasi, sectors (KBLI 2020), sentra,
// documents, photos, sales history and size-class (naik kelas) events.

const KBLI_SECTIONS: [string, string, string][] = [
  ['A', 'Pertanian, Kehutanan dan Perikanan', 'Agriculture, forestry and fishing'],
  ['B', 'Pertambangan dan Penggalian', 'Mining and quarrying'],
  ['C', 'Industri Pengolahan', 'Manufacturing'],
  ['D', 'Pengadaan Listrik, Gas, Uap/Air Panas dan Udara Dingin', 'Electricity, gas, steam and air conditioning supply'],
  [
    'E',
    'Treatment Air, Treatment Air Limbah, Treatment dan Pemulihan Material Sampah, dan Aktivitas Remediasi',
    'Water supply, sewerage, waste management and remediation',
  ],
  ['F', 'Konstruksi', 'Construction'],
  [
    'G',
    'Perdagangan Besar dan Eceran; Reparasi dan Perawatan Mobil dan Sepeda Motor',
    'Wholesale and retail trade; repair of motor vehicles and motorcycles',
  ],
  ['H', 'Pengangkutan dan Pergudangan', 'Transportation and storage'],
  ['I', 'Penyediaan Akomodasi dan Penyediaan Makan Minum', 'Accommodation and food service activities'],
  ['J', 'Informasi dan Komunikasi', 'Information and communication'],
  ['K', 'Aktivitas Keuangan dan Asuransi', 'Financial and insurance activities'],
  ['L', 'Real Estat', 'Real estate activities'],
  ['M', 'Aktivitas Profesional, Ilmiah dan Teknis', 'Professional, scientific and technical activities'],
  [
    'N',
    'Aktivitas Penyewaan dan Sewa Guna Usaha Tanpa Hak Opsi, Ketenagakerjaan, Agen Perjalanan dan Penunjang Usaha Lainnya',
    'Administrative and support service activities',
  ],
  ['O', 'Administrasi Pemerintahan, Pertahanan dan Jaminan Sosial Wajib', 'Public administration and defence; compulsory social security'],
  ['P', 'Pendidikan', 'Education'],
  ['Q', 'Aktivitas Kesehatan Manusia dan Aktivitas Sosial', 'Human health and social work activities'],
  ['R', 'Kesenian, Hiburan dan Rekreasi', 'Arts, entertainment and recreation'],
  ['S', 'Aktivitas Jasa Lainnya', 'Other service activities'],
  [
    'T',
    'Aktivitas Rumah Tangga sebagai Pemberi Kerja; Aktivitas yang Menghasilkan Barang dan Jasa oleh Rumah Tangga yang Digunakan untuk Memenuhi Kebutuhan Sendiri',
    'Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use',
  ],
  ['U', 'Aktivitas Badan Internasional dan Badan Ekstra Internasional Lainnya', 'Activities of extraterritorial organizations and bodies'],
];

/** Common UMKM codes (KBLI 2020, 5 digits): code, section, Indonesian title, English title. */
const KBLI_COMMON: [string, string, string, string][] = [
  // Agriculture
  ['01135', 'A', 'Pertanian hortikultura sayuran buah dan umbi', 'Growing of fruit-bearing and root vegetables'],
  ['01301', 'A', 'Pertanian tanaman hias dan pembibitan tanaman', 'Ornamental plants and plant propagation'],
  // Food and drink manufacturing
  ['10391', 'C', 'Industri tempe kedelai', 'Manufacture of soybean tempe'],
  ['10392', 'C', 'Industri tahu kedelai', 'Manufacture of soybean tofu'],
  ['10710', 'C', 'Industri produk roti dan kue', 'Manufacture of bakery products'],
  ['10722', 'C', 'Industri gula merah', 'Manufacture of palm and brown sugar'],
  ['10732', 'C', 'Industri makanan dari cokelat dan kembang gula', 'Manufacture of chocolate and sugar confectionery'],
  ['10750', 'C', 'Industri makanan dan masakan olahan', 'Manufacture of prepared meals and dishes'],
  ['10761', 'C', 'Industri pengolahan kopi', 'Coffee processing'],
  ['10792', 'C', 'Industri kue basah', 'Manufacture of traditional wet cakes'],
  [
    '10793',
    'C',
    'Industri makanan dari kedelai dan kacang-kacangan lainnya bukan kecap, tempe dan tahu',
    'Other food from soybeans and pulses',
  ],
  ['10794', 'C', 'Industri kerupuk, keripik, peyek dan sejenisnya', 'Manufacture of crackers, chips and similar snacks'],
  ['10796', 'C', 'Industri dodol', 'Manufacture of dodol'],
  ['10799', 'C', 'Industri produk makanan lainnya', 'Manufacture of other food products'],
  ['11040', 'C', 'Industri minuman ringan', 'Manufacture of soft drinks'],
  // Fashion and textiles
  ['13133', 'C', 'Industri kain batik', 'Batik making'],
  ['14111', 'C', 'Industri pakaian jadi (konveksi) dari tekstil', 'Manufacture of garments from textiles'],
  ['14120', 'C', 'Penjahitan dan pembuatan pakaian sesuai pesanan', 'Tailoring and custom dressmaking'],
  ['15201', 'C', 'Industri alas kaki untuk keperluan sehari-hari', 'Manufacture of everyday footwear'],
  // Crafts
  ['16291', 'C', 'Industri barang anyaman dari rotan dan bambu', 'Manufacture of rattan and bamboo plaiting'],
  ['16293', 'C', 'Industri kerajinan ukiran dari kayu', 'Manufacture of wood carving crafts'],
  ['23931', 'C', 'Industri perlengkapan rumah tangga dari keramik dan porselen', 'Manufacture of ceramic and porcelain household ware'],
  ['31001', 'C', 'Industri furnitur dari kayu', 'Manufacture of wooden furniture'],
  ['31002', 'C', 'Industri furnitur dari rotan dan atau bambu', 'Manufacture of rattan and bamboo furniture'],
  ['32909', 'C', 'Industri pengolahan lainnya (kerajinan, topeng, suvenir)', 'Other manufacturing (crafts, masks, souvenirs)'],
  // Trade
  [
    '47111',
    'G',
    'Perdagangan eceran berbagai macam barang yang utamanya makanan, minuman atau tembakau (toko kelontong)',
    'Retail sale of mainly food, beverages or tobacco (grocery shop)',
  ],
  ['47241', 'G', 'Perdagangan eceran roti, kue kering, serta kue basah dan sejenisnya', 'Retail sale of bread and cakes'],
  ['47711', 'G', 'Perdagangan eceran pakaian', 'Retail sale of clothing'],
  [
    '47911',
    'G',
    'Perdagangan eceran melalui media untuk komoditi makanan, minuman, tembakau, kimia, farmasi, kosmetik dan alat laboratorium',
    'Retail sale via media (internet) of food, drink and similar',
  ],
  ['47919', 'G', 'Perdagangan eceran melalui media untuk berbagai macam barang lainnya', 'Retail sale via media (internet) of other goods'],
  // Food service
  ['56101', 'I', 'Restoran', 'Restaurants'],
  ['56102', 'I', 'Warung makan', 'Food stalls (warung makan)'],
  ['56103', 'I', 'Kedai makanan', 'Food kiosks'],
  ['56104', 'I', 'Penyediaan makanan keliling/tempat tidak tetap', 'Mobile food service'],
  ['56210', 'I', 'Jasa boga untuk suatu event tertentu (event catering)', 'Event catering'],
  ['56303', 'I', 'Rumah minum/kafe', 'Cafés'],
  ['56306', 'I', 'Kedai minuman', 'Drink kiosks'],
  // Services
  ['74201', 'M', 'Aktivitas fotografi', 'Photographic activities'],
  ['79120', 'N', 'Aktivitas biro perjalanan wisata', 'Tour operator activities'],
  ['85499', 'P', 'Pendidikan lainnya swasta (kursus dan pelatihan)', 'Other private education (courses and training)'],
  ['95230', 'S', 'Reparasi alas kaki dan barang dari kulit', 'Repair of footwear and leather goods'],
  ['96011', 'S', 'Aktivitas binatu (laundry)', 'Laundry activities'],
  ['96021', 'S', 'Aktivitas pangkas rambut', 'Barber shops'],
  ['96022', 'S', 'Aktivitas salon kecantikan', 'Beauty salons'],
];

const SENTRA: [string, string, string, string][] = [
  ['sanan', 'Sentra Tempe dan Keripik Tempe Sanan', '35.73.01.1007', 'Kampung produsen tempe dan keripik tempe di Sanan, Purwantoro.'],
  ['dinoyo', 'Sentra Keramik Dinoyo', '35.73.05.1004', 'Sentra kerajinan keramik di Dinoyo.'],
  ['balearjosari', 'Sentra Rotan Balearjosari', '35.73.01.1001', 'Sentra kerajinan dan mebel rotan di Balearjosari.'],
  ['bandungrejosari', 'Sentra Raket Bandungrejosari', '35.73.04.1004', 'Sentra pembuatan raket bulu tangkis di Bandungrejosari.'],
  ['penanggungan', 'Sentra Gerabah Penanggungan', '35.73.02.1011', 'Sentra gerabah di Penanggungan.'],
  ['pandanwangi', 'Sentra Marning Pandanwangi', '35.73.01.1006', 'Sentra camilan marning jagung di Pandanwangi.'],
  ['tlogowaru', 'Kampung Topeng Malangan Tlogowaru', '35.73.03.1012', 'Kampung tematik Topeng Malangan di Tlogowaru.'],
  ['jodipan', 'Kampung Warna-warni Jodipan', '35.73.01.1011', 'Kampung tematik warna-warni di Jodipan.'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);

  await sql`
    create table kbli (
      code text primary key,
      section text not null,
      title_id text not null,
      title_en text not null,
      is_common boolean not null default false
    )`.execute(db);
  await sql`create index kbli_title_trgm on kbli using gin (title_id gin_trgm_ops)`.execute(db);
  for (const [code, title, en] of KBLI_SECTIONS) {
    await sql`insert into kbli (code, section, title_id, title_en, is_common) values (${code}, ${code}, ${title}, ${en}, false)`.execute(
      db,
    );
  }
  for (const [code, section, title, en] of KBLI_COMMON) {
    await sql`insert into kbli (code, section, title_id, title_en, is_common) values (${code}, ${section}, ${title}, ${en}, true)`.execute(
      db,
    );
  }

  await sql`
    create table sentra (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique,
      name text not null,
      kelurahan_code text not null,
      description text
    )`.execute(db);
  for (const [slug, name, kel, desc] of SENTRA) {
    await sql`insert into sentra (slug, name, kelurahan_code, description) values (${slug}, ${name}, ${kel}, ${desc})`.execute(db);
  }

  await sql`
    create table persons (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      nik text not null unique,
      phone text,
      email text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table umkm (
      id uuid primary key references organizations(id),
      name text not null,
      brand_name text,
      owner_id uuid not null references persons(id),
      nib text,
      phone text not null,
      email text,
      address text,
      kelurahan_code text not null references regions(code),
      kecamatan_code text not null,
      latitude double precision,
      longitude double precision,
      kbli_code text references kbli(code),
      kbli_section text,
      sentra_id uuid references sentra(id),
      year_started int,
      workers int,
      capital bigint not null check (capital >= 0),
      annual_sales bigint check (annual_sales >= 0),
      sales_year int,
      size_class text not null check (size_class in ('mikro','kecil','menengah','besar')),
      status text not null default 'draft' check (status in ('draft','submitted','verified','rejected','inactive')),
      rejection_reason text,
      submitted_at timestamptz,
      verified_at timestamptz,
      verified_by uuid references users(id),
      whatsapp text,
      show_whatsapp boolean not null default false,
      instagram text,
      facebook text,
      tiktok text,
      website text,
      description text,
      product_words text not null default '',
      is_demo boolean not null default false,
      search_text text not null default '',
      search_tsv tsvector generated always as (to_tsvector('indonesian', search_text)) stored,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index umkm_nib_uq on umkm (nib) where nib is not null`.execute(db);
  await sql`create index umkm_search_tsv_idx on umkm using gin (search_tsv)`.execute(db);
  await sql`create index umkm_search_trgm_idx on umkm using gin (search_text gin_trgm_ops)`.execute(db);
  await sql`create index umkm_name_trgm_idx on umkm using gin (name gin_trgm_ops)`.execute(db);
  await sql`create index umkm_owner_idx on umkm (owner_id)`.execute(db);
  await sql`create index umkm_kecamatan_idx on umkm (kecamatan_code, status)`.execute(db);
  await sql`create index umkm_kelurahan_idx on umkm (kelurahan_code, status)`.execute(db);
  await sql`create index umkm_status_idx on umkm (status, submitted_at)`.execute(db);
  await sql`create index umkm_size_idx on umkm (size_class, status)`.execute(db);
  await sql`create index umkm_kbli_idx on umkm (kbli_code)`.execute(db);
  await sql`create index umkm_kbli_section_idx on umkm (kbli_section)`.execute(db);
  await sql`create index umkm_sentra_idx on umkm (sentra_id)`.execute(db);
  await sql`create index umkm_created_idx on umkm (created_at desc, id)`.execute(db);
  await sql`create index umkm_name_idx on umkm (lower(name), id)`.execute(db);
  await sql`create index umkm_capital_idx on umkm (capital, id)`.execute(db);

  await sql`
    create table umkm_sales (
      umkm_id uuid not null references umkm(id) on delete cascade,
      year int not null,
      amount bigint not null check (amount >= 0),
      created_at timestamptz not null default now(),
      primary key (umkm_id, year)
    )`.execute(db);

  await sql`
    create table umkm_documents (
      id uuid primary key default gen_random_uuid(),
      umkm_id uuid not null references umkm(id) on delete cascade,
      kind text not null check (kind in ('nib','spp_irt','halal','bpom_md','merek','sni','other')),
      number text,
      issued_on date,
      expires_on date,
      file_key text,
      file_name text,
      file_type text,
      file_size int,
      created_by uuid references users(id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index umkm_documents_umkm_idx on umkm_documents (umkm_id, kind)`.execute(db);
  await sql`create index umkm_documents_kind_idx on umkm_documents (kind, umkm_id)`.execute(db);
  await sql`create index umkm_documents_expiry_idx on umkm_documents (expires_on) where expires_on is not null`.execute(db);

  await sql`
    create table umkm_photos (
      id uuid primary key default gen_random_uuid(),
      umkm_id uuid not null references umkm(id) on delete cascade,
      position int not null default 0,
      small_key text not null,
      large_key text not null,
      caption text,
      created_by uuid references users(id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index umkm_photos_umkm_idx on umkm_photos (umkm_id, position)`.execute(db);

  await sql`
    create table size_class_events (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations(id),
      from_class text check (from_class in ('mikro','kecil','menengah','besar')),
      to_class text not null check (to_class in ('mikro','kecil','menengah','besar')),
      direction text not null check (direction in ('awal','naik','turun')),
      occurred_on date not null,
      basis text not null check (basis in ('capital','sales')),
      amount bigint not null,
      year int,
      evidence text not null,
      created_by uuid references users(id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index size_class_events_org_idx on size_class_events (organization_id, created_at)`.execute(db);
  await sql`create index size_class_events_when_idx on size_class_events (occurred_on, direction)`.execute(db);

  await sql`
    create table koperasi (
      id uuid primary key references organizations(id),
      name text not null,
      legal_number text,
      legal_date date,
      nik text,
      type text not null check (type in ('simpan_pinjam','konsumen','produsen','pemasaran','jasa')),
      syariah boolean not null default false,
      koperasi_group text not null check (koperasi_group in ('sekolah','pemuda','komunitas','kelurahan_merah_putih','karyawan','umum')),
      address text,
      kelurahan_code text not null references regions(code),
      kecamatan_code text not null,
      latitude double precision,
      longitude double precision,
      phone text,
      email text,
      fiscal_year_start_month int not null default 1 check (fiscal_year_start_month between 1 and 12),
      last_rat_date date,
      member_count int,
      status text not null default 'draft' check (status in ('draft','submitted','verified','rejected','inactive')),
      rejection_reason text,
      submitted_at timestamptz,
      verified_at timestamptz,
      verified_by uuid references users(id),
      is_demo boolean not null default false,
      search_text text not null default '',
      search_tsv tsvector generated always as (to_tsvector('indonesian', search_text)) stored,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index koperasi_nik_uq on koperasi (nik) where nik is not null`.execute(db);
  await sql`create index koperasi_search_tsv_idx on koperasi using gin (search_tsv)`.execute(db);
  await sql`create index koperasi_search_trgm_idx on koperasi using gin (search_text gin_trgm_ops)`.execute(db);
  await sql`create index koperasi_kecamatan_idx on koperasi (kecamatan_code, status)`.execute(db);
  await sql`create index koperasi_kelurahan_idx on koperasi (kelurahan_code, status)`.execute(db);
  await sql`create index koperasi_status_idx on koperasi (status, submitted_at)`.execute(db);
  await sql`create index koperasi_type_idx on koperasi (type, koperasi_group)`.execute(db);
  await sql`create index koperasi_created_idx on koperasi (created_at desc, id)`.execute(db);
  await sql`create index koperasi_name_idx on koperasi (lower(name), id)`.execute(db);

  await sql`
    create table koperasi_officers (
      id uuid primary key default gen_random_uuid(),
      koperasi_id uuid not null references koperasi(id) on delete cascade,
      name text not null,
      position text not null,
      role text not null check (role in ('pengurus','pengawas')),
      term_start date,
      term_end date,
      created_at timestamptz not null default now(),
      check (term_end is null or term_start is null or term_end >= term_start)
    )`.execute(db);
  await sql`create index koperasi_officers_kop_idx on koperasi_officers (koperasi_id, role)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'koperasi_officers',
    'koperasi',
    'size_class_events',
    'umkm_photos',
    'umkm_documents',
    'umkm_sales',
    'umkm',
    'persons',
    'sentra',
    'kbli',
  ]) {
    await sql`drop table if exists ${sql.raw(t)} cascade`.execute(db);
  }
}

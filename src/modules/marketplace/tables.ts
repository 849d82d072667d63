import type { ColumnType, Generated } from 'kysely';

type Money = ColumnType<bigint, bigint | number | string, bigint | number | string>;
type GeneratedMoney = ColumnType<bigint, bigint | number | string | undefined, bigint | number | string>;

export type StoreStatus = 'open' | 'closed';
export type ProductStatus = 'draft' | 'active' | 'archived';
export type SellerKind = 'umkm' | 'koperasi';
export type PickupKind = 'alamat' | 'pasar' | 'sentra';

export interface MarketCategoriesTable {
  id: string;
  parent_id: string | null;
  name_id: string;
  name_en: string;
  position: Generated<number>;
}

export interface MarketStoresTable {
  id: Generated<string>;
  organization_id: string;
  organization_kind: SellerKind;
  slug: string;
  name: string;
  story: string | null;
  logo_key: string | null;
  banner_key: string | null;
  whatsapp: string | null;
  opening_hours: string | null;
  address: string | null;
  kelurahan_code: string | null;
  kecamatan_code: string | null;
  offers_pickup: Generated<boolean>;
  offers_delivery: Generated<boolean>;
  offers_cod: Generated<boolean>;
  bank_name: string | null;
  bank_account_number: string | null;
  bank_account_name: string | null;
  qris_key: string | null;
  status: Generated<StoreStatus>;
  is_demo: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface MarketStoreDeliveryFeesTable {
  store_id: string;
  kecamatan_code: string;
  fee: Money;
}

export interface MarketPickupPointsTable {
  id: Generated<string>;
  store_id: string;
  kind: PickupKind;
  label: string;
  address: string | null;
  position: Generated<number>;
}

export interface MarketProductsTable {
  id: Generated<string>;
  store_id: string;
  category_id: string | null;
  name: string;
  slug: string;
  description: Generated<string>;
  status: Generated<ProductStatus>;
  weight_grams: number | null;
  /** Lowest active variant price (kept by a trigger on market_variants). */
  min_price: GeneratedMoney;
  /** Any active variant with stock > 0 (kept by a trigger on market_variants). */
  in_stock: Generated<boolean>;
  sold_count: Generated<number>;
  /** Generated column (name weight A, description weight B), read-only. */
  search_tsv: ColumnType<string, never, never>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface MarketVariantsTable {
  id: Generated<string>;
  product_id: string;
  name: Generated<string>;
  price: Money;
  stock: number;
  position: Generated<number>;
  active: Generated<boolean>;
}

export interface MarketProductPhotosTable {
  id: Generated<string>;
  product_id: string;
  position: Generated<number>;
  small_key: string;
  medium_key: string;
  large_key: string;
  created_at: Generated<Date>;
}

export interface MarketplaceTables {
  market_categories: MarketCategoriesTable;
  market_stores: MarketStoresTable;
  market_store_delivery_fees: MarketStoreDeliveryFeesTable;
  market_pickup_points: MarketPickupPointsTable;
  market_products: MarketProductsTable;
  market_variants: MarketVariantsTable;
  market_product_photos: MarketProductPhotosTable;
}

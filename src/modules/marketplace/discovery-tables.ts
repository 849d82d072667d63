import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string | null | undefined, string | null>;

export type OriginStatus = 'requested' | 'verified' | 'rejected' | 'revoked';
export type CampaignKind = 'collection' | 'event';

/** "Produk Asli Malang" requests and verifications (migration 0019_market_discovery). */
export interface MarketOriginVerificationsTable {
  id: Generated<string>;
  product_id: string;
  status: OriginStatus;
  /** Unguessable label code (10 characters, Crockford base32), set when verified. */
  code: string | null;
  request_note: string | null;
  requested_by: string | null;
  requested_at: Timestamp | null;
  note: string | null;
  verified_by: string | null;
  verified_at: Timestamp | null;
  rejection_reason: string | null;
  revoke_reason: string | null;
  revoked_by: string | null;
  revoked_at: Timestamp | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface MarketCampaignsTable {
  id: Generated<string>;
  slug: string;
  title: string;
  description: Generated<string>;
  kind: CampaignKind;
  starts_on: DateOnly | null;
  ends_on: DateOnly | null;
  place: string | null;
  cover_key: string | null;
  published: Generated<boolean>;
  is_demo: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface MarketCampaignProductsTable {
  campaign_id: string;
  product_id: string;
  position: Generated<number>;
}

export interface MarketReviewsTable {
  id: Generated<string>;
  order_item_id: string;
  order_id: string;
  product_id: string;
  store_id: string;
  buyer_user_id: string | null;
  reviewer_name: string;
  rating: number;
  comment: Generated<string>;
  reply: string | null;
  replied_by: string | null;
  replied_at: Timestamp | null;
  hidden: Generated<boolean>;
  hidden_reason: string | null;
  hidden_by: string | null;
  hidden_at: Timestamp | null;
  created_at: Generated<Date>;
}

declare module './tables.js' {
  interface MarketProductsTable {
    /** Number of visible reviews (kept by discovery-service). */
    rating_count: Generated<number>;
    /** Average rating of visible reviews, 2 decimals (numeric → string), null without reviews. */
    rating_avg: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  }
}

export interface MarketDiscoveryTables {
  market_origin_verifications: MarketOriginVerificationsTable;
  market_campaigns: MarketCampaignsTable;
  market_campaign_products: MarketCampaignProductsTable;
  market_reviews: MarketReviewsTable;
}

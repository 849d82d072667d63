import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Money = ColumnType<bigint, bigint | number | string, bigint | number | string>;

export type OrderStatus = 'menunggu_pembayaran' | 'dibayar' | 'diproses' | 'dikirim' | 'siap_diambil' | 'selesai' | 'dibatalkan';
export type DeliveryMethod = 'pickup' | 'seller_delivery' | 'cod';
export type PaymentMethod = 'transfer' | 'qris' | 'cod';
export type OrderActor = 'buyer' | 'seller' | 'system';

export interface MarketOrdersTable {
  id: Generated<string>;
  number: string;
  checkout_id: string;
  store_id: string;
  buyer_user_id: string | null;
  buyer_name: string;
  buyer_phone: string;
  buyer_address: string;
  buyer_kelurahan_code: string;
  delivery_method: DeliveryMethod;
  pickup_point_id: string | null;
  delivery_fee: Money;
  payment_method: PaymentMethod;
  subtotal: Money;
  total: Money;
  status: OrderStatus;
  cancel_reason: string | null;
  cancelled_by: OrderActor | null;
  tracking_token_hash: string;
  payment_proof_key: string | null;
  payment_proof_at: Timestamp | null;
  expires_at: Timestamp | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  paid_at: Timestamp | null;
  processed_at: Timestamp | null;
  shipped_at: Timestamp | null;
  completed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
}

export interface MarketOrderItemsTable {
  id: Generated<string>;
  order_id: string;
  variant_id: string;
  product_id: string;
  product_name: string;
  variant_name: string;
  unit_price: Money;
  quantity: number;
  line_total: Money;
}

export interface MarketOrderEventsTable {
  id: Generated<bigint>;
  order_id: string;
  from_status: OrderStatus | null;
  to_status: OrderStatus;
  actor_user_id: string | null;
  actor_kind: OrderActor;
  reason: string | null;
  at: Generated<Date>;
}

export interface MarketIdempotencyTable {
  key: string;
  scope: string;
  request_hash: string;
  response: JSONColumnType<Record<string, unknown>, string | null, string | null> | null;
  created_at: Generated<Date>;
}

export interface MarketCartsTable {
  id: Generated<string>;
  token_hash: string | null;
  user_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface MarketCartItemsTable {
  cart_id: string;
  variant_id: string;
  quantity: number;
  added_at: Generated<Date>;
}

/** The orders half of the marketplace (migration 0010_marketplace_orders). */
export interface MarketplaceOrderTables {
  market_orders: MarketOrdersTable;
  market_order_items: MarketOrderItemsTable;
  market_order_events: MarketOrderEventsTable;
  market_idempotency: MarketIdempotencyTable;
  market_carts: MarketCartsTable;
  market_cart_items: MarketCartItemsTable;
}

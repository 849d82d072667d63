import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { MAX_ITEMS, MAX_QUANTITY } from './orders-domain.js';

/** Request and response schemas of the orders API (TypeBox → validation and OpenAPI). */
const N = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const Money = (description = 'Whole Rupiah') => Type.Integer({ description });
export const Phone = Type.String({ pattern: '^(\\+62|62|0)8[0-9]{7,12}$', 'x-message': 'field.invalidPhone', maxLength: 16 });
export const KelurahanCode = Type.String({
  pattern: '^[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}$',
  'x-message': 'orders.kelurahanInvalid',
});

export const DeliveryMethodSchema = Type.Union([Type.Literal('pickup'), Type.Literal('seller_delivery'), Type.Literal('cod')]);
export const PaymentMethodSchema = Type.Union([Type.Literal('transfer'), Type.Literal('qris'), Type.Literal('cod')]);
export const StatusSchema = Type.Union([
  Type.Literal('menunggu_pembayaran'),
  Type.Literal('dibayar'),
  Type.Literal('diproses'),
  Type.Literal('dikirim'),
  Type.Literal('siap_diambil'),
  Type.Literal('selesai'),
  Type.Literal('dibatalkan'),
]);

export const OrderItemInput = Type.Object(
  {
    productId: Type.Optional(
      Type.String({ format: 'uuid', description: 'A product with a single variant: that variant (422 if it has several)' }),
    ),
    variantId: Type.Optional(Type.String({ format: 'uuid' })),
    quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }),
  },
  { additionalProperties: false },
);

export const BuyerInput = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 120 }),
    phone: Phone,
    address: Type.String({ minLength: 5, maxLength: 500 }),
    kelurahanCode: KelurahanCode,
  },
  { additionalProperties: false },
);

export const DeliveryInput = Type.Object(
  {
    method: DeliveryMethodSchema,
    pickupPointId: Type.Optional(
      Type.String({ format: 'uuid', description: 'For pickup: one of the store’s pickup points (default: its first)' }),
    ),
  },
  { additionalProperties: false },
);

export const CheckoutInput = Type.Object(
  {
    items: Type.Array(OrderItemInput, { minItems: 1, maxItems: MAX_ITEMS }),
    buyer: BuyerInput,
    delivery: DeliveryInput,
    paymentMethod: PaymentMethodSchema,
    stores: Type.Optional(
      Type.Array(
        Type.Object(
          { storeId: Type.String({ format: 'uuid' }), delivery: DeliveryInput, paymentMethod: PaymentMethodSchema },
          { additionalProperties: false },
        ),
        { maxItems: MAX_ITEMS, description: 'Per-store choices overriding `delivery`/`paymentMethod` for that store' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type CheckoutInput = Static<typeof CheckoutInput>;

export const TransitionInput = Type.Object(
  {
    to: StatusSchema,
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type TransitionInput = Static<typeof TransitionInput>;

export const OrderItemJson = Type.Object({
  variantId: Type.String(),
  productId: Type.String(),
  productName: Type.String(),
  variantName: Type.String(),
  unitPrice: Money(),
  quantity: Type.Integer(),
  lineTotal: Money(),
});

export const OrderJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.String({ description: 'Human-readable, e.g. NL-241128-000123' }),
  checkoutId: Type.String({ format: 'uuid' }),
  status: StatusSchema,
  storeId: Type.String({ format: 'uuid' }),
  storeName: Type.String(),
  buyerName: Type.String(),
  buyerPhone: Type.String(),
  buyerAddress: Type.String(),
  buyerKelurahanCode: Type.String(),
  deliveryMethod: DeliveryMethodSchema,
  pickupPointId: N(Type.String()),
  paymentMethod: PaymentMethodSchema,
  subtotal: Money(),
  deliveryFee: Money(),
  total: Money(),
  cancelReason: N(Type.String()),
  cancelledBy: N(Type.String()),
  hasPaymentProof: Type.Boolean(),
  expiresAt: N(Type.String({ format: 'date-time', description: 'Unpaid orders cancel themselves at this time' })),
  createdAt: Type.String({ format: 'date-time' }),
  paidAt: N(Type.String({ format: 'date-time' })),
  completedAt: N(Type.String({ format: 'date-time' })),
  items: Type.Array(OrderItemJson),
  trackingUrl: Type.Optional(Type.String({ description: 'Private page for the buyer (only in the checkout response)' })),
});

export const CheckoutJson = Type.Object({
  checkoutId: Type.String({ format: 'uuid' }),
  orders: Type.Array(OrderJson),
});

export const StoreOrdersQuery = Type.Object({
  status: Type.Optional(StatusSchema),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
});

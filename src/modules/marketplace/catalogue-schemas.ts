import { type Static, type TSchema, Type } from '@sinclair/typebox';

/** Request and response schemas of the seller-side catalogue API (stores, products, photos). */
const N = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
/** Whole Rupiah; at most one trillion (a price, never a float). */
export const Price = Type.Integer({ minimum: 1, maximum: 1_000_000_000_000, description: 'Whole Rupiah' });
export const Stock = Type.Integer({ minimum: 0, maximum: 1_000_000 });
export const MAX_VARIANTS = 20;

export const CreateStoreInput = Type.Object(
  { organizationId: Type.String({ format: 'uuid', description: 'A verified UMKM or koperasi the caller runs' }) },
  { additionalProperties: false },
);
export type CreateStoreInput = Static<typeof CreateStoreInput>;

export const DeliveryFeeInput = Type.Object(
  {
    kecamatanCode: Type.String({ pattern: '^[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}$', 'x-message': 'catalogue.kecamatanInvalid' }),
    fee: Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'Whole Rupiah' }),
  },
  { additionalProperties: false },
);

export const PickupPointInput = Type.Object(
  {
    id: Type.Optional(Type.String({ format: 'uuid', description: 'An existing point to keep/edit; omit for a new one' })),
    kind: Type.Union([Type.Literal('alamat'), Type.Literal('pasar'), Type.Literal('sentra')]),
    label: Type.String({ minLength: 2, maxLength: 120 }),
    address: Type.Optional(N(Type.String({ maxLength: 300 }))),
  },
  { additionalProperties: false },
);

export const UpdateStoreInput = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 3, maxLength: 120 })),
    story: Type.Optional(N(Type.String({ maxLength: 5000 }))),
    whatsapp: Type.Optional(N(Type.String({ pattern: '^(\\+62|62|0)8[0-9]{7,12}$', 'x-message': 'field.invalidPhone' }))),
    openingHours: Type.Optional(N(Type.String({ maxLength: 300 }))),
    address: Type.Optional(N(Type.String({ maxLength: 300 }))),
    kelurahanCode: Type.Optional(
      N(Type.String({ pattern: '^[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}$', 'x-message': 'catalogue.kelurahanInvalid' })),
    ),
    offersPickup: Type.Optional(Type.Boolean()),
    offersDelivery: Type.Optional(Type.Boolean()),
    offersCod: Type.Optional(Type.Boolean()),
    deliveryFees: Type.Optional(
      Type.Array(DeliveryFeeInput, { maxItems: 50, description: 'Replaces the whole list: where the seller delivers, and for how much' }),
    ),
    pickupPoints: Type.Optional(
      Type.Array(PickupPointInput, { maxItems: 10, description: 'Replaces the whole list (points not listed are removed)' }),
    ),
    bankName: Type.Optional(N(Type.String({ maxLength: 60 }))),
    bankAccountNumber: Type.Optional(N(Type.String({ pattern: '^[0-9 -]{5,30}$', 'x-message': 'catalogue.accountNumberInvalid' }))),
    bankAccountName: Type.Optional(N(Type.String({ maxLength: 120 }))),
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
  },
  { additionalProperties: false },
);
export type UpdateStoreInput = Static<typeof UpdateStoreInput>;

export const StoreJson = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  organizationId: Type.String(),
  organizationKind: Type.String(),
  name: Type.String(),
  story: N(Type.String()),
  whatsapp: N(Type.String()),
  openingHours: N(Type.String()),
  address: N(Type.String()),
  kelurahanCode: N(Type.String()),
  kecamatanCode: N(Type.String()),
  offersPickup: Type.Boolean(),
  offersDelivery: Type.Boolean(),
  offersCod: Type.Boolean(),
  deliveryFees: Type.Array(Type.Object({ kecamatanCode: Type.String(), fee: Type.Integer() })),
  pickupPoints: Type.Array(Type.Object({ id: Type.String(), kind: Type.String(), label: Type.String(), address: N(Type.String()) })),
  bankName: N(Type.String()),
  bankAccountNumber: N(Type.String()),
  bankAccountName: N(Type.String()),
  hasLogo: Type.Boolean(),
  hasBanner: Type.Boolean(),
  hasQris: Type.Boolean(),
  status: Type.String(),
  publicUrl: Type.String(),
});

export const VariantInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    price: Price,
    stock: Stock,
  },
  { additionalProperties: false },
);

export const CreateProductInput = Type.Object(
  {
    name: Type.String({ minLength: 3, maxLength: 120 }),
    description: Type.Optional(Type.String({ maxLength: 5000, description: 'Markdown (no HTML); rendered safely' })),
    categoryId: Type.Optional(N(Type.String({ maxLength: 60 }))),
    price: Type.Optional(Price),
    stock: Type.Optional(Stock),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('draft')])),
    weightGrams: Type.Optional(N(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
    variants: Type.Optional(Type.Array(VariantInput, { minItems: 1, maxItems: MAX_VARIANTS })),
  },
  { additionalProperties: false },
);
export type CreateProductInput = Static<typeof CreateProductInput>;

export const VariantPatch = Type.Object(
  {
    id: Type.Optional(Type.String({ format: 'uuid', description: 'An existing variant to edit; omit to add one' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    price: Type.Optional(Price),
    stock: Type.Optional(Stock),
    active: Type.Optional(Type.Boolean({ description: 'false deactivates the variant (kept for past orders)' })),
  },
  { additionalProperties: false },
);

export const UpdateProductInput = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 3, maxLength: 120 })),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    categoryId: Type.Optional(N(Type.String({ maxLength: 60 }))),
    price: Type.Optional(Price),
    stock: Type.Optional(Stock),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('draft'), Type.Literal('archived')])),
    weightGrams: Type.Optional(N(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
    variants: Type.Optional(Type.Array(VariantPatch, { maxItems: MAX_VARIANTS })),
  },
  { additionalProperties: false },
);
export type UpdateProductInput = Static<typeof UpdateProductInput>;

export const ProductJson = Type.Object({
  id: Type.String(),
  storeId: Type.String(),
  name: Type.String(),
  slug: Type.String(),
  description: Type.String(),
  descriptionHtml: Type.String(),
  categoryId: N(Type.String()),
  status: Type.String(),
  weightGrams: N(Type.Integer()),
  price: Type.Integer({ description: 'Lowest active variant price' }),
  stock: Type.Integer({ description: 'Sum of active variants’ stock' }),
  inStock: Type.Boolean(),
  variants: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), price: Type.Integer(), stock: Type.Integer(), active: Type.Boolean() }),
  ),
  photos: Type.Array(Type.Object({ id: Type.String(), small: Type.String(), medium: Type.String(), large: Type.String() })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const PhotoOrderInput = Type.Object(
  { photoIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 5 }) },
  { additionalProperties: false },
);

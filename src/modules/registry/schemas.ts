import { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox';
import { DOCUMENT_KINDS, KOPERASI_GROUPS, KOPERASI_TYPES, NIB_PATTERN, NIK_PATTERN, SIZE_CLASSES, UMKM_STATUSES } from './domain.js';

/**
 * The registry's API field names. The import template's column headers are exactly these
 * names (issue 3 contract), so one schema validates API bodies and imported rows alike.
 * Money is whole Rupiah as JSON integers.
 */
const lit = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const Rupiah = (description: string) => Type.Integer({ minimum: 0, maximum: 9_000_000_000_000_000, description });
const Phone = Type.String({ pattern: '^(\\+62|62|0)8[0-9]{7,12}$', 'x-message': 'field.invalidPhone', maxLength: 16 });

/**
 * A PATCH body: every field optional (absent = unchanged); the `clearable` optional fields also
 * take null (= clear it). `nullable` (OpenAPI 3.0, understood by ajv) keeps each field's own
 * checks and messages, and unlike a union with null never lets ajv coerce null into "" or 0.
 */
function patchSchema<T>(input: TObject, clearable: readonly string[]) {
  const props: Record<string, TSchema> = {};
  for (const [k, s] of Object.entries(input.properties)) {
    props[k] = Type.Optional(clearable.includes(k) ? Type.Unsafe({ ...s, nullable: true }) : s);
  }
  return Type.Unsafe<T>(Type.Object(props, { additionalProperties: false }));
}
type Patch<T, K extends keyof T> = { [P in keyof T]?: P extends K ? T[P] | null : T[P] };

export const UmkmInput = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 160, description: 'Business name' }),
    brandName: Type.Optional(Type.String({ maxLength: 160 })),
    ownerName: Type.String({ minLength: 2, maxLength: 160 }),
    ownerNik: Type.String({ pattern: NIK_PATTERN, 'x-message': 'registry.nikInvalid', description: '16 digits' }),
    ownerEmail: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
    phone: Phone,
    email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
    address: Type.Optional(Type.String({ maxLength: 300 })),
    kelurahanCode: Type.String({ pattern: '^35\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}$', 'x-message': 'registry.kelurahanInvalid' }),
    latitude: Type.Optional(Type.Number({ minimum: -11, maximum: 6 })),
    longitude: Type.Optional(Type.Number({ minimum: 95, maximum: 141 })),
    kbli: Type.Optional(
      Type.String({
        pattern: '^([A-U]|[0-9]{5})$',
        'x-message': 'registry.kbliInvalid',
        description: 'KBLI 2020 section letter or 5-digit code',
      }),
    ),
    sentraId: Type.Optional(Type.String({ format: 'uuid' })),
    yearStarted: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100 })),
    workers: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
    capital: Rupiah('Modal usaha, excluding land and buildings'),
    annualSales: Type.Optional(Rupiah('Sales of the latest full year')),
    salesYear: Type.Optional(Type.Integer({ minimum: 1990, maximum: 2100, description: 'Year of annualSales (default: last year)' })),
    nib: Type.Optional(Type.String({ pattern: NIB_PATTERN, 'x-message': 'registry.nibInvalid', description: '13 digits' })),
    whatsapp: Type.Optional(Phone),
    showWhatsapp: Type.Optional(Type.Boolean()),
    instagram: Type.Optional(Type.String({ maxLength: 100 })),
    facebook: Type.Optional(Type.String({ maxLength: 200 })),
    tiktok: Type.Optional(Type.String({ maxLength: 100 })),
    website: Type.Optional(Type.String({ format: 'uri', maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type UmkmInput = Static<typeof UmkmInput>;

/**
 * Optional UMKM fields a change may clear (null). Not the sales figures: a year's sales stay in
 * the history that decided the size class; `showWhatsapp` is a yes/no.
 */
export const UMKM_CLEARABLE = [
  'brandName',
  'ownerEmail',
  'email',
  'address',
  'latitude',
  'longitude',
  'kbli',
  'sentraId',
  'yearStarted',
  'workers',
  'nib',
  'whatsapp',
  'instagram',
  'facebook',
  'tiktok',
  'website',
  'description',
] as const satisfies readonly (keyof UmkmInput)[];
export type UmkmPatch = Patch<UmkmInput, (typeof UMKM_CLEARABLE)[number]>;
export const UmkmPatch = patchSchema<UmkmPatch>(UmkmInput, UMKM_CLEARABLE);

export const KoperasiInput = Type.Object(
  {
    name: Type.String({ minLength: 3, maxLength: 200 }),
    legalNumber: Type.Optional(Type.String({ maxLength: 100, description: 'Nomor badan hukum' })),
    legalDate: Type.Optional(Type.String({ format: 'date' })),
    nik: Type.Optional(
      Type.String({ pattern: '^[0-9]{16}$', 'x-message': 'registry.nikKoperasiInvalid', description: 'Nomor Induk Koperasi (16 digits)' }),
    ),
    type: lit(KOPERASI_TYPES),
    syariah: Type.Optional(Type.Boolean()),
    group: lit(KOPERASI_GROUPS),
    address: Type.Optional(Type.String({ maxLength: 300 })),
    kelurahanCode: Type.String({ pattern: '^35\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}$', 'x-message': 'registry.kelurahanInvalid' }),
    latitude: Type.Optional(Type.Number({ minimum: -11, maximum: 6 })),
    longitude: Type.Optional(Type.Number({ minimum: 95, maximum: 141 })),
    phone: Type.Optional(Phone),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
    fiscalYearStartMonth: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
    lastRatDate: Type.Optional(Type.String({ format: 'date' })),
    memberCount: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type KoperasiInput = Static<typeof KoperasiInput>;

/** Optional koperasi fields a change may clear (null); the fiscal year's first month always has a value. */
export const KOPERASI_CLEARABLE = [
  'legalNumber',
  'legalDate',
  'nik',
  'address',
  'latitude',
  'longitude',
  'phone',
  'email',
  'lastRatDate',
  'memberCount',
] as const satisfies readonly (keyof KoperasiInput)[];
export type KoperasiPatch = Patch<KoperasiInput, (typeof KOPERASI_CLEARABLE)[number]>;
export const KoperasiPatch = patchSchema<KoperasiPatch>(KoperasiInput, KOPERASI_CLEARABLE);

export const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  kecamatan: Type.Optional(Type.String({ maxLength: 13 })),
  kelurahan: Type.Optional(Type.String({ maxLength: 13 })),
  sizeClass: Type.Optional(lit(SIZE_CLASSES)),
  status: Type.Optional(lit(UMKM_STATUSES)),
  kbli: Type.Optional(Type.String({ maxLength: 5 })),
  legality: Type.Optional(Type.Union([Type.Literal('nib'), Type.Literal('halal'), Type.Literal('spp_irt')])),
  type: Type.Optional(lit(KOPERASI_TYPES)),
  group: Type.Optional(lit(KOPERASI_GROUPS)),
  sort: Type.Optional(Type.Union([Type.Literal('relevance'), Type.Literal('name'), Type.Literal('newest'), Type.Literal('capital')])),
  dir: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export type ListQuery = Static<typeof ListQuery>;

export const DocumentKind = lit(DOCUMENT_KINDS);

/** A member of the board (pengurus) or the supervisors (pengawas), with the term of office. */
export const OfficerInput = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 160 }),
    position: Type.String({ minLength: 2, maxLength: 100, description: 'e.g. Ketua, Sekretaris, Bendahara, Ketua Pengawas' }),
    role: Type.Union([Type.Literal('pengurus'), Type.Literal('pengawas')]),
    termStart: Type.Optional(Type.String({ format: 'date' })),
    termEnd: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
);
export type OfficerInput = Static<typeof OfficerInput>;

export const VerifyInput = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    reason: Type.Optional(Type.String({ maxLength: 1000, description: 'Required when rejecting; shown to the owner' })),
  },
  { additionalProperties: false },
);
export type VerifyInput = Static<typeof VerifyInput>;

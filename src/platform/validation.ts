import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { type FieldIssue, validationFailed } from './errors.js';
import type { MessageKey } from './i18n/index.js';

// ajv-formats is CommonJS; under ESM its default export sits one level down.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv,
) => Ajv;

/**
 * One ajv set-up for API bodies (via Fastify) and web forms alike, so both give the same
 * messages. Schemas may carry `x-message` (a dictionary key) to replace the generic message,
 * e.g. `Type.String({ pattern: '^\\d{16}$', 'x-message': 'registry.nikInvalid' })`.
 */
export const AJV_OPTIONS: Options = {
  allErrors: true,
  verbose: true,
  coerceTypes: 'array',
  useDefaults: true,
  removeAdditional: true,
  strict: false,
  keywords: ['x-message'],
};

export function configureAjv(ajv: Ajv): Ajv {
  addFormats(ajv);
  return ajv;
}

const ajv = configureAjv(new Ajv(AJV_OPTIONS));
const cache = new WeakMap<object, ReturnType<Ajv['compile']>>();

export function fieldName(e: ErrorObject): string {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return path ? `${path}.${missing}` : missing;
  }
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return path ? `${path}.${extra}` : extra;
  }
  return path || '(body)';
}

/** Turns ajv errors into field issues with dictionary keys (one per field, first problem wins). */
export function toFieldIssues(errors: ErrorObject[]): FieldIssue[] {
  const out = new Map<string, FieldIssue>();
  for (const e of errors) {
    const field = fieldName(e);
    if (out.has(field)) continue;
    const custom = (e.parentSchema as Record<string, unknown> | undefined)?.['x-message'] as MessageKey | undefined;
    const p = e.params as Record<string, unknown>;
    let message: MessageKey = 'field.invalid';
    let params: Record<string, string | number> | undefined;
    switch (e.keyword) {
      case 'required':
        message = 'field.required';
        break;
      case 'minLength':
        message = p.limit === 1 ? 'field.required' : 'field.tooShort';
        params = { min: Number(p.limit) };
        break;
      case 'maxLength':
        message = 'field.tooLong';
        params = { max: Number(p.limit) };
        break;
      case 'minimum':
        message = 'field.tooSmall';
        params = { min: Number(p.limit) };
        break;
      case 'maximum':
        message = 'field.tooLarge';
        params = { max: Number(p.limit) };
        break;
      case 'type':
        message = p.type === 'integer' ? 'field.mustBeInteger' : 'field.invalid';
        break;
      case 'enum':
      case 'const':
        message = 'field.notAllowed';
        break;
      case 'additionalProperties':
        message = 'field.unknown';
        break;
      case 'format':
        message = p.format === 'email' ? 'field.invalidEmail' : p.format === 'date' ? 'field.invalidDate' : 'field.invalid';
        break;
    }
    if (custom && e.keyword !== 'required') message = custom;
    out.set(field, { field, message, ...(params ? { params } : {}) });
  }
  return [...out.values()];
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** Validates (and coerces, for form posts) `data` against a TypeBox schema. */
export function validate<S extends TSchema>(schema: S, data: unknown): ValidationResult<Static<S>> {
  let fn = cache.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    cache.set(schema, fn);
  }
  const copy = structuredClone(data ?? {});
  if (fn(copy)) return { ok: true, value: copy as Static<S> };
  return { ok: false, issues: toFieldIssues(fn.errors ?? []) };
}

/** Like validate() but throws a validation AppError. */
export function parse<S extends TSchema>(schema: S, data: unknown): Static<S> {
  const r = validate(schema, data);
  if (!r.ok) throw validationFailed(r.issues);
  return r.value;
}

// The platform's own texts live here; modules' dictionaries are listed by the app (see src/messages.ts).
import { moduleMessages } from '../../messages.js';
import { opsMessages } from './ops.messages.js';
import { platformMessages } from './platform.messages.js';

/**
 * The typed dictionary. Bahasa Indonesia is the source of truth; every other locale must have
 * exactly the same keys (the `satisfies` in each *.messages.ts file makes a missing English
 * text a type error). Modules add their own file and spread it here.
 */
const id = {
  ...platformMessages.id,
  ...opsMessages.id,
  ...moduleMessages.id,
} as const;
const en: Record<keyof typeof id, string> = {
  ...platformMessages.en,
  ...opsMessages.en,
  ...moduleMessages.en,
};

export type Locale = 'id' | 'en';
export const LOCALES: Locale[] = ['id', 'en'];
export type MessageKey = keyof typeof id;
export const dictionaries: Record<Locale, Record<MessageKey, string>> = { id, en };

export type Translate = (key: MessageKey, params?: Record<string, string | number | bigint>) => string;

export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number | bigint>): string {
  const text = dictionaries[locale][key] ?? dictionaries.id[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}

export function isLocale(v: unknown): v is Locale {
  return v === 'id' || v === 'en';
}

/**
 * Picks the locale: the explicit choice (cookie, user setting or `?lang=`) or Indonesian.
 * Accept-Language is deliberately ignored: the product is Indonesian first, and most phones
 * here send an English Accept-Language.
 */
export function negotiateLocale(...choices: (string | undefined)[]): Locale {
  for (const c of choices) if (isLocale(c)) return c;
  return 'id';
}

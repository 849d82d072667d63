import type { RequestContext } from '../context.js';
import type { FieldIssue } from '../errors.js';
import type { Locale, MessageKey, Translate } from '../i18n/index.js';
import type { NavItem } from './nav.js';

export interface Flash {
  kind: 'success' | 'error' | 'info';
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** Everything a page template needs about the request. Built once per request by the app. */
export interface PageContext {
  ctx: RequestContext;
  t: Translate;
  locale: Locale;
  csrfToken: string;
  flash: Flash | null;
  nav: NavItem[];
  demoMode: boolean;
  /** Path and query of the current request (for the language switch and active menu). */
  url: string;
}

/** Translated inline errors keyed by field name, for re-rendering a form. */
export type FormErrors = Record<string, string>;

export function formErrors(t: Translate, issues: FieldIssue[]): FormErrors {
  const out: FormErrors = {};
  for (const i of issues) out[i.field] = t(i.message, i.params);
  return out;
}

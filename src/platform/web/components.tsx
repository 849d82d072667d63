/**
 * The design system's building blocks. Every text prop is plain text, already translated; the
 * components escape it. `children`, `render(...)` results and `actions` are HTML (JSX) and are
 * NOT escaped again — @kitajs/html does not escape string children, so when you put user data
 * in JSX write `<span safe>{value}</span>` or `{escapeHtml(value)}`.
 */
import { escapeHtml, type PropsWithChildren } from '@kitajs/html';
import type { Locale, Translate } from '../i18n/index.js';
import { Layout } from './layout.js';
import type { FormErrors, PageContext } from './page.js';

export { escapeHtml };

type Html = JSX.Element | JSX.Element[] | string;

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** Whole Rupiah as Indonesians write it: 1250000 → "Rp1.250.000", -5000 → "-Rp5.000". */
export function formatRupiah(amount: bigint | number): string {
  const n = typeof amount === 'bigint' ? amount : BigInt(Math.round(amount));
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString();
  return `${negative ? '-' : ''}Rp${group(digits)}`;
}

/** A whole number with the locale's grouping: 12345 → "12.345" (id) or "12,345" (en). */
const numberFormats = { id: new Intl.NumberFormat('id-ID'), en: new Intl.NumberFormat('en-GB') };
export function formatNumber(n: number | bigint, locale: Locale = 'id'): string {
  // Building an Intl.NumberFormat costs ~0.1 ms: keep one per locale.
  return (locale === 'en' ? numberFormats.en : numberFormats.id).format(n);
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
function dtf(locale: Locale, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}:${withTime}`;
  let f = dateTimeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'id-ID', {
      timeZone: 'Asia/Jakarta',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    dateTimeFormats.set(key, f);
  }
  return f;
}

/** A moment shown in Kota Malang's time: "28 Nov 2025, 14.05 WIB". */
export function formatDateTime(date: Date, locale: Locale = 'id'): string {
  return `${dtf(locale, true).format(date)} WIB`;
}

/** A calendar date in Asia/Jakarta: "28 Nov 2025". */
export function formatDate(date: Date, locale: Locale = 'id'): string {
  return dtf(locale, false).format(date);
}

// ---------------------------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------------------------

/** `baseUrl` with the query, overridden by `changes` (undefined or '' removes a parameter). */
export function hrefWith(baseUrl: string, query: Record<string, string | undefined>, changes: Record<string, string | undefined> = {}) {
  const params = new URLSearchParams();
  const merged = { ...query, ...changes };
  for (const [k, v] of Object.entries(merged)) if (v !== undefined && v !== '') params.set(k, v);
  const qs = params.toString();
  return qs ? `${baseUrl}?${qs}` : baseUrl;
}

// ---------------------------------------------------------------------------------------------
// Form fields
// ---------------------------------------------------------------------------------------------

function describedBy(name: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldLabel(props: { name: string; label: string; required?: boolean }) {
  return (
    <label for={`field-${props.name}`}>
      {escapeHtml(props.label)}
      {props.required ? (
        <span class="required-mark" aria-hidden="true">
          {' *'}
        </span>
      ) : (
        ''
      )}
    </label>
  );
}

function HintAndError(props: { name: string; hint?: string; error?: string }) {
  return (
    <>
      {props.hint ? (
        <p class="field-hint" id={`${props.name}-hint`}>
          {escapeHtml(props.hint)}
        </p>
      ) : (
        ''
      )}
      {props.error ? (
        <p class="field-error-message" id={`${props.name}-error`}>
          {escapeHtml(props.error)}
        </p>
      ) : (
        ''
      )}
    </>
  );
}

export interface TextFieldProps {
  name: string;
  label: string;
  value?: string | number | null;
  type?: 'text' | 'email' | 'tel' | 'password' | 'number' | 'date' | 'search' | 'url' | 'datetime-local' | 'month' | 'time';
  error?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  inputmode?: 'none' | 'text' | 'decimal' | 'numeric' | 'tel' | 'search' | 'email' | 'url';
  maxlength?: number;
  placeholder?: string;
}

export function TextField(p: TextFieldProps) {
  return (
    <div class={p.error ? 'field field-invalid' : 'field'}>
      <FieldLabel name={p.name} label={p.label} required={p.required} />
      <HintAndError name={p.name} hint={p.hint} error={p.error} />
      <input
        id={`field-${p.name}`}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.value === undefined || p.value === null ? undefined : String(p.value)}
        required={p.required}
        autocomplete={p.autocomplete}
        inputmode={p.inputmode}
        maxlength={p.maxlength}
        placeholder={p.placeholder}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.name, p.hint, p.error)}
      />
    </div>
  );
}

export function TextArea(p: {
  name: string;
  label: string;
  value?: string | null;
  error?: string;
  hint?: string;
  required?: boolean;
  rows?: number;
}) {
  return (
    <div class={p.error ? 'field field-invalid' : 'field'}>
      <FieldLabel name={p.name} label={p.label} required={p.required} />
      <HintAndError name={p.name} hint={p.hint} error={p.error} />
      <textarea
        id={`field-${p.name}`}
        name={p.name}
        rows={String(p.rows ?? 4)}
        required={p.required}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.name, p.hint, p.error)}
      >
        {escapeHtml(p.value ?? '')}
      </textarea>
    </div>
  );
}

export function SelectField(p: {
  name: string;
  label: string;
  value?: string | null;
  options: { value: string; label: string }[];
  error?: string;
  hint?: string;
  required?: boolean;
  placeholder?: string;
}) {
  return (
    <div class={p.error ? 'field field-invalid' : 'field'}>
      <FieldLabel name={p.name} label={p.label} required={p.required} />
      <HintAndError name={p.name} hint={p.hint} error={p.error} />
      <select
        id={`field-${p.name}`}
        name={p.name}
        required={p.required}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.name, p.hint, p.error)}
      >
        {p.placeholder !== undefined ? (
          <option value="" selected={!p.value}>
            {escapeHtml(p.placeholder)}
          </option>
        ) : (
          ''
        )}
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.value}>
            {escapeHtml(o.label)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxField(p: { name: string; label: string; checked?: boolean; value?: string; hint?: string }) {
  return (
    <div class="field field-checkbox">
      <input
        id={`field-${p.name}`}
        type="checkbox"
        name={p.name}
        value={p.value ?? 'true'}
        checked={p.checked}
        aria-describedby={p.hint ? `${p.name}-hint` : undefined}
      />
      <label for={`field-${p.name}`}>{escapeHtml(p.label)}</label>
      {p.hint ? (
        <p class="field-hint" id={`${p.name}-hint`}>
          {escapeHtml(p.hint)}
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

export function Form(
  p: PropsWithChildren<{
    action: string;
    method?: 'post' | 'get';
    csrfToken?: string;
    /** Question asked (with JS) before submitting, e.g. for a destructive action. */
    confirm?: string;
    class?: string;
    /** e.g. 'multipart/form-data' for uploads. */
    enctype?: string;
    /**
     * Skip the browser's own checks (type="email", "number", required …) so the form reaches the
     * server and its inline, translated errors are shown instead of the browser's bubbles.
     */
    novalidate?: boolean;
  }>,
) {
  const method = p.method ?? 'post';
  if (method === 'post' && !p.csrfToken) throw new Error(`Form ${p.action}: a post form needs csrfToken (page.csrfToken)`);
  return (
    <form action={p.action} method={method} class={p.class} data-confirm={p.confirm} enctype={p.enctype} novalidate={p.novalidate}>
      {method === 'post' ? <input type="hidden" name="_csrf" value={p.csrfToken} /> : ''}
      {p.children ?? ''}
    </form>
  );
}

/** The list of problems at the top of a form; each links to its field. Renders nothing when empty. */
export function ErrorSummary(p: { t: Translate; errors: FormErrors }) {
  const entries = Object.entries(p.errors);
  if (entries.length === 0) return '';
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
      <h2 id="error-summary-title">{escapeHtml(p.t('error.summaryTitle'))}</h2>
      <ul>
        {entries.map(([name, message]) => (
          <li>
            <a href={`#field-${name}`}>{escapeHtml(message)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Buttons, badges, layout pieces
// ---------------------------------------------------------------------------------------------

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'link';

function buttonClass(variant: ButtonVariant = 'primary', small?: boolean) {
  return `btn btn-${variant}${small ? ' btn-small' : ''}`;
}

export function Button(
  p: PropsWithChildren<{ variant?: ButtonVariant; type?: 'submit' | 'button' | 'reset'; name?: string; value?: string; small?: boolean }>,
) {
  return (
    <button type={p.type ?? 'submit'} class={buttonClass(p.variant, p.small)} name={p.name} value={p.value}>
      {p.children ?? ''}
    </button>
  );
}

export function LinkButton(p: PropsWithChildren<{ href: string; variant?: ButtonVariant; small?: boolean }>) {
  return (
    <a href={p.href} class={buttonClass(p.variant, p.small)}>
      {p.children ?? ''}
    </a>
  );
}

export type BadgeTone = 'neutral' | 'success' | 'warning' | 'danger' | 'info';

export function Badge(p: PropsWithChildren<{ tone: BadgeTone }>) {
  return <span class={`badge badge-${p.tone}`}>{p.children ?? ''}</span>;
}

export function PageHeader(p: { title: string; subtitle?: string; actions?: Html }) {
  return (
    <div class="page-header">
      <div>
        <h1>{escapeHtml(p.title)}</h1>
        {p.subtitle ? <p class="page-subtitle">{escapeHtml(p.subtitle)}</p> : ''}
      </div>
      {p.actions ? <div class="page-actions">{p.actions}</div> : ''}
    </div>
  );
}

export function Card(p: PropsWithChildren<{ title?: string }>) {
  return (
    <section class="card">
      {p.title ? <h2 class="card-title">{escapeHtml(p.title)}</h2> : ''}
      {p.children ?? ''}
    </section>
  );
}

export function EmptyState(p: { title: string; body: string; action?: { href: string; label: string } }) {
  return (
    <div class="empty-state">
      <svg class="empty-icon" viewBox="0 0 24 24" width="40" height="40" aria-hidden="true" focusable="false">
        <path d="M3 7l9-4 9 4v10l-9 4-9-4z M3 7l9 4 9-4 M12 11v10" fill="none" stroke="currentColor" stroke-width="1.5" />
      </svg>
      <h2>{escapeHtml(p.title)}</h2>
      <p>{escapeHtml(p.body)}</p>
      {p.action ? (
        <p>
          <a class="btn btn-primary" href={p.action.href}>
            {escapeHtml(p.action.label)}
          </a>
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Tables and pagination
// ---------------------------------------------------------------------------------------------

export interface Column<T> {
  key: string;
  /** Header text (plain text, escaped). */
  label: string;
  sortable?: boolean;
  /** Cell content as HTML: escape user data (`<span safe>{row.name}</span>` or escapeHtml). */
  render: (row: T) => JSX.Element | string;
  /** Extra class for the cells, e.g. 'num' for right-aligned figures. */
  class?: string;
}

function slug(s: string) {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'table'
  );
}

export function DataTable<T>(p: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  sort?: { key: string; dir: 'asc' | 'desc' };
  baseUrl: string;
  query: Record<string, string | undefined>;
  emptyState: JSX.Element;
  t: Translate;
}) {
  if (p.rows.length === 0) return p.emptyState;
  const captionId = `caption-${slug(p.caption)}`;
  return (
    <section class="table-wrap" aria-labelledby={captionId} tabindex="0">
      <table class="data-table">
        <caption id={captionId}>{escapeHtml(p.caption)}</caption>
        <thead>
          <tr>
            {p.columns.map((c) => {
              const current = p.sort?.key === c.key ? p.sort.dir : undefined;
              const ariaSort = current === 'asc' ? 'ascending' : current === 'desc' ? 'descending' : undefined;
              if (!c.sortable) {
                return (
                  <th scope="col" class={c.class}>
                    {escapeHtml(c.label)}
                  </th>
                );
              }
              const nextDir = current === 'asc' ? 'desc' : 'asc';
              const href = hrefWith(p.baseUrl, p.query, { sort: c.key, dir: nextDir, page: undefined });
              return (
                <th scope="col" class={c.class} aria-sort={ariaSort}>
                  <a href={href} class="sort-link">
                    {escapeHtml(c.label)}
                    <span class="visually-hidden">{escapeHtml(`, ${p.t(nextDir === 'asc' ? 'common.sortAsc' : 'common.sortDesc')}`)}</span>
                    <span class={`sort-icon${current ? ` sort-${current}` : ''}`} aria-hidden="true"></span>
                  </a>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((row) => (
            <tr>
              {p.columns.map((c) => (
                <td data-label={c.label} class={c.class}>
                  {c.render(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Page numbers to show: first, last, and the current page's neighbours; null marks a gap. */
export function pageWindow(page: number, pages: number): (number | null)[] {
  const want = new Set([1, pages, page - 1, page, page + 1].filter((n) => n >= 1 && n <= pages));
  const sorted = [...want].sort((a, b) => a - b);
  const out: (number | null)[] = [];
  for (const n of sorted) {
    const prev = out[out.length - 1];
    if (typeof prev === 'number' && n - prev === 2) out.push(prev + 1);
    else if (typeof prev === 'number' && n - prev > 2) out.push(null);
    out.push(n);
  }
  return out;
}

export function Pagination(p: {
  t: Translate;
  page: number;
  pageSize: number;
  total: number;
  baseUrl: string;
  query: Record<string, string | undefined>;
  locale?: Locale;
}) {
  if (p.total <= 0) return '';
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  const page = Math.min(Math.max(1, Math.floor(p.page) || 1), pages);
  const from = (page - 1) * p.pageSize + 1;
  const to = Math.min(page * p.pageSize, p.total);
  const num = (n: number) => formatNumber(n, p.locale);
  const link = (n: number) => hrefWith(p.baseUrl, p.query, { page: n === 1 ? undefined : String(n) });
  return (
    <nav class="pagination" aria-label={p.t('common.pagination')}>
      <p class="pagination-status">{escapeHtml(p.t('common.showing', { from: num(from), to: num(to), total: num(p.total) }))}</p>
      {pages > 1 ? (
        <ul>
          <li>
            {page > 1 ? (
              <a href={link(page - 1)} rel="prev" class="pagination-prev">
                <span aria-hidden="true">‹ </span>
                {escapeHtml(p.t('common.previous'))}
              </a>
            ) : (
              ''
            )}
          </li>
          {pageWindow(page, pages).map((n) =>
            n === null ? (
              <li class="pagination-gap" aria-hidden="true">
                …
              </li>
            ) : (
              <li>
                <a
                  href={link(n)}
                  aria-current={n === page ? 'page' : undefined}
                  aria-label={p.t('common.page', { page: num(n), pages: num(pages) })}
                >
                  {num(n)}
                </a>
              </li>
            ),
          )}
          <li>
            {page < pages ? (
              <a href={link(page + 1)} rel="next" class="pagination-next">
                {escapeHtml(p.t('common.next'))}
                <span aria-hidden="true"> ›</span>
              </a>
            ) : (
              ''
            )}
          </li>
        </ul>
      ) : (
        ''
      )}
    </nav>
  );
}

// ---------------------------------------------------------------------------------------------
// Confirmation page (works without JavaScript)
// ---------------------------------------------------------------------------------------------

export function ConfirmPage(p: {
  page: PageContext;
  title: string;
  message: string;
  /** Where the confirmed form posts. */
  action: string;
  /** Hidden fields posted with the confirmation. */
  fields?: Record<string, string>;
  cancelHref: string;
  confirmLabel?: string;
}) {
  const { t } = p.page;
  return (
    <Layout page={p.page} title={p.title}>
      <section class="confirm-page card">
        <h1>{escapeHtml(p.title)}</h1>
        <p>{escapeHtml(p.message)}</p>
        <Form action={p.action} csrfToken={p.page.csrfToken} class="form-actions">
          {Object.entries(p.fields ?? {}).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <Button variant="danger">{escapeHtml(p.confirmLabel ?? t('common.confirm'))}</Button>
          <LinkButton href={p.cancelHref} variant="secondary">
            {escapeHtml(t('common.cancel'))}
          </LinkButton>
        </Form>
      </section>
    </Layout>
  );
}

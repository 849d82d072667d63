import { escapeHtml } from '@kitajs/html';
import type { MessageKey, Translate } from '../../../platform/i18n/index.js';
import { formatRupiah as platformRupiah } from '../../../platform/web/components.js';
import type { FormErrors, PageContext } from '../../../platform/web/page.js';

/** Small form and display pieces for the registry pages (every user value is escaped). */
export const e = (v: unknown) => escapeHtml(v === null || v === undefined ? '' : String(v));

export type FormValues = Record<string, string>;

export function Csrf({ page }: { page: PageContext }) {
  return <input type="hidden" name="_csrf" value={page.csrfToken} />;
}

interface FieldProps {
  name: string;
  label: string;
  values: FormValues;
  errors: FormErrors;
  type?: string;
  hint?: string;
  required?: boolean;
  inputmode?: string;
  autocomplete?: string;
  list?: string;
  maxlength?: number;
}

function describedBy(name: string, hint?: string, error?: string) {
  const ids = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

export function Field(p: FieldProps) {
  const err = p.errors[p.name];
  return (
    <div class={err ? 'field field-error' : 'field'}>
      <label for={`f-${p.name}`}>
        {e(p.label)}
        {p.required ? (
          <span class="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : (
          ''
        )}
      </label>
      {p.hint ? (
        <p class="hint" id={`${p.name}-hint`}>
          {e(p.hint)}
        </p>
      ) : (
        ''
      )}
      {err ? (
        <p class="error-text" id={`${p.name}-error`}>
          {e(err)}
        </p>
      ) : (
        ''
      )}
      <input
        id={`f-${p.name}`}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.values[p.name] ?? ''}
        required={p.required}
        inputmode={p.inputmode}
        autocomplete={p.autocomplete}
        list={p.list}
        maxlength={p.maxlength}
        aria-invalid={err ? 'true' : undefined}
        aria-describedby={describedBy(p.name, p.hint, err)}
      />
    </div>
  );
}

export function TextArea(p: Omit<FieldProps, 'type'> & { rows?: number }) {
  const err = p.errors[p.name];
  return (
    <div class={err ? 'field field-error' : 'field'}>
      <label for={`f-${p.name}`}>{e(p.label)}</label>
      {err ? (
        <p class="error-text" id={`${p.name}-error`}>
          {e(err)}
        </p>
      ) : (
        ''
      )}
      <textarea
        id={`f-${p.name}`}
        name={p.name}
        rows={String(p.rows ?? 4)}
        required={p.required}
        aria-invalid={err ? 'true' : undefined}
        aria-describedby={describedBy(p.name, undefined, err)}
      >
        {e(p.values[p.name] ?? '')}
      </textarea>
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}
export interface OptionGroup {
  label: string;
  options: Option[];
}

export function SelectField(p: {
  name: string;
  label: string;
  values: FormValues;
  errors: FormErrors;
  options?: Option[];
  groups?: OptionGroup[];
  empty?: string;
  required?: boolean;
  hint?: string;
}) {
  const err = p.errors[p.name];
  const current = p.values[p.name] ?? '';
  const opt = (o: Option) => (
    <option value={o.value} selected={o.value === current}>
      {e(o.label)}
    </option>
  );
  return (
    <div class={err ? 'field field-error' : 'field'}>
      <label for={`f-${p.name}`}>
        {e(p.label)}
        {p.required ? (
          <span class="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : (
          ''
        )}
      </label>
      {p.hint ? (
        <p class="hint" id={`${p.name}-hint`}>
          {e(p.hint)}
        </p>
      ) : (
        ''
      )}
      {err ? (
        <p class="error-text" id={`${p.name}-error`}>
          {e(err)}
        </p>
      ) : (
        ''
      )}
      <select
        id={`f-${p.name}`}
        name={p.name}
        required={p.required}
        aria-invalid={err ? 'true' : undefined}
        aria-describedby={describedBy(p.name, p.hint, err)}
      >
        {p.empty !== undefined ? <option value="">{e(p.empty)}</option> : ''}
        {(p.options ?? []).map(opt)}
        {(p.groups ?? []).map((g) => (
          <optgroup label={g.label}>{g.options.map(opt)}</optgroup>
        ))}
      </select>
    </div>
  );
}

export function Checkbox(p: { name: string; label: string; values: FormValues; errors?: FormErrors }) {
  return (
    <div class="field field-checkbox">
      <input id={`f-${p.name}`} type="checkbox" name={p.name} value="true" checked={p.values[p.name] === 'true'} />
      <label for={`f-${p.name}`}>{e(p.label)}</label>
    </div>
  );
}

export function ErrorSummary({ t, errors }: { t: Translate; errors: FormErrors }) {
  const entries = Object.entries(errors);
  if (!entries.length) return '';
  return (
    <div class="error-summary" role="alert" tabindex="-1">
      <h2>{t('error.validation')}</h2>
      <ul>
        {entries.map(([field, msg]) => (
          <li>
            <a href={`#f-${field}`}>{e(msg)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function formatRupiah(amount: bigint | number | null | undefined) {
  if (amount === null || amount === undefined) return '—';
  return platformRupiah(amount);
}

export function formatDate(d: Date | string | null | undefined, locale: string) {
  if (!d) return '—';
  const date = typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) ? new Date(`${d}T00:00:00Z`) : new Date(d);
  return date.toLocaleDateString(locale === 'en' ? 'en-GB' : 'id-ID', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Asia/Jakarta',
  });
}

export function StatusBadge({ t, status }: { t: Translate; status: string }) {
  return <span class={`badge badge-status-${e(status)}`}>{t(`registry.status.${status}` as MessageKey)}</span>;
}

export function ClassBadge({ t, sizeClass }: { t: Translate; sizeClass: string }) {
  return <span class={`badge badge-class-${e(sizeClass)}`}>{t(`registry.class.${sizeClass}` as MessageKey)}</span>;
}

export function Pagination(p: {
  t: Translate;
  baseUrl: string;
  query: Record<string, string | undefined>;
  page: number;
  pageSize: number;
  total: number;
}) {
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  if (pages <= 1) return '';
  const href = (n: number) => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(p.query)) if (v) qs.set(k, v);
    qs.set('page', String(n));
    return `${p.baseUrl}?${qs.toString()}`;
  };
  return (
    <nav class="pagination" aria-label={p.t('common.pagination')}>
      {p.page > 1 ? (
        <a rel="prev" href={href(p.page - 1)}>
          {p.t('common.previous')}
        </a>
      ) : (
        ''
      )}
      <span>{p.t('common.page', { page: p.page, pages })}</span>
      {p.page < pages ? (
        <a rel="next" href={href(p.page + 1)}>
          {p.t('common.next')}
        </a>
      ) : (
        ''
      )}
    </nav>
  );
}

/** A column header that sorts the list (a plain link: works without JavaScript). */
export function SortHeader(p: {
  t: Translate;
  label: string;
  sortKey: string;
  baseUrl: string;
  query: Record<string, string | undefined>;
}) {
  const active = p.query.sort === p.sortKey;
  const dir = active && p.query.dir === 'asc' ? 'desc' : 'asc';
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(p.query)) if (v && k !== 'page' && k !== 'sort' && k !== 'dir') qs.set(k, v);
  qs.set('sort', p.sortKey);
  qs.set('dir', dir);
  return (
    <th scope="col" aria-sort={active ? (p.query.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <a href={`${p.baseUrl}?${qs.toString()}`}>
        {e(p.label)}
        {active ? <span class="visually-hidden"> ({p.query.dir === 'asc' ? p.t('common.sortAsc') : p.t('common.sortDesc')})</span> : ''}
      </a>
    </th>
  );
}

export function Dl({ rows }: { rows: [string, JSX.Element | string][] }) {
  return (
    <dl class="details">
      {rows.map(([k, v]) => (
        <>
          <dt>{e(k)}</dt>
          <dd>{v}</dd>
        </>
      ))}
    </dl>
  );
}

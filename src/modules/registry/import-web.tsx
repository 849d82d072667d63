/**
 * Routes of the bulk import (API and pages) and the `registryExtras` plugin that registers the
 * import, export and public directory routes of the registry.
 *
 * API: `POST /api/v1/{umkm|koperasi}/import` (multipart `file`, `mode=all|valid`, `dryRun`) →
 * 200 `{imported, rejected: [{row, column, message}]}`. With `dryRun=true` nothing is written and
 * `imported` is the number of rows that WOULD be imported. With `mode=all` (the default) and any
 * problem, nothing is imported and the answer is 422 `rule_violated` whose
 * `details` is `{imported: 0, rejected: [...]}`. Only dinas imports; imported profiles are verified.
 *
 * Pages: /registri/impor → upload → /registri/impor/{id} (preview, problems, mode, confirm) →
 * progress (htmx polls every second; a plain link reloads without JavaScript) → result. Files of
 * more than BACKGROUND_THRESHOLD rows are validated and imported by jobs on the platform's job
 * runner (`registry.import.validate`, `registry.import.run`); the session row holds their progress.
 */
import { escapeHtml } from '@kitajs/html';
import { Type } from '@sinclair/typebox';
import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldIssue, unauthorized, validationFailed } from '../../platform/errors.js';
import type { Translate } from '../../platform/i18n/index.js';
import { Button, Card, formatNumber, LinkButton, PageHeader } from '../../platform/web/components.js';
import { Layout } from '../../platform/web/layout.js';
import type { PageContext } from '../../platform/web/page.js';
import { directoryRoutes } from './directory.js';
import { exportRoutes } from './export.js';
import {
  confirmImport,
  csvTemplate,
  getImport,
  IMPORT_KINDS,
  type ImportKind,
  type ImportMode,
  type ImportSession,
  parseImportFile,
  registerImportJobs,
  rejectedRowCount,
  requireImporter,
  runImport,
  startImport,
  translateProblems,
  xlsxTemplate,
} from './import.js';
import { multipartFromBody, multipartPreValidation, readMultipart } from './multipart.js';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const PROBLEMS_SHOWN = 200;

const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});
const Rejected = Type.Array(
  Type.Object({
    row: Type.Integer({ description: '1 = the first data row under the header' }),
    column: Type.String({ description: 'The field name (column header)' }),
    message: Type.String({ description: "In the caller's language (Indonesian by default)" }),
  }),
);
export const ImportResult = Type.Object({
  imported: Type.Integer({ description: 'Rows imported; with dryRun, rows that would be imported' }),
  rejected: Rejected,
});

const truthy = (v: string | undefined) => v !== undefined && ['true', '1', 'ya', 'yes', 'on'].includes(v.toLowerCase());

function fileIssue(key: FieldIssue['message']): AppError {
  return validationFailed([{ field: 'file', message: key }]);
}

// ---------------------------------------------------------------------------------------------
// Views

const kindLabel = (t: Translate, kind: ImportKind) => t(`registryExtra.import.kind.${kind}`);

function UploadPage(p: { page: PageContext; kind: ImportKind; error?: string }) {
  const { t } = p.page;
  return (
    <Layout page={p.page} title={t('registryExtra.import.title')}>
      <PageHeader title={t('registryExtra.import.title')} subtitle={t('registryExtra.import.intro')} />
      {p.error ? (
        <div class="error-summary" role="alert" tabindex="-1">
          <h2>{escapeHtml(t('error.summaryTitle'))}</h2>
          <ul>
            <li>
              <a href="#field-file">{escapeHtml(p.error)}</a>
            </li>
          </ul>
        </div>
      ) : (
        ''
      )}
      <Card title={t('registryExtra.import.template')}>
        <p class="field-hint">{escapeHtml(t('registryExtra.import.templateHint'))}</p>
        <ul class="link-list">
          {IMPORT_KINDS.map((k) => (
            <li>
              {escapeHtml(kindLabel(t, k))}: <a href={`/api/v1/${k}/import/template?format=xlsx`}>XLSX</a> ·{' '}
              <a href={`/api/v1/${k}/import/template?format=csv`}>CSV</a>
            </li>
          ))}
        </ul>
      </Card>
      <Card>
        <form action="/registri/impor" method="post" enctype="multipart/form-data" class="form-narrow">
          <input type="hidden" name="_csrf" value={p.page.csrfToken} />
          <fieldset class="field">
            <legend>{escapeHtml(t('registryExtra.import.kind'))}</legend>
            {IMPORT_KINDS.map((k) => (
              <div class="field-checkbox">
                <input type="radio" id={`kind-${k}`} name="kind" value={k} checked={p.kind === k} />
                <label for={`kind-${k}`}>{escapeHtml(kindLabel(t, k))}</label>
              </div>
            ))}
          </fieldset>
          <div class={p.error ? 'field field-invalid' : 'field'}>
            <label for="field-file">{escapeHtml(t('registryExtra.import.file'))}</label>
            {p.error ? (
              <p class="field-error-message" id="file-error">
                {escapeHtml(p.error)}
              </p>
            ) : (
              ''
            )}
            <input
              id="field-file"
              type="file"
              name="file"
              required
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-invalid={p.error ? 'true' : undefined}
              aria-describedby={p.error ? 'file-error' : undefined}
            />
          </div>
          <div class="form-actions">
            <Button>{escapeHtml(t('registryExtra.import.upload'))}</Button>
          </div>
        </form>
      </Card>
    </Layout>
  );
}

export function ProgressBlock(p: { t: Translate; s: ImportSession; locale: PageContext['locale'] }) {
  const { t, s } = p;
  const total = Math.max(1, s.phase_total || s.total_rows);
  const done = Math.min(total, s.phase_done);
  const label = s.status === 'validating' ? t('registryExtra.import.validating') : t('registryExtra.import.importing');
  return (
    <div id="import-progress" class="card" hx-get={`/registri/impor/${s.id}/kemajuan`} hx-trigger="every 1s" hx-swap="outerHTML">
      <h2 class="card-title" id="progress-label">
        {escapeHtml(label)}
      </h2>
      <progress max={String(total)} value={String(done)} aria-labelledby="progress-label">
        {escapeHtml(`${Math.round((done * 100) / total)}%`)}
      </progress>
      <p role="status">
        {escapeHtml(t('registryExtra.import.progress', { done: formatNumber(done, p.locale), total: formatNumber(total, p.locale) }))}
      </p>
      <p>
        <a href={`/registri/impor/${s.id}`}>{escapeHtml(t('registryExtra.import.refresh'))}</a>
      </p>
    </div>
  );
}

function Stats(p: { t: Translate; s: ImportSession; locale: PageContext['locale'] }) {
  const { t, s } = p;
  const rejectedRows = rejectedRowCount(s.rejected);
  const items: [string, number][] = [
    [t('registryExtra.import.rows'), s.total_rows],
    [t('registryExtra.import.validRows'), s.total_rows - rejectedRows],
    [t('registryExtra.import.rejectedRows'), rejectedRows],
  ];
  if (s.status === 'done' || s.status === 'aborted') items.push([t('registryExtra.import.importedRows'), s.imported]);
  return (
    <dl class="facts">
      <dt>{escapeHtml(t('registryExtra.import.fileName'))}</dt>
      <dd>{escapeHtml(s.file_name)}</dd>
      {items.map(([label, n]) => (
        <>
          <dt>{escapeHtml(label)}</dt>
          <dd>{escapeHtml(formatNumber(n, p.locale))}</dd>
        </>
      ))}
    </dl>
  );
}

function ProblemsTable(p: { t: Translate; s: ImportSession }) {
  const { t, s } = p;
  if (!s.rejected.length) return <p>{escapeHtml(t('registryExtra.import.noProblems'))}</p>;
  const shown = translateProblems(s.rejected.slice(0, PROBLEMS_SHOWN), t);
  return (
    <>
      {s.rejected.length > PROBLEMS_SHOWN ? (
        <p>{escapeHtml(t('registryExtra.import.problemsTruncated', { shown: PROBLEMS_SHOWN, total: s.rejected.length }))}</p>
      ) : (
        ''
      )}
      <section class="table-wrap" tabindex="0" aria-labelledby="problems-caption">
        <table class="data-table">
          <caption id="problems-caption">{escapeHtml(t('registryExtra.import.problemsTitle'))}</caption>
          <thead>
            <tr>
              <th scope="col" class="num">
                {escapeHtml(t('registryExtra.import.row'))}
              </th>
              <th scope="col">{escapeHtml(t('registryExtra.import.column'))}</th>
              <th scope="col">{escapeHtml(t('registryExtra.import.message'))}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr>
                <td class="num">{escapeHtml(String(r.row))}</td>
                <td>
                  <code>{escapeHtml(r.column)}</code>
                </td>
                <td>{escapeHtml(r.message)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <p>
        <a href={`/registri/impor/${s.id}/laporan.csv`}>{escapeHtml(t('registryExtra.import.downloadReport'))}</a>
      </p>
    </>
  );
}

function FirstRows(p: { t: Translate; s: ImportSession }) {
  const { t, s } = p;
  if (!s.preview.length) return '';
  const cols = s.columns;
  return (
    <section class="table-wrap" tabindex="0" aria-labelledby="first-rows-caption">
      <table class="data-table">
        <caption id="first-rows-caption">{escapeHtml(t('registryExtra.import.firstRows'))}</caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              {escapeHtml(t('registryExtra.import.row'))}
            </th>
            {cols.map((c) => (
              <th scope="col">
                <code>{escapeHtml(c)}</code>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {s.preview.map((r) => (
            <tr>
              <td class="num">{escapeHtml(String(r.row))}</td>
              {cols.map((c) => (
                <td>{escapeHtml(r.values[c] === undefined ? '' : String(r.values[c]))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ImportPage(p: { page: PageContext; s: ImportSession }) {
  const { t, locale } = p.page;
  const s = p.s;
  const kind = kindLabel(t, s.kind);
  const title =
    s.status === 'done'
      ? t('registryExtra.import.doneTitle')
      : s.status === 'aborted'
        ? t('registryExtra.import.abortedTitle')
        : s.status === 'failed'
          ? t('registryExtra.import.failedTitle')
          : t('registryExtra.import.previewTitle', { kind });
  const running = s.status === 'validating' || s.status === 'importing' || s.status === 'uploaded';
  return (
    <Layout page={p.page} title={title}>
      <PageHeader title={title} />
      {running ? <ProgressBlock t={t} s={s} locale={locale} /> : ''}
      {s.status === 'done' ? (
        <div class="flash flash-success" role="status">
          {escapeHtml(t('registryExtra.import.done', { imported: formatNumber(s.imported, locale), kind }))}
        </div>
      ) : (
        ''
      )}
      {s.status === 'aborted' ? (
        <div class="flash flash-error" role="alert">
          {escapeHtml(t('registryExtra.import.problemsAbort', { rows: rejectedRowCount(s.rejected) }))}
        </div>
      ) : (
        ''
      )}
      {s.status === 'failed' ? (
        <div class="flash flash-error" role="alert">
          {escapeHtml(t('registryExtra.import.failed', { reason: failureText(t, s.error) }))}
        </div>
      ) : (
        ''
      )}
      {!running ? (
        <>
          <Card>
            <Stats t={t} s={s} locale={locale} />
            {s.ignored_columns.length ? (
              <p class="field-hint">{escapeHtml(t('registryExtra.import.ignoredColumns', { columns: s.ignored_columns.join(', ') }))}</p>
            ) : (
              ''
            )}
          </Card>
          {s.status === 'ready' ? (
            <Card title={t('registryExtra.import.firstRows')}>
              <FirstRows t={t} s={s} />
            </Card>
          ) : (
            ''
          )}
          <Card title={t('registryExtra.import.problemsTitle')}>
            <ProblemsTable t={t} s={s} />
          </Card>
          {s.status === 'ready' ? (
            <Card title={t('registryExtra.import.mode')}>
              <form action={`/registri/impor/${s.id}/konfirmasi`} method="post">
                <input type="hidden" name="_csrf" value={p.page.csrfToken} />
                <fieldset class="field">
                  <legend>{escapeHtml(t('registryExtra.import.mode'))}</legend>
                  {(['all', 'valid'] as const).map((m) => (
                    <div class="field-checkbox">
                      <input
                        type="radio"
                        id={`mode-${m}`}
                        name="mode"
                        value={m}
                        checked={s.rejected.length ? m === 'valid' : m === 'all'}
                      />
                      <label for={`mode-${m}`}>{escapeHtml(t(`registryExtra.import.mode.${m}`))}</label>
                    </div>
                  ))}
                </fieldset>
                <div class="form-actions">
                  <Button>{escapeHtml(t('registryExtra.import.confirm'))}</Button>
                  <LinkButton href={`/registri/impor?jenis=${s.kind}`} variant="secondary">
                    {escapeHtml(t('registryExtra.import.cancel'))}
                  </LinkButton>
                </div>
              </form>
            </Card>
          ) : (
            <p class="form-actions">
              <LinkButton href={`/registri/impor?jenis=${s.kind}`}>{escapeHtml(t('registryExtra.import.again'))}</LinkButton>
              <LinkButton href={`/registri/${s.kind}`} variant="secondary">
                {escapeHtml(t('registryExtra.import.toList'))}
              </LinkButton>
            </p>
          )}
        </>
      ) : (
        ''
      )}
    </Layout>
  );
}

function failureText(t: Translate, error: string | null) {
  if (error && t(error as never) !== error) return t(error as never);
  return t('error.internal');
}

// ---------------------------------------------------------------------------------------------
// Routes

export async function importRoutes(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  // Large files are validated and imported by jobs on the platform's runner (in this process by
  // default, or by `npm run worker`), never by a promise nobody tracks.
  registerImportJobs(app.jobs);

  for (const kind of IMPORT_KINDS) {
    const label = kind === 'umkm' ? 'UMKM' : 'koperasi';
    app.get(
      `/api/v1/${kind}/import/template`,
      {
        schema: {
          tags: ['registry'],
          summary: `Import template for ${label} (CSV or XLSX)`,
          description:
            'The headers are exactly the API field names. The XLSX has a second sheet explaining each column (in the caller’s language) and listing the kelurahan codes, KBLI codes and sentra.',
          security: [],
          querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], { default: 'csv' })) }),
          produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
          response: { 200: Type.String({ description: 'The template file' }), 400: ErrorBody },
        },
      },
      async (req, reply) => {
        const format = (req.query as { format?: string }).format === 'xlsx' ? 'xlsx' : 'csv';
        reply.header('content-disposition', `attachment; filename="templat-${kind}.${format}"`);
        reply.header('cache-control', 'public, max-age=300');
        if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(csvTemplate(kind));
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .send(await xlsxTemplate(db(), kind, req.ctx.t));
      },
    );

    app.post(
      `/api/v1/${kind}/import`,
      {
        schema: {
          tags: ['registry'],
          summary: `Bulk import of ${label} from CSV or XLSX (dinas only)`,
          description:
            'multipart/form-data with `file` (CSV — comma or semicolon separated, UTF-8 — or XLSX; headers = the API field names as in the template), `mode` (`all`, the default: nothing is imported if any row has a problem; `valid`: only the valid rows) and `dryRun` (`true`: validate only, nothing is written, `imported` is the number that would be imported). Answer: `{imported, rejected: [{row, column, message}]}`, row 1 = the first data row. With mode `all`, dryRun false and any problem: 422 `rule_violated` with `details: {imported: 0, rejected: [...]}`. Imported records are created verified, in one transaction, audited. `mode` and `dryRun` may also be given in the query string.',
          consumes: ['multipart/form-data'],
          querystring: Type.Object({
            mode: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('valid')])),
            dryRun: Type.Optional(Type.String()),
          }),
          response: { 200: ImportResult, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 413: ErrorBody, 422: ErrorBody },
        },
      },
      async (req, reply) => {
        requireImporter(req.ctx);
        const { fields, file } = await readMultipart(req, MAX_IMPORT_BYTES);
        const q = req.query as { mode?: string; dryRun?: string };
        const modeText = fields.mode ?? q.mode ?? 'all';
        if (modeText !== 'all' && modeText !== 'valid') throw validationFailed([{ field: 'mode', message: 'field.notAllowed' }]);
        const dryRun = truthy(fields.dryRun ?? q.dryRun);
        if (!file || file.bytes.length === 0) throw fileIssue('registryExtra.import.fileRequired');
        if (file.truncated) throw new AppError('payload_too_large', 'error.payloadTooLarge');
        const parsed = await parseImportFile(kind, file.bytes);
        const out = await runImport(db(), req.ctx, kind, parsed.rows, { mode: modeText as ImportMode, dryRun, fileName: file.fileName });
        const rejected = translateProblems(out.problems, req.ctx.t);
        if (out.aborted) {
          throw new AppError(
            'rule_violated',
            'registryExtra.import.problemsAbort',
            { rows: rejectedRowCount(out.problems) },
            { imported: 0, rejected },
          );
        }
        return reply.send({ imported: out.imported, rejected });
      },
    );
  }

  // --- pages ---------------------------------------------------------------------------------

  const html = (reply: FastifyReply, status: number, body: JSX.Element) => reply.status(status).type('text/html; charset=utf-8').send(body);
  const guard = (req: FastifyRequest) => {
    if (!req.ctx.user) throw unauthorized();
    requireImporter(req.ctx);
  };

  app.get('/registri/impor', { schema: { hide: true } }, async (req, reply) => {
    guard(req);
    const jenis = (req.query as { jenis?: string }).jenis === 'koperasi' ? 'koperasi' : 'umkm';
    return html(reply, 200, <UploadPage page={req.page(reply)} kind={jenis} />);
  });

  app.post('/registri/impor', { schema: { hide: true }, preValidation: multipartPreValidation(MAX_IMPORT_BYTES) }, async (req, reply) => {
    guard(req);
    const { fields, file } = multipartFromBody(req);
    const kind: ImportKind = fields.kind === 'koperasi' ? 'koperasi' : 'umkm';
    const fail = (key: FieldIssue['message'], params?: Record<string, string | number>) =>
      html(reply, 422, <UploadPage page={req.page(reply)} kind={kind} error={req.ctx.t(key, params)} />);
    if (!file || file.bytes.length === 0) return fail('registryExtra.import.fileRequired');
    if (file.truncated) return fail('error.payloadTooLarge');
    try {
      const id = await startImport(db(), req.ctx, kind, file.fileName, file.bytes);
      app.jobs.nudge();
      return reply.redirect(`/registri/impor/${id}`, 303);
    } catch (err) {
      const issue = err instanceof AppError ? err.fields[0] : undefined;
      if (issue) return fail(issue.message, issue.params);
      throw err;
    }
  });

  app.get('/registri/impor/:id', { schema: { hide: true } }, async (req, reply) => {
    guard(req);
    const s = await getImport(db(), req.ctx, (req.params as { id: string }).id);
    reply.header('cache-control', 'private, no-store');
    return html(reply, 200, <ImportPage page={req.page(reply)} s={s} />);
  });

  // htmx polls this every second while the file is checked or imported.
  app.get('/registri/impor/:id/kemajuan', { schema: { hide: true } }, async (req, reply) => {
    guard(req);
    const s = await getImport(db(), req.ctx, (req.params as { id: string }).id, 0);
    reply.header('cache-control', 'no-store');
    if (s.status !== 'validating' && s.status !== 'importing' && s.status !== 'uploaded') {
      reply.header('HX-Refresh', 'true');
    }
    return html(reply, 200, <ProgressBlock t={req.ctx.t} s={s} locale={req.ctx.locale} />);
  });

  app.get('/registri/impor/:id/laporan.csv', { schema: { hide: true } }, async (req, reply) => {
    guard(req);
    const s = await getImport(db(), req.ctx, (req.params as { id: string }).id, 0);
    const rows = translateProblems(s.rejected, req.ctx.t).map((r) => [r.row, r.column, r.message]);
    reply.header('content-disposition', `attachment; filename="laporan-impor-${s.id.slice(0, 8)}.csv"`);
    reply.header('cache-control', 'private, no-store');
    return reply.type('text/csv; charset=utf-8').send(stringify([['row', 'column', 'message'], ...rows], { record_delimiter: 'windows' }));
  });

  app.post('/registri/impor/:id/konfirmasi', { schema: { hide: true } }, async (req, reply) => {
    guard(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const mode: ImportMode = body.mode === 'valid' ? 'valid' : 'all';
    const id = (req.params as { id: string }).id;
    await confirmImport(db(), req.ctx, id, mode);
    app.jobs.nudge();
    return reply.redirect(`/registri/impor/${id}`, 303);
  });
}

/**
 * Registers the registry's bulk import/export and the public directory. Called by the registry
 * module: `await registryExtras(app)` in `registerRegistryExtras` (src/modules/registry/index.ts).
 */
export async function registryExtras(app: FastifyInstance) {
  await importRoutes(app);
  await exportRoutes(app);
  await directoryRoutes(app);
  app.nav.add({ href: '/direktori', label: 'directory.nav', audience: 'public', order: 5 });
  app.nav.add({ href: '/registri/impor', label: 'registryExtra.import.nav', audience: ['dinas'], order: 23 });
}

/** Login, sign-up and password reset pages. */

import { Button, Card, ErrorSummary, escapeHtml, Form, PageHeader, SelectField, TextField } from '../../../platform/web/components.js';
import { Layout } from '../../../platform/web/layout.js';
import type { FormErrors, PageContext } from '../../../platform/web/page.js';

export type Values = Record<string, string>;

export function LoginPage(p: { page: PageContext; values?: Values; errors?: FormErrors; next?: string }) {
  const { t } = p.page;
  const errors = p.errors ?? {};
  return (
    <Layout page={p.page} title={t('accounts.login.title')}>
      <div class="form-narrow">
        <PageHeader title={t('accounts.login.title')} subtitle={t('accounts.login.subtitle')} />
        <ErrorSummary t={t} errors={errors} />
        <Card>
          <Form action="/masuk" csrfToken={p.page.csrfToken}>
            {p.next ? <input type="hidden" name="next" value={p.next} /> : ''}
            <TextField
              name="login"
              label={t('accounts.login.login')}
              hint={t('accounts.login.loginHint')}
              value={p.values?.login}
              error={errors.login}
              autocomplete="username"
            />
            <TextField
              name="password"
              type="password"
              label={t('accounts.login.password')}
              error={errors.password}
              autocomplete="current-password"
            />
            <div class="form-actions">
              <Button>{escapeHtml(t('accounts.login.submit'))}</Button>
              <a href="/lupa-sandi">{escapeHtml(t('accounts.login.forgot'))}</a>
            </div>
          </Form>
        </Card>
        <p>
          {escapeHtml(t('accounts.login.noAccount'))} <a href="/daftar">{escapeHtml(t('accounts.login.signupLink'))}</a>
        </p>
      </div>
    </Layout>
  );
}

export function SignupPage(p: { page: PageContext; values?: Values; errors?: FormErrors }) {
  const { t } = p.page;
  const errors = p.errors ?? {};
  const v = p.values ?? {};
  return (
    <Layout page={p.page} title={t('accounts.signup.title')}>
      <div class="form-narrow">
        <PageHeader title={t('accounts.signup.title')} subtitle={t('accounts.signup.subtitle')} />
        <ErrorSummary t={t} errors={errors} />
        <Card>
          <Form action="/daftar" csrfToken={p.page.csrfToken}>
            <TextField
              name="name"
              label={t('accounts.signup.name')}
              value={v.name}
              error={errors.name}
              required
              autocomplete="name"
              maxlength={120}
            />
            {/* type="text" so a mistyped address reaches the server and gets the inline error (no browser bubble). */}
            <TextField
              name="email"
              type="text"
              label={t('accounts.signup.email')}
              hint={t('accounts.signup.emailHint')}
              value={v.email}
              error={errors.email}
              autocomplete="email"
              inputmode="email"
            />
            <TextField
              name="phone"
              type="tel"
              label={t('accounts.signup.phone')}
              hint={t('accounts.signup.phoneHint')}
              value={v.phone}
              error={errors.phone}
              autocomplete="tel"
              inputmode="tel"
            />
            <TextField
              name="password"
              type="password"
              label={t('accounts.signup.password')}
              hint={t('accounts.signup.passwordHint')}
              error={errors.password}
              required
              autocomplete="new-password"
            />
            <SelectField
              name="accountType"
              label={t('accounts.signup.accountType')}
              value={v.accountType ?? 'warga'}
              error={errors.accountType}
              options={[
                { value: 'warga', label: t('accounts.signup.type.warga') },
                { value: 'pelaku_umkm', label: t('accounts.signup.type.pelaku_umkm') },
              ]}
              required
            />
            <div class="form-actions">
              <Button>{escapeHtml(t('accounts.signup.submit'))}</Button>
            </div>
          </Form>
        </Card>
        <p>
          {escapeHtml(t('accounts.signup.haveAccount'))} <a href="/masuk">{escapeHtml(t('accounts.login.submit'))}</a>
        </p>
      </div>
    </Layout>
  );
}

export function ForgotPage(p: { page: PageContext; values?: Values; errors?: FormErrors; sent?: boolean }) {
  const { t } = p.page;
  const errors = p.errors ?? {};
  return (
    <Layout page={p.page} title={t('accounts.forgot.title')}>
      <div class="form-narrow">
        <PageHeader title={t('accounts.forgot.title')} subtitle={t('accounts.forgot.intro')} />
        {p.sent ? (
          <div class="flash flash-success" role="status">
            {escapeHtml(t('accounts.forgot.sent'))}
          </div>
        ) : (
          ''
        )}
        <ErrorSummary t={t} errors={errors} />
        <Card>
          <Form action="/lupa-sandi" csrfToken={p.page.csrfToken}>
            <TextField
              name="login"
              label={t('accounts.login.login')}
              hint={t('accounts.login.loginHint')}
              value={p.values?.login}
              error={errors.login}
              required
              autocomplete="username"
            />
            <div class="form-actions">
              <Button>{escapeHtml(t('accounts.forgot.submit'))}</Button>
              <a href="/masuk">{escapeHtml(t('accounts.login.submit'))}</a>
            </div>
          </Form>
        </Card>
      </div>
    </Layout>
  );
}

export function ResetPage(p: { page: PageContext; token: string; errors?: FormErrors }) {
  const { t } = p.page;
  const errors = p.errors ?? {};
  return (
    <Layout page={p.page} title={t('accounts.reset.title')}>
      <div class="form-narrow">
        <PageHeader title={t('accounts.reset.title')} subtitle={t('accounts.reset.intro')} />
        <ErrorSummary t={t} errors={errors} />
        {errors.token ? (
          <p>
            <a href="/lupa-sandi">{escapeHtml(t('accounts.reset.requestNew'))}</a>
          </p>
        ) : (
          ''
        )}
        <Card>
          <Form action="/atur-sandi" csrfToken={p.page.csrfToken}>
            <input type="hidden" name="token" value={p.token} />
            <TextField
              name="password"
              type="password"
              label={t('accounts.reset.password')}
              hint={t('accounts.signup.passwordHint')}
              error={errors.password}
              required
              autocomplete="new-password"
            />
            <div class="form-actions">
              <Button>{escapeHtml(t('accounts.reset.submit'))}</Button>
            </div>
          </Form>
        </Card>
      </div>
    </Layout>
  );
}

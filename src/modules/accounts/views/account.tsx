/** The own account page and the dashboard of every logged-in user. */
import type { Role } from '../../../platform/context.js';
import type { MessageKey } from '../../../platform/i18n/index.js';
import {
  Button,
  Card,
  EmptyState,
  ErrorSummary,
  escapeHtml,
  Form,
  PageHeader,
  SelectField,
  TextField,
} from '../../../platform/web/components.js';
import { Layout } from '../../../platform/web/layout.js';
import type { FormErrors, PageContext } from '../../../platform/web/page.js';
import type { MeJson } from '../schemas.js';
import type { DashboardRole } from '../service.js';

export const roleKey = (role: Role) => `accounts.role.${role}` as MessageKey;
export const roleDescKey = (role: Role) => `accounts.roleDesc.${role}` as MessageKey;

export function DashboardPage(p: { page: PageContext; name: string; roles: DashboardRole[] }) {
  const { t } = p.page;
  return (
    <Layout page={p.page} title={t('accounts.dashboard.title')}>
      <PageHeader title={t('accounts.dashboard.greeting', { name: p.name })} subtitle={t('accounts.dashboard.subtitle')} />
      <h2>{escapeHtml(t('accounts.dashboard.rolesTitle'))}</h2>
      {p.roles.length === 0 ? (
        <EmptyState title={t('accounts.dashboard.rolesTitle')} body={t('accounts.dashboard.noRoles')} />
      ) : (
        <ul class="grid plain-list">
          {p.roles.map((r) => (
            <li class="card role-card">
              <h3>
                {escapeHtml(t(roleKey(r.role)))}
                {r.organizationName ? (
                  <>
                    {' '}
                    <span class="muted">{escapeHtml(t('accounts.dashboard.forOrganization', { org: r.organizationName }))}</span>
                  </>
                ) : (
                  ''
                )}
              </h3>
              <p>{escapeHtml(t(roleDescKey(r.role)))}</p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function AccountPage(p: {
  page: PageContext;
  me: MeJson;
  profileValues?: Record<string, string>;
  profileErrors?: FormErrors;
  passwordErrors?: FormErrors;
}) {
  const { t } = p.page;
  const pe = p.profileErrors ?? {};
  const pw = p.passwordErrors ?? {};
  const v = p.profileValues ?? { name: p.me.name, locale: p.me.locale };
  return (
    <Layout page={p.page} title={t('accounts.account.title')}>
      <div class="form-narrow">
        <PageHeader title={t('accounts.account.title')} />
        <ErrorSummary t={t} errors={{ ...pe, ...pw }} />
        <Card title={t('accounts.account.profile')}>
          <dl class="details">
            {p.me.email ? (
              <>
                <dt>{escapeHtml(t('accounts.account.email'))}</dt>
                <dd safe>{p.me.email}</dd>
              </>
            ) : (
              ''
            )}
            {p.me.phone ? (
              <>
                <dt>{escapeHtml(t('accounts.account.phone'))}</dt>
                <dd safe>{p.me.phone}</dd>
              </>
            ) : (
              ''
            )}
          </dl>
          <Form action="/akun" csrfToken={p.page.csrfToken}>
            <TextField
              name="name"
              label={t('accounts.account.name')}
              value={v.name}
              error={pe.name}
              required
              autocomplete="name"
              maxlength={120}
            />
            <SelectField
              name="locale"
              label={t('accounts.account.language')}
              value={v.locale}
              error={pe.locale}
              options={[
                { value: 'id', label: t('accounts.account.lang.id') },
                { value: 'en', label: t('accounts.account.lang.en') },
              ]}
            />
            <div class="form-actions">
              <Button>{escapeHtml(t('accounts.account.saveProfile'))}</Button>
            </div>
          </Form>
        </Card>
        <Card title={t('accounts.account.passwordTitle')}>
          <Form action="/akun/sandi" csrfToken={p.page.csrfToken}>
            <TextField
              name="currentPassword"
              type="password"
              label={t('accounts.account.currentPassword')}
              error={pw.currentPassword}
              required
              autocomplete="current-password"
            />
            <TextField
              name="newPassword"
              type="password"
              label={t('accounts.account.newPassword')}
              hint={t('accounts.signup.passwordHint')}
              error={pw.newPassword}
              required
              autocomplete="new-password"
            />
            <div class="form-actions">
              <Button>{escapeHtml(t('accounts.account.changePassword'))}</Button>
            </div>
          </Form>
        </Card>
      </div>
    </Layout>
  );
}

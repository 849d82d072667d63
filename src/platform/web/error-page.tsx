import { Layout } from './layout.js';
import type { PageContext } from './page.js';

export function ErrorPage(props: { page: PageContext; status: number; title: string; message: string }) {
  const { page } = props;
  return (
    <Layout page={page} title={props.title}>
      <section class="error-page">
        <p class="error-status" aria-hidden="true">
          {String(props.status)}
        </p>
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        <p>
          <a class="btn btn-primary" href="/">
            {page.t('error.page.backHome')}
          </a>
        </p>
      </section>
    </Layout>
  );
}

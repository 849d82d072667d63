import type { FastifyInstance } from 'fastify';
import { catalogueModule } from './catalogue-web.js';
import { discoveryModule } from './discovery-web.js';
import { ordersModule } from './orders-web.js';
import { publicMarketModule } from './public-web.js';
import { startSearchIndex, stopSearchIndex } from './search-index.js';

/**
 * Marketplace (issue 4). Each marketplace part registers its routes here, one line each
 * (catalogue, orders, discovery). Tables: migration 0009_marketplace (tables.ts) and
 * 0010_marketplace_orders (orders-tables.ts).
 */
export async function marketplaceModule(app: FastifyInstance) {
  await catalogueModule(app);
  await ordersModule(app);
  await discoveryModule(app);
  await publicMarketModule(app);
  // The in-process search index (ADR 0014) loads once the app is ready, without holding it up:
  // searches ask the database until it is loaded (a few seconds per 100,000 products).
  if (app.deps.config.searchIndex) {
    const db = app.deps.db.db;
    app.addHook('onReady', async () => {
      const t0 = performance.now();
      startSearchIndex(db).then(
        (index) => app.log.info(`search index ready: ${index.size - index.dead} products in ${Math.round(performance.now() - t0)} ms`),
        (err) => app.log.error({ err }, 'search index did not load; searches use the database'),
      );
    });
    app.addHook('onClose', async () => stopSearchIndex(db));
  }
}

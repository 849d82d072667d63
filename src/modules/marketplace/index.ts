import type { FastifyInstance } from 'fastify';
import { startWithApp } from '../../platform/text-index.js';
import { catalogueModule } from './catalogue-web.js';
import { discoveryModule } from './discovery-web.js';
import { ordersModule } from './orders-web.js';
import { publicMarketModule } from './public-web.js';
import { productIndex } from './search-index.js';

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
  if (app.deps.config.searchIndex) startWithApp(app, app.deps.db.db, productIndex);
}

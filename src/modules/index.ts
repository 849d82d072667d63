import type { FastifyInstance } from 'fastify';
import { accountsModule } from './accounts/index.js';
import { booksModule } from './books/index.js';
import { homeModule } from './home/index.js';
import { lendingModule } from './lending/index.js';
import { marketplaceModule } from './marketplace/index.js';
import { regionsApi } from './regions/api.js';
import { registryModule } from './registry/index.js';

/** Every module's routes and menu entries. Add a module here when it lands. */
export async function registerModules(app: FastifyInstance) {
  await app.register(homeModule);
  await app.register(accountsModule);
  await app.register(regionsApi);
  await app.register(registryModule);
  await app.register(booksModule);
  await app.register(lendingModule);
  await app.register(marketplaceModule);
}

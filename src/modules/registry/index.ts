import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type FileStorage, LocalDiskStorage } from '../../platform/storage.js';
import { startWithApp } from '../../platform/text-index.js';
import { registryApi } from './api.js';
import { registryExtras } from './import-web.js';
import { umkmIndex } from './umkm-index.js';
import { registryWeb } from './web.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Scans and photos of the registry (local disk under DATA_DIR/files by default). */
    registryStorage: FileStorage;
  }
}

/**
 * Registry (data tunggal KUMKM): UMKM and koperasi profiles, verification, import/export, directory.
 * `registryExtras` adds the bulk import/export and the public directory.
 */
export async function registryModule(app: FastifyInstance) {
  const storage = new LocalDiskStorage(path.join(app.deps.config.dataDir, 'files'));
  if (!app.hasDecorator('registryStorage')) app.decorate('registryStorage', storage);
  await registryApi(app, storage);
  await registryWeb(app, storage);
  await registryExtras(app);
  // The in-process UMKM index (ADR 0015) for lists, word searches and the directory; the database
  // answers until it is loaded (about a second per 100,000 UMKM).
  if (app.deps.config.searchIndex) startWithApp(app, app.deps.db.db, umkmIndex);

  app.nav.add({ href: '/registri/umkm', label: 'registry.nav.myUmkm', audience: ['pelaku_umkm'], order: 20 });
  app.nav.add({ href: '/registri/koperasi', label: 'registry.nav.myKoperasi', audience: ['pengurus_koperasi'], order: 21 });
  app.nav.add({ href: '/registri', label: 'registry.nav.registry', audience: ['dinas', 'admin'], order: 20 });
  app.nav.add({ href: '/registri/verifikasi', label: 'registry.nav.verification', audience: ['dinas'], order: 22 });
}

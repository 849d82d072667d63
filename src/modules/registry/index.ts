import type { FastifyInstance } from 'fastify';

/** Registry (data tunggal KUMKM): UMKM and koperasi profiles, verification, import/export, directory. */
export async function registryModule(_app: FastifyInstance) {}

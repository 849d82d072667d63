import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { listRegions } from './service.js';

const RegionSchema = Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() });

export async function regionsApi(app: FastifyInstance) {
  app.get(
    '/api/v1/regions',
    {
      schema: {
        tags: ['regions'],
        summary: 'Regions (kota, kecamatan, kelurahan) with Kemendagri codes',
        description: 'Without `parent`, lists the regions of `level` (default `kota`). With `parent`, lists its children.',
        security: [],
        querystring: Type.Object({
          parent: Type.Optional(Type.String({ pattern: '^[0-9.]{2,13}$', maxLength: 13 })),
          level: Type.Optional(Type.Union([Type.Literal('kota'), Type.Literal('kecamatan'), Type.Literal('kelurahan')])),
        }),
        response: { 200: Type.Object({ items: Type.Array(RegionSchema) }) },
      },
    },
    async (req) => {
      const q = req.query as { parent?: string; level?: string };
      return { items: await listRegions(app.deps.db.db, q) };
    },
  );
}

import type { FastifyRequest } from 'fastify';
import type { UploadedFile } from './service.js';

export interface MultipartBody {
  fields: Record<string, string>;
  file: UploadedFile | null;
}

/**
 * Reads a multipart form (fields and at most one file named `file`) into memory, cutting the file
 * at `maxBytes` + 1 so an oversized upload is reported as such, never stored.
 */
export async function readMultipart(req: FastifyRequest, maxBytes: number): Promise<MultipartBody> {
  const fields: Record<string, string> = {};
  let file: UploadedFile | null = null;
  if (!req.isMultipart()) return { fields, file };
  for await (const part of req.parts({ limits: { fileSize: maxBytes + 1, files: 1, fields: 20 }, throwFileSizeLimit: false } as Parameters<
    FastifyRequest['parts']
  >[0])) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      if (part.fieldname === 'file' && part.filename)
        file = { bytes, fileName: part.filename, truncated: part.file.truncated || bytes.length > maxBytes };
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = part.value;
    }
  }
  return { fields, file };
}

/**
 * For web forms: parse the multipart body before the global CSRF check (which reads `_csrf`
 * from the body) and keep it on the request for the handler.
 */
export function multipartPreValidation(maxBytes: number) {
  return async (req: FastifyRequest) => {
    const body = await readMultipart(req, maxBytes);
    (req as { body: unknown }).body = { ...body.fields, __file: body.file };
  };
}

export function multipartFromBody(req: FastifyRequest): MultipartBody {
  const { __file, ...fields } = (req.body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (typeof v === 'string') out[k] = v;
  return { fields: out, file: (__file as UploadedFile | null) ?? null };
}

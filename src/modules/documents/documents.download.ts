import type { FastifyInstance } from 'fastify';
import type { DocumentsService } from './documents.service.ts';

/**
 * `GET /documents/<reportDocumentId>?expires=<epoch seconds>&token=<signature>`: the presigned
 * download URLs getReportDocument answers, served by this server outside the API gateway (no access
 * token: the URL is the credential, for 5 minutes). The signature travels as `token` so that logs
 * and the request log redact it like every other credential in a query string. An altered or
 * expired URL is 403 AccessDenied; a document that is gone (a reset world) is 404.
 */
export function documentDownloadRoutes(documents: DocumentsService) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/documents/:id', async (request, reply) => {
      const { id } = request.params as { id: string };
      const q = request.query as Record<string, unknown>;
      const file = await documents.download(id, q.expires, q.token);
      const ascii = file.fileName.replace(/[^A-Za-z0-9._-]/g, '_');
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${ascii}"`)
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(file.bytes);
    });
  };
}

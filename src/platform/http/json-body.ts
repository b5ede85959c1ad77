import type { FastifyInstance } from 'fastify';

/**
 * JSON bodies as SDKs send them: they put `Content-Type: application/json` on bodiless DELETEs and
 * POSTs, so an empty body is no body (Fastify's default parser refuses it); anything else parses as
 * usual, with the default parser's protections (prototype poisoning refused).
 */
export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
    const body = typeof text === 'string' ? text : text.toString('utf8');
    if (body.trim() === '') return done(null, undefined);
    return jsonParser(request, body, done);
  });
}

/** The media type of a request, lower-cased and without parameters ('' when none was sent). */
export const mediaType = (headers: Readonly<Record<string, string | string[] | undefined>>): string =>
  String(headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();

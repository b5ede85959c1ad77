import type { FastifyInstance, FastifyRequest } from 'fastify';
import { APIS } from '../modules/registry/index.ts';
import { notFound } from '../kernel/errors.ts';
import type { BoundApi } from './api-module.ts';
import { openApiDocument, type OpenApiDocument } from './openapi.ts';
import { PACKAGE_VERSION } from '../kernel/version.ts';

/** At most this many documents (base URL × API) are kept. */
const MAX_CACHED_DOCUMENTS = 32;

/** `GET /openapi.json` (every API this server implements) and `GET /openapi/<slug>.json` (one API). */
export async function openApiRoutes(app: FastifyInstance, options: { apis: readonly BoundApi[]; publicUrl: string | null }): Promise<void> {
  // One document per base URL and API, built on first use: the schemas never change while the server
  // runs. The base URL comes from the Host header when PUBLIC_URL is not set, so the cache is bounded.
  const cache = new Map<string, string>();
  const baseOf = (request: FastifyRequest): string => options.publicUrl?.replace(/\/+$/, '') ?? `${request.protocol}://${request.host}`;
  const send = (key: string, build: () => OpenApiDocument): string => {
    let text = cache.get(key);
    if (text === undefined) {
      text = JSON.stringify(build());
      if (cache.size >= MAX_CACHED_DOCUMENTS) cache.delete(cache.keys().next().value!);
      cache.set(key, text);
    }
    return text;
  };
  app.get('/openapi.json', async (request, reply) => {
    const base = baseOf(request);
    return reply.type('application/json').send(send(`*|${base}`, () => openApiDocument(options.apis, base, PACKAGE_VERSION)));
  });
  app.get<{ Params: { slug: string } }>('/openapi/:slug', async (request, reply) => {
    const slug = request.params.slug.replace(/\.json$/, '');
    const api = options.apis.find((a) => a.slug === slug);
    if (!api) {
      const known = APIS.find((a) => a.slug === slug);
      throw notFound(
        known
          ? `An OpenAPI document of ${known.name} (not implemented by this server yet)`
          : `An API called ${slug} (the documents are ${options.apis.map((a) => `/openapi/${a.slug}.json`).join(', ')})`,
      );
    }
    const base = baseOf(request);
    return reply
      .type('application/json')
      .send(send(`${slug}|${base}`, () => openApiDocument(options.apis, base, PACKAGE_VERSION, api.api)));
  });
}

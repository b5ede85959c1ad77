import fs from 'node:fs';
import Fastify from 'fastify';

// The baseline: a bare Fastify hello-world, no logger, on the port given as the first argument.
// With a second argument, a JSON file of { "<path?query>": "<body>" }, it also answers every GET of
// one of those paths with that body as it is, encoded once (application/json): the same bytes as a real server's
// answers, with nothing computed, cached or checked (bench/search-http.ts, the floor of the mix).
const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
const answersFile = process.argv[3];
if (answersFile) {
  // Encoded once, as a server that keeps its answers serialized sends them (bizapi's answer cache).
  const stored = JSON.parse(fs.readFileSync(answersFile, 'utf8')) as Record<string, string>;
  const answers = new Map(Object.entries(stored).map(([p, body]) => [p, Buffer.from(body)]));
  app.get('/*', (request, reply) => {
    const body = answers.get(request.url);
    if (body === undefined) return reply.code(404).send({ error: 'not a stored path' });
    return reply.type('application/json').send(body);
  });
}
await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
process.stdout.write('listening\n');

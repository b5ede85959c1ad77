import Fastify from 'fastify';

// The baseline: a bare Fastify hello-world, no logger, on the port given as the first argument.
const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
process.stdout.write('listening\n');

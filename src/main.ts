import { buildApp, type App } from './app.ts';
import type { Config } from './config/config.ts';
import { describeDemo, describePublished, disablePublishedCredentials, findPublishedCredentials, seedDemo } from './modules/demo/index.ts';

/** The server will not start (production mode on a database with published credentials); the message says why and what to do. */
export class StartRefused extends Error {}

/** Starts the server: migrate, seed the demo world when asked, listen, and shut down gracefully on signals. */
export async function start(config: Config, print: (line: string) => void = console.log): Promise<App> {
  const app = await buildApp(config, { backgroundCheckpoints: true });
  const { ctx, services } = app;
  if (config.seedDemo) {
    const seeded = await seedDemo(ctx, services);
    if (seeded) app.server.log.info('seeded the demo world');
  }
  if (config.mode === 'production') {
    // Nothing whose secret is published in the repository authenticates in production mode.
    const found = await findPublishedCredentials(ctx.db.kysely, ctx.clock.now());
    if (found.length && !config.disableDemoCredentials) {
      await app.close();
      throw new StartRefused(`Refusing to start in production mode. ${describePublished(found, false)}`);
    }
    if (found.length) {
      const disabled = await ctx.db.transaction((trx) => disablePublishedCredentials(ctx, trx));
      app.server.log.warn({ disabled: disabled.map((d) => d.subject) }, 'disabled published demo credentials');
      console.error(describePublished(disabled, true));
    }
  }
  if (config.adminApiKey) await services.operators.createAdminKey('from ADMIN_API_KEY', config.adminApiKey);
  else if (!(await services.operators.hasAdminKeys())) {
    const key = await services.operators.createAdminKey('first start');
    print(`Operator API key (shown once, keep it): ${key}`);
  }
  await app.server.listen({ port: config.port, host: config.host });
  const address = app.server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = config.publicUrl ?? `http://localhost:${port}`;
  print(`bizapi is listening on ${base} (database: ${ctx.db.dialect}${ctx.db.dialect === 'sqlite' ? ` in ${config.dataDir}` : ''})`);
  if (config.seedDemo) {
    const demo = await describeDemo(ctx, services);
    if (demo.app) {
      print('Demo world:');
      print(`  consent URL:    ${demo.consentUrl}   (US marketplace, as in the README)`);
      // Tokens are per marketplace: each marketplace of the demo business has its own consent URL.
      for (const [mp, url] of Object.entries(demo.consentUrls)) if (url !== demo.consentUrl) print(`  consent URL ${mp}: ${url}`);
      print(`  admin sign-in:  ${demo.admin.email} / ${demo.admin.password}`);
      print(`  client id:      ${demo.app.clientId}`);
      print(`  client secret:  ${demo.app.clientSecret}`);
      if (demo.operatorKey) print(`  operator key:   ${demo.operatorKey}`);
      if (config.mode === 'production') print('  (production mode: the demo passwords, client secret and operator key above are disabled)');
      print('  everything as JSON: npx bizapi demo --json   (README: "A first OAuth round-trip")');
    }
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.server.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  return app;
}

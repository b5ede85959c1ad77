import { parseArgs } from 'node:util';
import { loadConfig, ConfigError, type Config } from '../config/config.ts';
import { openContext } from '../app.ts';
import { start, StartRefused } from '../main.ts';
import { describeDemo, seedDemo } from '../modules/demo/demo.ts';
import { generateHistory } from '../modules/demo/history.ts';
import { AppError } from '../kernel/errors.ts';
import { ConsentError } from '../modules/oauth/oauth.errors.ts';
import { describeImport, generateCatalogFile, importCatalog, progressBar } from './catalog.cli.ts';
import { MARKETPLACES, marketplaceByCode, REGIONS, type BusinessUserRole, type Region } from '../kernel/reference.ts';
import type { AppContext } from '../app-context.ts';
import type { Services } from '../services.ts';
import { EmulatorUsageError, runEmulatorCommand } from '../modules/emulator/index.ts';
import { HELP } from './help.ts';

const options = {
  json: { type: 'boolean' },
  format: { type: 'string' },
  'batch-size': { type: 'string' },
  bulk: { type: 'string' },
  products: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  name: { type: 'string' },
  marketplaces: { type: 'string' },
  'legal-entities': { type: 'string' },
  email: { type: 'string' },
  role: { type: 'string' },
  password: { type: 'string' },
  'admin-of': { type: 'string' },
  groups: { type: 'string' },
  mace: { type: 'string' },
  status: { type: 'string' },
  kind: { type: 'string' },
  reason: { type: 'string' },
  rate: { type: 'string' },
  burst: { type: 'string' },
  'application-id': { type: 'string' },
  admin: { type: 'string' },
  region: { type: 'string' },
  marketplace: { type: 'string' },
  beta: { type: 'boolean' },
  app: { type: 'string' },
  'subject-id': { type: 'string' },
  action: { type: 'string' },
  limit: { type: 'string' },
  operation: { type: 'string' },
  business: { type: 'string' },
  latency: { type: 'string' },
  count: { type: 'string' },
  percentage: { type: 'string' },
  note: { type: 'string' },
  all: { type: 'boolean' },
  seed: { type: 'string' },
  orders: { type: 'string' },
  days: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

class UsageError extends Error {}

const bulkUsage = (): never => {
  throw new UsageError('--bulk is on or off');
};

const list = (v: string | undefined): string[] =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
function need(v: string | undefined, flag: string): string {
  if (!v) throw new UsageError(`missing ${flag}`);
  return v;
}
function num(v: string | undefined, flag: string): number {
  const n = Number(need(v, flag));
  if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number`);
  return n;
}
const bool = (v: string | undefined): boolean | undefined => (v === undefined ? undefined : ['true', '1', 'yes'].includes(v.toLowerCase()));

function output(values: Values, data: unknown, human: () => string): void {
  console.log(values.json ? JSON.stringify(data, null, 2) : human());
}

async function run(config: Config, command: string, args: string[], values: Values, ctx: AppContext, s: Services): Promise<void> {
  const actor = 'operator:cli';
  const sub = args[0];
  switch (command) {
    case 'migrate':
      return output(values, { migrated: true }, () => 'The database schema is up to date.');
    case 'seed': {
      const seeded = await seedDemo(ctx, s);
      return output(values, { seeded }, () => (seeded ? 'Seeded the demo world.' : 'The demo world exists already.'));
    }
    case 'demo': {
      await seedDemo(ctx, s);
      const demo = await describeDemo(ctx, s);
      return output(values, demo, () => JSON.stringify(demo, null, 2));
    }
    case 'history': {
      const orders = num(values.orders, '--orders N');
      const days = values.days === undefined ? 120 : num(values.days, '--days D');
      const started = Date.now();
      const tty = process.stderr.isTTY;
      let lastPrint = 0;
      const result = await generateHistory(ctx, s, {
        orders,
        days,
        seed: values.seed ?? `run-${new Date(ctx.clock.now()).toISOString().slice(0, 19)}`,
        ...(values.business ? { businessId: values.business } : {}),
        onProgress: (done, total) => {
          if (values.json) return;
          const now = Date.now();
          if (!tty && now - lastPrint < 2000 && done < total) return;
          lastPrint = now;
          const rate = Math.round(done / Math.max(0.001, (now - started) / 1000));
          const line = `${progressBar(done, total)} ${done}/${total} orders, ${rate}/s`;
          process.stderr.write(tty ? `\r${line}` : `${line}\n`);
        },
      });
      if (tty && !values.json) process.stderr.write('\n');
      return output(
        values,
        result,
        () =>
          `Placed ${result.placed} order(s) in the past (${result.skipped} skipped: already there, or nothing could be bought) in ${result.seconds.toFixed(1)} s, ${Math.round(result.placed / Math.max(0.001, result.seconds))} orders/s.`,
      );
    }
    case 'admin-key': {
      if (sub !== 'create') throw new UsageError('admin-key create --name N');
      const key = await s.operators.createAdminKey(values.name ?? 'cli');
      return output(values, { key }, () => `Operator API key (shown once): ${key}`);
    }
    case 'business': {
      if (sub === 'list') {
        const all = await s.accounts.listBusinesses();
        return output(values, all, () => all.map((b) => `${b.id}\t${b.name}\t${b.marketplaces.join(',')}`).join('\n'));
      }
      if (sub === 'show') {
        const id = need(args[1], '<businessId>');
        const data = {
          ...(await s.accounts.getBusiness(id)),
          legalEntities: await s.accounts.listLegalEntities(id),
          groups: await s.accounts.listGroups(id),
          users: await s.accounts.listUsers(id),
        };
        return output(values, data, () => JSON.stringify(data, null, 2));
      }
      if (sub === 'create') {
        const b = await s.accounts.createBusiness(actor, {
          name: need(values.name, '--name'),
          marketplaces: list(need(values.marketplaces, '--marketplaces')),
          legalEntities: list(values['legal-entities']),
        });
        return output(values, b, () => `Created business ${b.id}`);
      }
      throw new UsageError('business list|show|create');
    }
    case 'user': {
      if (sub === 'add') {
        const u = await s.accounts.addUser(actor, need(args[1], '<businessId>'), {
          email: need(values.email, '--email'),
          name: values.name ?? need(values.email, '--email'),
          role: need(values.role, '--role') as BusinessUserRole,
          password: values.password,
          adminOfLegalEntityIds: list(values['admin-of']),
          groupIds: list(values.groups),
          maceHold: bool(values.mace) ?? false,
        });
        return output(values, u, () => `Added user ${u.id} <${u.email}>`);
      }
      if (sub === 'update') {
        const u = await s.accounts.updateUser(actor, need(args[1], '<userId>'), {
          role: values.role as BusinessUserRole | undefined,
          status: values.status as 'active' | 'disabled' | undefined,
          maceHold: bool(values.mace),
          password: values.password,
          adminOfLegalEntityIds: values['admin-of'] === undefined ? undefined : list(values['admin-of']),
          groupIds: values.groups === undefined ? undefined : list(values.groups),
        });
        return output(values, u, () => `Updated user ${u.id}`);
      }
      throw new UsageError('user add|update');
    }
    case 'reviews': {
      if (sub === 'list') {
        const all = await s.reviews.list({ status: values.status, kind: values.kind });
        return output(
          values,
          all,
          () =>
            all
              .map((r) => `${r.id}\t${r.kind}\t${r.status}\t${r.developerId}\t${r.appId ?? ''}\t${JSON.stringify(r.request)}`)
              .join('\n') || 'No reviews.',
        );
      }
      if (sub === 'approve' || sub === 'deny') {
        const r = await s.reviews.decide(actor, need(args[1], '<reviewId>'), sub === 'approve', values.reason ?? null);
        return output(values, r, () => `Review ${r.id}: ${r.status}`);
      }
      throw new UsageError('reviews list|approve|deny');
    }
    case 'usage-plan': {
      if (sub === 'set') {
        const p = await s.reviews.setUsagePlan(
          actor,
          need(args[1], '<appId>'),
          need(args[2], '<operationId>'),
          num(values.rate, '--rate'),
          num(values.burst, '--burst'),
        );
        return output(values, p, () => `Usage plan of ${p.operation} for ${p.appId}: rate ${p.rate}/s, burst ${p.burst}`);
      }
      if (sub === 'list') {
        const p = await s.reviews.usagePlans(need(args[1], '<appId>'));
        return output(
          values,
          p,
          () => p.map((x) => `${x.operation}\t${x.rate}\t${x.burst}`).join('\n') || 'No overrides: the defaults apply.',
        );
      }
      throw new UsageError('usage-plan set|list');
    }
    case 'privileged': {
      const appId = need(args[1], '<appId>');
      const fields = args.slice(2);
      if (sub === 'grant' || sub === 'revoke') {
        const f =
          sub === 'grant'
            ? await s.reviews.grantPrivilegedFields(actor, appId, fields)
            : await s.reviews.revokePrivilegedFields(actor, appId, fields);
        return output(values, { appId, fields: f }, () => `Privileged fields of ${appId}: ${f.join(', ') || 'none'}`);
      }
      throw new UsageError('privileged grant|revoke <appId> <field>…');
    }
    case 'apps': {
      if (sub === 'list') {
        const all = await s.apps.list();
        return output(values, all, () => all.map((a) => `${a.id}\t${a.applicationId}\t${a.type}\t${a.status}\t${a.name}`).join('\n'));
      }
      if (sub === 'show') {
        const a = await s.apps.get(need(args[1], '<appId>'));
        return output(values, a, () => JSON.stringify(a, null, 2));
      }
      if (sub === 'suspend' || sub === 'unsuspend') {
        const a = await s.apps.setSuspended(actor, need(args[1], '<appId>'), sub === 'suspend');
        return output(values, a, () => `App ${a.id} is ${a.suspended ? 'suspended' : 'active'}`);
      }
      throw new UsageError('apps list|show|suspend|unsuspend');
    }
    case 'authorize': {
      const applicationId = need(values['application-id'], '--application-id');
      const adminEmail = need(values.admin, '--admin');
      const region = values.region?.toUpperCase();
      if (region !== undefined && !(REGIONS as readonly string[]).includes(region)) throw new UsageError('--region is NA, EU or FE');
      const marketplace = values.marketplace?.toUpperCase();
      if (marketplace !== undefined && !marketplaceByCode(marketplace))
        throw new UsageError(`--marketplace is one of ${MARKETPLACES.map((m) => m.code).join(', ')}`);
      const result = await s.oauth.authorizeOnBehalf({
        applicationId,
        adminEmail,
        marketplace,
        region: region as Region | undefined,
        beta: values.beta,
      });
      return output(
        values,
        result,
        () => `Authorized in the ${result.marketplace} marketplace (region ${result.region}). Refresh token:\n${result.refresh_token}`,
      );
    }
    case 'authorizations': {
      if (sub === 'list') {
        const all = await s.oauth.listAuthorizations({ appId: values.app });
        return output(
          values,
          all,
          () =>
            all.map((a) => `${a.id}\t${a.appName}\t${a.businessId ?? '-'}\t${a.marketplace}\t${a.region}\t${a.environment}`).join('\n') ||
            'No authorizations.',
        );
      }
      if (sub === 'revoke') {
        await s.oauth.revokeAuthorization(actor, need(args[1], '<authorizationId>'));
        return output(values, { revoked: args[1] }, () => `Revoked ${args[1]}`);
      }
      throw new UsageError('authorizations list|revoke');
    }
    case 'catalog': {
      if (sub === 'import') {
        const file = need(args[1], '<file>');
        const format = values.format as 'jsonl' | 'csv' | undefined;
        if (format && format !== 'jsonl' && format !== 'csv') throw new UsageError('--format is jsonl or csv');
        const t0 = performance.now();
        const report = await importCatalog(s.catalog, file, {
          format,
          batchSize: values['batch-size'] ? num(values['batch-size'], '--batch-size') : undefined,
          bulk: values.bulk === undefined ? undefined : values.bulk === 'on' ? true : values.bulk === 'off' ? false : bulkUsage(),
          json: !!values.json,
        });
        const seconds = (performance.now() - t0) / 1000;
        output(values, { ...report, seconds }, () => describeImport(report, seconds));
        if (report.rejected > 0) process.exitCode = 3;
        return;
      }
      if (sub === 'generate') {
        const count = num(values.products, '--products');
        if (!Number.isInteger(count) || count < 0) throw new UsageError('--products is a whole number');
        const records = await generateCatalogFile(count, values.seed ?? 'bizapi', values.out);
        if (values.out)
          output(
            values,
            { products: count, records, file: values.out },
            () => `Wrote ${count} products (${records} records) to ${values.out}`,
          );
        return;
      }
      throw new UsageError('catalog import|generate');
    }
    case 'audit': {
      const entries = await ctx.audit.list(ctx.db.kysely, {
        subjectId: values['subject-id'],
        action: values.action,
        limit: values.limit ? Number(values.limit) : 50,
      });
      return output(values, entries, () =>
        entries.map((e) => `${e.at}\t${e.actor}\t${e.action}\t${e.subjectType}:${e.subjectId}`).join('\n'),
      );
    }
    case 'clock':
    case 'faults':
    case 'snapshot':
    case 'reset': {
      const result = await runEmulatorCommand(command, args, values, ctx, s).catch((err: unknown) => {
        throw err instanceof EmulatorUsageError ? new UsageError(err.message) : err;
      });
      return output(values, result.data, () => result.human);
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
  void config;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    console.error(`bizapi: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (!command || values.help || command === 'help') {
    console.log(HELP);
    return command || values.help ? 0 : 2;
  }
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  if (command === 'start') {
    try {
      await start(config);
    } catch (err) {
      if (!(err instanceof StartRefused)) throw err;
      console.error(err.message);
      return 1;
    }
    return -1; // keep running
  }
  const { ctx, services } = await openContext(config);
  try {
    await run(config, command, args, values, ctx, services);
    return 0;
  } catch (err) {
    const message =
      err instanceof UsageError
        ? `usage: ${err.message}`
        : err instanceof AppError || err instanceof ConsentError
          ? `${err.message}${err instanceof AppError && err.details ? ` (${err.details})` : ''}`
          : String(err);
    if (values.json) console.error(JSON.stringify({ error: message }));
    else console.error(`bizapi ${command}: ${message}`);
    return err instanceof UsageError ? 2 : 1;
  } finally {
    // Running servers see the change at their next request once it is announced: only then return.
    await ctx.events.settled();
    await ctx.db.destroy();
  }
}

const code = await main(process.argv.slice(2));
if (code >= 0 && !process.exitCode) process.exitCode = code;

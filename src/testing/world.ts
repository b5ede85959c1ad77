import type { App } from '../app.ts';
import type { BusinessUserRole, Role } from '../kernel/reference.ts';
import { ROLES } from '../kernel/reference.ts';
import { AppError } from '../kernel/errors.ts';
import { seedApprovedDeveloper, seedDemo, DEMO } from '../modules/demo/index.ts';
import { loadSampleCatalog, CatalogImporter } from '../modules/catalog/index.ts';
import type { PostalAddress } from '../modules/accounts/index.ts';

/** A buying group of a business. */
export interface GroupDefinition {
  readonly name: string;
  /** The groupTag callers name the group by (unique in the business). */
  readonly tag: string;
  /** The stored payment method orders of the group are charged to (for example "Visa ending in 4242"); without one the group cannot order. */
  readonly paymentMethod?: string;
  /** Orders above this amount (in the marketplace currency, major units: 500 is 500.00) wait for an administrator. */
  readonly approvalLimit?: number;
  readonly shippingAddress?: PostalAddress;
}

/** A user of a business. */
export interface UserDefinition {
  readonly email: string;
  readonly name?: string;
  readonly role: BusinessUserRole;
  /** The password for the business pages and consent (default `test-password`). */
  readonly password?: string;
  /** The tags of the groups the user buys for. */
  readonly groups?: readonly string[];
  /** An administrator of every legal entity of the business (can authorize apps). Default: true for Administrators. */
  readonly adminOfAllLegalEntities?: boolean;
  /** Account matching not cleared: the API answers "Email is not authorized" for this user. */
  readonly maceHold?: boolean;
}

/** A buying policy: guidance for products by ASIN, brand or category. */
export interface PolicyDefinition {
  readonly guidance: 'PREFERRED' | 'RESTRICTED' | 'BLOCKED';
  readonly matchType: 'asin' | 'brand' | 'category';
  readonly value: string;
}

export interface BusinessDefinition {
  /** A stable id (default: generated). */
  readonly id?: string;
  readonly name: string;
  /** Marketplace codes (US, CA, UK, DE, …). */
  readonly marketplaces: readonly string[];
  readonly legalEntities?: readonly string[];
  readonly groups?: readonly GroupDefinition[];
  readonly users?: readonly UserDefinition[];
  readonly policies?: readonly PolicyDefinition[];
}

/** An app's consent by a business's administrator, in some of its marketplaces (tokens are per marketplace). */
export interface AuthorizationDefinition {
  /** The business, by id or name. */
  readonly business: string;
  /** The consenting administrator's email (default: the business's first administrator of every legal entity). */
  readonly admin?: string;
  /** Default: every marketplace of the business. */
  readonly marketplaces?: readonly string[];
}

export interface AppDefinition {
  /** The name the app is known by in the returned handle (`bizapi.apps[name]`). */
  readonly name: string;
  /** Default: all five roles. */
  readonly roles?: readonly Role[];
  /** Production (default) apps are authorized by consent; sandbox apps get a sandbox token. */
  readonly type?: 'production' | 'sandbox';
  /** Consents to give at start; each yields a refresh token and an access token per marketplace. */
  readonly authorizations?: readonly AuthorizationDefinition[];
}

/** An order placed through the Ordering API when the world is built (so it is in every API, page and report). */
export interface OrderDefinition {
  /** The app that places it (it needs the Amazon Business Order Placement role and a consent of the business). */
  readonly app: string;
  /** The business, by id or name. */
  readonly business: string;
  readonly buyer: string;
  readonly marketplace?: string;
  /** The buyer's group tag, when the buyer is in several groups. */
  readonly group?: string;
  readonly externalId: string;
  readonly items: readonly { readonly asin: string; readonly quantity: number }[];
  /** Where it ships; default: the group's shipping address. */
  readonly shipTo?: PostalAddress;
}

/**
 * The world a test server starts with. Every part is optional: `{}` is the demo world with the
 * sample catalog (the same as `'demo'`).
 */
export interface WorldDefinition {
  /** The demo world: Demo Industries (US, CA) with its users, developer, app and order history (default true). */
  readonly demo?: boolean;
  /** The shipped sample catalog (default true). */
  readonly sampleCatalog?: boolean;
  /** Catalog products and offers as records of the catalog import format (docs/catalog-format.md). */
  readonly products?: readonly Record<string, unknown>[];
  readonly businesses?: readonly BusinessDefinition[];
  readonly apps?: readonly AppDefinition[];
  readonly orders?: readonly OrderDefinition[];
}

/** A small typed builder of a WorldDefinition: `world().business({...}).app({...}).build()`. */
export class WorldBuilder {
  private readonly def: {
    demo: boolean;
    sampleCatalog: boolean;
    products: Record<string, unknown>[];
    businesses: BusinessDefinition[];
    apps: AppDefinition[];
    orders: OrderDefinition[];
  } = { demo: true, sampleCatalog: true, products: [], businesses: [], apps: [], orders: [] };

  /** Leaves the demo world out (its business, users, developer and app). */
  withoutDemo(): this {
    this.def.demo = false;
    return this;
  }
  /** Leaves the sample catalog out (only the products given here are sold). */
  withoutSampleCatalog(): this {
    this.def.sampleCatalog = false;
    return this;
  }
  business(b: BusinessDefinition): this {
    this.def.businesses.push(b);
    return this;
  }
  app(a: AppDefinition): this {
    this.def.apps.push(a);
    return this;
  }
  product(...records: Record<string, unknown>[]): this {
    this.def.products.push(...records);
    return this;
  }
  order(o: OrderDefinition): this {
    this.def.orders.push(o);
    return this;
  }
  build(): WorldDefinition {
    return structuredClone(this.def);
  }
}

/** Starts a world description: the demo world and the sample catalog, to which parts are added. */
export const world = (): WorldBuilder => new WorldBuilder();

/** The developer who owns the apps a world defines (approved for every role). */
export const WORLD_DEVELOPER = { id: 'dev_world', email: 'developer@world.test', password: 'world-developer-password' } as const;
export const DEFAULT_PASSWORD = 'test-password';
/** The demo app's name in the handle's `apps`. */
export const DEMO_APP = 'demo';

/** What building a world made: the apps (with their client secrets) and the consents to give at each start. */
export interface BuiltWorld {
  readonly apps: Record<
    string,
    { id: string; applicationId: string; clientId: string; clientSecret: string; roles: Role[]; type: 'production' | 'sandbox' }
  >;
  readonly consents: { app: string; businessId: string; admin: string; marketplace: string }[];
  readonly users: Record<string, { id: string; email: string; password: string; businessId: string; role: string }>;
  readonly businesses: Record<string, { id: string; name: string; marketplaces: string[] }>;
}

const fail = (message: string): never => {
  throw new AppError('ValidationError', `World: ${message}`);
};

/** Builds a world into a fresh database, through the services (and the Ordering API for orders). */
export async function buildWorld(app: App, def: WorldDefinition): Promise<BuiltWorld> {
  const { ctx, services: s } = app;
  const actor = 'system:world';
  const built: BuiltWorld = { apps: {}, consents: [], users: {}, businesses: {} };
  if (def.demo !== false) {
    await seedDemo(ctx, s);
    const demoApp = (await s.apps.list({ developerId: DEMO.developer.id })).find((a) => a.name === DEMO.app.name)!;
    built.apps[DEMO_APP] = {
      id: demoApp.id,
      applicationId: demoApp.applicationId,
      clientId: demoApp.clientId,
      clientSecret: DEMO.clientSecret,
      roles: [...demoApp.publishedRoles],
      type: 'production',
    };
    built.businesses[DEMO.businessName] = { id: DEMO.businessId, name: DEMO.businessName, marketplaces: ['US', 'CA'] };
    for (const u of Object.values(DEMO.users)) {
      const user = await s.accounts.getUser(u.id);
      built.users[u.email] = { id: u.id, email: u.email, password: u.password, businessId: DEMO.businessId, role: user.role };
    }
    for (const marketplace of ['US', 'CA'])
      built.consents.push({ app: DEMO_APP, businessId: DEMO.businessId, admin: DEMO.users.admin.email, marketplace });
  } else if (def.sampleCatalog !== false) {
    await loadSampleCatalog(ctx.db, { catalog: s.catalog });
  }
  if (def.products?.length) {
    const text = def.products.map((p) => JSON.stringify(p)).join('\n');
    const report = await new CatalogImporter(s.catalog).importText(text, { format: 'jsonl' });
    if (report.rejected > 0) fail(`${report.rejected} product record(s) were refused: ${JSON.stringify(report.rejections.slice(0, 3))}`);
  }
  for (const b of def.businesses ?? []) {
    const business = await s.accounts.createBusiness(
      actor,
      { name: b.name, marketplaces: [...b.marketplaces], legalEntities: [...(b.legalEntities ?? [`${b.name} LLC`])] },
      b.id,
    );
    built.businesses[b.name] = { id: business.id, name: business.name, marketplaces: [...business.marketplaces] };
    const entities = await s.accounts.listLegalEntities(business.id);
    const groups = new Map<string, string>();
    for (const g of b.groups ?? []) {
      const group = await s.accounts.addGroup(actor, business.id, {
        name: g.name,
        groupTag: g.tag,
        paymentMethod: g.paymentMethod ?? null,
        approvalLimitMinor: g.approvalLimit === undefined ? null : Math.round(g.approvalLimit * 100),
        shippingAddress: g.shippingAddress ?? null,
      });
      groups.set(g.tag, group.id);
    }
    for (const u of b.users ?? []) {
      const password = u.password ?? DEFAULT_PASSWORD;
      const allEntities = u.adminOfAllLegalEntities ?? u.role === 'Administrator';
      const user = await s.accounts.addUser(actor, business.id, {
        email: u.email,
        name: u.name ?? u.email,
        role: u.role,
        password,
        maceHold: u.maceHold ?? false,
        adminOfLegalEntityIds: allEntities ? entities.map((e) => e.id) : [],
        groupIds: (u.groups ?? []).map((tag) => groups.get(tag) ?? fail(`user ${u.email}: no group "${tag}" in ${b.name}`)),
      });
      built.users[u.email] = { id: user.id, email: u.email, password, businessId: business.id, role: u.role };
    }
    for (const p of b.policies ?? []) await s.accounts.addPolicy(actor, business.id, { ...p });
  }
  if (def.apps?.length) await buildApps(app, def.apps, built);
  return built;
}

async function buildApps(app: App, apps: readonly AppDefinition[], built: BuiltWorld): Promise<void> {
  const s = app.services;
  const actor = 'system:world';
  // A world is built once, into an empty database: the developer is new.
  await seedApprovedDeveloper(s, actor, { ...WORLD_DEVELOPER, name: 'World Developer', businessId: null }, 'Integration tests', 'World');
  for (const a of apps) {
    if (built.apps[a.name]) fail(`two apps are named "${a.name}"`);
    const type = a.type ?? 'production';
    // Public, and listed by the operator: any business of the world can authorize it.
    const { app: created, clientSecret } = await s.apps.create(WORLD_DEVELOPER.id, {
      name: a.name,
      type,
      visibility: type === 'production' ? 'public' : 'private',
      roles: [...(a.roles ?? ROLES)],
      redirectUris: ['https://app.example.com/callback'],
    });
    if (type === 'production') {
      await s.apps.submitForListing(WORLD_DEVELOPER.id, created.id);
      for (const review of await s.reviews.list({ appId: created.id, kind: 'listing', status: 'pending' }))
        await s.reviews.decide(actor, review.id, true, 'World');
    }
    built.apps[a.name] = {
      id: created.id,
      applicationId: created.applicationId,
      clientId: created.clientId,
      clientSecret,
      roles: [...created.roles],
      type,
    };
    for (const auth of a.authorizations ?? []) {
      if (type === 'sandbox') fail(`app ${a.name}: a sandbox app is not authorized by consent (it gets a sandbox token)`);
      const business = Object.values(built.businesses).find((b) => b.id === auth.business || b.name === auth.business);
      if (!business) fail(`app ${a.name}: no business "${auth.business}"`);
      const admin =
        auth.admin ??
        Object.values(built.users).find((u) => u.businessId === business!.id && u.role === 'Administrator')?.email ??
        fail(`app ${a.name}: business ${business!.name} has no administrator to consent`);
      for (const marketplace of auth.marketplaces ?? business!.marketplaces)
        built.consents.push({ app: a.name, businessId: business!.id, admin, marketplace });
    }
  }
}

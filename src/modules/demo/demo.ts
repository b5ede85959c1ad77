import type { AppContext } from '../../app-context.ts';
import type { Services } from '../../services.ts';
import { seededHex } from '../../kernel/ids.ts';
import { ROLES } from '../../kernel/reference.ts';
import { AppError } from '../../kernel/errors.ts';
import { loadSampleCatalog } from '../catalog/index.ts';
import { describePublished, disablePublishedCredentials } from './published.ts';
import { DEMO_HISTORY, generateHistory } from './history.ts';

/** The reproducible demo world's fixed identities. These values are public: local use only. */
/** The demo business's marketplaces: each needs its own consent (tokens are per marketplace). */
const DEMO_MARKETPLACES = ['US', 'CA'] as const;

export const DEMO = {
  businessId: 'biz_demo',
  businessName: 'Demo Industries Inc.',
  legalEntities: ['Demo Industries US LLC', 'Demo Industries Services LLC'],
  groups: [
    {
      id: 'grp_demo_engineering',
      name: 'Engineering',
      groupTag: 'engineering',
      paymentMethod: 'Amazon Business Visa ending in 4242',
      approvalLimitMinor: null,
    },
    {
      id: 'grp_demo_facilities',
      name: 'Facilities',
      groupTag: 'facilities',
      paymentMethod: 'Pay by Invoice (net 30)',
      // Facilities orders above 500.00 wait for an administrator's approval.
      approvalLimitMinor: 50_000,
    },
  ],
  /** Where the demo groups' orders ship unless a request says otherwise. */
  shippingAddress: {
    fullName: 'Bea Buyer',
    companyName: 'Demo Industries Inc.',
    phoneNumber: '+1 206 555 0100',
    addressLine1: '410 Terry Ave N',
    city: 'Seattle',
    stateOrRegion: 'WA',
    postalCode: '98109',
    countryCode: 'US',
  },
  users: {
    admin: { id: 'usr_demo_admin', email: 'admin@demo-industries.test', name: 'Ada Admin', password: 'demo-admin-password' },
    partialAdmin: {
      id: 'usr_demo_partial_admin',
      email: 'partial-admin@demo-industries.test',
      name: 'Pat Partial',
      password: 'demo-partial-password',
    },
    requisitioner: { id: 'usr_demo_buyer', email: 'buyer@demo-industries.test', name: 'Bea Buyer', password: 'demo-buyer-password' },
    mace: { id: 'usr_demo_mace', email: 'mace@demo-industries.test', name: 'Max Matching', password: 'demo-mace-password' },
    multiGroup: { id: 'usr_demo_multi', email: 'multi@demo-industries.test', name: 'Mo Multigroup', password: 'demo-multi-password' },
  },
  developer: { id: 'dev_demo', email: 'developer@demo-solutions.test', name: 'Demo Solutions Ltd.', password: 'demo-developer-password' },
  app: { seed: 'bizapi-demo-app', name: 'Demo Procurement Connector' },
  clientSecret: `amzn1.oa2-cs.v1.${seededHex('bizapi-demo-client-secret', 64)}`,
  operatorKey: 'bza_demo_operator_key_for_local_use_only',
} as const;

/** The demo app's redirect URIs: a page of this server that shows the code, and an https example. */
export const demoRedirectUris = (baseUrl: string): string[] => [`${baseUrl}/demo/callback`, 'https://app.example.com/amazon/callback'];

export const localBaseUrl = (ctx: AppContext): string => ctx.config.publicUrl?.replace(/\/$/, '') ?? `http://localhost:${ctx.config.port}`;

/** True when the demo world exists already. */
export async function isDemoSeeded(ctx: AppContext): Promise<boolean> {
  return !!(await ctx.db.kysely.selectFrom('businesses').select('id').where('id', '=', DEMO.businessId).executeTakeFirst());
}

/**
 * Seeds the demo world and the shipped sample catalog. Idempotent: an existing world is kept, and the
 * catalog load is a no-op once complete (and resumes if an earlier load was interrupted).
 * Returns true when it seeded the world.
 */
export async function seedDemo(ctx: AppContext, services: Services): Promise<boolean> {
  // Production mode never seeds credentials whose secrets are in this repository: only with
  // DISABLE_DEMO_CREDENTIALS (the configuration insists), and they are disabled at once, loudly.
  if (ctx.config.mode === 'production' && !ctx.config.disableDemoCredentials)
    throw new AppError('Forbidden', 'The demo world is not seeded in production mode unless DISABLE_DEMO_CREDENTIALS=true.');
  const seeded = await seedWorld(ctx, services);
  if (!seeded) await completeDemoGroups(services);
  await loadSampleCatalog(ctx.db, { catalog: services.catalog });
  // The demo business's order history (placed through the purchasing rules; nothing is added when it is there).
  await generateHistory(ctx, services, DEMO_HISTORY);
  if (ctx.config.mode === 'production') {
    const disabled = await ctx.db.transaction((trx) => disablePublishedCredentials(ctx, trx));
    if (disabled.length) console.error(describePublished(disabled, true));
  }
  return seeded;
}

async function seedWorld(ctx: AppContext, services: Services): Promise<boolean> {
  if (await isDemoSeeded(ctx)) return false;
  const actor = 'system:seed';
  const { accounts, apps, operators } = services;
  await accounts.createBusiness(
    actor,
    { name: DEMO.businessName, marketplaces: [...DEMO_MARKETPLACES], legalEntities: [...DEMO.legalEntities] },
    DEMO.businessId,
  );
  const [le1, le2] = await accounts.listLegalEntities(DEMO.businessId);
  for (const g of DEMO.groups)
    await accounts.addGroup(
      actor,
      DEMO.businessId,
      {
        name: g.name,
        groupTag: g.groupTag,
        paymentMethod: g.paymentMethod,
        approvalLimitMinor: g.approvalLimitMinor,
        shippingAddress: DEMO.shippingAddress,
      },
      g.id,
    );
  const u = DEMO.users;
  await accounts.addUser(
    actor,
    DEMO.businessId,
    { ...u.admin, role: 'Administrator', adminOfLegalEntityIds: [le1!.id, le2!.id], groupIds: [DEMO.groups[0].id] },
    u.admin.id,
  );
  await accounts.addUser(
    actor,
    DEMO.businessId,
    { ...u.partialAdmin, role: 'Administrator', adminOfLegalEntityIds: [le1!.id] },
    u.partialAdmin.id,
  );
  await accounts.addUser(
    actor,
    DEMO.businessId,
    { ...u.requisitioner, role: 'Requisitioner', groupIds: [DEMO.groups[0].id] },
    u.requisitioner.id,
  );
  await accounts.addUser(
    actor,
    DEMO.businessId,
    { ...u.mace, role: 'Requisitioner', maceHold: true, groupIds: [DEMO.groups[0].id] },
    u.mace.id,
  );
  await accounts.addUser(
    actor,
    DEMO.businessId,
    { ...u.multiGroup, role: 'Requisitioner', groupIds: [DEMO.groups[0].id, DEMO.groups[1].id] },
    u.multiGroup.id,
  );

  const d = DEMO.developer;
  await seedApprovedDeveloper(services, actor, { ...d, businessId: DEMO.businessId }, 'Demo e-procurement integration', 'Demo world');
  const { app } = await apps.create(
    d.id,
    {
      name: DEMO.app.name,
      type: 'production',
      visibility: 'public',
      environmentLabel: 'production',
      // Every role, User Management included (the README's first user creation).
      roles: [...ROLES],
      redirectUris: demoRedirectUris(localBaseUrl(ctx)),
    },
    { seed: DEMO.app.seed, clientSecret: DEMO.clientSecret },
  );
  await ctx.db.transaction(async (trx) => {
    await apps.forceStatus(trx, app.id, 'published');
    await ctx.audit.record(trx, { actor, action: 'app.publish', subjectType: 'app', subjectId: app.id });
  });
  if (ctx.config.mode === 'local') await operators.createAdminKey('demo', DEMO.operatorKey);
  return true;
}

/**
 * A developer registered with every role requested and approved: the profile review, and the
 * separate offline approval of User Management (the demo world's developer, and bizapi/testing's).
 */
export async function seedApprovedDeveloper(
  services: Services,
  actor: string,
  d: { id: string; email: string; name: string; password: string; businessId: string | null },
  useCase: string,
  reason: string,
): Promise<void> {
  await services.developers.register({ email: d.email, name: d.name, password: d.password, businessId: d.businessId }, d.id);
  await services.developers.updateProfile(d.id, { organization: d.name, contactEmail: d.email, useCase, requestedRoles: [...ROLES] });
  await services.developers.submitProfile(d.id);
  for (const review of await services.reviews.list({ developerId: d.id, status: 'pending' }))
    await services.reviews.decide(actor, review.id, true, reason);
}

/**
 * A demo world seeded by an older version has groups that cannot order yet: give them the demo's
 * payment method and address (only where none is set, so an operator's choice is kept).
 */
async function completeDemoGroups(services: Services): Promise<void> {
  const groups = await services.accounts.listGroups(DEMO.businessId);
  for (const g of DEMO.groups) {
    const current = groups.find((x) => x.id === g.id);
    if (!current || current.paymentMethod !== null || current.shippingAddress !== null) continue;
    await services.accounts.updateGroupOrdering('system:seed', DEMO.businessId, g.id, {
      paymentMethod: g.paymentMethod,
      shippingAddress: DEMO.shippingAddress,
      approvalLimitMinor: g.approvalLimitMinor,
    });
  }
}

/** Everything a script or a reader of the docs needs about the demo world. */
export async function describeDemo(ctx: AppContext, services: Services) {
  const app = (await services.apps.list({ developerId: DEMO.developer.id })).find((a) => a.name === DEMO.app.name);
  const base = localBaseUrl(ctx);
  // Authorizations are per marketplace: one consent URL per marketplace of the demo business. The
  // plain path is the US marketplace (the README's walkthrough); the others are under /mp/<code>.
  const consentQuery = app
    ? `applicationId=${encodeURIComponent(app.applicationId)}&redirect_uri=${encodeURIComponent(app.redirectUris[0]!)}&state=demo-state`
    : null;
  const consentUrls: Record<string, string> = {};
  if (consentQuery)
    for (const mp of DEMO_MARKETPLACES)
      consentUrls[mp] = `${base}${mp === 'US' ? '' : `/mp/${mp.toLowerCase()}`}/b2b/abws/oauth?${consentQuery}`;
  return {
    seeded: !!app,
    baseUrl: base,
    tokenUrl: `${base}/auth/o2/token`,
    /** The US marketplace's consent URL. */
    consentUrl: consentUrls.US ?? null,
    /** The consent URL of each marketplace of the demo business (tokens are per marketplace). */
    consentUrls,
    app: app
      ? {
          applicationId: app.applicationId,
          clientId: app.clientId,
          clientSecret: DEMO.clientSecret,
          redirectUri: app.redirectUris[0],
          roles: app.publishedRoles,
          status: app.status,
        }
      : null,
    business: { id: DEMO.businessId, name: DEMO.businessName, marketplaces: [...DEMO_MARKETPLACES] },
    admin: {
      email: DEMO.users.admin.email,
      password: DEMO.users.admin.password,
      note: 'Administrator of both legal entities: can authorize apps',
    },
    users: [
      { ...pick(DEMO.users.partialAdmin), note: 'Administrator of one legal entity only: consent is refused' },
      {
        ...pick(DEMO.users.requisitioner),
        note: 'Requisitioner in group engineering: a valid x-amz-user-email, and the buyer of "A first order"',
      },
      { ...pick(DEMO.users.mace), note: 'Account matching not cleared (MACE): "Email is not authorized"' },
      { ...pick(DEMO.users.multiGroup), note: 'In two groups: needs groupTag' },
    ],
    developer: { email: DEMO.developer.email, password: DEMO.developer.password },
    operatorKey: ctx.config.mode === 'local' ? DEMO.operatorKey : null,
  };
}

const pick = (u: { email: string; password: string }) => ({ email: u.email, password: u.password });

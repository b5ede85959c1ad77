import type { TestApp } from './app.ts';
import { unique } from './app.ts';
import type { Role } from '../../src/kernel/reference.ts';
import { ROLES } from '../../src/kernel/reference.ts';

/** A business with two legal entities and users of every kind, created through the services. */
export async function makeBusiness(app: TestApp, marketplaces: string[] = ['US', 'CA', 'UK']) {
  const s = app.services;
  const tag = unique();
  const business = await s.accounts.createBusiness('test', { name: `Biz ${tag}`, marketplaces, legalEntities: ['LE One', 'LE Two'] });
  const [le1, le2] = await s.accounts.listLegalEntities(business.id);
  const group = await s.accounts.addGroup('test', business.id, { name: 'Eng', groupTag: `eng-${tag}` });
  const group2 = await s.accounts.addGroup('test', business.id, { name: 'Ops', groupTag: `ops-${tag}` });
  const password = 'correct-horse-battery';
  const admin = await s.accounts.addUser('test', business.id, {
    email: `admin-${tag}@t.test`,
    name: 'Admin',
    role: 'Administrator',
    password,
    adminOfLegalEntityIds: [le1!.id, le2!.id],
    groupIds: [group.id],
  });
  const partial = await s.accounts.addUser('test', business.id, {
    email: `partial-${tag}@t.test`,
    name: 'Partial',
    role: 'Administrator',
    password,
    adminOfLegalEntityIds: [le1!.id],
  });
  const buyer = await s.accounts.addUser('test', business.id, {
    email: `buyer-${tag}@t.test`,
    name: 'Buyer',
    role: 'Requisitioner',
    password,
    groupIds: [group.id],
  });
  const mace = await s.accounts.addUser('test', business.id, {
    email: `mace-${tag}@t.test`,
    name: 'Mace',
    role: 'Requisitioner',
    password,
    maceHold: true,
    groupIds: [group.id],
  });
  const multi = await s.accounts.addUser('test', business.id, {
    email: `multi-${tag}@t.test`,
    name: 'Multi',
    role: 'Requisitioner',
    password,
    groupIds: [group.id, group2.id],
  });
  return { business, le1: le1!, le2: le2!, group, group2, admin, partial, buyer, mace, multi, password };
}

/** A developer whose profile is approved with the given roles (all five by default). */
export async function makeApprovedDeveloper(app: TestApp, roles: readonly Role[] = ROLES, businessId: string | null = null) {
  const s = app.services;
  const dev = await s.developers.register({ email: `dev-${unique()}@t.test`, name: 'Dev', password: 'developer-password', businessId });
  await s.developers.updateProfile(dev.id, {
    organization: 'Org',
    contactEmail: dev.email,
    useCase: 'Testing',
    requestedRoles: [...roles],
  });
  await s.developers.submitProfile(dev.id);
  // The profile review, and User Management's separate offline approval when it is asked for.
  for (const review of await s.reviews.list({ developerId: dev.id, status: 'pending' }))
    await s.reviews.decide('operator:test', review.id, true, null);
  return dev;
}

export const REDIRECT = 'https://client.example.com/cb';

/** A published production app with its client secret. */
export async function makePublishedApp(
  app: TestApp,
  developerId: string,
  roles: Role[] = ['Business Product Catalog'],
  extra: { visibility?: 'public' | 'private' } = {},
) {
  const s = app.services;
  const { app: created, clientSecret } = await s.apps.create(developerId, {
    name: `App ${unique()}`,
    type: 'production',
    visibility: extra.visibility ?? 'public',
    roles,
    redirectUris: [REDIRECT, 'https://client.example.com/other'],
  });
  if (extra.visibility !== 'private') {
    await s.apps.submitForListing(developerId, created.id);
    const [review] = await s.reviews.list({ appId: created.id, kind: 'listing', status: 'pending' });
    await s.reviews.decide('operator:test', review!.id, true, null);
  }
  return { app: await s.apps.get(created.id), clientSecret };
}

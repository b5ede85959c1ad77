import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../app-context.ts';
import type { Services } from '../../services.ts';
import { AppError } from '../../kernel/errors.ts';
import { MARKETPLACES, ROLES, ROLE_APIS, REGIONS, PRIVILEGED_FIELDS } from '../../kernel/reference.ts';
import { actorOf, operatorGuard } from '../operators/index.ts';
import { ConsentError } from '../oauth/index.ts';
import { orderJson } from '../purchasing/index.ts';
import * as S from './admin.schemas.ts';

/** The operators' JSON API under /admin/v1, authenticated by an operator API key. */
export async function adminRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext; services: Services; extensions?: ((scope: FastifyInstance) => Promise<void>)[] },
): Promise<void> {
  const { accounts, developers, apps, reviews, operators, oauth, purchasing } = opts.services;
  const { audit, db } = opts.ctx;
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.addHook('onRequest', operatorGuard(operators));

  // Other modules' admin routes (emulator faults, request log), behind the same operator key.
  for (const extension of opts.extensions ?? []) await r.register(extension);

  r.get('/reference', async () => ({
    regions: REGIONS,
    marketplaces: MARKETPLACES,
    roles: ROLES.map((role) => ({ role, apis: ROLE_APIS[role] })),
    privilegedFields: PRIVILEGED_FIELDS,
  }));

  // Businesses and their people
  r.get('/businesses', async () => ({ businesses: await accounts.listBusinesses() }));
  r.post('/businesses', { schema: { body: S.CreateBusiness } }, async (req, reply) =>
    reply.status(201).send(await accounts.createBusiness(actorOf(req), req.body)),
  );
  r.get('/businesses/:id', { schema: { params: S.IdParam } }, async (req) => {
    const b = await accounts.getBusiness(req.params.id);
    return {
      ...b,
      legalEntities: await accounts.listLegalEntities(b.id),
      groups: await accounts.listGroups(b.id),
      users: await accounts.listUsers(b.id),
      buyingPolicies: await accounts.listPolicies(b.id),
    };
  });
  r.patch('/businesses/:id', { schema: { params: S.IdParam, body: S.PatchBusiness } }, async (req) =>
    accounts.updateBusiness(actorOf(req), req.params.id, req.body),
  );
  r.get('/businesses/:id/legal-entities', { schema: { params: S.IdParam } }, async (req) => ({
    legalEntities: await accounts.listLegalEntities((await accounts.getBusiness(req.params.id)).id),
  }));
  r.post('/businesses/:id/legal-entities', { schema: { params: S.IdParam, body: S.NameBody } }, async (req, reply) =>
    reply.status(201).send(await accounts.addLegalEntity(actorOf(req), req.params.id, req.body.name)),
  );
  r.get('/businesses/:id/groups', { schema: { params: S.IdParam } }, async (req) => ({
    groups: await accounts.listGroups((await accounts.getBusiness(req.params.id)).id),
  }));
  r.post('/businesses/:id/groups', { schema: { params: S.IdParam, body: S.CreateGroup } }, async (req, reply) =>
    reply.status(201).send(await accounts.addGroup(actorOf(req), req.params.id, req.body)),
  );
  r.patch('/businesses/:id/groups/:sub', { schema: { params: S.IdSubParam, body: S.PatchGroup } }, async (req) =>
    accounts.updateGroupOrdering(actorOf(req), req.params.id, req.params.sub, req.body),
  );
  r.get('/businesses/:id/orders', { schema: { params: S.IdParam } }, async (req) => ({
    orders: (await purchasing.list((await accounts.getBusiness(req.params.id)).id, 100)).map(orderJson),
  }));
  r.post('/businesses/:id/orders/:sub/approve', { schema: { params: S.IdSubParam } }, async (req) =>
    orderJson(await purchasing.approve(actorOf(req), req.params.id, req.params.sub)),
  );
  r.post('/businesses/:id/orders/:sub/decline', { schema: { params: S.IdSubParam } }, async (req) =>
    orderJson(await purchasing.decline(actorOf(req), req.params.id, req.params.sub)),
  );
  r.get('/businesses/:id/users', { schema: { params: S.IdParam } }, async (req) => ({
    users: await accounts.listUsers((await accounts.getBusiness(req.params.id)).id),
  }));
  r.post('/businesses/:id/users', { schema: { params: S.IdParam, body: S.CreateUser } }, async (req, reply) =>
    reply.status(201).send(await accounts.addUser(actorOf(req), req.params.id, req.body)),
  );
  r.patch('/businesses/:id/users/:sub', { schema: { params: S.IdSubParam, body: S.PatchUser } }, async (req) => {
    const user = await accounts.getUser(req.params.sub);
    if (user.businessId !== req.params.id) throw new AppError('NotFound', `User ${req.params.sub} was not found.`);
    return accounts.updateUser(actorOf(req), user.id, req.body);
  });
  r.get('/businesses/:id/buying-policies', { schema: { params: S.IdParam } }, async (req) => ({
    buyingPolicies: await accounts.listPolicies((await accounts.getBusiness(req.params.id)).id),
  }));
  r.post('/businesses/:id/buying-policies', { schema: { params: S.IdParam, body: S.CreatePolicy } }, async (req, reply) =>
    reply.status(201).send(await accounts.addPolicy(actorOf(req), req.params.id, req.body)),
  );
  r.delete('/businesses/:id/buying-policies/:sub', { schema: { params: S.IdSubParam } }, async (req, reply) => {
    await accounts.removePolicy(actorOf(req), req.params.id, req.params.sub);
    return reply.status(204).send();
  });
  r.get('/businesses/:id/authorizations', { schema: { params: S.IdParam } }, async (req) => ({
    authorizations: await oauth.listAuthorizations({ businessId: (await accounts.getBusiness(req.params.id)).id }),
  }));
  r.delete('/businesses/:id/authorizations/:sub', { schema: { params: S.IdSubParam } }, async (req, reply) => {
    await oauth.revokeAuthorization(actorOf(req), req.params.sub, req.params.id);
    return reply.status(204).send();
  });

  // Developers, reviews, apps
  r.get('/developers', async () => ({ developers: await developers.listDevelopers() }));
  r.get('/developers/:id', { schema: { params: S.IdParam } }, async (req) => ({
    ...(await developers.getDeveloper(req.params.id)),
    profile: await developers.getProfile(req.params.id),
    apps: await apps.list({ developerId: req.params.id }),
  }));
  r.patch('/developers/:id', { schema: { params: S.IdParam, body: S.DeveloperPatch } }, async (req) => {
    if (req.body.businessId) await accounts.getBusiness(req.body.businessId);
    return developers.setBusiness(actorOf(req), req.params.id, req.body.businessId);
  });
  r.get('/reviews', { schema: { querystring: S.ReviewQuery } }, async (req) => ({ reviews: await reviews.list(req.query) }));
  r.get('/reviews/:id', { schema: { params: S.IdParam } }, async (req) => reviews.get(req.params.id));
  r.post('/reviews/:id/approve', { schema: { params: S.IdParam, body: S.Decision } }, async (req) =>
    reviews.decide(actorOf(req), req.params.id, true, req.body.reason ?? null),
  );
  r.post('/reviews/:id/deny', { schema: { params: S.IdParam, body: S.Decision } }, async (req) =>
    reviews.decide(actorOf(req), req.params.id, false, req.body.reason ?? null),
  );
  r.get('/apps', async () => ({ apps: await apps.list() }));
  r.get('/apps/:id', { schema: { params: S.IdParam } }, async (req) => {
    const a = await apps.get(req.params.id);
    return {
      ...a,
      usagePlans: await reviews.usagePlans(a.id),
      privilegedFields: await reviews.privilegedFields(a.id),
      authorizations: await oauth.listAuthorizations({ appId: a.id }),
    };
  });
  r.post('/apps/:id/suspend', { schema: { params: S.IdParam } }, async (req) => apps.setSuspended(actorOf(req), req.params.id, true));
  r.post('/apps/:id/unsuspend', { schema: { params: S.IdParam } }, async (req) => apps.setSuspended(actorOf(req), req.params.id, false));
  r.get('/apps/:id/usage-plans', { schema: { params: S.IdParam } }, async (req) => ({
    usagePlans: await reviews.usagePlans((await apps.get(req.params.id)).id),
  }));
  r.put('/apps/:id/usage-plans/:sub', { schema: { params: S.IdSubParam, body: S.UsagePlanBody } }, async (req) =>
    reviews.setUsagePlan(actorOf(req), req.params.id, req.params.sub, req.body.rate, req.body.burst),
  );
  r.delete('/apps/:id/usage-plans/:sub', { schema: { params: S.IdSubParam } }, async (req, reply) => {
    await apps.get(req.params.id);
    await reviews.removeUsagePlan(actorOf(req), req.params.id, req.params.sub);
    return reply.status(204).send();
  });
  r.get('/apps/:id/privileged-fields', { schema: { params: S.IdParam } }, async (req) => ({
    fields: await reviews.privilegedFields((await apps.get(req.params.id)).id),
  }));
  r.post('/apps/:id/privileged-fields', { schema: { params: S.IdParam, body: S.FieldsBody } }, async (req) => ({
    fields: await reviews.grantPrivilegedFields(actorOf(req), req.params.id, req.body.fields),
  }));
  r.delete('/apps/:id/privileged-fields', { schema: { params: S.IdParam, body: S.FieldsBody } }, async (req) => ({
    fields: await reviews.revokePrivilegedFields(actorOf(req), req.params.id, req.body.fields),
  }));

  // Authorizations
  r.get('/authorizations', async () => ({ authorizations: await oauth.listAuthorizations() }));
  r.post('/authorizations', { schema: { body: S.AuthorizeBody } }, async (req, reply) => {
    try {
      const { applicationId, adminEmail, marketplace, region, beta } = req.body;
      const result = await oauth.authorizeOnBehalf({ applicationId, adminEmail, marketplace, region, beta });
      return reply.status(201).send(result);
    } catch (err) {
      if (err instanceof ConsentError) throw new AppError('Forbidden', "We're sorry. We can't connect this account.", err.message);
      throw err;
    }
  });
  r.delete('/authorizations/:id', { schema: { params: S.IdParam } }, async (req, reply) => {
    await oauth.revokeAuthorization(actorOf(req), req.params.id);
    return reply.status(204).send();
  });

  r.get('/audit', { schema: { querystring: S.AuditQuery } }, async (req) => ({
    entries: await audit.list(db.kysely, {
      ...req.query,
      since: req.query.since ? Date.parse(req.query.since) : undefined,
      until: req.query.until ? Date.parse(req.query.until) : undefined,
    }),
  }));
}

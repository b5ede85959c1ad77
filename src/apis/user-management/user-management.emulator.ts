import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { notFound } from '../../kernel/errors.ts';
import { MAX_EMAIL_LENGTH } from '../../kernel/email.ts';
import type { AccountsService, BusinessUser } from '../../modules/accounts/index.ts';
import { actorOf } from '../../modules/operators/index.ts';

/**
 * `/_emulator/user-management/…`: the operator's levers on the users the API creates (emulator
 * mode, operator key): read one (by id or email) and activate a pending one, as its business's
 * administrator does on the Users page. Answers are the user as operators read it.
 */

const Ref = Type.Object({ ref: Type.String({ minLength: 1, maxLength: MAX_EMAIL_LENGTH }) });

export const userJson = (u: BusinessUser) => ({
  userId: u.id,
  businessId: u.businessId,
  email: u.email,
  name: u.name,
  role: u.role,
  status: u.status,
  groupIds: u.groupIds,
  maceHold: u.maceHold,
});

export function userManagementEmulatorRoutes(deps: { accounts: AccountsService }) {
  return async (app: FastifyInstance): Promise<void> => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const { accounts } = deps;
    const userOf = async (ref: string): Promise<BusinessUser> => {
      const u = await accounts.findUser(ref);
      if (!u) throw notFound(`User ${ref}`);
      return u;
    };
    r.get('/users/:ref', { schema: { params: Ref } }, async (req) => userJson(await userOf(req.params.ref)));
    // A pending user becomes active (its email works in x-amz-user-email from now on); 409 when it is not pending.
    r.post('/users/:ref/activate', { schema: { params: Ref } }, async (req) =>
      userJson(await accounts.activateUser(actorOf(req), (await userOf(req.params.ref)).id)),
    );
  };
}

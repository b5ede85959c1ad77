import { AppError } from '../../kernel/errors.ts';
import { marketplaceByCode } from '../../kernel/reference.ts';
import type { AccountsService, Business, WelcomeEmail } from '../../modules/accounts/index.ts';
import { ApiReply, type ApiRequest } from '../../modules/gateway/index.ts';
import { callerBusiness, callMarketplace, invalidParameterValue as invalid, shown } from '../shared/index.ts';
import { readAccountRequest, type AccountRequest } from './user-management.requests.ts';
import type { CreateBusinessUserAccountResponse } from './user-management.wire.ts';

/** What the User Management API reads and changes besides the request. */
export interface UserManagementDeps {
  accounts: AccountsService;
}

/** 400: the email is a user of a business already (this one or another; the model: "shouldn't be associated to an existing Amazon Business user account"). */
const emailTaken = (): AppError =>
  invalid('accountHolder.email', 'the email is already associated with an existing Amazon Business user account');

/** The welcome email the model describes: the new user is asked to set a password. */
function welcomeEmail(business: Business, input: AccountRequest): WelcomeEmail {
  const store = marketplaceByCode(input.region);
  return {
    subject: `Your Amazon Business account at ${business.name}`,
    text:
      `Hello ${input.givenName}, an Amazon Business user account was created for you in ${business.name}` +
      `${store ? ` on ${store.host}` : ''} with the role ${input.role}. Set your password to start using it.`,
  };
}

/**
 * POST /businessAccounts/2021-08-30/businessUserAccount: a new user of the business that authorized
 * the app (the token's), in the named group with the role, in the pending state: its email is
 * refused in x-amz-user-email ("Email is not authorized") until it is activated (business admin
 * pages, or the emulator control). 201 `{}`.
 */
export async function createBusinessUserAccount(req: ApiRequest, deps: UserManagementDeps): Promise<ApiReply> {
  // The body first: a malformed request is a 400 whoever sends it.
  const input = readAccountRequest(req.body);
  const businessId = callerBusiness(req);
  const business = await deps.accounts.getBusiness(businessId);
  if (!business.marketplaces.includes(input.region))
    throw invalid(
      'region',
      `the business does not operate in the ${input.region} marketplace (its marketplaces: ${business.marketplaces.join(', ')})`,
    );
  // A marketplace of the business that is not the token's: 403, as every API refuses it.
  callMarketplace(req, input.region);
  const { groups } = await deps.accounts.businessFacts(businessId);
  const { idType, id } = input.group;
  const group = groups.find((g) => (idType === 'GroupId' ? g.id === id : g.groupTag === id));
  if (!group) throw invalid('groupId.id', `no group of the business has the ${idType} "${shown(id)}"`);
  if (await deps.accounts.findUserByEmail(input.email)) throw emailTaken();
  let userId: string;
  try {
    const user = await deps.accounts.addUser(`app:${req.call.appId}`, businessId, {
      email: input.email,
      name: `${input.givenName} ${input.familyName}`,
      role: input.role,
      status: 'pending',
      groupIds: [group.id],
      ...(input.suppressEmail ? {} : { welcomeEmail: welcomeEmail(business, input) }),
    });
    userId = user.id;
  } catch (err) {
    // Another call created the same email meanwhile.
    if (err instanceof AppError && err.code === 'Conflict') throw emailTaken();
    throw err;
  }
  req.link({ kind: 'business-user', id: userId, userEmail: input.email });
  const answer: CreateBusinessUserAccountResponse = {};
  return new ApiReply(201, answer);
}

import { AppError } from '../../kernel/errors.ts';
import type { AccountsService, Group } from '../../modules/accounts/index.ts';
import { emailNotAuthorized, type ApiRequest } from '../../modules/gateway/index.ts';
import type { PurchasingService } from '../../modules/purchasing/index.ts';
import { callMarketplace, invalidInput, requireJsonObject } from '../shared/index.ts';
import { orderDetailsResult, placeOrderResult } from './ordering.mapper.ts';
import { readPlaceOrder } from './ordering.requests.ts';
import type { OrderResult } from './ordering.wire.ts';

/** What the Ordering API reads besides the request. */
export interface OrderingDeps {
  purchasing: PurchasingService;
  accounts: AccountsService;
}

/** The group a buyer orders for: the one named (by group tag or id), or the buyer's only group. */
function groupFor(groups: readonly Group[], memberOf: readonly string[], named: string | null, email: string): Group {
  const mine = groups.filter((g) => memberOf.includes(g.id));
  if (named !== null) {
    const g = mine.find((x) => x.groupTag === named || x.id === named);
    if (!g) throw invalidInput(`Invalid field attributes: the buying group "${named}" is not a group of the buyer ${email}.`);
    return g;
  }
  if (mine.length === 1) return mine[0]!;
  if (mine.length === 0) throw invalidInput(`The buyer ${email} belongs to no buying group, so cannot order.`);
  throw invalidInput(
    `The buyer ${email} belongs to more than one buying group.`,
    'Send a BuyingGroupReference attribute (GroupIdentity with the group tag) to say which one the order is for.',
  );
}

/** POST /ordering/2022-10-30/orders */
export async function placeOrder(req: ApiRequest, deps: OrderingDeps): Promise<OrderResult> {
  const input = readPlaceOrder(requireJsonObject('placeOrder', req.body), req.call.region);
  // The store the order is placed in must be the token's marketplace (403 otherwise).
  callMarketplace(req, input.order.region);
  const businessId = req.call.businessId;
  // The buyer must be an active user of the business that authorized the app, cleared by account matching.
  const buyer = await deps.accounts.userByEmail(input.buyerEmail);
  if (!businessId || !buyer || buyer.businessId !== businessId || buyer.status !== 'active' || buyer.maceHold) throw emailNotAuthorized();
  const group = groupFor((await deps.accounts.businessFacts(businessId)).groups, buyer.groupIds, input.group, buyer.email);
  const placement = await deps.purchasing.place(
    { businessId, appId: req.call.appId, userId: buyer.id, email: buyer.email, group },
    input.order,
  );
  req.link(
    placement.order
      ? { kind: 'order', id: placement.order.orderIdentifier, userEmail: buyer.email }
      : { kind: placement.trial ? 'trial-order' : 'rejected-order', id: input.order.externalId, userEmail: buyer.email },
  );
  return placeOrderResult(placement);
}

/** GET /ordering/2022-10-30/orders/{externalId} */
export async function orderDetails(req: ApiRequest, deps: OrderingDeps): Promise<OrderResult> {
  const externalId = req.params.externalId ?? '';
  if (externalId.length === 0 || externalId.length > 255)
    throw invalidInput('Invalid path parameter externalId: it has 1 to 255 characters.');
  const businessId = req.call.businessId;
  const order = businessId ? await deps.purchasing.findByExternalId(businessId, externalId) : null;
  // Another business's order, or one of another marketplace than the token's, is as unknown as one never placed.
  if (!order || order.region !== callMarketplace(req)) throw new AppError('NotFound', `No order with externalId ${externalId} was found.`);
  req.link({ kind: 'order', id: order.orderIdentifier });
  return orderDetailsResult(order);
}

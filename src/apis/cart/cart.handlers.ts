import type { AccountsService } from '../../modules/accounts/index.ts';
import type { CartRecord, CartsService, CartScope } from '../../modules/carts/index.ts';
import { ApiReply, emailNotAuthorized, type ApiRequest } from '../../modules/gateway/index.ts';
import { USER_EMAIL_HEADER } from '../../modules/registry/index.ts';
import { callMarketplace, invalidParameterValue as invalid, PageTokens, storeRegion } from '../shared/index.ts';
import { cart, cartChange, cartDetails, cartItem, estimate } from './cart.mapper.ts';
import { readAddItems, readCartId, readEstimateAddress, readModifyItems, readPaging } from './cart.requests.ts';
import type { CartChangeResult, CartDetailsResult, CartItemsResult, EstimatedTotalPurchaseCostResult, WireCart } from './cart.wire.ts';

/** What the Cart API reads besides the request. */
export interface CartDeps {
  carts: CartsService;
  accounts: AccountsService;
}

const pages = new PageTokens('bizapi-cart-pages');

/** The business the token was granted for (every cart call has one: consent is by a business). */
function businessOf(req: ApiRequest): string {
  if (!req.call.businessId) throw emailNotAuthorized();
  return req.call.businessId;
}

/** The store must be one the business buys in. */
async function checkStore(deps: CartDeps, businessId: string, region: string): Promise<void> {
  const { marketplaces } = await deps.accounts.businessFacts(businessId);
  if (!marketplaces.includes(region))
    throw invalid('region', `the business does not buy in the ${region} store (its stores: ${marketplaces.join(', ')})`);
}

/**
 * Who may see a cart: the token's business, narrowed to one buyer when the caller sends
 * `x-amz-user-email` (optional on every operation but listCarts). That buyer is checked as the
 * gateway checks it on listCarts: an active user of the business, cleared by account matching.
 */
async function scopeOf(req: ApiRequest, deps: CartDeps): Promise<CartScope> {
  const businessId = businessOf(req);
  const raw = req.headers[USER_EMAIL_HEADER];
  const email = Array.isArray(raw) ? raw[0] : raw;
  if (email === undefined || email === '') return { businessId, userId: null };
  const user = await deps.accounts.userByEmail(email);
  if (!user || user.businessId !== businessId || user.status !== 'active' || user.maceHold) throw emailNotAuthorized();
  return { businessId, userId: user.id };
}

/** The cart a call names, and who asks for it in which store (read before anything is looked up). */
async function named(req: ApiRequest, deps: CartDeps): Promise<{ scope: CartScope; cartId: string; region: string }> {
  // A store of the endpoint that is not the token's marketplace is refused (403).
  const region = callMarketplace(req, storeRegion(req.query, req.call.region));
  const cartId = readCartId(req.params);
  return { scope: await scopeOf(req, deps), cartId, region };
}

/** The cart a call names: in the caller's scope and the request's store; else 404. */
async function cartOf(req: ApiRequest, deps: CartDeps): Promise<CartRecord> {
  const n = await named(req, deps);
  const found = await deps.carts.getCart(n.scope, n.cartId, n.region);
  req.link({ kind: 'cart', id: found.id });
  return found;
}

/** The cart a call names (as `cartOf`) with its items priced now. */
async function cartWithItems(req: ApiRequest, deps: CartDeps) {
  const n = await named(req, deps);
  const found = await deps.carts.cartWithItems(n.scope, n.cartId, n.region);
  req.link({ kind: 'cart', id: found.cart.id });
  return found;
}

/** GET /cart/2025-04-30/carts */
export async function listCarts(req: ApiRequest, deps: CartDeps): Promise<CartDetailsResult> {
  const region = callMarketplace(req, storeRegion(req.query, req.call.region));
  const businessId = businessOf(req);
  const user = req.call.user!;
  await checkStore(deps, businessId, region);
  const paging = readPaging(req.query);
  const scope = { operationId: 'listCarts', businessId, query: `${user.id}|${region}` };
  const after = paging.token === null ? null : pages.decode(paging.token, scope, 'pageToken');
  if (after !== null && typeof after !== 'string') throw invalid('pageToken', 'it is not a token listCarts answered');
  const page = await deps.carts.listCarts({ businessId, userId: user.id }, region, { size: paging.size, afterId: after });
  const last = page.carts.at(-1);
  return {
    cartDetailsList: page.carts.map(cartDetails),
    ...(page.more && last ? { nextPageToken: pages.encode(last.id, scope) } : {}),
  };
}

/** GET /cart/2025-04-30/carts/{cartId} */
export async function getCart(req: ApiRequest, deps: CartDeps): Promise<WireCart> {
  const found = await cartWithItems(req, deps);
  return cart(found.cart, found.items);
}

/** GET /cart/2025-04-30/carts/{cartId}/items */
export async function getItems(req: ApiRequest, deps: CartDeps): Promise<CartItemsResult> {
  return { items: (await cartWithItems(req, deps)).items.map(cartItem) };
}

/** POST /cart/2025-04-30/carts/{cartId}/items */
export async function addItems(req: ApiRequest, deps: CartDeps): Promise<CartChangeResult> {
  // The body first: a malformed request is a 400 whatever cart it names.
  const adds = readAddItems(req.body);
  const c = await cartOf(req, deps);
  return cartChange(await deps.carts.addItems(c, adds));
}

/** PATCH /cart/2025-04-30/carts/{cartId}/items */
export async function modifyItems(req: ApiRequest, deps: CartDeps): Promise<CartChangeResult> {
  const changes = readModifyItems(req.body);
  const c = await cartOf(req, deps);
  return cartChange(await deps.carts.modifyItems(c, changes));
}

/** DELETE /cart/2025-04-30/carts/{cartId}/items: every item; 204. */
export async function deleteItems(req: ApiRequest, deps: CartDeps): Promise<ApiReply> {
  const c = await cartOf(req, deps);
  await deps.carts.clear(c);
  return new ApiReply(204);
}

/** POST /cart/2025-04-30/carts/{cartId}/totalPurchaseCostEstimations */
export async function getEstimatedTotalPurchaseCost(req: ApiRequest, deps: CartDeps): Promise<EstimatedTotalPurchaseCostResult> {
  const address = readEstimateAddress(req.body);
  const c = await cartOf(req, deps);
  return estimate(await deps.carts.estimate(c, address));
}

import { isolatedDatabase } from './isolated.ts';
import type { LightMyRequestResponse } from 'fastify';
import type { PostalAddress } from '../../src/modules/accounts/index.ts';
import { sampleMerchantRecords } from '../../src/modules/catalog/index.ts';
import { buildTestApp, type TestApp } from './app.ts';
import { offer, product, save, nonceWord, SUMMIT, WEDNESDAY_MORNING } from './catalog.ts';
import { gatewayWorld } from './gateway.ts';
import type { Config } from '../../src/config/config.ts';
import { OPERATIONS } from '../../src/modules/registry/index.ts';

/** Where test orders ship: inside the US store. */
export const US_ADDRESS: PostalAddress = {
  fullName: 'Test Buyer',
  addressLine1: '1 Main St',
  city: 'Seattle',
  stateOrRegion: 'WA',
  postalCode: '98109',
  countryCode: 'US',
};

export const ORDERS_PATH = '/na/ordering/2022-10-30/orders';

type Json = Record<string, unknown>;

/** Attribute and expectation builders in the wire's shape. */
export const attr = {
  region: (region = 'US'): Json => ({ attributeType: 'Region', region }),
  buyer: (emailAddress: string): Json => ({
    attributeType: 'BuyerReference',
    userReference: { userReferenceType: 'UserEmail', emailAddress },
  }),
  group: (identifier: string): Json => ({
    attributeType: 'BuyingGroupReference',
    groupReference: { groupReferenceType: 'GroupIdentity', identifier },
  }),
  product: (id: string): Json => ({
    attributeType: 'SelectedProductReference',
    productReference: { productReferenceType: 'ProductIdentifier', id },
  }),
  offer: (id: string): Json => ({
    attributeType: 'SelectedBuyingOptionReference',
    buyingOptionReference: { buyingOptionReferenceType: 'BuyingOptionIdentifier', id },
  }),
  shipTo: (address: PostalAddress = US_ADDRESS): Json => ({
    attributeType: 'ShippingAddress',
    address: { addressType: 'PhysicalAddress', ...address },
  }),
  payment: (): Json => ({
    attributeType: 'SelectedPaymentMethodReference',
    paymentMethodReference: { paymentMethodReferenceType: 'StoredPaymentMethod' },
  }),
  trial: (): Json => ({ attributeType: 'TrialMode' }),
  preference: (shipPreference: string): Json => ({ attributeType: 'DeliveryPreference', shipPreference }),
  po: (purchaseOrderNumber: string): Json => ({ attributeType: 'PurchaseOrderNumber', purchaseOrderNumber }),
};
export const expect_ = {
  unitPrice: (amount: number, currencyCode = 'USD'): Json => ({ expectationType: 'ExpectedUnitPrice', amount: { currencyCode, amount } }),
  charge: (source: string, amount: number, currencyCode = 'USD'): Json => ({
    expectationType: 'ExpectedCharge',
    source,
    amount: { currencyCode, amount },
  }),
};

/** A line ordering a product by ASIN (or an offer, with `offer`). */
export const line = (
  externalId: string,
  quantity: number,
  ref: { asin?: string; offer?: string },
  more: { attributes?: Json[]; expectations?: Json[] } = {},
): Json => ({
  externalId,
  quantity,
  attributes: [...(ref.asin ? [attr.product(ref.asin)] : []), ...(ref.offer ? [attr.offer(ref.offer)] : []), ...(more.attributes ?? [])],
  expectations: more.expectations ?? [],
});

/**
 * A business ready to order (its first group has a payment method and an address), products with
 * known offers, and an app token with the Order Placement role whose usage plan allows bursts.
 */
/**
 * The ordering world on a new app. `isolated`: on a database of its own, for files that change what
 * every app on a database shares (the transition modes, the clock): with DB=postgres the other files
 * of the run would see those changes.
 */
export async function orderingWorld(overrides: Partial<Config> = {}, options: { isolated?: boolean } = {}) {
  const app: TestApp = options.isolated ? await (await isolatedDatabase()).build(overrides) : await buildTestApp(overrides);
  app.clock.set(Date.parse(WEDNESDAY_MORNING));
  return orderingWorldOn(app);
}

/** The ordering world on an app that exists already (e.g. one of several sharing a database). */
export async function orderingWorldOn(app: TestApp) {
  const w = await gatewayWorld(app);
  await app.services.accounts.updateGroupOrdering('test', w.business.id, w.group.id, {
    paymentMethod: 'Visa ending in 4242',
    shippingAddress: US_ADDRESS,
  });
  const word = nonceWord();
  const pen = product(word, { title: `${word} Gel Pen 12-pack` });
  pen.offers = [offer(pen.asin, 1, { price: 1299, stock: 100, maxQuantity: 40, quantityTiers: [{ minQuantity: 10, price: 1099 }] })];
  const chair = product(word, { title: `${word} Office Chair`, department: 'FURNITURE' });
  chair.offers = [
    offer(chair.asin, 1, { price: 24999, stock: 5, shipping: { cost: 0, minDays: 2, maxDays: 4 } }),
    offer(chair.asin, 2, {
      merchantId: SUMMIT,
      price: 22999,
      stock: 2,
      fulfillment: 'MERCHANT_FULFILLMENT',
      prime: false,
      shipping: { cost: 1999, minDays: 4, maxDays: 7 },
    }),
  ];
  const paper = product(word, { title: `${word} Copy Paper`, brand: 'Papyro' });
  paper.offers = [
    offer(paper.asin, 1, { price: 4599, stock: 1000, minQuantity: 2, shipping: { cost: 999, freeOver: 10000, minDays: 1, maxDays: 3 } }),
  ];
  const wine = product(word, { title: `${word} Cabernet`, department: 'GROCERY' });
  wine.offers = [offer(wine.asin, 1, { price: 2999, restrictions: [{ type: 'AGE_RESTRICTED', title: 'Must be 21 or over' }] })];
  const gone = product(word, { title: `${word} Sold Out Stapler` });
  gone.offers = [offer(gone.asin, 1, { price: 999, stock: 0 })];
  await save(app.services.catalog, [...sampleMerchantRecords(), pen, chair, paper, wine, gone]);

  const roles = [
    'Amazon Business Order Placement',
    'Business Product Catalog',
    'Amazon Business Analytics',
    'Business Purchase Reconciliation',
  ] as const;
  const token = await w.tokenFor([...roles]);
  // Every operation of the purchasing APIs (Ordering, Cart, Package Tracking, Reporting, Reconciliation, Document) with room for bursts.
  for (const op of OPERATIONS.filter(
    (o) => o.role !== null && o.role !== 'Business Product Catalog' && (roles as readonly string[]).includes(o.role),
  ))
    await app.services.reviews.setUsagePlan('test', token.client.id, op.operationId, 1000, 1000);
  const headers = { 'x-amz-access-token': token.accessToken, 'content-type': 'application/json' };
  /** A fresh access token from the app's refresh token (access tokens live an hour). */
  const refresh = async (): Promise<void> => {
    const res = await app.server.inject({
      method: 'POST',
      url: '/auth/o2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: token.refreshToken,
        client_id: token.client.clientId,
        client_secret: token.clientSecret,
      }).toString(),
    });
    if (res.statusCode !== 200) throw new Error(`token refresh failed: ${res.body}`);
    headers['x-amz-access-token'] = res.json().access_token as string;
  };
  /** Moves this app's virtual clock and gets a fresh access token. */
  const advance = async (ms: number): Promise<void> => {
    app.clock.advance(ms);
    await refresh();
  };

  /** A placeOrder body for the buyer; `lines` default to one pen. */
  const body = (
    externalId: string,
    lines: Json[] = [line('1', 1, { asin: pen.asin })],
    more: { attributes?: Json[]; expectations?: Json[] } = {},
  ): Json => ({
    externalId,
    lineItems: lines,
    attributes: [attr.region(), attr.buyer(w.buyer.email), ...(more.attributes ?? [])],
    expectations: more.expectations ?? [],
  });
  const place = (payload: unknown): Promise<LightMyRequestResponse> =>
    app.server.inject({ method: 'POST', url: ORDERS_PATH, headers, payload: JSON.stringify(payload) });
  const details = (externalId: string, email = w.buyer.email): Promise<LightMyRequestResponse> =>
    app.server.inject({
      method: 'GET',
      url: `${ORDERS_PATH}/${encodeURIComponent(externalId)}`,
      headers: { ...headers, 'x-amz-user-email': email },
    });
  /**
   * Headers with a token of the same app authorized by the business in another of its marketplaces
   * (CA, UK): tokens are per marketplace, so a call naming another store needs that store's token.
   */
  const headersIn = async (marketplace: string): Promise<typeof headers> => {
    const t = await app.services.oauth.authorizeOnBehalf({
      applicationId: token.client.applicationId,
      adminEmail: w.admin.email,
      marketplace,
    });
    return { ...headers, 'x-amz-access-token': t.access_token };
  };
  return { app, ...w, token, headers, headersIn, advance, refresh, products: { pen, chair, paper, wine, gone }, body, place, details };
}

/** placeOrder lines ordering cart items exactly as getItems lists them: product, buying option, quantity. */
export const linesFromCart = (items: readonly { productIdentifier: string; buyingOptionIdentifier: string; quantity: number }[]): Json[] =>
  items.map((i, n) => line(String(n + 1), i.quantity, { asin: i.productIdentifier, offer: i.buyingOptionIdentifier }));

/** An order answer's Charge artifacts summed over its accepted items, by `category/type`, in major units (cents rounded). */
export function summedCharges(result: { lineItems: { acceptedItems: { artifacts: Json[] }[] }[] }): Map<string, number> {
  const sums = new Map<string, number>();
  for (const a of result.lineItems.flatMap((l) => l.acceptedItems.flatMap((x) => x.artifacts)))
    if (a.acceptanceArtifactType === 'Charge') {
      const key = `${String(a.category)}/${String(a.type)}`;
      sums.set(key, Math.round(((sums.get(key) ?? 0) + (a.amount as { amount: number }).amount) * 100) / 100);
    }
  return sums;
}

/** Every artifact of a type in an answer's line (accepted items) or order level. */
export function artifacts(
  result: { lineItems: { externalId: string; acceptedItems: { artifacts: Json[] }[] }[]; acceptanceArtifacts: Json[] },
  lineId: string | null,
  type: string,
): Json[] {
  if (lineId === null) return result.acceptanceArtifacts.filter((a) => a.acceptanceArtifactType === type);
  const l = result.lineItems.find((x) => x.externalId === lineId);
  return (l?.acceptedItems ?? []).flatMap((i) => i.artifacts.filter((a) => a.acceptanceArtifactType === type));
}

import type { AccountsService } from '../../modules/accounts/index.ts';
import type { CatalogService } from '../../modules/catalog/index.ts';
import type { ApiRequest } from '../../modules/gateway/index.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { PurchasingService } from '../../modules/purchasing/index.ts';
import { AppError } from '../../kernel/errors.ts';
import {
  boolean,
  callerBusiness,
  dateRange,
  invalidParameter,
  one,
  PageTokens,
  reportPage,
  callMarketplace,
  ReportFacts,
} from '../shared/index.ts';
import { order, type Inclusions } from './reporting.mapper.ts';
import type { OrdersOutput } from './reporting.wire.ts';

/** What the Reporting API (2021-01-08) reads besides the request. */
export interface LegacyReportingDeps {
  purchasing: PurchasingService;
  accounts: AccountsService;
  catalog: CatalogService;
  clock: Clock;
}

/** Orders per page (the model: "the page size (100)"). */
export const PAGE_SIZE = 100;
const pages = new PageTokens('bizapi-reporting-2021');

/** includeLineItems, includeShipments and includeCharges, each `true/false/1/0` (default false). */
const inclusions = (req: ApiRequest): Inclusions => ({
  lineItems: boolean(one(req.query, 'includeLineItems'), 'includeLineItems') ?? false,
  shipments: boolean(one(req.query, 'includeShipments'), 'includeShipments') ?? false,
  charges: boolean(one(req.query, 'includeCharges'), 'includeCharges') ?? false,
});

/** GET /reports/2021-01-08/orders: a business's orders placed within the range, oldest first, 100 a page. */
export async function getOrdersByOrderDate(req: ApiRequest, deps: LegacyReportingDeps): Promise<OrdersOutput> {
  const businessId = callerBusiness(req);
  const range = dateRange(req, ['startDate', 'endDate'], deps.clock.now(), {
    reversed: invalidParameter(
      'The startDate must be before or equal to endDate.',
      'Please ensure startDate is chronologically before endDate.',
    ),
  });
  const include = inclusions(req);
  const q = Object.fromEntries(
    Object.entries(req.query)
      .filter(([k]) => k !== 'nextPageToken')
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  const page = await reportPage({
    purchasing: deps.purchasing,
    tokens: pages,
    scope: { operationId: req.operation.operationId, businessId, query: JSON.stringify(q) },
    token: one(req.query, 'nextPageToken') || undefined,
    // The orders of the token's marketplace (authorizations are per marketplace).
    range: { businessId, ...range, regions: [callMarketplace(req)] },
    pageSize: PAGE_SIZE,
    now: deps.clock.now(),
    expand: (o) => [o],
  });
  const facts = await ReportFacts.load(deps, businessId, page.rows);
  const orders = page.rows.map((o) => order(o, facts, deps.purchasing, include));
  return page.nextPageToken ? { orders, nextPageToken: page.nextPageToken, size: orders.length } : { orders, size: orders.length };
}

/** GET /reports/2021-01-08/orders/{orderId}: one order of the business; another business's is as unknown as none. */
export async function getOrdersByOrderId(req: ApiRequest, deps: LegacyReportingDeps): Promise<OrdersOutput> {
  const businessId = callerBusiness(req);
  const orderId = (req.params.orderId ?? '').trim();
  if (orderId === '' || orderId.length > 100) throw invalidParameter('The required parameter orderId is missing or invalid.');
  const include = inclusions(req);
  const found = (await deps.purchasing.ordersByIdentifier(businessId, [orderId], deps.clock.now())).get(orderId);
  // An order of another marketplace is as unknown as one never placed: the token is for one marketplace.
  if (!found || found.region !== callMarketplace(req)) throw new AppError('NotFound', `Order ${orderId} was not found.`);
  const facts = await ReportFacts.load(deps, businessId, [found]);
  return { orders: [order(found, facts, deps.purchasing, include)], size: 1 };
}

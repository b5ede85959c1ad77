import type { AccountsService } from '../../modules/accounts/index.ts';
import type { CatalogService } from '../../modules/catalog/index.ts';
import type { ApiRequest } from '../../modules/gateway/index.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { OrderView, PurchasingService, ShipmentView } from '../../modules/purchasing/index.ts';
import {
  dateRange,
  enumList,
  invalidInput,
  invalidParameter,
  list,
  one,
  PageTokens,
  reportPage,
  reportRegions,
  ReportFacts,
  type RangeWords,
  callerBusiness,
} from '../shared/index.ts';
import {
  liveLines,
  orderLineItemReport,
  orderReport,
  reportedShipments,
  shipmentLineItemReport,
  shipmentReport,
  shipmentStatus,
} from './reporting.mapper.ts';
import {
  ORDER_STATUSES,
  SHIPMENT_STATUSES,
  type GetOrderLineItemReportsResponse,
  type GetOrderReportsResponse,
  type GetShipmentLineItemReportsResponse,
  type GetShipmentReportsResponse,
} from './reporting.wire.ts';

/** What the Reporting API (2025-06-09) reads besides the request. */
export interface ReportingDeps {
  purchasing: PurchasingService;
  accounts: AccountsService;
  catalog: CatalogService;
  clock: Clock;
}

/** Rows per page (the model names no page size; the 2021 version's is 100). */
export const PAGE_SIZE = 100;
/** The most order ids or purchase order numbers one call may name (the model's maxItems). */
const MAX_IDS = 30;

const pages = new PageTokens('bizapi-reporting-2025');

/** The two ways the model's examples word a reversed range: the order operations' and the shipment operations'. */
const ORDER_RANGE: RangeWords = {
  reversed: invalidParameter(
    'The orderStartDate must be before or equal to orderEndDate.',
    'Please ensure orderStartDate is chronologically before orderEndDate.',
  ),
};
const SHIPMENT_RANGE: RangeWords = {
  reversed: invalidInput('Invalid date range specified.', 'The orderStartDate must be before or equal to the orderEndDate.'),
};

/** A csv list of at most 30 ids, or undefined. */
function ids(req: ApiRequest, name: string): string[] | undefined {
  const values = list(req.query, name);
  if (values === undefined) return undefined;
  if (values.length === 0) throw invalidParameter(`Request parameter [${name}] must name at least one value.`);
  if (values.length > MAX_IDS)
    throw invalidParameter(`Request parameter [${name}] names ${values.length} values; at most ${MAX_IDS} are allowed.`);
  return [...new Set(values)];
}

/** The scope a page token is bound to: the operation, the business and every filter of the query. */
function scope(req: ApiRequest, businessId: string) {
  const q = Object.fromEntries(
    Object.entries(req.query)
      .filter(([k]) => k !== 'nextPageToken')
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return { operationId: req.operation.operationId, businessId, query: JSON.stringify({ q, params: req.params }) };
}

interface Walk<T> {
  req: ApiRequest;
  deps: ReportingDeps;
  range: { from: number; to: number };
  orderIds?: string[] | undefined;
  purchaseOrderNumbers?: string[] | undefined;
  expand(o: OrderView): T[];
}

/** One page of rows, with the facts (people, groups, products) of its orders loaded. */
async function walk<T extends { order: OrderView }>(
  w: Walk<T>,
): Promise<{ rows: T[]; facts: ReportFacts; nextPageToken: string | undefined }> {
  const businessId = callerBusiness(w.req);
  const page = await reportPage({
    purchasing: w.deps.purchasing,
    tokens: pages,
    scope: scope(w.req, businessId),
    token: one(w.req.query, 'nextPageToken') || undefined,
    range: {
      businessId,
      from: w.range.from,
      to: w.range.to,
      regions: reportRegions(w.req),
      ...(w.orderIds ? { orderIdentifiers: w.orderIds } : {}),
      ...(w.purchaseOrderNumbers ? { purchaseOrderNumbers: w.purchaseOrderNumbers } : {}),
    },
    pageSize: PAGE_SIZE,
    now: w.deps.clock.now(),
    expand: w.expand,
  });
  const orders = [...new Map(page.rows.map((r) => [r.order.id, r.order])).values()];
  const facts = await ReportFacts.load(w.deps, businessId, orders);
  return { rows: page.rows, facts, nextPageToken: page.nextPageToken };
}

const withToken = <T extends object>(body: T, token: string | undefined): T & { nextPageToken?: string } =>
  token ? { ...body, nextPageToken: token } : body;

/** GET /reports/2025-06-09/orderReports */
export async function getOrderReports(req: ApiRequest, deps: ReportingDeps): Promise<GetOrderReportsResponse> {
  const range = dateRange(req, ['orderStartDate', 'orderEndDate'], deps.clock.now(), ORDER_RANGE);
  const statuses = enumList(list(req.query, 'orderStatuses'), 'orderStatuses', ORDER_STATUSES);
  if (statuses?.length === 0) throw invalidParameter('Request parameter [orderStatuses] must name at least one status.');
  const { rows, facts, nextPageToken } = await walk({
    req,
    deps,
    range,
    expand: (order) => (!statuses || (statuses as string[]).includes(order.status) ? [{ order }] : []),
  });
  const ordersReport = rows.map((r) => orderReport(r.order, facts));
  return withToken({ ordersReport, size: ordersReport.length }, nextPageToken);
}

/** GET /reports/2025-06-09/orderLineItemReports */
export async function getOrderLineItemReports(req: ApiRequest, deps: ReportingDeps): Promise<GetOrderLineItemReportsResponse> {
  const range = dateRange(req, ['orderStartDate', 'orderEndDate'], deps.clock.now(), ORDER_RANGE);
  const { rows, facts, nextPageToken } = await walk({
    req,
    deps,
    range,
    orderIds: ids(req, 'orderIds'),
    expand: (order) => liveLines(order).map((line) => ({ order, line })),
  });
  const orderLineItemsReport = rows.map((r) => orderLineItemReport(r.order, r.line, facts));
  return withToken({ orderLineItemsReport, size: orderLineItemsReport.length }, nextPageToken);
}

/** GET /reports/2025-06-09/purchaseOrders/{purchaseOrderNumber}/orderReports: every order of the purchase order, whenever placed. */
export async function getOrderReportsByPurchaseOrderNumber(req: ApiRequest, deps: ReportingDeps): Promise<GetOrderReportsResponse> {
  const number = (req.params.purchaseOrderNumber ?? '').trim();
  if (number === '' || number.length > 100)
    throw invalidParameter(
      'The required parameter purchaseOrderNumber is missing or invalid.',
      'Please provide a valid purchase order number.',
    );
  const { rows, facts, nextPageToken } = await walk({
    req,
    deps,
    range: { from: 0, to: Number.MAX_SAFE_INTEGER },
    purchaseOrderNumbers: [number],
    expand: (order) => [{ order }],
  });
  const ordersReport = rows.map((r) => orderReport(r.order, facts));
  return withToken({ ordersReport, size: ordersReport.length }, nextPageToken);
}

function shipmentRows(statuses: readonly string[] | undefined) {
  return (order: OrderView): { order: OrderView; shipment: ShipmentView }[] =>
    reportedShipments(order)
      .filter((s) => !statuses || statuses.includes(shipmentStatus(order, s)))
      .map((shipment) => ({ order, shipment }));
}

/** GET /reports/2025-06-09/shipmentReports */
export async function getShipmentReports(req: ApiRequest, deps: ReportingDeps): Promise<GetShipmentReportsResponse> {
  const range = dateRange(req, ['orderStartDate', 'orderEndDate'], deps.clock.now(), SHIPMENT_RANGE);
  const statuses = enumList(list(req.query, 'shipmentStatuses'), 'shipmentStatuses', SHIPMENT_STATUSES);
  if (statuses?.length === 0) throw invalidParameter('Request parameter [shipmentStatuses] must name at least one status.');
  const { rows, nextPageToken } = await walk({ req, deps, range, orderIds: ids(req, 'orderIds'), expand: shipmentRows(statuses) });
  const shipmentsReport = rows.map((r) =>
    shipmentReport(r.order, r.shipment, deps.purchasing.shipmentAmounts(r.order).get(r.shipment.id) ?? []),
  );
  return withToken({ shipmentsReport, size: shipmentsReport.length }, nextPageToken);
}

/** GET /reports/2025-06-09/shipmentLineItemReports */
export async function getShipmentLineItemReports(req: ApiRequest, deps: ReportingDeps): Promise<GetShipmentLineItemReportsResponse> {
  const range = dateRange(req, ['orderStartDate', 'orderEndDate'], deps.clock.now(), SHIPMENT_RANGE);
  const { rows, facts, nextPageToken } = await walk({
    req,
    deps,
    range,
    orderIds: ids(req, 'orderIds'),
    purchaseOrderNumbers: ids(req, 'purchaseOrderNumbers'),
    expand: (order) => {
      const amounts = deps.purchasing.shipmentAmounts(order);
      return reportedShipments(order).flatMap((shipment) => (amounts.get(shipment.id) ?? []).map((line) => ({ order, shipment, line })));
    },
  });
  const shipmentLineItemsReport = rows.map((r) => shipmentLineItemReport(r.order, r.shipment, r.line, facts));
  return withToken({ shipmentLineItemsReport, size: shipmentLineItemsReport.length }, nextPageToken);
}

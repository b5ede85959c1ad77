import type { AccountsService } from '../../modules/accounts/index.ts';
import { currencyExponent, type CatalogService } from '../../modules/catalog/index.ts';
import type { ApiRequest } from '../../modules/gateway/index.ts';
import type { Clock } from '../../kernel/clock.ts';
import { marketplaceByCode } from '../../kernel/reference.ts';
import {
  FINANCE_LOOKBACK_MS,
  paymentStatusAt,
  paymentTermsOf,
  type Invoice,
  type OrderView,
  type PurchasingService,
  type Transaction,
} from '../../modules/purchasing/index.ts';
import {
  businessOrderInfo,
  dateRange,
  callMarketplace,
  invalidParameter,
  isoInstant,
  one,
  PageTokens,
  reportPage,
  ReportFacts,
  requireJsonObject,
  unspscOf,
  callerBusiness,
} from '../shared/index.ts';
import type {
  GetBatchInvoicePaymentDetailsResponse,
  InvoiceDetailsByOrderLineItemsResponse,
  TransactionsResponse,
  WireInvoiceDetail,
  WireMoney,
  WireTransaction,
} from './reconciliation.wire.ts';

/** What the Reconciliation API reads besides the request. */
export interface ReconciliationDeps {
  purchasing: PurchasingService;
  accounts: AccountsService;
  catalog: CatalogService;
  clock: Clock;
}

/** Transactions per page (the model names none). */
export const PAGE_SIZE = 100;
/** The most order line items one getInvoiceDetailsByOrderLineItems call may name (the model: 25). */
const MAX_LINE_ITEMS = 25;
/** The most invoice ids one getBatchInvoicePaymentDetails call may name. */
const MAX_INVOICES = 100;

const pages = new PageTokens('bizapi-reconciliation');

const money = (minor: number, currency: string): WireMoney => {
  const e = currencyExponent(currency);
  return { currencyCode: currency, amount: (minor / 10 ** e).toFixed(e) };
};

function transaction(o: OrderView, t: Transaction, facts: ReportFacts): WireTransaction {
  const c = o.currency;
  const sign = t.type === 'REFUND' ? -1 : 1;
  const terms = paymentTermsOf(o.paymentMethod);
  const buyer = facts.buyer(o);
  const person = { id: '', name: buyer.name, email: buyer.email };
  const group = facts.groupName(o);
  const info = businessOrderInfo(o);
  const charge = o.shipments.find((s) => s.id === t.invoice.shipmentId);
  return {
    marketplaceId: marketplaceByCode(o.region)?.marketplaceId ?? o.region,
    transactionDate: isoInstant(t.at),
    feedDate: isoInstant(t.feedAt),
    transactionType: t.type,
    transactionId: t.id,
    chargeIdentifier: t.invoice.number.replace(/-/g, '').slice(0, 9),
    legalEntityName: facts.businessName,
    ...(group ? { purchasingCustomerGroupName: group } : {}),
    invoiceNumber: t.invoice.number,
    amount: money(t.amountMinor, c),
    paymentInstrumentType: terms.instrumentType,
    ...(terms.last4 ? { paymentInstrumentLast4Digits: terms.last4 } : {}),
    buyer: person,
    payer: person,
    transactionLineItems: t.invoice.lines.map((l) => {
      const line = o.lines.find((x) => x.lineNo === l.lineNo);
      const p = facts.product(o, l.asin);
      return {
        ...(t.refundReason ? { refundReason: t.refundReason } : {}),
        totalAmount: money(sign * l.totalMinor, c),
        principalAmount: money(sign * l.subtotalMinor, c),
        shippingCharge: money(sign * l.shippingMinor, c),
        tax: money(sign * l.taxMinor, c),
        unitPrice: money(l.unitMinor, c),
        orderId: o.orderIdentifier,
        unspsc: unspscOf(p),
        orderLineItemId: String(l.lineNo),
        purchaseOrderNumber: o.purchaseOrderNumber ?? '',
        asin: l.asin ?? '',
        productTitle: l.title ?? '',
        itemQuantity: l.quantity,
        shipmentId: t.invoice.shipmentIdentifier,
        shipmentDate: isoInstant(charge?.shippedAt ?? t.invoice.shippedAt),
        merchantLegalName: facts.merchant(line?.merchantId ?? null)?.name ?? line?.merchantId ?? '',
        businessOrderInfo: info,
      };
    }),
  };
}

/** GET /reconciliation/2021-01-08/transactions: charges and refunds whose feed date falls within the range. */
export async function getTransactions(req: ApiRequest, deps: ReconciliationDeps): Promise<TransactionsResponse> {
  const businessId = callerBusiness(req);
  const range = dateRange(req, ['feedStartDate', 'feedEndDate'], deps.clock.now(), {
    reversed: invalidParameter(
      'The feedStartDate must be before or equal to feedEndDate.',
      'Please ensure feedStartDate is chronologically before feedEndDate.',
    ),
  });
  const q = { feedStartDate: one(req.query, 'feedStartDate'), feedEndDate: one(req.query, 'feedEndDate') };
  const page = await reportPage({
    purchasing: deps.purchasing,
    tokens: pages,
    scope: { operationId: req.operation.operationId, businessId, query: JSON.stringify(q) },
    token: one(req.query, 'nextPageToken') || undefined,
    // Transactions happen after the order is placed: orders placed within the lookback can have one in the range.
    // The orders of the token's marketplace (authorizations are per marketplace).
    range: { businessId, from: range.from - FINANCE_LOOKBACK_MS, to: range.to, regions: [callMarketplace(req)] },
    pageSize: PAGE_SIZE,
    now: deps.clock.now(),
    expand: (order) =>
      deps.purchasing
        .transactions(order)
        .filter((t) => t.feedAt >= range.from && t.feedAt <= range.to)
        .map((t) => ({ order, t })),
  });
  const facts = await ReportFacts.load(deps, businessId, [...new Map(page.rows.map((r) => [r.order.id, r.order])).values()]);
  const transactions = page.rows.map((r) => transaction(r.order, r.t, facts));
  return page.nextPageToken ? { transactions, nextPageToken: page.nextPageToken } : { transactions };
}

function invoiceDetail(o: OrderView, i: Invoice): WireInvoiceDetail {
  return {
    invoiceNumber: i.number,
    invoiceDate: isoInstant(i.issuedAt),
    invoiceType: i.type,
    ...(i.associatedNumber
      ? { associatedInvoiceNumber: i.associatedNumber, associatedInvoiceDate: isoInstant(i.associatedIssuedAt!) }
      : {}),
    orderDate: isoInstant(o.placedAt),
    currencyCode: i.currency,
    invoiceTotal: money(i.totalMinor, i.currency).amount,
  };
}

/** The JSON object body; an empty body is a missing parameter in the sandbox's words. */
function bodyOf(req: ApiRequest, missing: string): Record<string, unknown> {
  if (req.body === undefined || req.body === null) throw invalidParameter(missing, `The request needs a JSON object body.`);
  return requireJsonObject(req.operation.operationId, req.body);
}

const asString = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' && v.length <= 100 ? v.trim() : null);

/** POST /reconciliation/2021-01-08/invoices: the invoices (and credit memos) of each order line item in a shipment. */
export async function getInvoiceDetailsByOrderLineItems(
  req: ApiRequest,
  deps: ReconciliationDeps,
): Promise<InvoiceDetailsByOrderLineItemsResponse> {
  const businessId = callerBusiness(req);
  const body = bodyOf(req, 'Missing required request parameters.');
  const items = body.orderLineItems;
  if (!Array.isArray(items) || items.length === 0)
    throw invalidParameter('Missing required request parameters.', 'orderLineItems must list at least one order line item.');
  if (items.length > MAX_LINE_ITEMS)
    throw invalidParameter(`orderLineItems lists ${items.length} items; at most ${MAX_LINE_ITEMS} are allowed.`);
  const wanted = items.map((raw, i) => {
    const item = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const [orderId, orderLineItemId, shipmentId] = [asString(item.orderId), asString(item.orderLineItemId), asString(item.shipmentId)];
    if (!orderId || !orderLineItemId || !shipmentId)
      throw invalidParameter(
        'Missing required request parameters.',
        `orderLineItems[${i}] needs orderId, orderLineItemId and shipmentId (strings of 1 to 100 characters).`,
      );
    return { orderId, orderLineItemId, shipmentId };
  });
  const orders = await deps.purchasing.ordersByIdentifier(businessId, [...new Set(wanted.map((w) => w.orderId))], deps.clock.now());
  return {
    invoiceDetailsByOrderLineItems: wanted.map((w) => {
      // An order of another marketplace than the token's is as unknown as one never placed.
      const found = orders.get(w.orderId);
      const o = found && found.region === callMarketplace(req) ? found : undefined;
      const invoices = o
        ? deps.purchasing
            .invoices(o)
            .filter((i) => i.shipmentIdentifier === w.shipmentId && i.lines.some((l) => String(l.lineNo) === w.orderLineItemId))
        : [];
      return { orderLineItem: w, invoiceDetails: o ? invoices.map((i) => invoiceDetail(o, i)) : [] };
    }),
  };
}

/** POST /reconciliation/2021-01-08/invoices/batch/paymentDetails: where the payment of each invoice stands. */
export async function getBatchInvoicePaymentDetails(
  req: ApiRequest,
  deps: ReconciliationDeps,
): Promise<GetBatchInvoicePaymentDetailsResponse> {
  const businessId = callerBusiness(req);
  const body = bodyOf(req, 'The request contains invalid parameters.');
  const ids = body.invoiceIds;
  if (!Array.isArray(ids) || ids.length === 0)
    throw invalidParameter('The request contains invalid parameters.', 'The invoiceIds array must contain at least one invoice ID.');
  if (ids.length > MAX_INVOICES)
    throw invalidParameter(
      'The request contains invalid parameters.',
      `The invoiceIds array may hold at most ${MAX_INVOICES} invoice IDs.`,
    );
  const wanted = ids.map((v, i) => {
    const s = asString(v);
    if (!s) throw invalidParameter('The request contains invalid parameters.', `invoiceIds[${i}] must be a string of 1 to 100 characters.`);
    return s;
  });
  const found = await deps.purchasing.invoicesByNumber(businessId, wanted);
  const now = deps.clock.now();
  return {
    invoicePaymentDetailsResults: wanted.map((id) => {
      const got = found.get(id);
      const hit = got && got.order.region === callMarketplace(req) ? got : undefined;
      return hit
        ? {
            invoiceId: id,
            resultType: 'SUCCESS' as const,
            paymentDetails: { status: paymentStatusAt(hit.invoice, now), dueDate: isoInstant(hit.invoice.dueAt) },
          }
        : {
            invoiceId: id,
            resultType: 'ERROR' as const,
            error: {
              code: 'INVOICE_NOT_FOUND',
              message: `Invoice ${id} was not found.`,
              details: 'It is not an invoice of this business, or it has not been issued yet.',
            },
          };
    }),
  };
}

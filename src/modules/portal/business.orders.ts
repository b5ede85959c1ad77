import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../kernel/errors.ts';
import { marketplaceByCode } from '../../kernel/reference.ts';
import { html, type Html } from '../../platform/http/html.ts';
import type { BusinessUser, Group, PostalAddress } from '../accounts/index.ts';
import { checkPostalAddress } from '../accounts/index.ts';
import { currencyExponent, formatMoney } from '../catalog/index.ts';
import { carrierName, wordsFor, type OrderStatus, type OrderView } from '../purchasing/index.ts';
import {
  actionButton,
  badge,
  bodyOf,
  checkbox,
  csrfField,
  errorSummary,
  hasErrors,
  input,
  text,
  time,
  type BadgeTone,
  type FieldErrors,
} from './forms.ts';
import { seeOther, sendPage, type PortalDeps } from './layout.ts';
import { BUSINESS_AREA as AREA, csrfOf, setFlash } from './session.ts';

const TONE: Record<OrderStatus, BadgeTone> = {
  PENDING_APPROVAL: 'warn',
  PENDING: 'neutral',
  PAYMENT_CONFIRMED: 'neutral',
  PENDING_FULFILLMENT: 'neutral',
  CLOSED: 'ok',
  CANCELLED: 'bad',
};

/** An order's status as a badge, with the finer stage beside it. */
export const statusBadge = (o: OrderView): Html => html`${badge(o.status, TONE[o.status])} <span class="muted">${o.stage}</span>`;

const money = (minor: number, currency: string): string => formatMoney(minor, currency, 'en_US');

/** An order's lines and shipments as tables (shared by the business pages and the operator console). */
export function orderTables(o: OrderView): Html {
  const lines = o.lines.map((l) => {
    const cancelled = o.cancelled.get(l.lineNo)?.quantity ?? 0;
    return html`<tr><td data-label="Line">${l.externalId}</td><td data-label="Product">${l.title ?? '—'}<br><code>${l.asin ?? l.offerId ?? '—'}</code></td>
      <td data-label="Asked">${l.requested}</td><td data-label="Accepted">${l.accepted}${cancelled ? html` <span class="muted">(${cancelled} cancelled by the seller)</span>` : ''}</td>
      <td data-label="Unit price">${l.accepted ? money(l.price.unitMinor, o.currency) : '—'}</td>
      <td data-label="Rejected">${l.rejected.map((r) => html`${r.quantity} × ${r.artifacts.flatMap((a) => (a.type === 'RejectionMessage' ? [a.message] : [])).join(' ')}<br>`)}</td></tr>`;
  });
  const shipments = o.shipments.map((s) => {
    const state = !s.live
      ? badge('Not shipping', 'bad')
      : s.deliveredAt !== null
        ? badge('Delivered', 'ok')
        : s.shippedAt !== null
          ? badge('Shipped', 'neutral')
          : badge('Waiting', 'neutral');
    return html`<tr><td data-label="Shipment"><code>${s.identifier}</code></td><td data-label="Carrier">${s.carrier}<br><code>${s.trackingNumber}</code></td>
      <td data-label="Lines">${s.items.map((i) => `${o.lines.find((l) => l.lineNo === i.lineNo)?.externalId ?? i.lineNo} × ${i.quantity}`).join(', ')}</td>
      <td data-label="State">${state}${s.delayed ? html` ${badge('Delayed', 'warn')}` : ''}</td><td data-label="Shipped">${time(s.shippedAt)}</td>
      <td data-label="Delivered">${s.deliveredAt !== null ? time(s.deliveredAt) : html`<span class="muted">expected</span> ${time(s.plannedDeliveryAt)}`}</td></tr>`;
  });
  return html`<h2>Lines</h2><div class="table-wrap"><table><thead><tr><th scope="col">Line</th><th scope="col">Product</th><th scope="col">Asked</th><th scope="col">Accepted</th><th scope="col">Unit price</th><th scope="col">Rejected</th></tr></thead><tbody>${lines}</tbody></table></div>
    <h2>Shipments</h2><div class="table-wrap"><table><thead><tr><th scope="col">Shipment</th><th scope="col">Carrier and tracking</th><th scope="col">Lines</th><th scope="col">State</th><th scope="col">Shipped</th><th scope="col">Delivered</th></tr></thead><tbody>${shipments}</tbody></table></div>`;
}

/** An order's facts as a definition list. */
export function orderFacts(o: OrderView): Html {
  return html`<dl class="meta"><dt>Status</dt><dd>${statusBadge(o)}</dd><dt>External id</dt><dd><code>${o.externalId}</code></dd>
    <dt>Placed</dt><dd>${time(o.placedAt)} by ${o.buyerEmail}</dd><dt>Store</dt><dd>${o.region}</dd>
    <dt>Total</dt><dd>${money(o.totalMinor, o.currency)} <span class="muted">(items ${money(o.subtotalMinor, o.currency)}, shipping ${money(o.shippingMinor, o.currency)}, tax ${money(o.taxMinor, o.currency)})</span></dd>
    <dt>Payment</dt><dd>${o.paymentMethod}</dd>${o.purchaseOrderNumber ? html`<dt>Purchase order</dt><dd>${o.purchaseOrderNumber}</dd>` : ''}
    ${o.approvalReason ? html`<dt>Approval</dt><dd>Needed: ${o.approvalReason}. ${o.approvedAt !== null ? html`Approved ${time(o.approvedAt)}.` : o.declinedAt !== null ? html`Declined ${time(o.declinedAt)}.` : 'Waiting.'}</dd>` : ''}</dl>`;
}

interface GroupValues {
  paymentMethod: string;
  approvalLimit: string;
  testMode: boolean;
  address: Record<keyof PostalAddress, string>;
}

const ADDRESS_FIELDS: [keyof PostalAddress, string][] = [
  ['fullName', 'Full name'],
  ['companyName', 'Company (optional)'],
  ['addressLine1', 'Address line 1'],
  ['addressLine2', 'Address line 2 (optional)'],
  ['city', 'City'],
  ['stateOrRegion', 'State or region'],
  ['postalCode', 'Postal code'],
  ['countryCode', 'Country code (ISO, e.g. US)'],
  ['phoneNumber', 'Phone (optional)'],
];

const valuesOf = (g: Group, currency: string): GroupValues => ({
  paymentMethod: g.paymentMethod ?? '',
  approvalLimit:
    g.approvalLimitMinor === null ? '' : (g.approvalLimitMinor / 10 ** currencyExponent(currency)).toFixed(currencyExponent(currency)),
  testMode: g.testMode,
  address: Object.fromEntries(ADDRESS_FIELDS.map(([k]) => [k, g.shippingAddress?.[k] ?? ''])) as GroupValues['address'],
});

/** The orders of the administrator's business, their approval, and how each group orders. */
export function businessOrderPages(
  app: FastifyInstance,
  deps: PortalDeps,
  admin: (request: FastifyRequest) => Promise<BusinessUser>,
): void {
  const { accounts, purchasing } = deps.services;
  const actor = (me: BusinessUser): string => `business_user:${me.id}`;

  app.get('/orders', async (request, reply) => {
    const me = await admin(request);
    const orders = await purchasing.list(me.businessId, 200);
    const rows = orders.map(
      (
        o,
      ) => html`<tr><td data-label="Order"><a href="/business/orders/${o.id}">${o.orderIdentifier}</a><br><span class="muted">${o.externalId}</span></td>
        <td data-label="Placed">${time(o.placedAt)}</td><td data-label="Buyer">${o.buyerEmail}</td><td data-label="Status">${statusBadge(o)}</td>
        <td data-label="Lines">${o.lines.filter((l) => l.accepted > 0).length} of ${o.lines.length}</td><td data-label="Total">${money(o.totalMinor, o.currency)}</td></tr>`,
    );
    const waiting = orders.filter((o) => o.status === 'PENDING_APPROVAL').length;
    const body = html`<h1>Orders</h1><p>Orders placed through the Ordering API by your buyers, as they stand now.${waiting ? html` <strong>${waiting} waiting for your approval.</strong>` : ''}</p>
      ${
        rows.length
          ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Order</th><th scope="col">Placed</th><th scope="col">Buyer</th><th scope="col">Status</th><th scope="col">Lines accepted</th><th scope="col">Total</th></tr></thead><tbody>${rows}</tbody></table></div>`
          : html`<div class="panel empty"><p>No orders yet. Orders placed with placeOrder appear here (trial orders never do).</p></div>`
      }`;
    return sendPage(request, reply, AREA, 'Orders', body);
  });

  /** Each package that ships with its tracking timeline, as the Package Tracking API tells it (in English). */
  const packagesSection = async (o: OrderView): Promise<Html> => {
    const words = wordsFor('en-US');
    const live = o.shipments.filter((s) => s.live);
    if (!live.length) return html``;
    const sections = await Promise.all(
      live.map(async (s) => {
        const { tracking } = await purchasing.packageTracking(o.businessId, o.id, s.identifier, s.packageId);
        const events = tracking.events.map(
          (e) =>
            html`<li><span class="muted">${time(e.at)}</span> ${words.events[e.kind]} <span class="muted">${[e.location.city, e.location.state, e.location.country].filter(Boolean).join(', ')}</span></li>`,
        );
        return html`<div class="panel"><h3>Package <code>${s.packageId}</code> ${badge(tracking.status, tracking.status === 'DELIVERED' ? 'ok' : tracking.status === 'DELAYED' ? 'warn' : 'neutral')}</h3>
          <p>${carrierName(s.carrier, words)} <code>${s.trackingNumber}</code> · shipment <code>${s.identifier}</code></p>
          ${events.length ? html`<ol class="timeline" reversed>${events}</ol>` : html`<p class="muted">No scans yet: the package has not left the seller.</p>`}</div>`;
      }),
    );
    return html`<h2>Packages</h2>${sections}`;
  };

  const ownOrder = async (request: FastifyRequest, me: BusinessUser): Promise<OrderView> => {
    const id = (request.params as { id: string }).id;
    const o = await purchasing.get(id).catch(() => null);
    if (!o || o.businessId !== me.businessId) throw notFound(`Order ${id}`);
    return o;
  };

  app.get('/orders/:id', async (request, reply) => {
    const me = await admin(request);
    const o = await ownOrder(request, me);
    const csrf = csrfOf(request);
    const decide =
      o.status === 'PENDING_APPROVAL'
        ? html`<div class="panel"><h2>Approval</h2><p>This order waits for an administrator: ${o.approvalReason}.</p><div class="row-actions">
          ${actionButton({ action: `/business/orders/${o.id}/approve`, csrf, label: 'Approve order' })}
          ${actionButton({ action: `/business/orders/${o.id}/decline`, csrf, label: 'Decline order', variant: 'danger' })}</div></div>`
        : '';
    const body = html`<p><a href="/business/orders">All orders</a></p><h1>Order ${o.orderIdentifier}</h1>${decide}${orderFacts(o)}${orderTables(o)}${await packagesSection(o)}`;
    return sendPage(request, reply, AREA, `Order ${o.orderIdentifier}`, body);
  });

  for (const what of ['approve', 'decline'] as const) {
    app.post(`/orders/:id/${what}`, async (request, reply) => {
      const me = await admin(request);
      const o = await ownOrder(request, me);
      try {
        await (what === 'approve'
          ? purchasing.approve(actor(me), me.businessId, o.id)
          : purchasing.decline(actor(me), me.businessId, o.id));
        setFlash(reply, deps.cookies, `Order ${o.orderIdentifier} was ${what === 'approve' ? 'approved' : 'declined'}.`);
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'InvalidState') throw err;
        setFlash(reply, deps.cookies, err.message);
      }
      return seeOther(reply, `/business/orders/${o.id}`);
    });
  }

  const ownGroup = async (request: FastifyRequest, me: BusinessUser): Promise<Group> => {
    const id = (request.params as { id: string }).id;
    return accounts.getGroup(me.businessId, id);
  };

  const sendGroup = async (
    request: FastifyRequest,
    reply: FastifyReply,
    g: Group,
    v: GroupValues,
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const me = await admin(request);
    const business = await accounts.getBusiness(me.businessId);
    const csrf = csrfOf(request);
    const body = html`<p><a href="/business/organization">Legal entities & groups</a></p><h1>Ordering for ${g.name}</h1>
      <p>How the group <code>${g.groupTag}</code> orders through the Ordering API. Amounts are in the currency of the order’s store.</p>${errorSummary(errors)}
      <form method="post" action="/business/groups/${g.id}" class="panel" novalidate>${csrfField(csrf)}
        ${input({ name: 'paymentMethod', label: 'Stored payment method', value: v.paymentMethod, error: errors.paymentMethod, hint: 'E.g. “Visa ending in 4242” or “Pay by Invoice”. Without one the group cannot order.' })}
        ${input({ name: 'approvalLimit', label: 'Approval limit (optional)', value: v.approvalLimit, error: errors.approvalLimit, hint: `Orders above this total wait for an administrator’s approval. Stores: ${business.marketplaces.join(', ')}.` })}
        ${checkbox({ name: 'testMode', label: 'Test mode', checked: v.testMode, hint: 'Every order of the group is a trial: checked and priced, never placed.' })}
        <fieldset><legend>Default shipping address</legend><p class="hint">Used when an order names no ShippingAddress. Leave every field empty for none.</p>
        ${ADDRESS_FIELDS.map(([k, label]) => input({ name: k, label, value: v.address[k], error: errors[k], idPrefix: 'addr-' }))}</fieldset>
        <div class="actions"><button type="submit">Save</button></div></form>`;
    return sendPage(request, reply, AREA, `Ordering for ${g.name}`, body, status);
  };

  app.get('/groups/:id', async (request, reply) => {
    const me = await admin(request);
    const g = await ownGroup(request, me);
    const business = await accounts.getBusiness(me.businessId);
    return sendGroup(request, reply, g, valuesOf(g, storeCurrency(business.marketplaces)));
  });

  app.post('/groups/:id', async (request, reply) => {
    const me = await admin(request);
    const g = await ownGroup(request, me);
    const business = await accounts.getBusiness(me.businessId);
    const currency = storeCurrency(business.marketplaces);
    const b = bodyOf(request);
    const v: GroupValues = {
      paymentMethod: text(b, 'paymentMethod').trim(),
      approvalLimit: text(b, 'approvalLimit').trim(),
      testMode: text(b, 'testMode') === 'on',
      address: Object.fromEntries(ADDRESS_FIELDS.map(([k]) => [k, text(b, k).trim()])) as GroupValues['address'],
    };
    const errors: FieldErrors = {};
    if (v.paymentMethod.length > 100) errors.paymentMethod = 'Use at most 100 characters.';
    let limit: number | null = null;
    if (v.approvalLimit) {
      const e = currencyExponent(currency);
      if (!/^\d{1,12}(\.\d+)?$/.test(v.approvalLimit) || (v.approvalLimit.split('.')[1]?.length ?? 0) > e)
        errors.approvalLimit = `Enter an amount like 500${e ? `.${'0'.repeat(e)}` : ''}, or leave it empty.`;
      else limit = Math.round(Number(v.approvalLimit) * 10 ** e);
    }
    let address: PostalAddress | null = null;
    if (Object.values(v.address).some((x) => x !== '')) {
      try {
        address = checkPostalAddress({ ...v.address, countryCode: v.address.countryCode.toUpperCase() });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const field = ADDRESS_FIELDS.find(([k]) => err.message.includes(k))?.[0] ?? 'fullName';
        errors[field] = err.message;
      }
    }
    if (hasErrors(errors)) return sendGroup(request, reply, g, v, errors, 400);
    await accounts.updateGroupOrdering(actor(me), me.businessId, g.id, {
      paymentMethod: v.paymentMethod || null,
      approvalLimitMinor: limit,
      testMode: v.testMode,
      shippingAddress: address,
    });
    setFlash(reply, deps.cookies, `Ordering settings of “${g.name}” were saved.`);
    return seeOther(reply, '/business/organization');
  });
}

/** The currency approval limits are entered in: the business's first store's. */
const storeCurrency = (marketplaces: readonly string[]): string => marketplaceByCode(marketplaces[0] ?? 'US')?.currency ?? 'USD';

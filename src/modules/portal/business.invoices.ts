import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../kernel/errors.ts';
import { html } from '../../platform/http/html.ts';
import type { BusinessUser } from '../accounts/index.ts';
import { formatMoney } from '../catalog/index.ts';
import { invoicePdf } from '../documents/index.ts';
import { paymentStatusAt, paymentTermsOf, type PaymentStatus } from '../purchasing/index.ts';
import { badge, time, type BadgeTone } from './forms.ts';
import { sendPage, type PortalDeps } from './layout.ts';
import { BUSINESS_AREA as AREA } from './session.ts';

const TONE: Record<PaymentStatus, BadgeTone> = { Issued: 'neutral', 'Payment Processing': 'neutral', 'Past Due': 'bad', Closed: 'ok' };
const money = (minor: number, currency: string): string => formatMoney(minor, currency, 'en_US');
/** Orders whose invoices the page reads: the business's most recent. */
const ORDERS_READ = 200;
const INVOICE_NUMBER = /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

/**
 * The business's invoices and credit memos (each downloads as the same PDF the Document API makes
 * for GET_AB_INVOICE_PDF) and its payments (charges and refunds), as they stand now.
 */
export function businessInvoicePages(
  app: FastifyInstance,
  deps: PortalDeps,
  admin: (request: FastifyRequest) => Promise<BusinessUser>,
): void {
  const { accounts, purchasing } = deps.services;

  app.get('/invoices', async (request, reply) => {
    const me = await admin(request);
    const now = deps.ctx.clock.now();
    const orders = await purchasing.list(me.businessId, ORDERS_READ);
    const invoices = orders
      .flatMap((o) => purchasing.invoices(o).map((i) => ({ o, i })))
      .sort((a, b) => b.i.issuedAt - a.i.issuedAt || a.i.number.localeCompare(b.i.number));
    const payments = orders
      .flatMap((o) => purchasing.transactions(o).map((t) => ({ o, t })))
      .sort((a, b) => b.t.at - a.t.at || a.t.id.localeCompare(b.t.id));
    const invoiceRows = invoices.map(({ o, i }) => {
      const status = paymentStatusAt(i, now);
      return html`<tr><td data-label="Number"><a href="/business/invoices/${i.number}/pdf">${i.number}</a>${i.type === 'CREDIT_MEMO' ? html`<br><span class="muted">credits ${i.associatedNumber ?? '—'}</span>` : ''}</td>
        <td data-label="Type">${i.type === 'CREDIT_MEMO' ? 'Credit memo' : 'Invoice'}</td>
        <td data-label="Order"><a href="/business/orders/${o.id}">${o.orderIdentifier}</a></td>
        <td data-label="Issued">${time(i.issuedAt)}</td><td data-label="Total">${money(i.totalMinor, i.currency)}</td>
        <td data-label="Due">${time(i.dueAt)}</td><td data-label="Payment">${badge(status, TONE[status])}</td></tr>`;
    });
    const paymentRows = payments.map(({ o, t }) => {
      const terms = paymentTermsOf(o.paymentMethod);
      const status = paymentStatusAt(t.invoice, now);
      return html`<tr><td data-label="Date">${time(t.at)}</td><td data-label="Type">${t.type === 'REFUND' ? 'Refund' : 'Charge'}</td>
        <td data-label="Amount">${money(t.amountMinor, t.invoice.currency)}</td><td data-label="Invoice"><code>${t.invoice.number}</code></td>
        <td data-label="Method">${terms.label}</td><td data-label="Due">${time(t.invoice.dueAt)}</td>
        <td data-label="Status">${badge(status, TONE[status])}${status === 'Closed' ? html` <span class="muted">${time(t.invoice.settlesAt)}</span>` : ''}</td></tr>`;
    });
    const body = html`<h1>Invoices and payments</h1>
      <p>An invoice is issued for each shipment when it ships, a credit memo for each refunded return. Card orders are charged when they ship; pay-by-invoice orders are due after their term.</p>
      <h2>Invoices</h2>${
        invoiceRows.length
          ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Number (PDF)</th><th scope="col">Type</th><th scope="col">Order</th><th scope="col">Issued</th><th scope="col">Total</th><th scope="col">Due</th><th scope="col">Payment</th></tr></thead><tbody>${invoiceRows}</tbody></table></div>`
          : html`<div class="panel empty"><p>No invoices yet: the first is issued when an order's first shipment ships.</p></div>`
      }
      <h2>Payments</h2>${
        paymentRows.length
          ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Date</th><th scope="col">Type</th><th scope="col">Amount</th><th scope="col">Invoice</th><th scope="col">Payment method</th><th scope="col">Due</th><th scope="col">Status</th></tr></thead><tbody>${paymentRows}</tbody></table></div>`
          : html`<div class="panel empty"><p>No payments yet.</p></div>`
      }`;
    return sendPage(request, reply, AREA, 'Invoices and payments', body);
  });

  app.get('/invoices/:number/pdf', async (request, reply) => {
    const me = await admin(request);
    const number = (request.params as { number: string }).number;
    const hit = INVOICE_NUMBER.test(number) ? (await purchasing.invoicesByNumber(me.businessId, [number])).get(number) : undefined;
    if (!hit) throw notFound(`Invoice ${number.slice(0, 40)}`);
    const [business, groups] = await Promise.all([accounts.getBusiness(me.businessId), accounts.listGroups(me.businessId)]);
    const groupName = groups.find((g) => g.id === hit.order.groupId)?.name ?? null;
    const bytes = await invoicePdf([{ ...hit, businessName: business.name, groupName }], deps.ctx.clock.now(), `Invoice ${number}`);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="Invoice_${number}.pdf"`)
      .header('cache-control', 'private, no-store')
      .send(bytes);
  });
}

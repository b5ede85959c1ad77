import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html } from '../../platform/http/html.ts';
import type { BusinessUser } from '../accounts/index.ts';
import { formatMoney } from '../catalog/index.ts';
import { badge, time } from './forms.ts';
import { sendPage, type PortalDeps } from './layout.ts';
import { BUSINESS_AREA as AREA } from './session.ts';

/** The carts of the administrator's buyers, with each item priced and checked now, as the Cart API answers. */
export function businessCartPages(app: FastifyInstance, deps: PortalDeps, admin: (request: FastifyRequest) => Promise<BusinessUser>): void {
  const { accounts, carts } = deps.services;

  app.get('/carts', async (request, reply) => {
    const me = await admin(request);
    const [list, users] = await Promise.all([carts.listForBusiness(me.businessId), accounts.listUsers(me.businessId)]);
    const emailOf = new Map(users.map((u) => [u.id, u.email]));
    const sections = list.map(({ cart, items }) => {
      const currency = items[0]?.currency ?? '';
      const subtotal = items.filter((i) => i.available && i.unitMinor !== null).reduce((s, i) => s + i.unitMinor! * i.quantity, 0);
      const rows = items.map(
        (i) => html`<tr><td data-label="Product">${i.title ?? '—'}<br><code>${i.asin}</code> <span class="muted">${i.offerId}</span></td>
          <td data-label="Quantity">${i.quantity}</td><td data-label="Unit price">${i.unitMinor !== null ? formatMoney(i.unitMinor, i.currency, 'en_US') : '—'}</td>
          <td data-label="Available">${i.available ? badge('Available', 'ok') : html`${badge('Unavailable', 'bad')} <span class="muted">${i.rejections.flatMap((r) => (r.type === 'RejectionMessage' ? [r.message] : [])).join(' ')}</span>`}</td>
          <td data-label="Added">${time(i.addedAt)}</td></tr>`,
      );
      return html`<div class="panel"><h2>${emailOf.get(cart.userId) ?? cart.userId} <span class="muted">· ${cart.region} store · <code>${cart.id}</code></span></h2>
        ${
          rows.length
            ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Product</th><th scope="col">Quantity</th><th scope="col">Unit price</th><th scope="col">Available</th><th scope="col">Added</th></tr></thead><tbody>${rows}</tbody></table></div>
              <p>Subtotal of what can be bought now: <strong>${formatMoney(subtotal, currency, 'en_US')}</strong></p>`
            : html`<p class="muted">Empty.</p>`
        }</div>`;
    });
    const body = html`<h1>Carts</h1><p>Your buyers' carts, built through the Cart API, with prices and availability as they are now.</p>
      ${sections.length ? sections : html`<div class="panel empty"><p>No carts yet. A buyer's cart is created the first time an app lists it (listCarts).</p></div>`}`;
    return sendPage(request, reply, AREA, 'Carts', body);
  });
}

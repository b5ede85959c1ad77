import assert from 'node:assert/strict';
import type { ApiExamples } from '../../support/api-examples.ts';
import { canOrder, deliveredOrder } from '../../support/reports.ts';

// The charges, the refund, the invoices and the payments of a delivered order with a return; and the refusals.

const examples: ApiExamples = {
  api: 'Reconciliation',
  prepare: canOrder,
  examples: [
    {
      name: 'getTransactions, getInvoiceDetailsByOrderLineItems and getBatchInvoicePaymentDetails of a delivered order with a return',
      async run(h) {
        const { order, start } = await deliveredOrder(h, 'rec-conf-1');
        // The refund is issued two days after the return, and its feed date an hour later: read to a week ahead… of now, moved by advance.
        const later = new Date(h.app.clock.now()).toISOString();
        const tx = await h.conforms(
          'getTransactions',
          { path: `/transactions?feedStartDate=${encodeURIComponent(start)}&feedEndDate=${encodeURIComponent(later)}` },
          'charges',
        );
        assert.equal(tx.statusCode, 200, tx.body);
        const shipment = order.shipments[0]!;
        const inv = await h.conforms(
          'getInvoiceDetailsByOrderLineItems',
          {
            path: '/invoices',
            method: 'POST',
            body: {
              orderLineItems: [
                { orderId: order.orderIdentifier, orderLineItemId: String(shipment.items[0]!.lineNo), shipmentId: shipment.identifier },
              ],
            },
          },
          'a shipped line item',
        );
        assert.equal(inv.statusCode, 200, inv.body);
        const pay = await h.conforms(
          'getBatchInvoicePaymentDetails',
          { path: '/invoices/batch/paymentDetails', method: 'POST', body: { invoiceIds: [shipment.invoiceNumber, 'UNKNOWN-INVOICE'] } },
          'one known, one unknown',
        );
        assert.equal(pay.statusCode, 200, pay.body);
        for (const [op, request, what] of [
          ['getTransactions', { path: '/transactions?feedStartDate=incorrectFormatDate&feedEndDate=2020-08-01T00:00:00' }, 'bad date'],
          ['getInvoiceDetailsByOrderLineItems', { path: '/invoices', method: 'POST' as const }, 'no body'],
          [
            'getBatchInvoicePaymentDetails',
            { path: '/invoices/batch/paymentDetails', method: 'POST' as const, body: { invoiceIds: [] } },
            'no ids',
          ],
        ] as const) {
          const res = await h.conforms(op, request, what);
          assert.equal(res.statusCode, 400, `${op} ${what}: ${res.body}`);
        }
      },
    },
  ],
  async fuzzBodies() {
    return {
      getInvoiceDetailsByOrderLineItems: [
        { orderLineItems: [{ orderId: '114-1234567-1234567', orderLineItemId: '1', shipmentId: 'SHIPMENT-1' }] },
      ],
      getBatchInvoicePaymentDetails: [{ invoiceIds: ['1XQX-T4VG-9939'] }],
    };
  },
};

export default examples;

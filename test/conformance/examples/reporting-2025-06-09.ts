import assert from 'node:assert/strict';
import type { ApiExamples } from '../../support/api-examples.ts';
import { canOrder, deliveredOrder } from '../../support/reports.ts';

// Every report of an order placed through the Ordering API and delivered, with filters and paging
// parameters; and the refusals.

const examples: ApiExamples = {
  api: 'Reporting 2025-06-09',
  prepare: canOrder,
  examples: [
    {
      name: 'order, order line, shipment and shipment line reports of a delivered order; orders by purchase order number; refusals',
      async run(h) {
        const { order, start, end } = await deliveredOrder(h, 'rep25-conf-1');
        const range = () => `orderStartDate=${encodeURIComponent(start)}&orderEndDate=${encodeURIComponent(end())}`;
        const calls = [
          ['getOrderReports', `/orderReports?${range()}&orderStatuses=CLOSED,PENDING&region=US`],
          ['getOrderLineItemReports', `/orderLineItemReports?${range()}&orderIds=${order.orderIdentifier}`],
          ['getOrderReportsByPurchaseOrderNumber', `/purchaseOrders/PO-rep25-conf-1/orderReports?region=US`],
          ['getShipmentReports', `/shipmentReports?${range()}&shipmentStatuses=SHIPPED`],
          ['getShipmentLineItemReports', `/shipmentLineItemReports?${range()}&purchaseOrderNumbers=PO-rep25-conf-1`],
        ] as const;
        for (const [op, path] of calls) {
          const res = await h.conforms(op, { path }, 'a delivered order');
          assert.equal(res.statusCode, 200, `${op}: ${res.body}`);
          assert.equal((res.json() as { size: number }).size > 0, true, `${op}: ${res.body}`);
        }
        for (const [op, path, what] of [
          ['getOrderReports', `/orderReports?orderEndDate=${encodeURIComponent(end())}`, 'no start'],
          [
            'getOrderLineItemReports',
            `/orderLineItemReports?orderStartDate=${encodeURIComponent(end())}&orderEndDate=${encodeURIComponent(start)}`,
            'reversed',
          ],
          [
            'getShipmentReports',
            `/shipmentReports?orderStartDate=${encodeURIComponent(end())}&orderEndDate=${encodeURIComponent(start)}`,
            'reversed',
          ],
          ['getShipmentLineItemReports', `/shipmentLineItemReports?${range()}&nextPageToken=forged.token`, 'forged token'],
        ] as const) {
          const res = await h.conforms(op, { path }, what);
          assert.equal(res.statusCode, 400, `${op} ${what}: ${res.body}`);
        }
      },
    },
  ],
};

export default examples;

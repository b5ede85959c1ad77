import assert from 'node:assert/strict';
import type { ApiExamples } from '../../support/api-examples.ts';
import { canOrder, deliveredOrder } from '../../support/reports.ts';

// The legacy order history of a delivered order, bare and with everything included; and the refusals.

const examples: ApiExamples = {
  api: 'Reporting 2021-01-08',
  prepare: canOrder,
  examples: [
    {
      name: 'getOrdersByOrderDate and getOrdersByOrderId with line items, shipments and charges; unknown order and bad dates',
      async run(h) {
        const { order, start, end } = await deliveredOrder(h, 'rep21-conf-1');
        const range = () => `startDate=${encodeURIComponent(start)}&endDate=${encodeURIComponent(end())}`;
        const all = 'includeLineItems=true&includeShipments=1&includeCharges=true';
        for (const [op, path] of [
          ['getOrdersByOrderDate', `/orders?${range()}`],
          ['getOrdersByOrderDate', `/orders?${range()}&${all}`],
          ['getOrdersByOrderId', `/orders/${order.orderIdentifier}?${all}`],
        ] as const) {
          const res = await h.conforms(op, { path }, path);
          assert.equal(res.statusCode, 200, res.body);
        }
        assert.equal((await h.conforms('getOrdersByOrderId', { path: '/orders/114-0000000-0000000' }, 'unknown')).statusCode, 404);
        const bad = await h.conforms(
          'getOrdersByOrderDate',
          { path: `/orders?startDate=${encodeURIComponent(end())}&endDate=${encodeURIComponent(start)}` },
          'reversed',
        );
        assert.equal(bad.statusCode, 400);
      },
    },
  ],
};

export default examples;

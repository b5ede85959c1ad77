import assert from 'node:assert/strict';
import { sampleMerchantRecords } from '../../../src/modules/catalog/index.ts';
import type { ApiExamples, ExampleHarness } from '../../support/api-examples.ts';
import { offer, product, save, nonceWord } from '../../support/catalog.ts';
import { attr, line, US_ADDRESS } from '../../support/ordering.ts';

// Report jobs at every status (moved by the emulator's advance, not the clock, so that the runner's
// tokens stay valid), lists and their pages, documents and their URLs; and the refusals.

const US = 'ATVPDKIKX0DER';

/** Moves a job to its end with the emulator's lever. */
async function finish(h: ExampleHarness, reportId: string): Promise<void> {
  for (let i = 0; i < 3; i++) if (!(await h.app.services.documents.advance('operator:test', reportId)).reached) return;
}

const examples: ApiExamples = {
  api: 'Document',
  async prepare(h) {
    await h.app.services.accounts.updateGroupOrdering('test', h.world.business.id, h.world.group.id, {
      paymentMethod: 'Visa ending in 4242',
      shippingAddress: US_ADDRESS,
    });
  },
  examples: [
    {
      name: 'createReport, getReport at every status, getReports and its pages, getReportDocument, cancelReport',
      async run(h) {
        const w = nonceWord();
        const pen = product(w, { title: `${w} Pen` });
        pen.offers = [offer(pen.asin, 1, { price: 1299, stock: 100 })];
        await save(h.app.services.catalog, [...sampleMerchantRecords(), pen]);
        const placed = await h.call('placeOrder', {
          path: '/orders',
          method: 'POST',
          body: {
            externalId: 'doc-conf-1',
            lineItems: [line('1', 2, { asin: pen.asin })],
            attributes: [attr.region(), attr.buyer(h.world.buyer.email)],
            expectations: [],
          },
        });
        assert.equal(placed.statusCode, 200, placed.body);
        const order = (await h.app.services.purchasing.findByExternalId(h.world.business.id, 'doc-conf-1'))!;
        for (let i = 0; i < 10; i++) if (!(await h.app.services.purchasing.advance('operator:test', order.id)).reached) break;

        const since = new Date(h.app.clock.now() - 86_400_000).toISOString();
        const ids: string[] = [];
        for (const reportType of [
          'GET_AB_INVOICE_PDF',
          'GET_AB_INVOICES_DATA',
          'GET_AB_ORDER_LINE_ITEMS_DATA',
          'GET_AB_TRANSACTIONS_DATA',
        ]) {
          const created = await h.conforms(
            'createReport',
            {
              path: '/reports',
              method: 'POST',
              body: {
                reportType,
                marketplaceIds: [US],
                dataStartTime: since,
                ...(reportType === 'GET_AB_INVOICE_PDF' ? { reportOptions: { orderId: order.orderIdentifier } } : {}),
              },
            },
            reportType,
          );
          assert.equal(created.statusCode, 202, created.body);
          ids.push((created.json() as { reportId: string }).reportId);
        }
        const [pdf] = ids;
        assert.equal((await h.conforms('getReport', { path: `/reports/${pdf}` }, 'IN_QUEUE')).statusCode, 200);
        await h.app.services.documents.advance('operator:test', pdf!);
        assert.equal((await h.conforms('getReport', { path: `/reports/${pdf}` }, 'IN_PROGRESS')).statusCode, 200);
        for (const id of ids) await finish(h, id);
        const done = await h.conforms('getReport', { path: `/reports/${pdf}` }, 'DONE');
        const { reportDocumentId, processingStatus } = done.json() as { reportDocumentId: string; processingStatus: string };
        assert.equal(processingStatus, 'DONE');
        const doc = await h.conforms('getReportDocument', { path: `/documents/${reportDocumentId}` }, 'a PDF');
        assert.equal(doc.statusCode, 200, doc.body);

        const cancelled = await h.conforms(
          'createReport',
          { path: '/reports', method: 'POST', body: { reportType: 'GET_AB_INVOICES_DATA', marketplaceIds: [US] } },
          'to cancel',
        );
        const cancelId = (cancelled.json() as { reportId: string }).reportId;
        assert.equal((await h.conforms('cancelReport', { path: `/reports/${cancelId}`, method: 'DELETE' }, 'IN_QUEUE')).statusCode, 200);
        assert.equal((await h.conforms('getReport', { path: `/reports/${cancelId}` }, 'CANCELLED')).statusCode, 200);
        const failed = await h.conforms(
          'createReport',
          { path: '/reports', method: 'POST', body: { reportType: 'GET_AB_INVOICES_DATA', marketplaceIds: [US] } },
          'to fail',
        );
        const failId = (failed.json() as { reportId: string }).reportId;
        await h.app.services.documents.fail('operator:test', failId, 'Injected');
        assert.equal((await h.conforms('getReport', { path: `/reports/${failId}` }, 'FATAL')).statusCode, 200);

        const types = 'GET_AB_INVOICE_PDF,GET_AB_INVOICES_DATA,GET_AB_ORDER_LINE_ITEMS_DATA,GET_AB_TRANSACTIONS_DATA';
        const page = await h.conforms(
          'getReports',
          { path: `/reports?reportTypes=${types}&pageSize=2&processingStatuses=DONE,CANCELLED,FATAL&marketplaceIds=${US}` },
          'first page',
        );
        const { nextToken } = page.json() as { nextToken: string };
        assert.ok(nextToken);
        assert.equal(
          (await h.conforms('getReports', { path: `/reports?nextToken=${encodeURIComponent(nextToken)}` }, 'next page')).statusCode,
          200,
        );

        for (const [op, request, status, what] of [
          [
            'createReport',
            {
              path: '/reports',
              method: 'POST',
              body: {
                reportType: 'BAD_FEE_DISCOUNTS_REPORT',
                dataStartTime: '2019-12-10T20:11:24.000Z',
                marketplaceIds: ['A1PA6795UKMFR9', US],
              },
            },
            400,
            'unknown type',
          ],
          [
            'createReport',
            {
              path: '/reports',
              method: 'POST',
              body: { reportType: 'GET_AB_INVOICE_PDF', marketplaceIds: [US], dataEndTime: '2999-01-01T00:00:00Z' },
            },
            400,
            'future end',
          ],
          ['getReports', { path: '/reports?reportTypes=GET_AB_INVOICES_DATA&processingStatuses=BAD_VALUE,IN_PROGRESS' }, 400, 'bad status'],
          ['getReports', { path: '/reports?nextToken=tampered.token' }, 400, 'tampered token'],
          ['getReport', { path: '/reports/badReportId1' }, 400, 'malformed id'],
          ['getReport', { path: '/reports/1234567890123456' }, 404, 'unknown id'],
          ['cancelReport', { path: `/reports/${pdf}`, method: 'DELETE' }, 400, 'DONE'],
          ['getReportDocument', { path: '/documents/badDocumentId1' }, 400, 'malformed document id'],
          ['getReportDocument', { path: '/documents/0356cf79-b8b0-4226-b4b9-0ee058ea5760' }, 404, 'unknown document'],
        ] as const) {
          const res = await h.conforms(op, request, what);
          assert.equal(res.statusCode, status, `${what}: ${res.body}`);
        }
      },
    },
  ],
  async fuzzBodies() {
    return {
      createReport: [
        { reportType: 'GET_AB_INVOICES_DATA', marketplaceIds: [US], dataStartTime: '2026-11-01T00:00:00Z' },
        { reportType: 'GET_AB_INVOICE_PDF', marketplaceIds: [US], reportOptions: { invoiceNumber: 'AAAA-BBBB-CCCC' } },
      ],
    };
  },
};

export default examples;

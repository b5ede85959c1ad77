import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { LightMyRequestResponse } from 'fastify';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { OPERATIONS } from '../../../src/modules/registry/index.ts';
import { line, orderingWorld, orderingWorldOn } from '../../support/ordering.ts';
import type { TestApp } from '../../support/app.ts';

export const REPORTS = '/na/reports/2021-09-30/reports';
export const DOCUMENTS = '/na/reports/2021-09-30/documents';
export const US = 'ATVPDKIKX0DER';
export const CA = 'A2EUQ1WTGCTBG2';
export const DE = 'A1PA6795UKMFR9';
export const DAY = 86_400_000;
export type Json = Record<string, unknown>;

/** A Document API client for a business: a token with the Business Purchase Reconciliation role and room for bursts. */
export async function reportClient(app: TestApp, w: Awaited<ReturnType<typeof orderingWorldOn>>) {
  const token = await w.tokenFor(['Business Purchase Reconciliation']);
  for (const op of OPERATIONS.filter((o) => o.api === 'Document'))
    await app.services.reviews.setUsagePlan('test', token.client.id, op.operationId, 1000, 1000);
  const headers = { 'x-amz-access-token': token.accessToken, 'content-type': 'application/json' };
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse> =>
    app.server.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) });
  const create = async (body: Json): Promise<string> => {
    const res = await call('POST', REPORTS, body);
    assert.equal(res.statusCode, 202, res.body);
    return (res.json() as { reportId: string }).reportId;
  };
  /** Creates a report with a token of the same app that the business authorized in another marketplace (tokens are per marketplace). */
  const createIn = async (marketplace: string, body: Json): Promise<string> => {
    const t = await app.services.oauth.authorizeOnBehalf({
      applicationId: token.client.applicationId,
      adminEmail: w.admin.email,
      marketplace,
    });
    const res = await app.server.inject({
      method: 'POST',
      url: REPORTS,
      headers: { ...headers, 'x-amz-access-token': t.access_token },
      payload: JSON.stringify(body),
    });
    assert.equal(res.statusCode, 202, res.body);
    return (res.json() as { reportId: string }).reportId;
  };
  const report = async (id: string): Promise<Json> => {
    const res = await call('GET', `${REPORTS}/${id}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as Json;
  };
  /** The document of a DONE report: its URL, and the bytes behind it. */
  const download = async (reportDocumentId: string): Promise<{ url: string; res: LightMyRequestResponse }> => {
    const doc = await call('GET', `${DOCUMENTS}/${reportDocumentId}`);
    assert.equal(doc.statusCode, 200, doc.body);
    const { url } = doc.json() as { url: string };
    const u = new URL(url);
    return { url, res: await app.server.inject({ method: 'GET', url: `${u.pathname}${u.search}` }) };
  };
  return { token, headers, call, create, createIn, report, download };
}

/**
 * A business with orders that shipped and were delivered (a card order of pens and paper, an
 * invoice-paid one of a chair) 20 days ago, and a Document API client. The clock then stands still
 * unless a test moves it.
 */
export async function documentWorld(options: { isolated?: boolean } = {}) {
  const o = await orderingWorld({}, options);
  const started = o.app.clock.now();
  const placed = await o.place(
    o.body('doc-1', [line('1', 3, { asin: o.products.pen.asin }), line('2', 2, { asin: o.products.paper.asin })], {
      attributes: [{ attributeType: 'PurchaseOrderNumber', purchaseOrderNumber: 'PO, "quoted"' }],
    }),
  );
  assert.equal(placed.statusCode, 200, placed.body);
  await o.app.services.accounts.updateGroupOrdering('test', o.business.id, o.group.id, { paymentMethod: 'Pay by Invoice (Net 30)' });
  const placed2 = await o.place(o.body('doc-2', [line('1', 1, { asin: o.products.chair.asin })]));
  assert.equal(placed2.statusCode, 200, placed2.body);
  await o.advance(20 * DAY);
  const client = await reportClient(o.app, o);
  return { o, started, ...client };
}

/** Moves the clock by `ms` (the access tokens live an hour: tests move minutes). */
export const tick = (app: TestApp, ms: number): void => app.clock.advance(ms);

/** RFC 4180: fields separated by commas, records by CRLF, quoted fields with doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
      } else {
        field += ch;
        i++;
      }
    } else if (ch === '"') {
      assert.equal(field, '', 'a quote inside an unquoted field');
      quoted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      assert.notEqual(ch, '\n', 'a bare LF ends no record in RFC 4180');
      field += ch;
      i++;
    }
  }
  assert.equal(quoted, false, 'an unterminated quoted field');
  assert.equal(field, '', 'the file ends with CRLF');
  assert.equal(row.length, 0);
  return rows;
}

/** A CSV file as objects keyed by its header, every record as long as the header. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  assert.ok(header);
  for (const r of rows) assert.equal(r.length, header.length);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]!])));
}

const fontsDir = `${path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

/** The text of each page of a PDF, as a reader extracts it. */
export async function pdfPages(bytes: Buffer): Promise<string[]> {
  const pdf = await getDocument({
    data: new Uint8Array(bytes),
    standardFontDataUrl: fontsDir,
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  const out: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    out.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await pdf.destroy();
  return out;
}

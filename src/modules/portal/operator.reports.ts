import type { FastifyInstance } from 'fastify';
import { html } from '../../platform/http/html.ts';
import type { ProcessingStatus } from '../documents/index.ts';
import { badge, time, type BadgeTone } from './forms.ts';
import { sendPage, type PortalDeps } from './layout.ts';
import { OPERATOR_AREA as AREA } from './session.ts';

const TONE: Record<ProcessingStatus, BadgeTone> = {
  IN_QUEUE: 'neutral',
  IN_PROGRESS: 'neutral',
  DONE: 'ok',
  FATAL: 'bad',
  CANCELLED: 'warn',
};
const SHOWN = 200;

/** The Document API's report jobs of every business, newest first, with their status as it stands now. */
export function operatorReportPages(app: FastifyInstance, deps: PortalDeps): void {
  const { accounts, documents } = deps.services;
  app.get('/reports', async (request, reply) => {
    const [{ reports }, businesses] = await Promise.all([
      documents.list(null, { createdFrom: 0, createdTo: Number.MAX_SAFE_INTEGER }, SHOWN),
      accounts.listBusinesses(),
    ]);
    const nameOf = new Map(businesses.map((b) => [b.id, b.name]));
    const rows = reports.map(
      (r) => html`<tr><td data-label="Report"><code>${r.id}</code><br><span class="muted">${r.reportType}</span></td>
        <td data-label="Business"><a href="/console/businesses/${r.businessId}">${nameOf.get(r.businessId) ?? r.businessId}</a></td>
        <td data-label="Status">${badge(r.status, TONE[r.status])}${r.reason ? html`<br><span class="muted">${r.reason}</span>` : ''}</td>
        <td data-label="Created">${time(r.createdAt)}</td><td data-label="Ended">${time(r.processingEndAt)}</td>
        <td data-label="Data range">${time(r.dataStart)} – ${time(r.dataEnd)}</td>
        <td data-label="Document">${r.documentId ? html`<code>${r.documentId}</code>` : '—'}</td></tr>`,
    );
    const body = html`<h1>Report jobs</h1><p>Reports asked for through the Document API, newest first (the last ${SHOWN}), as they stand on the server's clock.</p>
      ${
        rows.length
          ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Report</th><th scope="col">Business</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col">Ended</th><th scope="col">Data range</th><th scope="col">Document</th></tr></thead><tbody>${rows}</tbody></table></div>`
          : html`<div class="panel empty"><p>No report jobs yet. createReport starts one.</p></div>`
      }`;
    return sendPage(request, reply, AREA, 'Report jobs', body);
  });
}

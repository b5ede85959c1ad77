import type { FastifyInstance } from 'fastify';

/**
 * The console's two small scripts, served as files (the pages carry no inline script). Both only
 * improve pages that work without them: focus on the first error of a form, and the request
 * inspector's live updates (rows rendered and escaped by the server, fetched from /console/requests.json).
 */
const CONSOLE_JS = `'use strict';
(function () {
  var invalid = document.querySelector('main [aria-invalid="true"]');
  if (invalid) { invalid.focus(); return; }
  var summary = document.querySelector('main .panel.error[role="alert"]');
  if (summary) { summary.setAttribute('tabindex', '-1'); summary.focus(); }
})();
`;

const REQUESTS_JS = `'use strict';
(function () {
  var table = document.getElementById('rq-table');
  var live = document.getElementById('rq-live');
  var status = document.getElementById('rq-live-status');
  if (!table || !live || !status) return;
  var tbody = table.tBodies[0];
  var after = table.getAttribute('data-after') || '0';
  var base = table.getAttribute('data-live') || '/console/requests.json';
  var busy = false;
  function poll() {
    if (busy || !live.checked || document.hidden) return;
    busy = true;
    var url = base + (base.indexOf('?') < 0 ? '?' : '&') + 'after=' + encodeURIComponent(after);
    fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (res) {
        if (!res.ok || (res.headers.get('content-type') || '').indexOf('application/json') < 0) throw new Error('status ' + res.status);
        return res.json();
      })
      .then(function (data) {
        if (data.count > 0) {
          tbody.insertAdjacentHTML('afterbegin', data.rows.join(''));
          while (tbody.rows.length > 200) tbody.deleteRow(tbody.rows.length - 1);
          var empty = document.getElementById('rq-empty');
          if (empty) empty.remove();
          status.textContent = data.count === 1 ? '1 new call.' : data.count + ' new calls.';
        }
        after = String(data.after);
        table.setAttribute('data-after', after);
      })
      .catch(function () {
        live.checked = false;
        status.textContent = 'Live updates stopped: reload the page (is the session still open?).';
      })
      .then(function () { busy = false; });
  }
  setInterval(poll, 1500);
})();
`;

export function operatorAssets(app: FastifyInstance): void {
  const send = (body: string) => async (_request: unknown, reply: import('fastify').FastifyReply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(body);
  app.get('/assets/console.js', { config: { portalPublic: true } }, send(CONSOLE_JS));
  app.get('/assets/requests.js', { config: { portalPublic: true } }, send(REQUESTS_JS));
}

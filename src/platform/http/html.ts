/** Escapes text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A pre-escaped HTML fragment. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Tagged template that escapes every interpolation unless it is Html (or an array of Html). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    const part = Array.isArray(v) ? v.map((x) => (x instanceof Html ? x.value : esc(x))).join('') : v instanceof Html ? v.value : esc(v);
    out += part + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

const STYLE = `
:root{--fg:#16191f;--muted:#545b64;--bg:#fff;--panel:#f4f5f7;--accent:#0b5cad;--accent-fg:#fff;--danger:#b3261e;--ok:#1d6b2f;--border:#c5cad1}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#232f3e;color:#fff;padding:.75rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header a{color:#fff}header .brand{font-weight:700;text-decoration:none;margin-right:auto}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
a{color:var(--accent)}
.panel{background:var(--panel);border:1px solid var(--border);border-radius:.5rem;padding:1rem;margin:1rem 0}
.error{border-color:var(--danger);background:#fdecea}.error h1,.error h2{color:var(--danger)}
.notice{border-color:var(--ok);background:#e9f5ec}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=text],input[type=email],input[type=password],input[type=url],input[type=number],select,textarea{width:100%;max-width:32rem;padding:.5rem;border:1px solid #767676;border-radius:.25rem;font:inherit}
button,.button{display:inline-block;padding:.55rem 1.1rem;border-radius:.25rem;border:1px solid var(--accent);background:var(--accent);color:var(--accent-fg);font:inherit;cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:#fff;color:var(--accent)}button.danger{background:var(--danger);border-color:var(--danger)}
:focus-visible{outline:3px solid #ff9900;outline-offset:2px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.5rem;border-bottom:1px solid var(--border);vertical-align:top}
.field-error{color:var(--danger);font-weight:600;margin:.25rem 0}
.muted{color:var(--muted)}code{background:var(--panel);padding:0 .25rem;border-radius:.2rem;word-break:break-all}
.actions{display:flex;gap:.5rem;flex-wrap:wrap;margin-top:1rem}
@media (max-width:40rem){th,td{display:block;border:none}tr{display:block;border-bottom:1px solid var(--border);padding:.5rem 0}}
/* a dark inner ring keeps the orange focus ring visible on white (3:1 non-text contrast) */
:focus-visible{box-shadow:0 0 0 5px #16191f}
.panel>:first-child{margin-top:0}.panel>:last-child{margin-bottom:0}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:-10000px;top:auto}.skip:focus{left:1rem;top:.5rem;z-index:10;background:#fff;color:var(--fg);padding:.5rem 1rem;border-radius:.25rem}
header nav{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}header nav a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
header form{margin:0}header .who{color:#d5dbe1;font-size:.9rem}
button.link{background:none;border:none;padding:0;color:var(--accent);text-decoration:underline;font:inherit;cursor:pointer}header button.link{color:#fff}
fieldset{border:1px solid var(--border);border-radius:.5rem;padding:.25rem 1rem .75rem;margin:1rem 0;max-width:40rem}legend{font-weight:600;padding:0 .25rem}
.check{display:flex;gap:.6rem;align-items:flex-start;margin:.5rem 0}.check input{margin:.3rem 0 0;width:1.15rem;height:1.15rem;flex:none}.check label{display:inline;font-weight:400;margin:0}.check .hint{display:block;margin:0}
.hint{color:var(--muted);font-size:.9rem;margin:.1rem 0 .3rem}
[aria-invalid=true]{border:2px solid var(--danger)!important}
.badge{display:inline-block;padding:0 .55rem;border-radius:1rem;font-size:.85rem;font-weight:600;border:1px solid currentColor;white-space:nowrap}
.badge.ok{color:#1d6b2f;background:#e9f5ec}.badge.warn{color:#7a4500;background:#fff4e0}.badge.bad{color:var(--danger);background:#fdecea}.badge.neutral{color:var(--muted);background:var(--panel)}
.secret{display:block;font:1rem/1.4 ui-monospace,Menlo,Consolas,monospace;background:#fffbe6;border:2px dashed #7a4500;padding:.75rem;word-break:break-all;margin:.5rem 0}
form.inline{display:inline}.row-actions{display:flex;flex-wrap:wrap;gap:.35rem}.row-actions button,.row-actions .button{padding:.3rem .65rem;font-size:.9rem}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;margin:1rem 0}dl.meta dt{font-weight:600}dl.meta dd{margin:0;word-break:break-word}
nav.tabs{display:flex;flex-wrap:wrap;gap:.25rem;border-bottom:2px solid var(--border);margin:1rem 0}nav.tabs a{padding:.4rem .8rem;border-radius:.25rem .25rem 0 0;text-decoration:none}nav.tabs a[aria-current=page]{background:var(--accent);color:#fff}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:1rem}.cards .panel{margin:0}
.empty{text-align:center;padding:1.5rem 1rem}
.filters{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:flex-end}.filters .field{flex:1 1 12rem}
.table-wrap{overflow-x:auto}pre{white-space:pre-wrap;word-break:break-word;font-size:.85rem;margin:.25rem 0}details summary{cursor:pointer;color:var(--accent)}
footer.site{max-width:60rem;margin:2rem auto 0;padding:1rem;border-top:1px solid var(--border)}footer.site nav{display:flex;gap:1rem;flex-wrap:wrap}
pre.code{background:#16191f;color:#f4f5f7;padding:.75rem;border-radius:.4rem;overflow-x:auto;white-space:pre;word-break:normal;font:.85rem/1.45 ui-monospace,Menlo,Consolas,monospace}pre.code code{background:none;padding:0;color:inherit;word-break:normal}
pre.code.scroll{max-height:28rem;overflow:auto}
.doc{line-height:1.6}.doc pre{background:var(--panel);border:1px solid var(--border);border-radius:.4rem;padding:.75rem;overflow-x:auto;white-space:pre;word-break:normal}.doc pre code{background:none;padding:0;word-break:normal}.doc table{margin:1rem 0;font-size:.95rem}.doc blockquote{border-left:4px solid var(--border);margin:1rem 0;padding:0 1rem;color:var(--muted)}
.doc-layout{display:grid;grid-template-columns:minmax(0,14rem) minmax(0,1fr);gap:1.5rem}.doc-layout nav.toc{font-size:.9rem}.doc-layout nav.toc ul{list-style:none;padding-left:0;margin:0}.doc-layout nav.toc ul ul{padding-left:1rem}.doc-layout nav.toc li{margin:.2rem 0}
@media (max-width:50rem){.doc-layout{grid-template-columns:1fr}}
@media (max-width:40rem){dl.meta{grid-template-columns:1fr}dl.meta dd{margin-bottom:.5rem}td[data-label]::before{content:attr(data-label);display:block;font-weight:600;color:var(--muted);font-size:.85rem}thead{position:absolute;left:-10000px}}
`;

/** The footer of every page: the documentation (`/docs`), the API reference (`/reference`) and the server's OpenAPI document. */
const FOOTER = `<footer class="site"><nav aria-label="Documentation"><a href="/docs">Documentation</a><a href="/docs/portal">Portal guide</a><a href="/reference">API reference</a><a href="/openapi.json">OpenAPI document</a></nav></footer>`;

/** A whole page in the product's one look, with the favicon and the documentation links in the footer. */
export function page(title: string, body: Html, nav: Html = html``): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)} · bizapi</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><style>${STYLE}</style></head><body><a class="skip" href="#main">Skip to content</a><header><a class="brand" href="/">bizapi</a>${nav.value}</header><main id="main">${body.value}</main>${FOOTER}</body></html>`;
}

/** The favicon every page links (served at `/favicon.svg` and `/favicon.ico`): a white "b" on the header's navy. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#232f3e"/><path d="M9 5h4v8.2a6.5 6.5 0 1 1 0 11.6V26H9zm4 14.5a3.5 3.5 0 1 0 7 0 3.5 3.5 0 1 0-7 0z" fill="#fff"/><path d="M7 28h18" stroke="#ff9900" stroke-width="2" stroke-linecap="round"/></svg>`;

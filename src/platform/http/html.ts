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
`;

/** A whole page in the product's one look. */
export function page(title: string, body: Html, nav: Html = html``): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)} · bizapi</title><style>${STYLE}</style></head><body><header><a class="brand" href="/">bizapi</a>${nav.value}</header><main id="main">${body.value}</main></body></html>`;
}

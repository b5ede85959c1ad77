import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import MarkdownIt from 'markdown-it';
import { html, Html, page } from '../../platform/http/html.ts';
import { PACKAGE_ROOT } from '../../kernel/package-root.ts';

// `/docs` and `/docs/<name>`: the project's `docs/*.md` (and the README) rendered as pages of the
// portal. Markdown is rendered by markdown-it with raw HTML disabled (it is escaped, never passed
// through) and its own link validation (no `javascript:` or `data:` links), so a document cannot put
// markup or script on the page. Only names listed from the docs folder are served: a name is never
// joined to a path as given.

/** One document that can be served. */
export interface DocEntry {
  /** The URL name: `docs/<name>.md` is `/docs/<name>`; the README is `readme`. */
  readonly name: string;
  readonly file: string;
  /** The first `# ` heading, or the file name. */
  readonly title: string;
  /** The first paragraph after the title, for the index. */
  readonly summary: string;
}

const NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Lists the documents of a package root: `docs/*.md` by name, and the README. */
export function listDocs(root: string): DocEntry[] {
  const dir = path.join(root, 'docs');
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.md'));
  } catch {
    files = [];
  }
  const entries: DocEntry[] = [];
  const add = (name: string, file: string) => {
    const text = fs.readFileSync(file, 'utf8');
    const title = /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? name;
    const afterTitle = text.replace(/^#\s+.+$/m, '');
    const summary =
      afterTitle
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .find((p) => p && !p.startsWith('#') && !p.startsWith('|') && !p.startsWith('```') && !p.startsWith('-')) ?? '';
    entries.push({ name, file, title: plain(title), summary: plain(summary).slice(0, 240) });
  };
  for (const f of files.sort()) {
    const name = f.slice(0, -3);
    if (NAME.test(name)) add(name, path.join(dir, f));
  }
  const readme = path.join(root, 'README.md');
  if (fs.existsSync(readme)) add('readme', readme);
  return entries;
}

/** Markdown inline syntax reduced to text (for titles and summaries in the index). */
const plain = (s: string): string =>
  s
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*_]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** A heading's anchor: lower case, letters, digits and dashes (GitHub's style, so links to `x.md#part` keep working). */
export const slugify = (text: string): string =>
  text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s/g, '-');

/**
 * Where a link of a document points once served: `x.md`, `./x.md`, `docs/x.md` or `../docs/x.md`
 * (with an optional `#part`) to `/docs/x`; the README to `/docs/readme`. Other links are kept.
 */
export function rewriteDocLink(href: string, known: ReadonlySet<string>): string {
  const m = /^(?:\.\/|\.\.\/)*(?:docs\/)?([A-Za-z0-9-]+)\.md(#[^\s]*)?$/.exec(href);
  if (!m) return href;
  const name = m[1]!.toLowerCase();
  if (!known.has(name)) return href;
  return `/docs/${name}${m[2] ?? ''}`;
}

interface Rendered {
  body: string;
  toc: { level: number; text: string; id: string }[];
}

/** Renders one document: raw HTML off, headings with ids, links between documents rewritten. */
export function renderDoc(markdown: string, known: ReadonlySet<string>): Rendered {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
  const toc: Rendered['toc'] = [];
  const used = new Map<string, number>();
  md.core.ruler.push('bizapi_docs', (state) => {
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.type === 'heading_open') {
        const inline = tokens[i + 1];
        const text = inline?.children?.map((c) => c.content).join('') ?? inline?.content ?? '';
        let id = slugify(text) || 'section';
        const n = used.get(id) ?? 0;
        used.set(id, n + 1);
        if (n > 0) id = `${id}-${n}`;
        t.attrSet('id', id);
        const level = Number(t.tag.slice(1));
        if (level === 2 || level === 3) toc.push({ level, text, id });
      }
      if (!t.children) continue;
      // Links between documents point at their pages; `docs/x.md` written as code becomes such a link.
      const children: typeof t.children = [];
      let inLink = 0;
      for (const c of t.children) {
        if (c.type === 'link_open') {
          inLink++;
          const href = c.attrGet('href');
          if (typeof href === 'string') c.attrSet('href', rewriteDocLink(href, known));
        } else if (c.type === 'link_close') inLink--;
        const target = c.type === 'code_inline' && inLink === 0 ? rewriteDocLink(c.content, known) : null;
        if (target && target !== c.content) {
          const open = new state.Token('link_open', 'a', 1);
          open.attrSet('href', target);
          children.push(open, c, new state.Token('link_close', 'a', -1));
        } else children.push(c);
      }
      t.children = children;
    }
  });
  return { body: md.render(markdown), toc };
}

const docsNav = (current: string | null): Html =>
  html`<nav aria-label="Documentation"><a href="/docs"${current === null ? html` aria-current="page"` : ''}>Documentation</a><a href="/portal">Developer portal</a><a href="/business">Business settings</a><a href="/console">Operator console</a></nav>`;

function sendDocPage(reply: FastifyReply, title: string, body: Html, current: string | null, status = 200): FastifyReply {
  return reply
    .status(status)
    .header('cache-control', 'no-cache')
    .type('text/html; charset=utf-8')
    .send(page(title, body, docsNav(current)));
}

/** Registers `/docs` and `/docs/:name` (documents found from the package, listed once at start). */
export function docsPages(app: FastifyInstance, options: { root?: string } = {}): void {
  const root = options.root ?? PACKAGE_ROOT;
  const docs = root ? listDocs(root) : [];
  const byName = new Map(docs.map((d) => [d.name, d]));
  const known = new Set(byName.keys());
  const cache = new Map<string, Rendered>();

  app.get('/docs', async (_request, reply) => {
    const guides = docs.filter((d) => d.name !== 'readme');
    const readme = byName.get('readme');
    const body = html`<h1>Documentation</h1>
      <p>The documentation of this server, as shipped with it. ${readme ? html`Start with <a href="/docs/readme">the overview (README)</a>, then the guides below.` : ''}</p>
      ${
        guides.length
          ? html`<ul class="doc-index">${guides.map((d) => html`<li><a href="/docs/${d.name}"><strong>${d.title}</strong></a> <span class="muted">(${d.name}.md)</span>${d.summary ? html`<br><span class="hint">${d.summary}</span>` : ''}</li>`)}</ul>`
          : html`<div class="panel error" role="alert"><p>No documentation was found next to this server (the package's <code>docs</code> folder is missing).</p></div>`
      }`;
    return sendDocPage(reply, 'Documentation', body, null);
  });

  app.get('/docs/:name', async (request, reply) => {
    const raw = (request.params as { name: string }).name;
    const name = raw.replace(/\.md$/i, '').toLowerCase();
    const entry = NAME.test(name) ? byName.get(name) : undefined;
    if (!entry) {
      const body = html`<div class="panel error" role="alert"><h1>No such document</h1><p>There is no document named <code>${raw}</code>.</p></div><p><a href="/docs">All documents</a></p>`;
      return sendDocPage(reply, 'No such document', body, raw, 404);
    }
    let rendered = cache.get(name);
    if (!rendered) {
      rendered = renderDoc(fs.readFileSync(entry.file, 'utf8'), known);
      cache.set(name, rendered);
    }
    const toc = rendered.toc.length
      ? html`<nav class="toc" aria-label="Contents"><h2>Contents</h2><ul>${groupToc(rendered.toc)}</ul></nav>`
      : html`<nav class="toc" aria-label="Contents"></nav>`;
    const body = html`<p><a href="/docs">← All documents</a> <span class="muted">· ${entry.name === 'readme' ? 'README.md' : `docs/${entry.name}.md`}</span></p>
      <div class="doc-layout">${toc}<article class="doc">${new Html(rendered.body)}</article></div>`;
    return sendDocPage(reply, entry.title, body, name);
  });
}

function groupToc(items: Rendered['toc']): Html[] {
  const out: Html[] = [];
  let i = 0;
  while (i < items.length) {
    const item = items[i]!;
    const children: Html[] = [];
    let j = i + 1;
    while (j < items.length && items[j]!.level > item.level) {
      children.push(html`<li><a href="#${items[j]!.id}">${items[j]!.text}</a></li>`);
      j++;
    }
    out.push(html`<li><a href="#${item.id}">${item.text}</a>${children.length ? html`<ul>${children}</ul>` : ''}</li>`);
    i = j;
  }
  return out;
}

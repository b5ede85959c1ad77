// The module boundaries of docs/architecture.md ("Rules kept"), as an ESLint rule. It resolves every
// relative import (static, re-export, dynamic) of a file under src/ and refuses the ones that cross a
// boundary the wrong way. test/unit/lint-boundaries.test.ts shows each rule failing on a violation.
import path from 'node:path';

/** Where a file sits: its layer, and its module, API folder or domain folder. */
export function placeOf(relative) {
  const parts = relative.split('/');
  if (parts[0] !== 'src') return { layer: 'outside' };
  const domainAt = parts.lastIndexOf('domain');
  const domainRoot = domainAt > 0 && domainAt < parts.length - 1 ? parts.slice(0, domainAt + 1).join('/') : null;
  if (parts[1] === 'apis') return { layer: 'apis', api: parts.length > 3 ? parts[2] : null, file: parts.slice(2).join('/'), domainRoot };
  if (parts[1] === 'modules') return { layer: 'modules', module: parts[2], file: parts.slice(3).join('/'), domainRoot };
  if (parts[1] === 'kernel' || parts[1] === 'platform' || parts[1] === 'config' || parts[1] === 'cli')
    return { layer: parts[1], domainRoot };
  return { layer: 'root', domainRoot };
}

/** The broken rule's message for an import from one place to another, or null when it is allowed. */
export function violation(from, to) {
  if (from.domainRoot) {
    if (to.layer === 'kernel') return null;
    if (to.domainRoot === from.domainRoot) return null;
    return 'domain code imports only src/kernel and its own domain folder (it stays pure: no I/O, no framework, no other module).';
  }
  if (from.layer === 'kernel' && to.layer !== 'kernel') return 'src/kernel imports nothing outside src/kernel.';
  if (from.layer === 'platform' && (to.layer === 'modules' || to.layer === 'apis'))
    return 'src/platform holds adapters only: it imports no module and no API.';
  if (from.layer === 'modules') {
    if (to.layer === 'apis') return 'modules never import src/apis: the wire layer depends on the modules, not the other way round.';
    if (to.layer === 'modules' && to.module !== from.module && to.file !== 'index.ts')
      return `modules talk to each other only through their index.ts: import src/modules/${to.module}/index.ts.`;
  }
  if (from.layer === 'apis') {
    if (to.layer === 'modules' && to.file !== 'index.ts')
      return `src/apis imports a module only through its public surface: import src/modules/${to.module}/index.ts.`;
    if (to.layer === 'apis' && from.api !== null && to.api !== null && to.api !== from.api && to.api !== 'shared')
      return 'an API folder never imports another API folder (shared wire helpers live in src/apis/shared).';
  }
  return null;
}

function check(context, node, source) {
  if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
  const cwd = context.cwd ?? process.cwd();
  const file = path
    .relative(cwd, context.filename ?? context.getFilename())
    .split(path.sep)
    .join('/');
  if (!file.startsWith('src/')) return;
  const target = path
    .relative(cwd, path.resolve(path.dirname(path.resolve(cwd, file)), source.value))
    .split(path.sep)
    .join('/');
  const message = violation(placeOf(file), placeOf(target));
  if (message) context.report({ node: source, message: `${message} (${source.value})` });
}

/** The rule: `boundaries/imports`. */
export const importsRule = {
  meta: { type: 'problem', docs: { description: 'Keeps the module boundaries of docs/architecture.md.' }, schema: [] },
  create(context) {
    return {
      ImportDeclaration: (node) => check(context, node, node.source),
      ExportNamedDeclaration: (node) => check(context, node, node.source),
      ExportAllDeclaration: (node) => check(context, node, node.source),
      ImportExpression: (node) => check(context, node, node.source.type === 'Literal' ? node.source : null),
    };
  },
};

export default { rules: { imports: importsRule } };

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

// The module boundaries (docs/architecture.md, "Rules kept") are checked by lint: each rule must fail
// on a deliberate violation and pass on the allowed form, through the project's own eslint.config.js.

const eslint = new ESLint({ cwd: process.cwd() });

/** The boundary messages lint gives for one import line written at a path of the tree. */
async function boundaryErrors(filePath: string, line: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${line}\nexport const used = x;\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'boundaries/imports').map((m) => m.message);
}

const cases: { rule: string; file: string; bad: string; good: string }[] = [
  {
    rule: 'an API imports a module only through its index.ts',
    file: 'src/apis/product-search/product-search.example.ts',
    bad: "import { CatalogService as x } from '../../modules/catalog/catalog.service.ts';",
    good: "import { CatalogService as x } from '../../modules/catalog/index.ts';",
  },
  {
    rule: 'an API folder never imports another API folder',
    file: 'src/apis/ordering/ordering.example.ts',
    bad: "import { MAX_BATCH as x } from '../product-search/product-search.handlers.ts';",
    good: "import { invalidInput as x } from '../shared/index.ts';",
  },
  {
    rule: 'modules never import src/apis',
    file: 'src/modules/gateway/gateway.example.ts',
    bad: "import { API_MODULES as x } from '../../apis/index.ts';",
    good: "import { findOperation as x } from '../registry/index.ts';",
  },
  {
    rule: 'a module imports another module only through its index.ts',
    file: 'src/modules/portal/portal.example.ts',
    bad: "import { AccountsService as x } from '../accounts/accounts.service.ts';",
    good: "import { AccountsService as x } from '../accounts/index.ts';",
  },
  {
    rule: 'domain code imports only the kernel and its own domain',
    file: 'src/modules/catalog/domain/example.ts',
    bad: "import { CatalogService as x } from '../catalog.service.ts';",
    good: "import { systemClock as x } from '../../../kernel/clock.ts';",
  },
  {
    rule: 'domain code does not reach another module, even through its index.ts',
    file: 'src/modules/catalog/domain/example.ts',
    bad: "import { findOperation as x } from '../../registry/index.ts';",
    good: "import { tokenize as x } from './query.ts';",
  },
  {
    rule: 'the kernel imports nothing outside the kernel',
    file: 'src/kernel/example.ts',
    bad: "import { Metrics as x } from '../platform/metrics/metrics.ts';",
    good: "import { newId as x } from './ids.ts';",
  },
  {
    rule: 'platform adapters import no module',
    file: 'src/platform/http/example.ts',
    bad: "import { OPERATIONS as x } from '../../modules/registry/index.ts';",
    good: "import { AppError as x } from '../../kernel/errors.ts';",
  },
];

for (const c of cases) {
  test(`lint: ${c.rule}`, async () => {
    const bad = await boundaryErrors(c.file, c.bad);
    assert.equal(bad.length, 1, `expected one boundary error for ${c.bad} in ${c.file}, got ${JSON.stringify(bad)}`);
    assert.deepEqual(await boundaryErrors(c.file, c.good), [], `${c.good} in ${c.file} is allowed`);
  });
}

test('lint: dynamic imports and re-exports are checked too', async () => {
  assert.equal(
    (await boundaryErrors('src/apis/cart/cart.example.ts', "const x = await import('../../modules/catalog/catalog.service.ts');")).length,
    1,
  );
  assert.equal(
    (
      await boundaryErrors(
        'src/apis/cart/cart.example.ts',
        "export { CatalogService } from '../../modules/catalog/catalog.service.ts';\nconst x = 1;",
      )
    ).length,
    1,
  );
});

test('lint: the tree itself keeps every boundary', async () => {
  const results = await eslint.lintFiles(['src']);
  const broken = results.flatMap((r) =>
    r.messages.filter((m) => m.ruleId === 'boundaries/imports').map((m) => `${r.filePath}:${m.line} ${m.message}`),
  );
  assert.deepEqual(broken, []);
});

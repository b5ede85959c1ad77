import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { CatalogImporter, CatalogService, generateCatalog, ImportError } from '../../src/modules/catalog/index.ts';
import { BULK_LOAD_TABLES } from '../../src/modules/catalog/catalog.import.ts';
import { REFRESHED_AFTER_IMPORT } from '../../src/modules/catalog/catalog.repository.ts';
import { openDatabase, type Db } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { bulkLoadSchema, kyselyExecute, type BulkLoadSchema } from '../../src/platform/db/indexes.ts';
import { createPostgresDatabase } from '../support/isolated.ts';
import { fixedClock, nonceWord, refuseOfferInsert, testCatalog, testDataDir, uniqueAsin, WEDNESDAY_MORNING } from '../support/catalog.ts';
import { sampleMerchantRecords } from '../../src/modules/catalog/index.ts';

/**
 * The bulk load (an import into an empty catalog in one transaction, secondary indexes and
 * full-text upkeep dropped first and built again at the end): the same stored catalog as the import
 * batch by batch, nothing of it visible or kept before it commits, every index back afterwards.
 * Each test uses databases of its own (the bulk load needs an empty catalog).
 */

const jsonl = (records: unknown[]) => records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
const postgres = process.env.DB === 'postgres';

/** A fresh migrated database with the sample merchants, and a second connection to it (another process's view). */
async function freshCatalog(): Promise<{ catalog: CatalogService; reader: Db; place: { dataDir: string; databaseUrl: string | null } }> {
  const dataDir = testDataDir();
  let databaseUrl: string | null = null;
  let drop = async (): Promise<void> => undefined;
  if (postgres) {
    const base = process.env.DATABASE_URL;
    if (!base) throw new Error('DB=postgres needs DATABASE_URL (run through the test runner)');
    ({ databaseUrl, drop } = await createPostgresDatabase(base, 'bizapi_bulk'));
  }
  const db = openDatabase({ databaseUrl, dataDir });
  await migrateToLatest(db);
  const reader = openDatabase({ databaseUrl, dataDir });
  after(async () => {
    await reader.destroy();
    await db.destroy();
    await drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const catalog = new CatalogService({ db, clock: fixedClock(WEDNESDAY_MORNING) });
  await catalog.save(sampleMerchantRecords());
  return { catalog, reader, place: { dataDir, databaseUrl } };
}

const schemaOf = (db: Db): Promise<BulkLoadSchema> => bulkLoadSchema(kyselyExecute(db.kysely), db.dialect, BULK_LOAD_TABLES);

/** Every stored row of the catalog tables (the import bookkeeping and the change marker aside), sorted. */
async function catalogRows(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of BULK_LOAD_TABLES) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db.kysely);
    out[table] = rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)))).sort();
  }
  return out;
}

async function textMatches(db: Db, word: string): Promise<string[]> {
  const { rows } =
    db.dialect === 'postgres'
      ? await sql<{ asin: string }>`select asin from catalog_products where search_vector @@ plainto_tsquery('english', ${word})`.execute(
          db.kysely,
        )
      : await sql<{
          asin: string;
        }>`select p.asin from catalog_products_fts f join catalog_products p on p.doc_id = f.rowid where catalog_products_fts match ${word}`.execute(
          db.kysely,
        );
  return rows.map((r) => r.asin).sort();
}

async function productCount(db: Db): Promise<number> {
  const r = await db.kysely
    .selectFrom('catalog_products')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A generated catalog with two lines the import refuses. */
function catalogText(products: number): { text: string; word: string; badLines: number[] } {
  const word = nonceWord();
  const records: unknown[] = [...generateCatalog(products, nonceWord())];
  const asin = uniqueAsin();
  // One marked product, to find by a word of its title.
  records.push({
    type: 'product',
    asin,
    title: `${word} desk organizer`,
    department: 'OFFICE_PRODUCTS',
    categories: [{ id: `c-${word}`, name: 'Organizers' }],
    offers: [
      {
        offerId: `${asin}-1`,
        region: 'US',
        merchantId: 'ATVPDKIKX0DER',
        condition: 'NEW',
        currency: 'USD',
        price: 999,
        fulfillment: 'AMAZON_FULFILLMENT',
        stock: 3,
        shipping: { cost: 0, minDays: 1, maxDays: 3 },
      },
    ],
  });
  records.splice(20, 0, '{ not json');
  const lines = records.length;
  records.push({ type: 'product', asin: uniqueAsin(), title: 'orphan', categoryId: 'no-such-category', offers: [] });
  return { text: jsonl(records), word, badLines: [21, lines + 1] };
}

test('a bulk load stores the same catalog as the import batch by batch, with every index and the full text, and moves the change marker', async () => {
  const bulk = await freshCatalog();
  const batches = await freshCatalog();
  const { text, word, badLines } = catalogText(300);
  const schemaBefore = await schemaOf(bulk.catalog.db);
  const versionBefore = await bulk.catalog.version();

  const a = await new CatalogImporter(bulk.catalog).importText(text, { format: 'jsonl', batchSize: 40, bulk: true });
  const b = await new CatalogImporter(batches.catalog).importText(text, { format: 'jsonl', batchSize: 40, bulk: false });
  assert.equal(a.bulk, true);
  assert.equal(b.bulk, false);
  for (const r of [a, b]) {
    assert.equal(r.status, 'completed');
    assert.equal(r.products, 301);
    assert.deepEqual(
      r.rejections.map((x) => x.line),
      badLines,
    );
  }
  assert.match(a.rejections[0]?.reason ?? '', /not valid JSON/);
  assert.match(a.rejections[1]?.reason ?? '', /unknown category no-such-category/);
  assert.deepEqual({ ...a, importId: '' }, { ...b, importId: '', bulk: true });

  assert.deepEqual(await catalogRows(bulk.catalog.db), await catalogRows(batches.catalog.db));
  assert.deepEqual(await schemaOf(bulk.catalog.db), schemaBefore, 'every index and trigger is back, as the migrations made it');
  assert.equal((await textMatches(bulk.catalog.db, word)).length, 1);
  assert.deepEqual(await textMatches(bulk.catalog.db, word), await textMatches(batches.catalog.db, word));
  const common = 'organizer';
  assert.deepEqual(await textMatches(bulk.catalog.db, common), await textMatches(batches.catalog.db, common));
  if (!postgres) {
    // FTS5's own check of an external-content index against its content table (throws when they differ).
    await sql`insert into catalog_products_fts (catalog_products_fts, rank) values ('integrity-check', 1)`.execute(bulk.catalog.db.kysely);
    const stats = await sql<{ tbl: string }>`select distinct tbl from sqlite_stat1`.execute(bulk.catalog.db.kysely);
    for (const table of REFRESHED_AFTER_IMPORT)
      assert.ok(
        stats.rows.some((r) => r.tbl === table),
        `${table} analyzed`,
      );
  } else {
    // VACUUM (ANALYZE) after the import: statistics, and the loaded pages all-visible (index-only
    // scans then read no table row; ANALYZE alone leaves relallvisible at 0). Equal to relpages on a
    // quiet database; at least some pages in any case.
    const tables = await sql<{ relname: string; relpages: number; relallvisible: number; analyzed: boolean }>`
      select c.relname, c.relpages, c.relallvisible, s.last_analyze is not null or s.last_autoanalyze is not null as analyzed
        from pg_class c join pg_stat_user_tables s on s.relid = c.oid
       where c.relname in (${sql.join([...REFRESHED_AFTER_IMPORT])}) and c.relnamespace = to_regnamespace(current_schema())`.execute(
      bulk.catalog.db.kysely,
    );
    assert.equal(tables.rows.length, REFRESHED_AFTER_IMPORT.length);
    for (const t of tables.rows) {
      assert.ok(t.relpages > 0 && t.relallvisible > 0, `${t.relname}: ${t.relallvisible} of ${t.relpages} pages all-visible`);
      assert.ok(t.analyzed, `${t.relname} analyzed`);
    }
  }
  assert.notEqual(await bulk.catalog.version(), versionBefore, 'caches in every process see the write');
  // Imported again (the catalog is no longer empty): batch by batch, the same rows.
  const again = await new CatalogImporter(bulk.catalog).importText(text, { format: 'jsonl', batchSize: 40 });
  assert.equal(again.bulk, false);
  assert.deepEqual(await catalogRows(bulk.catalog.db), await catalogRows(batches.catalog.db));
});

test('other connections see the catalog as it was until the bulk load commits, then all of it', async () => {
  const { catalog, reader } = await freshCatalog();
  const { text } = catalogText(200);
  const versionBefore = await catalog.version();
  const seen: Promise<string>[] = [];
  const look = async (): Promise<string> => {
    if (!postgres)
      return `${await productCount(reader)} products, ${(await reader.kysely.selectFrom('catalog_state').select('version').executeTakeFirst())?.version === versionBefore ? 'old' : 'new'} marker`;
    // PostgreSQL: the dropped indexes are locked until the commit; a reader waits (here: gives up) rather than see the tables without them.
    try {
      return await reader.transaction(async (trx) => {
        await sql`set local lock_timeout = '200ms'`.execute(trx);
        const r = await trx
          .selectFrom('catalog_products')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        return `${Number(r.n)} products`;
      });
    } catch (err) {
      if ((err as { code?: string }).code === '55P03') return 'waits for the commit';
      throw err;
    }
  };
  const r = await new CatalogImporter(catalog).importText(text, {
    format: 'jsonl',
    batchSize: 30,
    bulk: true,
    onProgress: () => void seen.push(look()),
  });
  assert.equal(r.bulk, true);
  const views = await Promise.all(seen);
  assert.ok(views.length >= 5);
  // A look may end after the commit (a reader waiting for the lock then sees it all); never part of it.
  const before = postgres ? 'waits for the commit' : '0 products, old marker';
  const whole = postgres ? '201 products' : '201 products, new marker';
  for (const v of views) assert.ok(v === before || v === whole, v);
  assert.equal(views[0], before);
  assert.equal(await productCount(reader), 201);
});

test('an interrupted bulk load leaves the catalog as it was, every index in place; the next run does it again', async () => {
  const { catalog } = await freshCatalog();
  const db = catalog.db.kysely;
  const records = [...generateCatalog(120, nonceWord())];
  const late = records.filter((r) => r.type === 'product')[100];
  assert.ok(late?.type === 'product');
  const offerId = late.offers[0]?.offerId ?? '';
  const schemaBefore = await schemaOf(catalog.db);
  const fail = `fail_${nonceWord()}`;
  await refuseOfferInsert(catalog.db, fail, offerId);
  const text = jsonl(records);
  const importer = new CatalogImporter(catalog);
  try {
    await assert.rejects(importer.importText(text, { format: 'jsonl', batchSize: 25, bulk: true }), /injected failure/);
  } finally {
    await sql.raw(`drop trigger ${fail}${postgres ? ' on catalog_offers' : ''}`).execute(db);
    if (postgres) await sql.raw(`drop function ${fail}()`).execute(db);
  }
  assert.equal(await productCount(catalog.db), 0, 'nothing of the bulk load is kept');
  assert.deepEqual(await schemaOf(catalog.db), schemaBefore, 'every index and trigger is in place');
  const row = await db.selectFrom('catalog_imports').selectAll().executeTakeFirstOrThrow();
  assert.deepEqual([row.status, row.lines_done, row.products], ['running', 0, 0]);
  const again = await importer.importText(text, { format: 'jsonl', batchSize: 25 });
  // Too small for a bulk load unless asked: the second run is batch by batch, from the start.
  assert.deepEqual([again.status, again.bulk, again.resumedAfterLine, again.products], ['completed', false, 0, 120]);
  assert.equal(await productCount(catalog.db), 120);
});

test('a bulk load needs an empty catalog; unasked, a small import or one into a stored catalog goes batch by batch', async () => {
  const { catalog } = await freshCatalog();
  const importer = new CatalogImporter(catalog);
  const first = await importer.importText(jsonl([...generateCatalog(5, nonceWord())]), { format: 'jsonl' });
  assert.equal(first.bulk, false, 'below BULK_LOAD_MIN_LINES');
  await assert.rejects(
    importer.importText(jsonl([...generateCatalog(5, nonceWord())]), { format: 'jsonl', bulk: true }),
    (err: unknown) => {
      assert.ok(err instanceof ImportError);
      assert.match(err.message, /a bulk load needs an empty catalog/);
      return true;
    },
  );
  await assert.rejects(
    importer.importText(jsonl([...generateCatalog(5, nonceWord())]), { format: 'jsonl', bulk: true, maxBatches: 1 }),
    ImportError,
  );
  assert.equal(await productCount(catalog.db), 5);
});

test('the indexes a bulk load drops and builds again are every index of the catalog tables that no constraint owns', async () => {
  // Checked against the engine's own account of each index's origin, so an index a later migration
  // adds (or a constraint index mistaken for a plain one) fails here rather than going missing.
  const catalog = await testCatalog(undefined, { isolated: true });
  const db = catalog.db;
  const schema = await schemaOf(db);
  const listed = schema.indexes.map((i) => `${i.table}.${i.name}`).sort();
  let expected: string[];
  if (db.dialect === 'postgres') {
    const { rows } = await sql<{ name: string }>`
      select t.relname || '.' || i.relname as name
        from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
       where t.relname in (${sql.join([...BULK_LOAD_TABLES])}) and t.relnamespace = current_schema()::regnamespace
         and not x.indisprimary and x.indexrelid not in (select conindid from pg_constraint)`.execute(db.kysely);
    expected = rows.map((r) => r.name).sort();
    assert.ok(listed.includes('catalog_products.catalog_products_search'), 'the full-text GIN index is built after the load');
  } else {
    expected = [];
    for (const table of BULK_LOAD_TABLES) {
      const { rows } = await sql<{ name: string; origin: string }>`select name, origin from pragma_index_list(${table})`.execute(db.kysely);
      for (const r of rows) if (r.origin === 'c') expected.push(`${table}.${r.name}`);
    }
    expected.sort();
    assert.deepEqual(schema.fullText, ['catalog_products_fts']);
    assert.deepEqual(
      schema.triggers.map((t) => t.name),
      ['catalog_products_fts_delete', 'catalog_products_fts_insert', 'catalog_products_fts_update'],
    );
  }
  assert.ok(listed.length >= 10);
  assert.deepEqual(listed, expected);
  for (const kept of ['catalog_offers_search', 'catalog_listings_search_doc', 'catalog_identifiers_asin', 'catalog_products_doc'])
    assert.ok(
      listed.some((l) => l.endsWith(`.${kept}`)),
      kept,
    );
});

test('a bulk load killed half-way (SIGKILL) leaves the catalog as it was, every index in place; run again, it completes', async () => {
  const { catalog, place } = await freshCatalog();
  const file = path.join(place.dataDir, 'catalog.jsonl');
  fs.writeFileSync(file, jsonl([...generateCatalog(150, nonceWord())]));
  const schemaBefore = await schemaOf(catalog.db);
  // A process of its own that kills itself after its third batch is written, inside the bulk load's transaction.
  const child = `
    const { openDatabase } = await import(${JSON.stringify(new URL('../../src/platform/db/database.ts', import.meta.url).href)});
    const { CatalogImporter, CatalogService } = await import(${JSON.stringify(new URL('../../src/modules/catalog/index.ts', import.meta.url).href)});
    const db = openDatabase(${JSON.stringify(place)});
    const catalog = new CatalogService({ db, clock: { now: () => Date.now() } });
    let batches = 0;
    await new CatalogImporter(catalog).importFile(${JSON.stringify(file)}, {
      bulk: true,
      batchSize: 20,
      onProgress: () => { if (++batches === 3) process.kill(process.pid, 'SIGKILL'); },
    });
    console.log('not killed');`;
  const killed = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], { encoding: 'utf8' });
  assert.equal(killed.signal, 'SIGKILL', killed.stderr);
  assert.equal(await productCount(catalog.db), 0, 'nothing of the killed bulk load is kept');
  assert.deepEqual(await schemaOf(catalog.db), schemaBefore, 'every index and trigger is in place');
  const again = await new CatalogImporter(catalog).importFile(file, { batchSize: 20, bulk: true });
  assert.deepEqual([again.status, again.bulk, again.resumedAfterLine, again.products], ['completed', true, 0, 150]);
  assert.equal(await productCount(catalog.db), 150);
  if (!postgres)
    await sql`insert into catalog_products_fts (catalog_products_fts, rank) values ('integrity-check', 1)`.execute(catalog.db.kysely);
});

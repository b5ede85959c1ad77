import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { newId } from '../../kernel/ids.ts';
import type { Db } from '../../platform/db/database.ts';
import { bulkLoadSchema, dropForBulkLoad, kyselyExecute, restoreAfterBulkLoad } from '../../platform/db/indexes.ts';
import { touchCatalogVersion } from './catalog.cache.ts';
import * as repo from './catalog.repository.ts';
import { checkCsvHeader, CsvSyntaxError, offerFromRow, parseCsvRows, productFromRow, rowObject } from './catalog.csv.ts';
import { validateOffer, validateProductFields, validateRecord } from './catalog.record.ts';
import type { CatalogService } from './catalog.service.ts';
import type { CategoryRecord, MerchantRecord, ProductInput } from './domain/model.ts';

/**
 * Imports JSON Lines and CSV catalog files: records are validated one by one (rejections are
 * reported with their line number and reason), valid ones are upserted by ASIN in batches, and
 * every batch commits together with the import's progress. A stopped import resumes after its
 * last committed line when the same file is imported again; no product is ever half written.
 *
 * A bulk load (a large file into an empty catalog; see ImportOptions.bulk) writes the same batches
 * with the same checks, but all in one transaction that first drops the catalog tables' secondary
 * indexes and full-text triggers and ends by building them again in one pass each: readers see the
 * catalog as it was until the commit, then the whole import with every index; an interrupted bulk
 * load leaves nothing behind, and the next run starts it again.
 */

export type ImportFormat = 'jsonl' | 'csv';

export interface Rejection {
  line: number;
  asin?: string;
  reason: string;
}

export interface ImportOptions {
  format?: ImportFormat;
  /** Products per transaction (default DEFAULT_BATCH_SIZE). */
  batchSize?: number;
  /** Continue an unfinished import of the same content (default true). */
  resume?: boolean;
  /** Do nothing when the same content was already imported completely (default false). */
  skipIfCompleted?: boolean;
  /** Stop after this many batches, leaving the import resumable (for very large files). */
  maxBatches?: number;
  /** Name recorded for the import (default: the file name). */
  sourceName?: string;
  /**
   * Bulk load: true asks for one (the catalog must hold no product, else ImportError), false never
   * does one; unset, an import is a bulk load when the catalog holds no product and the input has
   * at least BULK_LOAD_MIN_LINES lines (and maxBatches is not set).
   */
  bulk?: boolean;
  /** Told after every written batch (for progress bars); in a bulk load nothing is committed before the end. */
  onProgress?: (progress: { linesDone: number; products: number; offers: number; rejected: number }) => void;
}

export interface ImportReport {
  importId: string;
  source: string;
  format: ImportFormat;
  /** completed, partial (stopped by maxBatches; run again to resume) or skipped (already imported). */
  status: 'completed' | 'partial' | 'skipped';
  /** Lines already committed by an earlier run of this import (0 for a fresh import). */
  resumedAfterLine: number;
  linesRead: number;
  merchants: number;
  categories: number;
  products: number;
  offers: number;
  rejected: number;
  /** The first MAX_REPORTED_REJECTIONS rejections. */
  rejections: Rejection[];
  /** True when it was a bulk load (one transaction, indexes built at the end). */
  bulk: boolean;
}

export const MAX_REPORTED_REJECTIONS = 1000;

/**
 * Products per transaction unless told otherwise. Larger batches mean fewer commits (and SQLite
 * checkpoints) and longer multi-row statements; beyond a few thousand products nothing more is
 * gained, while a stopped import redoes more work and holds the write lock longer.
 */
export const DEFAULT_BATCH_SIZE = 2000;

/**
 * Input lines from which an import into an empty catalog is a bulk load unless told otherwise.
 * Below this, building every index again costs about what loading with them does, and a smaller
 * import keeps its batch-by-batch commits (resumable after the last one).
 */
export const BULK_LOAD_MIN_LINES = 20_000;

/** The tables a bulk load writes, whose secondary indexes it drops and builds again. */
export const BULK_LOAD_TABLES = [
  'catalog_merchants',
  'catalog_merchant_certificates',
  'catalog_categories',
  'catalog_products',
  'catalog_product_categories',
  'catalog_identifiers',
  'catalog_offers',
  'catalog_listings',
] as const;

/** Thrown inside an automatic bulk load's transaction that found products stored: the import runs batch by batch instead. */
class CatalogNotEmpty extends Error {}

/** A parsed piece of input: a record spanning lines, with the rejections found while reading it. */
interface Unit {
  firstLine: number;
  lastLine: number;
  merchant?: MerchantRecord;
  category?: CategoryRecord;
  product?: ProductInput;
  /** CSV: the line of each offer, so an offer refused later is reported on its own row. */
  offerLines?: Map<string, number>;
  rejections: Rejection[];
  /** CSV: why the product of this group was refused (its later rows are refused for it too). */
  refusedBecause?: string;
}

/** Thrown for problems that stop an import before anything is written (bad CSV header, unknown format). */
export class ImportError extends Error {}

export class CatalogImporter {
  constructor(private readonly catalog: CatalogService) {}

  /** Imports a .jsonl/.ndjson or .csv file. */
  async importFile(file: string, options: ImportOptions = {}): Promise<ImportReport> {
    const format = options.format ?? formatOf(file);
    const { hash, lines } = await hashFile(file);
    return this.run(() => fs.createReadStream(file, { encoding: 'utf8' }), { hash, lines }, format, options.sourceName ?? path.basename(file), options);
  }

  /** Imports catalog text already in memory. */
  async importText(text: string, options: ImportOptions & { format: ImportFormat }): Promise<ImportReport> {
    const hash = createHash('sha256').update(text).digest('hex');
    let lines = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    return this.run(() => Readable.from([text]), { hash, lines }, options.format, options.sourceName ?? 'text', options);
  }

  private async run(open: () => Readable, input: { hash: string; lines: number }, format: ImportFormat, source: string, options: ImportOptions): Promise<ImportReport> {
    // Every import reads the synonyms files again (an operator's edit applies from here on); a bad
    // file stops the import before anything is written, naming the file and line.
    this.catalog.synonyms.reload();
    const restore = await importSettings(this.catalog.db);
    try {
      return await this.runBatches(open, input, format, source, options);
    } finally {
      await restore();
    }
  }

  private async runBatches(open: () => Readable, input: { hash: string; lines: number }, format: ImportFormat, source: string, options: ImportOptions): Promise<ImportReport> {
    const db = this.catalog.db.kysely;
    const hash = input.hash;
    const now = () => this.catalog.clock.now();
    if (options.skipIfCompleted) {
      const done = await repo.findImport(db, hash, 'completed');
      if (done) return { ...reportOf(done, format), status: 'skipped', resumedAfterLine: done.lines_done, linesRead: 0, bulk: false };
    }
    if (options.bulk === true && options.maxBatches !== undefined) throw new ImportError('a bulk load is one transaction: it cannot stop after maxBatches');
    const previous = options.resume === false ? undefined : await repo.findImport(db, hash, 'running');
    const row: repo.ImportRow = previous ?? {
      id: newId('imp'),
      source,
      content_hash: hash,
      format,
      status: 'running',
      lines_done: 0,
      products: 0,
      merchants: 0,
      categories: 0,
      offers: 0,
      rejected: 0,
      rejections: '[]',
      started_at: now(),
      finished_at: null,
    };
    if (!previous) await repo.insertImport(db, row);
    const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);

    /**
     * Reads the input and writes it in batches, each batch through `transact` (a transaction of its
     * own, or the bulk load's), together with the import's progress.
     */
    const load = async (transact: (fn: (trx: Kysely<Database>) => Promise<void>) => Promise<void>, bulk: boolean): Promise<ImportReport> => {
      const resumedAfterLine = row.lines_done;
      const state = { ...row, rejectionList: JSON.parse(row.rejections) as Rejection[] };
      let batch: Unit[] = [];
      let batchProducts = 0;
      let linesRead = 0;

      /** Writes one batch and the import's progress together, then reports the progress. */
      const write = async (units: Unit[]): Promise<void> => {
        await transact(async (trx) => {
          const accepted = await checkReferences(trx, units);
          const merchants = accepted.flatMap((u) => (u.merchant ? [u.merchant] : []));
          const categories = accepted.flatMap((u) => (u.category ? [u.category] : []));
          const result = await this.catalog.writeBatch(trx, { merchants, categories, products: accepted.flatMap((u) => (u.product ? [u.product] : [])) });
          const unitOf = new Map(accepted.flatMap((u) => (u.product ? [[u.product.asin, u] as const] : [])));
          for (const r of result.rejected) unitOf.get(r.asin)?.rejections.push({ line: unitOf.get(r.asin)?.firstLine ?? 0, asin: r.asin, reason: r.reason });
          state.merchants += merchants.length;
          state.categories += categories.length;
          state.products += result.written.length;
          state.offers += result.written.reduce((n, p) => n + p.offers.length, 0);
          for (const u of units) for (const r of u.rejections) addRejection(state, r);
          state.lines_done = units[units.length - 1]?.lastLine ?? state.lines_done;
          await repo.updateImport(trx, state.id, {
            lines_done: state.lines_done,
            merchants: state.merchants,
            categories: state.categories,
            products: state.products,
            offers: state.offers,
            rejected: state.rejected,
            rejections: JSON.stringify(state.rejectionList),
          });
        });
        options.onProgress?.({ linesDone: state.lines_done, products: state.products, offers: state.offers, rejected: state.rejected });
      };

      // While a batch is being written, the next one is read and validated: with PostgreSQL the
      // database works in its own process meanwhile. Batches are still written one at a time and in
      // order, each together with the progress that covers it.
      let writing: Promise<void> | null = null;
      let batchesStarted = 0;
      const flush = async (): Promise<void> => {
        await writing;
        writing = null;
        if (batch.length === 0) return;
        const units = batch;
        batch = [];
        batchProducts = 0;
        batchesStarted++;
        writing = write(units);
        // Awaited by the next flush or below; until then its failure must not count as unhandled.
        writing.catch(() => undefined);
      };

      const units = format === 'csv' ? csvUnits(open()) : jsonlUnits(open());
      let stopped = false;
      try {
        for await (const unit of units) {
          linesRead = unit.lastLine;
          if (unit.lastLine <= resumedAfterLine) continue;
          batch.push(unit);
          if (unit.product) batchProducts++;
          if (batchProducts >= batchSize || batch.length >= batchSize * 4) {
            await flush();
            if (options.maxBatches !== undefined && batchesStarted >= options.maxBatches) {
              stopped = true;
              break;
            }
          }
        }
        if (!stopped) await flush();
        await writing;
      } catch (err) {
        // Never return while a batch is still being written.
        await (writing as Promise<void> | null)?.catch(() => undefined);
        throw err;
      }
      if (!stopped) await transact((trx) => repo.updateImport(trx, state.id, { status: 'completed', finished_at: now() }));
      const report = reportOf({ ...state, rejections: JSON.stringify(state.rejectionList) }, format);
      return { ...report, status: stopped ? 'partial' : 'completed', resumedAfterLine, linesRead, bulk };
    };

    const wantsBulk = options.bulk ?? (options.maxBatches === undefined && input.lines >= BULK_LOAD_MIN_LINES && (await catalogIsEmpty(db)));
    let report: ImportReport | null = null;
    if (wantsBulk) {
      try {
        report = await this.catalog.db.transaction(async (trx) => {
          // The change marker first: every other catalog writer now waits for this transaction, and
          // readers in other processes see the new marker only with the whole catalog.
          await touchCatalogVersion(trx);
          if (!(await catalogIsEmpty(trx))) {
            if (options.bulk) throw new ImportError('a bulk load needs an empty catalog: products are stored already (import without bulk to add to them)');
            throw new CatalogNotEmpty();
          }
          const execute = kyselyExecute(trx);
          const schema = await bulkLoadSchema(execute, this.catalog.db.dialect, BULK_LOAD_TABLES);
          await dropForBulkLoad(execute, schema);
          const loaded = await load((fn) => fn(trx), true);
          await restoreAfterBulkLoad(execute, schema);
          return loaded;
        });
      } catch (err) {
        if (!(err instanceof CatalogNotEmpty)) throw err;
      }
    }
    report ??= await load((fn) => this.catalog.db.transaction(fn), false);
    if (report.status === 'completed' && report.products > 0) await repo.analyzeCatalog(db);
    return report;
  }
}

/**
 * SQLite connection settings while imports run (restored after the last one), neither of which
 * touches durability: a commit is durable once in the write-ahead log (WAL, synchronous=NORMAL).
 * - wal_autocheckpoint: the log is copied into the database file (a checkpoint) whenever it passes
 *   this many pages. At the default 1000 that is after nearly every batch; with a longer log, a page
 *   that several batches change is copied once instead of once per batch, and fsync runs less often.
 * - cache_size: pages kept in memory (negative: KiB); the default 2 MiB is soon far smaller than
 *   the indexes a batch inserts into at random places (offer ids, identifiers, text).
 */
export const IMPORT_PRAGMAS = { wal_autocheckpoint: 16_384, cache_size: -65_536 } as const;

type ImportPragma = keyof typeof IMPORT_PRAGMAS;

/** Imports running per database, and (once read) the connection's own settings to go back to after the last one. */
const relaxed = new WeakMap<Db, { imports: number; before: Promise<Record<ImportPragma, number>> }>();

/** Applies IMPORT_PRAGMAS while imports run on a SQLite database; returns what puts them back. */
async function importSettings(db: Db): Promise<() => Promise<void>> {
  if (db.dialect !== 'sqlite') return async () => undefined;
  let entry = relaxed.get(db);
  if (!entry) {
    entry = { imports: 0, before: applyPragmas(db, IMPORT_PRAGMAS) };
    relaxed.set(db, entry);
  }
  const mine = entry;
  mine.imports++;
  const done = async (): Promise<void> => {
    if (--mine.imports > 0) return;
    relaxed.delete(db);
    await applyPragmas(db, await mine.before);
  };
  try {
    await mine.before;
  } catch (err) {
    if (--mine.imports === 0) relaxed.delete(db);
    throw err;
  }
  return done;
}

/** Sets pragmas (whole numbers only); returns their previous values. */
async function applyPragmas(db: Db, values: Readonly<Record<ImportPragma, number>>): Promise<Record<ImportPragma, number>> {
  const before = { ...values };
  for (const name of Object.keys(values) as ImportPragma[]) {
    const { rows } = await sql<Record<string, number>>`${sql.raw(`pragma ${name}`)}`.execute(db.kysely);
    before[name] = Number(rows[0]?.[name]);
    if (Number.isFinite(values[name])) await sql.raw(`pragma ${name} = ${Math.trunc(values[name])}`).execute(db.kysely);
  }
  return before;
}

function reportOf(r: repo.ImportRow, format: ImportFormat): Omit<ImportReport, 'status' | 'resumedAfterLine' | 'linesRead' | 'bulk'> {
  return {
    importId: r.id,
    source: r.source,
    format,
    merchants: r.merchants,
    categories: r.categories,
    products: r.products,
    offers: r.offers,
    rejected: r.rejected,
    rejections: JSON.parse(r.rejections) as Rejection[],
  };
}

function addRejection(state: { rejected: number; rejectionList: Rejection[] }, r: Rejection): void {
  state.rejected++;
  if (state.rejectionList.length < MAX_REPORTED_REJECTIONS) state.rejectionList.push(r);
}

function formatOf(file: string): ImportFormat {
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  if (/\.csv$/i.test(file)) return 'csv';
  throw new ImportError(`cannot tell the format of ${file}: name it .jsonl, .ndjson or .csv, or pass a format`);
}

/** The file's SHA-256 and its number of lines, in one read. */
async function hashFile(file: string): Promise<{ hash: string; lines: number }> {
  const hash = createHash('sha256');
  let lines = 0;
  for await (const chunk of fs.createReadStream(file)) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lines++;
  }
  return { hash: hash.digest('hex'), lines };
}

/** True when no product is stored. */
async function catalogIsEmpty(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('catalog_products').select('asin').limit(1).executeTakeFirst()) === undefined;
}

/**
 * Refuses what the stored catalog contradicts: offers of unknown merchants, offer ids owned by
 * another product, offer ids repeated across products of the batch. A JSON record is refused
 * whole; a CSV offer row is refused alone.
 */
async function checkReferences(trx: Parameters<CatalogService['writeBatch']>[0], units: Unit[]): Promise<Unit[]> {
  const batchMerchants = new Set(units.flatMap((u) => (u.merchant ? [u.merchant.id] : [])));
  const offers = units.flatMap((u) => {
    const asin = u.product?.asin ?? '';
    return (u.product?.offers ?? []).map((o) => ({ offerId: o.offerId, asin, merchantId: o.merchantId }));
  });
  const stored = await repo.findMerchants(trx, offers.map((o) => o.merchantId));
  const foreign = await repo.findForeignOfferIds(trx, offers);
  const claimed = new Map<string, string>();
  const out: Unit[] = [];
  for (const u of units) {
    if (!u.product) {
      if (u.merchant || u.category) out.push(u);
      continue;
    }
    const product = u.product;
    const problems: { offerId: string; reason: string }[] = [];
    for (const o of product.offers) {
      if (!batchMerchants.has(o.merchantId) && !stored.has(o.merchantId)) problems.push({ offerId: o.offerId, reason: `offer ${o.offerId}: unknown merchant ${o.merchantId}` });
      else if (foreign.has(o.offerId)) problems.push({ offerId: o.offerId, reason: `offer ${o.offerId} already belongs to product ${foreign.get(o.offerId)}` });
      else if (claimed.has(o.offerId) && claimed.get(o.offerId) !== product.asin) problems.push({ offerId: o.offerId, reason: `offer ${o.offerId} is also given for product ${claimed.get(o.offerId)}` });
    }
    if (problems.length && !u.offerLines) {
      u.rejections.push({ line: u.firstLine, asin: product.asin, reason: problems[0]?.reason ?? '' });
      continue;
    }
    for (const p of problems) u.rejections.push({ line: u.offerLines?.get(p.offerId) ?? u.firstLine, asin: product.asin, reason: p.reason });
    const refused = new Set(problems.map((p) => p.offerId));
    product.offers = product.offers.filter((o) => !refused.has(o.offerId));
    for (const o of product.offers) claimed.set(o.offerId, product.asin);
    out.push(u);
  }
  return out;
}

async function* jsonlUnits(input: Readable): AsyncGenerator<Unit> {
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    const unit: Unit = { firstLine: line, lastLine: line, rejections: [] };
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      unit.rejections.push({ line, reason: 'not valid JSON' });
      yield unit;
      continue;
    }
    const r = validateRecord(raw);
    if (!r.ok) {
      const asin = typeof (raw as { asin?: unknown })?.asin === 'string' ? (raw as { asin: string }).asin : undefined;
      unit.rejections.push({ line, ...(asin ? { asin } : {}), reason: r.reason });
    } else if (r.value.type === 'merchant') unit.merchant = r.value;
    else if (r.value.type === 'category') unit.category = r.value;
    else unit.product = r.value;
    yield unit;
  }
}

async function* csvUnits(input: Readable): AsyncGenerator<Unit> {
  let header: string[] | null = null;
  let current: Unit | null = null;
  let currentAsin = '';
  const seen = new Map<string, number>();
  const rows = (async function* () {
    try {
      yield* parseCsvRows(input as AsyncIterable<string>);
    } catch (err) {
      if (err instanceof CsvSyntaxError) throw new ImportError(`CSV ${err.message}`);
      throw err;
    }
  })();
  for await (const { line, fields } of rows) {
    if (!header) {
      header = fields.map((f) => f.trim());
      const problems = checkCsvHeader(header);
      if (problems.length) throw new ImportError(`CSV header: ${problems.join('; ')}`);
      continue;
    }
    const row = rowObject(header, fields);
    const asin = (row.asin ?? '').toUpperCase();
    if (current && asin === currentAsin) {
      current.lastLine = line;
      addOfferRow(current, row, line);
      continue;
    }
    if (current) yield whole(current);
    current = { firstLine: line, lastLine: line, rejections: [], offerLines: new Map() };
    currentAsin = asin;
    if (seen.has(asin)) {
      current.refusedBecause = `rows of product ${asin} must be adjacent (first seen on line ${seen.get(asin)})`;
      current.rejections.push({ line, asin, reason: current.refusedBecause });
      continue;
    }
    seen.set(asin, line);
    const product = productFromRow(row);
    const checked = 'error' in product ? { ok: false as const, reason: product.error } : validateProductFields(product.value);
    if (!checked.ok) {
      current.refusedBecause = `the product's first row (line ${line}) was rejected`;
      current.rejections.push({ line, ...(asin ? { asin } : {}), reason: checked.reason });
      continue;
    }
    current.product = checked.value;
    addOfferRow(current, row, line);
  }
  if (current) yield whole(current);
}

/**
 * A CSV product is imported whole or not at all: when any of its rows was rejected, its other rows
 * are not imported either, so a stored product keeps its live offers instead of losing the one a bad
 * cell refused (the JSON Lines import, one product per line, behaves the same).
 */
function whole(unit: Unit): Unit {
  if (!unit.product || unit.rejections.length === 0) return unit;
  const refused = unit.rejections.map((r) => r.line);
  const asin = unit.product.asin;
  for (const line of unit.offerLines?.values() ?? [])
    if (!refused.includes(line))
      unit.rejections.push({ line, asin, reason: `not imported: line ${refused[0]} of the same product was rejected, and a product is imported whole or not at all` });
  unit.rejections.sort((a, b) => a.line - b.line);
  delete unit.product;
  return unit;
}

function addOfferRow(unit: Unit, row: Record<string, string>, line: number): void {
  if (!unit.product) {
    unit.rejections.push({ line, reason: unit.refusedBecause ?? 'the product of this row was rejected' });
    return;
  }
  const asin = unit.product.asin;
  const parsed = offerFromRow(row);
  if ('error' in parsed) return void unit.rejections.push({ line, asin, reason: parsed.error });
  if (parsed.value === null) return;
  const offer = validateOffer(parsed.value);
  if (!offer.ok) return void unit.rejections.push({ line, asin, reason: offer.reason });
  if (unit.offerLines?.has(offer.value.offerId)) return void unit.rejections.push({ line, asin, reason: `offer ${offer.value.offerId} appears twice` });
  unit.offerLines?.set(offer.value.offerId, line);
  unit.product.offers.push(offer.value);
}

import { systemClock, type Clock } from '../../kernel/clock.ts';
import { packagePath } from '../../kernel/package-root.ts';
import type { Db } from '../../platform/db/database.ts';
import { CatalogImporter, type ImportReport } from './catalog.import.ts';
import { CatalogService } from './catalog.service.ts';

/** The shipped sample catalog (catalog/sample-catalog.jsonl at the package root). */
export const SAMPLE_CATALOG_FILE = packagePath('catalog', 'sample-catalog.jsonl');

/**
 * Loads the sample catalog into the database: a no-op when this exact file was already imported
 * completely, and a resume when an earlier load stopped half-way.
 */
export async function loadSampleCatalog(db: Db, options: { clock?: Clock; catalog?: CatalogService } = {}): Promise<ImportReport> {
  const catalog = options.catalog ?? new CatalogService({ db, clock: options.clock ?? systemClock });
  return new CatalogImporter(catalog).importFile(SAMPLE_CATALOG_FILE, { skipIfCompleted: true, sourceName: 'sample-catalog.jsonl' });
}

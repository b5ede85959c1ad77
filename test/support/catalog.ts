import fs from 'node:fs';
import { sql } from 'kysely';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import type { Clock } from '../../src/kernel/clock.ts';
import { openDatabase, type Db } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import type { Server } from '../../src/platform/http/server.ts';
import type { ApiCallContext } from '../../src/modules/gateway/index.ts';
import {
  CatalogService,
  sampleMerchantRecords,
  type CatalogRecord,
  type OfferRecord,
  type ProductInput,
} from '../../src/modules/catalog/index.ts';
import { productSearchApi, type BuyingPolicyInput } from '../../src/apis/product-search/index.ts';
import { apiServer } from './api-server.ts';
import { createPostgresDatabase } from './isolated.ts';

export { ALL_PRIVILEGES, apiCall } from './api-server.ts';

/** The database under test: DB=postgres uses the DATABASE_URL the runner created, else SQLite in a temp dir. */
const dbKind = process.env.DB === 'postgres' ? 'postgres' : 'sqlite';
export const testDataDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-catalog-test-'));
const unique = (): string => Math.random().toString(36).slice(2, 10);

/**
 * A migrated database of the kind under test, closed after the file's tests. On PostgreSQL the test
 * files of a run share one database; `isolated` gives a database of its own instead, for tests whose
 * answers depend on everything in the catalog (the forgiving search's vocabulary).
 */
export async function openTestDb(options: { isolated?: boolean } = {}): Promise<Db> {
  const dataDir = testDataDir();
  let databaseUrl = dbKind === 'postgres' ? (process.env.DATABASE_URL ?? null) : null;
  let drop = async (): Promise<void> => undefined;
  if (databaseUrl && options.isolated) ({ databaseUrl, drop } = await createPostgresDatabase(databaseUrl, 'bizapi_cat'));
  const db = openDatabase({ databaseUrl, dataDir });
  await migrateToLatest(db);
  after(async () => {
    await db.destroy();
    await drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return db;
}

/** A clock stopped at one instant. */
export const fixedClock = (iso: string): Clock & { t: number } => {
  const c = { t: Date.parse(iso), now: () => c.t };
  return c;
};

/** Wednesday 2026-12-02 10:00 in New York: before the order cut-off on a business day. */
export const WEDNESDAY_MORNING = '2026-12-02T15:00:00Z';

export async function testCatalog(
  clock: Clock = fixedClock(WEDNESDAY_MORNING),
  options: { isolated?: boolean } = {},
): Promise<CatalogService> {
  const db = await openTestDb(options);
  const catalog = new CatalogService({ db, clock });
  await catalog.save(sampleMerchantRecords());
  return catalog;
}

/** An ASIN no other test uses. */
export function uniqueAsin(): string {
  return `B1${unique()
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, 'X')
    .padEnd(8, '0')
    .slice(0, 8)}`;
}

export const AMAZON = 'ATVPDKIKX0DER';
export const SUMMIT = 'A1SUMMITWRLS01';
export const METRO = 'A9METROTECHW09';
export const REDWOOD = 'A6REDWOODRNW06';
export const HARBOR = 'A2HARBOROFFC02';

export function offer(asin: string, n: number, patch: Partial<OfferRecord> = {}): OfferRecord {
  return {
    offerId: `${asin}-offer-${n}`,
    region: 'US',
    merchantId: AMAZON,
    condition: 'NEW',
    currency: 'USD',
    price: 1999,
    fulfillment: 'AMAZON_FULFILLMENT',
    prime: true,
    stock: 50,
    shipping: { cost: 0, minDays: 1, maxDays: 2 },
    ...patch,
  };
}

/** A product with a unique ASIN; `word` lets a test find only its own products. */
export function product(word: string, patch: Partial<ProductInput> = {}): ProductInput & { asin: string } {
  const asin = patch.asin ?? uniqueAsin();
  return {
    type: 'product',
    asin,
    title: `${word} Widget Deluxe`,
    brand: 'Zentrix',
    department: 'OFFICE_PRODUCTS',
    categories: [
      { id: `cat-${word}-root`, name: `${word} Supplies` },
      { id: `cat-${word}-leaf`, name: `${word} Widgets` },
    ],
    description: `A ${word} widget for offices. Sturdy and reliable.`,
    identifiers: { upc: [] },
    rating: { stars: 4.2, count: 10 },
    popularity: 100,
    releaseDate: '2024-01-01',
    offers: [offer(asin, 1)],
    ...patch,
  } as ProductInput & { asin: string };
}

/** Saves records and fails the test when any product is rejected. */
export async function save(catalog: CatalogService, records: CatalogRecord[]): Promise<void> {
  const r = await catalog.save(records);
  if (r.rejected.length) throw new Error(`rejected: ${JSON.stringify(r.rejected)}`);
}

/** A nonce word made of letters only (the search tokenizer keeps it whole). */
export const nonceWord = (): string => `zq${unique().replace(/[^a-z]/g, '')}${unique().replace(/[^a-z]/g, '')}`.slice(0, 12);

export interface ProductSearchServerOptions {
  call?: Partial<ApiCallContext>;
  policies?: BuyingPolicyInput[];
  /** The business's marketplaces; by default any marketplace of the endpoint's region. */
  marketplaces?: readonly string[];
}

/** A server with only the Product Search API; every request carries a fixed gateway context. */
export function productSearchServer(catalog: CatalogService, options: ProductSearchServerOptions = {}): Promise<Server> {
  const api = productSearchApi.bindWith({
    catalog,
    businessFacts: async () => ({ policies: options.policies ?? [], marketplaces: options.marketplaces ?? null }),
  });
  return apiServer(api, options.call);
}

/** Products with offers in every corner the Product Search tests look at. */
export async function productSearchFixture(catalog: CatalogService) {
  const w = nonceWord();
  const phone = product(w, {
    title: `${w} Smartphone 128GB Black`,
    brand: 'Northwind',
    department: 'MOBILE_AND_ACCESSORIES',
    categories: [
      { id: `cat-${w}-phones`, name: `${w} Phones` },
      { id: `cat-${w}-unlocked`, name: `${w} Unlocked` },
    ],
    images: [{ url: 'https://images.example.com/phone.jpg' }],
    identifiers: { upc: ['036000291452'], modelNumber: 'NW-128', partNumber: 'NW-128-BLK' },
    taxonomies: [{ type: 'UNSPSC', code: '43191501', title: 'Mobile phones' }],
    attributes: { Color: 'Black' },
    popularity: 900,
    customQuoteEligible: true,
    badges: [{ name: 'BESTSELLER_BADGE', fragment: { title: '#1 Best Seller', message: 'in Phones', type: 'BESTSELLER_BADGE' } }],
  });
  phone.offers = [
    offer(phone.asin, 1, {
      price: 49999,
      listPrice: 54999,
      businessPrice: 47999,
      quantityTiers: [
        { minQuantity: 5, price: 46999 },
        { minQuantity: 10, price: 45999 },
      ],
      sku: `NW-${w}`,
    }),
    offer(phone.asin, 2, {
      merchantId: SUMMIT,
      price: 48999,
      fulfillment: 'MERCHANT_FULFILLMENT',
      prime: false,
      shipping: { cost: 999, freeOver: 100000, minDays: 3, maxDays: 6 },
    }),
    offer(phone.asin, 3, {
      merchantId: REDWOOD,
      price: 39999,
      condition: 'USED',
      subCondition: 'VERY_GOOD',
      conditionNote: 'Light wear.',
      prime: false,
      fulfillment: 'MERCHANT_FULFILLMENT',
      shipping: { cost: 0, minDays: 4, maxDays: 8 },
    }),
    offer(phone.asin, 4, { merchantId: HARBOR, price: 52999, stock: 3 }),
    offer(phone.asin, 5, { region: 'CA', currency: 'CAD', price: 68999 }),
  ];
  const many = product(w, { title: `${w} Charging Cable`, brand: 'Brightline', popularity: 10 });
  many.offers = Array.from({ length: 12 }, (_, i) =>
    offer(many.asin, i + 1, { price: 1000 + i * 10, merchantId: i % 2 ? SUMMIT : AMAZON }),
  );
  const cases = Array.from({ length: 5 }, (_, i) => product(w, { title: `${w} Case Model ${i}`, brand: 'Zentrix', popularity: 100 + i }));
  const german = product(w, { title: `${w} Kabel`, offers: [] });
  german.offers = [offer(german.asin, 1, { region: 'DE', currency: 'EUR', price: 123450 })];
  await save(catalog, [phone, many, ...cases, german]);
  return { w, phone, many, cases, german };
}

/**
 * Makes the database refuse the insert of one offer ('injected failure'), with a trigger named
 * `name` (PostgreSQL: and its function): for tests of what a failed catalog write leaves behind.
 */
export async function refuseOfferInsert(db: Db, name: string, offerId: string): Promise<void> {
  const k = db.kysely;
  if (db.dialect === 'postgres') {
    await sql
      .raw(`create function ${name}() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`)
      .execute(k);
    await sql
      .raw(
        `create trigger ${name} before insert on catalog_offers for each row when (new.offer_id = '${offerId}') execute function ${name}()`,
      )
      .execute(k);
  } else {
    await sql
      .raw(
        `create trigger ${name} before insert on catalog_offers when new.offer_id = '${offerId}' begin select raise(abort, 'injected failure'); end`,
      )
      .execute(k);
  }
}

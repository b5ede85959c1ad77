import { marketplaceByCode } from '../../kernel/reference.ts';
import { parseDecimal } from './domain/money.ts';

/**
 * CSV import: an RFC 4180 parser (quoted fields, doubled quotes, newlines inside quotes) and the
 * mapping of one row to a product and an offer. One row per offer; the rows of one product are
 * adjacent and its product columns are read from its first row (docs/catalog-format.md).
 */

/** A CSV text that cannot be read to its end (an unterminated quote). */
export class CsvSyntaxError extends Error {}

export interface CsvRow {
  /** Physical line the row starts on (1-based). */
  line: number;
  fields: string[];
}

/** Rows of a CSV text given in chunks. */
export async function* parseCsvRows(chunks: AsyncIterable<string> | Iterable<string>): AsyncGenerator<CsvRow> {
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let rowLine = 1;
  let pendingCr = false;
  const endField = () => {
    fields.push(field);
    field = '';
    afterQuote = false;
  };
  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i] as string;
      if (pendingCr) {
        pendingCr = false;
        if (ch === '\n') continue;
      }
      if (quoted) {
        if (ch === '"') {
          if (chunk[i + 1] === '"') {
            field += '"';
            i++;
          } else {
            // Closing quote, unless the next chunk starts with a second quote (an escaped one).
            quoted = false;
            afterQuote = true;
          }
        } else {
          if (ch === '\n') line++;
          field += ch;
        }
        continue;
      }
      const justClosed = afterQuote;
      afterQuote = false;
      if (ch === '"') {
        if (justClosed) {
          // `""` split across chunks: an escaped quote inside the quoted field.
          field += '"';
          quoted = true;
        } else if (field.length === 0) quoted = true;
        else field += ch;
      } else if (ch === ',') endField();
      else if (ch === '\n' || ch === '\r') {
        endField();
        const row = fields;
        fields = [];
        if (ch === '\r') pendingCr = true;
        if (!(row.length === 1 && row[0] === '')) yield { line: rowLine, fields: row };
        line++;
        rowLine = line;
      } else field += ch;
    }
  }
  // A quote opened and never closed would swallow the rest of the file into one field: refuse.
  if (quoted) throw new CsvSyntaxError(`line ${rowLine}: a quoted field is never closed (the rest of the file would be read as one field)`);
  if (field.length > 0 || fields.length > 0) {
    endField();
    yield { line: rowLine, fields };
  }
}

export const CSV_PRODUCT_COLUMNS = [
  'asin', 'title', 'brand', 'manufacturer', 'department', 'categories', 'description', 'features', 'images', 'upc', 'ean', 'isbn',
  'partNumber', 'oemPartNumber', 'modelNumber', 'starRating', 'ratingCount', 'popularity', 'releaseDate', 'packageType',
  'bundleQuantity', 'customQuoteEligible',
] as const;
export const CSV_OFFER_COLUMNS = [
  'offerId', 'region', 'merchantId', 'sku', 'condition', 'subCondition', 'conditionNote', 'currency', 'price', 'listPrice',
  'businessPrice', 'quantityTiers', 'prime', 'fulfillment', 'stock', 'minQuantity', 'maxQuantity', 'shippingCost',
  'freeShippingOver', 'deliveryMinDays', 'deliveryMaxDays',
] as const;
const REQUIRED = ['asin', 'title'];

/** Problems with a header row (missing required columns, unknown or repeated columns). */
export function checkCsvHeader(header: readonly string[]): string[] {
  const known = new Set<string>([...CSV_PRODUCT_COLUMNS, ...CSV_OFFER_COLUMNS]);
  const problems: string[] = [];
  for (const r of REQUIRED) if (!header.includes(r)) problems.push(`missing column ${r}`);
  for (const h of header) if (!known.has(h)) problems.push(`unknown column ${h}`);
  const dup = header.filter((h, i) => header.indexOf(h) !== i);
  if (dup.length) problems.push(`repeated column ${dup[0]}`);
  return problems;
}

type Row = Record<string, string>;

export const rowObject = (header: readonly string[], fields: readonly string[]): Row =>
  Object.fromEntries(header.map((h, i) => [h, (fields[i] ?? '').trim()]));

class CellError extends Error {}

const list = (v: string | undefined): string[] | undefined => (v ? v.split('|').map((s) => s.trim()).filter(Boolean) : undefined);
const opt = (v: string | undefined): string | undefined => (v ? v : undefined);

function int(row: Row, col: string): number | undefined {
  const v = row[col];
  if (!v) return undefined;
  if (!/^\d+$/.test(v)) throw new CellError(`${col}: ${JSON.stringify(v)} is not a whole number`);
  return Number(v);
}

function num(row: Row, col: string): number | undefined {
  const v = row[col];
  if (!v) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new CellError(`${col}: ${JSON.stringify(v)} is not a number`);
  return n;
}

function bool(row: Row, col: string): boolean | undefined {
  const v = row[col]?.toLowerCase();
  if (!v) return undefined;
  if (['true', '1', 'yes', 'y'].includes(v)) return true;
  if (['false', '0', 'no', 'n'].includes(v)) return false;
  throw new CellError(`${col}: ${JSON.stringify(row[col])} is not true or false`);
}

function money(row: Row, col: string, currency: string): number | undefined {
  const v = row[col];
  if (!v) return undefined;
  const minor = parseDecimal(v, currency);
  if (minor === null) throw new CellError(`${col}: ${JSON.stringify(v)} is not an amount in ${currency}`);
  return minor;
}

/** The product part of a row as a raw record (validated later like a JSON record). */
export function productFromRow(row: Row): { value: Record<string, unknown> } | { error: string } {
  try {
    // A bare id names the leaf of a category given by category records; `id:name > id:name` is a path.
    const categoryId = row.categories && !/[:>]/.test(row.categories) ? row.categories : undefined;
    const categories = (row.categories && !categoryId ? row.categories.split('>') : []).map((part) => {
      const i = part.indexOf(':');
      if (i <= 0) throw new CellError(`categories: ${JSON.stringify(part.trim())} is not id:name`);
      return { id: part.slice(0, i).trim(), name: part.slice(i + 1).trim() };
    });
    const stars = num(row, 'starRating');
    const identifiers = {
      upc: list(row.upc),
      ean: list(row.ean),
      isbn: list(row.isbn),
      partNumber: opt(row.partNumber),
      oemPartNumber: opt(row.oemPartNumber),
      modelNumber: opt(row.modelNumber),
    };
    const value = {
      type: 'product',
      asin: row.asin ?? '',
      title: row.title ?? '',
      brand: opt(row.brand),
      manufacturer: opt(row.manufacturer),
      department: opt(row.department),
      categories: categories.length ? categories : undefined,
      categoryId,
      description: opt(row.description),
      features: list(row.features),
      images: list(row.images)?.map((url) => ({ url })),
      identifiers: Object.values(identifiers).some((v) => v !== undefined) ? identifiers : undefined,
      rating: stars === undefined ? undefined : { stars, count: int(row, 'ratingCount') ?? 0 },
      popularity: int(row, 'popularity'),
      releaseDate: opt(row.releaseDate),
      packageType: opt(row.packageType),
      bundleQuantity: int(row, 'bundleQuantity'),
      customQuoteEligible: bool(row, 'customQuoteEligible'),
      offers: [],
    };
    return { value: JSON.parse(JSON.stringify(value)) as Record<string, unknown> };
  } catch (e) {
    if (e instanceof CellError) return { error: e.message };
    throw e;
  }
}

/** The offer part of a row, or null when the row has no offer (no offerId and no region). */
export function offerFromRow(row: Row): { value: Record<string, unknown> | null } | { error: string } {
  if (!row.offerId && !row.region) return { value: null };
  try {
    const region = (row.region ?? '').toUpperCase();
    const currency = (row.currency || marketplaceByCode(region)?.currency || '').toUpperCase();
    if (!currency) throw new CellError(`region: ${JSON.stringify(row.region)} is not a known marketplace`);
    const price = money(row, 'price', currency);
    if (price === undefined) throw new CellError('price: required for an offer');
    const tiers = list(row.quantityTiers)?.map((t) => {
      const [q, p] = t.split(':');
      const minor = p === undefined ? null : parseDecimal(p, currency);
      if (!q || !/^\d+$/.test(q) || minor === null) throw new CellError(`quantityTiers: ${JSON.stringify(t)} is not quantity:price`);
      return { minQuantity: Number(q), price: minor };
    });
    const value = {
      offerId: row.offerId ?? '',
      region,
      merchantId: row.merchantId ?? '',
      sku: opt(row.sku),
      condition: (row.condition || 'NEW').toUpperCase(),
      subCondition: opt(row.subCondition?.toUpperCase()),
      conditionNote: opt(row.conditionNote),
      currency,
      price,
      listPrice: money(row, 'listPrice', currency),
      businessPrice: money(row, 'businessPrice', currency),
      quantityTiers: tiers,
      prime: bool(row, 'prime'),
      fulfillment: (row.fulfillment || 'MERCHANT_FULFILLMENT').toUpperCase(),
      stock: int(row, 'stock') ?? 0,
      minQuantity: int(row, 'minQuantity'),
      maxQuantity: int(row, 'maxQuantity'),
      shipping: {
        cost: money(row, 'shippingCost', currency) ?? 0,
        freeOver: money(row, 'freeShippingOver', currency),
        minDays: int(row, 'deliveryMinDays') ?? 2,
        maxDays: int(row, 'deliveryMaxDays') ?? int(row, 'deliveryMinDays') ?? 5,
      },
    };
    return { value: JSON.parse(JSON.stringify(value)) as Record<string, unknown> };
  } catch (e) {
    if (e instanceof CellError) return { error: e.message };
    throw e;
  }
}

import { createHash } from 'node:crypto';

/** One of Amazon's published model files the conformance suite checked this version against. */
export interface CheckedModel {
  /** The API's slug (`product-search`). */
  readonly api: string;
  /** The file, relative to the reference models folder. */
  readonly file: string;
  /** The model's own `info.version`. */
  readonly modelVersion: string;
  /** The first 16 hex digits of the file's SHA-256 (as listed in the reference folder's SOURCES.md). */
  readonly sha256: string;
}

/** Describes a model file the way CHECKED_MODELS records it. */
export function describeModel(api: string, file: string, bytes: Buffer): CheckedModel {
  const info = (JSON.parse(bytes.toString('utf8')) as { info?: { version?: unknown } }).info;
  return {
    api,
    file,
    modelVersion: typeof info?.version === 'string' ? info.version : 'unknown',
    sha256: createHash('sha256').update(bytes).digest('hex').slice(0, 16),
  };
}

// Written by scripts/record-checked-models.ts; test/conformance/checked-models.test.ts keeps it true.
export const CHECKED_MODELS: readonly CheckedModel[] = [
  {
    api: 'product-search',
    file: 'product-search/ProductSearch_API.json',
    modelVersion: '2020-08-26',
    sha256: '1cf0e9a0a3fd3684',
  },
  {
    api: 'ordering',
    file: 'ordering/Ordering_API.json',
    modelVersion: '1.0.0',
    sha256: '1b49a0cabe8e2560',
  },
  {
    api: 'cart',
    file: 'cart/Cart_API.json',
    modelVersion: '2025-04-30',
    sha256: 'c0fcf63640e853fe',
  },
  {
    api: 'package-tracking',
    file: 'package-tracking/PackageTracking_API.json',
    modelVersion: '2025-07-02',
    sha256: 'bd2515cfec070f78',
  },
  {
    api: 'reconciliation',
    file: 'reconciliation/Reconciliation_API.json',
    modelVersion: '2021-01-08',
    sha256: '50fd6385afe281cf',
  },
  {
    api: 'reporting-2025-06-09',
    file: 'reporting/Reporting_API_v2025_06_09.json',
    modelVersion: '2025-06-09',
    sha256: 'd79df0c1d0c83ea8',
  },
  {
    api: 'reporting-2021-01-08',
    file: 'reporting/Reporting_API_v2021_01_08.json',
    modelVersion: '2021-01-08',
    sha256: 'aee01523b9466734',
  },
  {
    api: 'document',
    file: 'document/Document_API_v1.json',
    modelVersion: '2021-09-30',
    sha256: '863a68a74aac3352',
  },
  {
    api: 'user-management',
    file: 'user-management/UserManagement_API.json',
    modelVersion: '2021-08-30',
    sha256: '842e5b223335b807',
  },
  {
    api: 'application-management',
    file: 'application-management/ApplicationManagement_API.json',
    modelVersion: '2023-11-30',
    sha256: 'ea8c9466d8a5b5e9',
  },
];

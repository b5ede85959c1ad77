/** Platform reference data: regions, marketplaces and Amazon Business roles (platform spec 2.1, 4.2). */
export const REGIONS = ['NA', 'EU', 'FE'] as const;
export type Region = (typeof REGIONS)[number];
export type Environment = 'production' | 'sandbox';

export interface Marketplace {
  /** The region code the APIs take (`productRegion`, `region`): UK, not GB. */
  code: string;
  country: string;
  marketplaceId: string;
  region: Region;
  currency: string;
  defaultLocale: string;
  /** The marketplace's Amazon host, where a deployment maps it to the consent page. */
  host: string;
}

export const MARKETPLACES: readonly Marketplace[] = [
  {
    code: 'US',
    country: 'United States',
    marketplaceId: 'ATVPDKIKX0DER',
    region: 'NA',
    currency: 'USD',
    defaultLocale: 'en_US',
    host: 'www.amazon.com',
  },
  {
    code: 'CA',
    country: 'Canada',
    marketplaceId: 'A2EUQ1WTGCTBG2',
    region: 'NA',
    currency: 'CAD',
    defaultLocale: 'en_CA',
    host: 'www.amazon.ca',
  },
  {
    code: 'MX',
    country: 'Mexico',
    marketplaceId: 'A1AM78C64UM0Y8',
    region: 'NA',
    currency: 'MXN',
    defaultLocale: 'es_MX',
    host: 'www.amazon.com.mx',
  },
  {
    code: 'UK',
    country: 'United Kingdom',
    marketplaceId: 'A1F83G8C2ARO7P',
    region: 'EU',
    currency: 'GBP',
    defaultLocale: 'en_GB',
    host: 'www.amazon.co.uk',
  },
  {
    code: 'DE',
    country: 'Germany',
    marketplaceId: 'A1PA6795UKMFR9',
    region: 'EU',
    currency: 'EUR',
    defaultLocale: 'de_DE',
    host: 'www.amazon.de',
  },
  {
    code: 'FR',
    country: 'France',
    marketplaceId: 'A13V1IB3VIYZZH',
    region: 'EU',
    currency: 'EUR',
    defaultLocale: 'fr_FR',
    host: 'www.amazon.fr',
  },
  {
    code: 'ES',
    country: 'Spain',
    marketplaceId: 'A1RKKUPIHCS9HS',
    region: 'EU',
    currency: 'EUR',
    defaultLocale: 'es_ES',
    host: 'www.amazon.es',
  },
  {
    code: 'IT',
    country: 'Italy',
    marketplaceId: 'APJ6JRA9NG5V4',
    region: 'EU',
    currency: 'EUR',
    defaultLocale: 'it_IT',
    host: 'www.amazon.it',
  },
  {
    code: 'IN',
    country: 'India',
    marketplaceId: 'A21TJRUUN4KGV',
    region: 'EU',
    currency: 'INR',
    defaultLocale: 'en_IN',
    host: 'www.amazon.in',
  },
  {
    code: 'AU',
    country: 'Australia',
    marketplaceId: 'A39IBJ37TRP1C6',
    region: 'FE',
    currency: 'AUD',
    defaultLocale: 'en_AU',
    host: 'www.amazon.com.au',
  },
  {
    code: 'JP',
    country: 'Japan',
    marketplaceId: 'A1VC38T7YXB528',
    region: 'FE',
    currency: 'JPY',
    defaultLocale: 'ja_JP',
    host: 'www.amazon.co.jp',
  },
];

const byCode = new Map(MARKETPLACES.map((m) => [m.code, m]));
export const marketplaceByCode = (code: string): Marketplace | undefined => byCode.get(code.toUpperCase());
export const marketplaceByHost = (host: string): Marketplace | undefined =>
  MARKETPLACES.find((m) => m.host === host.toLowerCase() || m.host.replace(/^www\./, '') === host.toLowerCase());

/** The five Amazon Business roles, by their exact names. */
export const ROLES = [
  'Business Product Catalog',
  'Amazon Business Analytics',
  'Business Purchase Reconciliation',
  'Amazon Business Order Placement',
  'User Management',
] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** Which APIs each role opens (spec 2.1, api-operations.md section 1). */
export const ROLE_APIS: Record<Role, readonly string[]> = {
  'Business Product Catalog': ['Product Search'],
  'Amazon Business Analytics': ['Reporting 2021-01-08', 'Reporting 2025-06-09'],
  'Business Purchase Reconciliation': ['Reconciliation', 'Document'],
  'Amazon Business Order Placement': ['Ordering', 'Cart', 'Package Tracking'],
  'User Management': ['User Management'],
};

export const BUSINESS_USER_ROLES = ['Administrator', 'Requisitioner', 'Finance', 'Tech', 'PunchoutUser'] as const;
export type BusinessUserRole = (typeof BUSINESS_USER_ROLES)[number];

/** Product Search fields that are absent unless an operator grants them to the app (spec 7.2.2). */
export const PRIVILEGED_FIELDS = [
  'meanFeedbackRating',
  'totalFeedbackCount',
  'merchantId',
  'taxonomies',
  'customerReviewsSummary',
  'editorialReviews',
  'bookInformation',
  'byLine',
  'mediaInformation',
  'format',
] as const;
export type PrivilegedField = (typeof PRIVILEGED_FIELDS)[number];

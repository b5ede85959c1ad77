import type { AccountsService, BusinessUser } from '../../modules/accounts/index.ts';
import type { CatalogService, Merchant, ProductRecord } from '../../modules/catalog/index.ts';
import { totalOf, type OrderView } from '../../modules/purchasing/index.ts';

/**
 * What the reports say about an order besides the order itself, read once per page: the business's
 * people and groups by id and email, and the products and sellers of the page's lines from the
 * catalog (a product no longer in the catalog keeps the title the order stored).
 */
export class ReportFacts {
  private users = new Map<string, BusinessUser>();
  private usersByEmail = new Map<string, BusinessUser>();
  private groups = new Map<string, string>();
  private products = new Map<string, ProductRecord>();
  private merchants = new Map<string, Merchant>();
  businessName = '';

  private constructor() {}

  /** The facts of a business's orders. */
  static async load(
    deps: { accounts: AccountsService; catalog: CatalogService },
    businessId: string,
    orders: readonly OrderView[],
  ): Promise<ReportFacts> {
    const f = new ReportFacts();
    const [business, users, groups] = await Promise.all([
      deps.accounts.getBusiness(businessId),
      deps.accounts.listUsers(businessId),
      deps.accounts.listGroups(businessId),
    ]);
    f.businessName = business.name;
    for (const u of users) {
      f.users.set(u.id, u);
      f.usersByEmail.set(u.email.toLowerCase(), u);
    }
    for (const g of groups) f.groups.set(g.id, g.name);
    const byRegion = new Map<string, Set<string>>();
    for (const o of orders)
      for (const l of o.lines) if (l.asin) byRegion.set(o.region, (byRegion.get(o.region) ?? new Set()).add(l.asin.toUpperCase()));
    for (const [region, asins] of byRegion) {
      const { products, merchants } = await deps.catalog.productRecords([...asins], region);
      for (const [asin, p] of products) f.products.set(`${region}|${asin}`, p);
      for (const [id, m] of merchants) f.merchants.set(id, m);
    }
    return f;
  }

  /** The buyer of an order: name and email (the email alone when the account is gone). */
  buyer(order: OrderView): { name: string; email: string } {
    const u = this.usersByEmail.get(order.buyerEmail.toLowerCase());
    return { name: u?.name ?? order.buyerEmail, email: order.buyerEmail };
  }

  /** Who approved an order, when an administrator did. */
  approver(order: OrderView): { name: string; email: string } | null {
    if (order.approvedAt === null || order.approvalReason === null || !order.approvedBy) return null;
    const id = order.approvedBy.replace(/^(business_user|user):/, '');
    const u = this.users.get(id);
    return u ? { name: u.name, email: u.email } : { name: order.approvedBy, email: '' };
  }

  groupName(order: OrderView): string | null {
    return order.groupId === null ? null : (this.groups.get(order.groupId) ?? null);
  }

  product(order: OrderView, asin: string | null): ProductRecord | null {
    return asin ? (this.products.get(`${order.region}|${asin.toUpperCase()}`) ?? null) : null;
  }

  merchant(id: string | null): Merchant | null {
    return id ? (this.merchants.get(id) ?? null) : null;
  }
}

/** The auxiliary values sent with an order (cost center, GL code, …) as the reports' businessOrderInfo. */
export function businessOrderInfo(order: OrderView): Record<string, string> {
  const aux = order.extras.auxiliary;
  const out: Record<string, string> = {};
  if (typeof aux !== 'object' || aux === null) return out;
  for (const [name, v] of Object.entries(aux as Record<string, unknown>)) {
    const value = typeof v === 'object' && v !== null ? (v as { value?: unknown }).value : v;
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

/** The UNSPSC segment of each department, for products the catalog classifies no further. */
const DEPARTMENT_SEGMENTS: Readonly<Record<string, string>> = {
  ELECTRONICS: '43000000',
  MOBILE_AND_ACCESSORIES: '43000000',
  VIDEO_GAMES: '43000000',
  KINDLE_STORE: '43000000',
  MOBILE_APPS: '43000000',
  OFFICE_PRODUCTS: '44000000',
  FURNITURE: '56000000',
  HOME_AND_KITCHEN: '52000000',
  APPLIANCES: '52000000',
  INDUSTRIAL: '23000000',
  TOOLS_AND_HOME_IMPROVEMENT: '27000000',
  AUTOMOTIVE: '25000000',
  SPORTS_AND_OUTDOORS: '49000000',
  TOYS_AND_GAMES: '60000000',
  ARTS_AND_CRAFTS: '60000000',
  MUSICAL_INSTRUMENTS: '60000000',
  HEALTH_PERSONAL_CARE: '53000000',
  BEAUTY: '53000000',
  BABY: '53000000',
  GROCERY_AND_GOURMET_FOOD: '50000000',
  BOOKS: '55000000',
  PET_SUPPLIES: '10000000',
  GARDEN_AND_OUTDOOR: '10000000',
};

/** A product's UNSPSC code: the catalog's (8 digits), else its department's segment, else 00000000 (not classified). */
export function unspscOf(p: ProductRecord | null): string {
  const code = p?.taxonomies?.find((t) => t.type === 'UNSPSC')?.code;
  if (code && /^[0-9]{8}$/.test(code)) return code;
  return (p && DEPARTMENT_SEGMENTS[p.department]) ?? '00000000';
}

/** An order's amounts as the reports show them: its lines less what the seller cancelled (minor units). */
export function orderAmounts(order: OrderView): { subtotal: number; shipping: number; tax: number; total: number; quantity: number } {
  let [subtotal, shipping, tax, quantity] = [0, 0, 0, 0];
  for (const l of order.lines) {
    if (l.accepted <= 0 || order.cancelled.has(l.lineNo)) continue;
    subtotal += l.price.subtotalMinor;
    shipping += l.price.shippingMinor;
    tax += l.price.taxMinor;
    quantity += l.accepted;
  }
  return { subtotal, shipping, tax, total: totalOf(order.region, subtotal, shipping, tax), quantity };
}

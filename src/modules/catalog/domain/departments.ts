/** Top-level departments (the `category` parameter and the Department refinement). */
export interface Department {
  id: string;
  displayName: string;
  /** The `search-alias#<alias>` searchRefinementValue. */
  alias: string;
}

export const DEPARTMENTS: readonly Department[] = [
  { id: 'ELECTRONICS', displayName: 'Electronics', alias: 'electronics' },
  { id: 'AUTOMOTIVE', displayName: 'Automotive Parts & Accessories', alias: 'automotive' },
  { id: 'HOME_AND_KITCHEN', displayName: 'Home & Kitchen', alias: 'garden' },
  { id: 'SPORTS_AND_OUTDOORS', displayName: 'Sports & Outdoors', alias: 'sporting' },
  { id: 'INDUSTRIAL', displayName: 'Industrial & Scientific', alias: 'industrial' },
  { id: 'TOYS_AND_GAMES', displayName: 'Toys & Games', alias: 'toys-and-games' },
  { id: 'TOOLS_AND_HOME_IMPROVEMENT', displayName: 'Tools & Home Improvement', alias: 'tools' },
  { id: 'EVERYTHING_ELSE', displayName: 'Everything Else', alias: 'misc' },
  { id: 'OFFICE_PRODUCTS', displayName: 'Office Products', alias: 'office-products' },
  { id: 'HEALTH_PERSONAL_CARE', displayName: 'Health, Household & Baby Care', alias: 'hpc' },
  { id: 'BEAUTY', displayName: 'Beauty & Personal Care', alias: 'beauty' },
  { id: 'MOBILE_AND_ACCESSORIES', displayName: 'Cell Phones & Accessories', alias: 'mobile' },
  { id: 'BABY', displayName: 'Baby', alias: 'baby-products' },
  { id: 'GARDEN_AND_OUTDOOR', displayName: 'Garden & Outdoor', alias: 'lawngarden' },
  { id: 'ARTS_AND_CRAFTS', displayName: 'Arts, Crafts & Sewing', alias: 'arts-crafts' },
  { id: 'PET_SUPPLIES', displayName: 'Pet Supplies', alias: 'pets' },
  { id: 'GROCERY_AND_GOURMET_FOOD', displayName: 'Grocery & Gourmet Food', alias: 'grocery' },
  { id: 'VIDEO_GAMES', displayName: 'Video Games', alias: 'videogames' },
  { id: 'APPLIANCES', displayName: 'Appliances', alias: 'appliances' },
  { id: 'HANDMADE', displayName: 'Handmade', alias: 'handmade' },
  { id: 'MUSICAL_INSTRUMENTS', displayName: 'Musical Instruments', alias: 'mi' },
  { id: 'BOOKS', displayName: 'Books', alias: 'stripbooks' },
  { id: 'GIFT_CARDS', displayName: 'Gift Cards', alias: 'gift-cards' },
  { id: 'KINDLE_STORE', displayName: 'Kindle Store', alias: 'digital-text' },
  { id: 'MOBILE_APPS', displayName: 'Apps & Games', alias: 'mobile-apps' },
  { id: 'COLLECTIBLES', displayName: 'Collectibles & Fine Art', alias: 'collectibles' },
  { id: 'LOCAL_SERVICES', displayName: 'Home & Business Services', alias: 'local-services' },
];

const byId = new Map(DEPARTMENTS.map((d) => [d.id, d]));
const byAlias = new Map(DEPARTMENTS.map((d) => [d.alias, d]));

/** A department by id, case-insensitively. */
export const departmentById = (id: string): Department | undefined => byId.get(id.trim().toUpperCase());
export const departmentByAlias = (alias: string): Department | undefined => byAlias.get(alias.trim().toLowerCase());

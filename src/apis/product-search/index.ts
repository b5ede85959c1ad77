/** The Product Search API (2020-08-26) as a Fastify plugin. */
export { productSearchPlugin, PATHS as PRODUCT_SEARCH_PATHS, MAX_BATCH } from './product-search.plugin.ts';
export type { ProductSearchPluginOptions, BuyingPolicyInput } from './product-search.plugin.ts';
export type * from './product-search.wire.ts';

/** The operators' JSON API under /admin/v1, behind an operator API key. */
export { adminRoutes } from './admin.routes.ts';

/** The demo world: a business, a developer with an app, and the sample catalog, seeded on first start in local mode. */
export { DEMO, demoRedirectUris, describeDemo, isDemoSeeded, localBaseUrl, seedApprovedDeveloper, seedDemo } from './demo.ts';
/** The demo's OAuth callback pages. */
export { demoRoutes } from './demo.routes.ts';
/** Credentials whose secrets are published here, refused or disabled in production mode. */
export { describePublished, disablePublishedCredentials, findPublishedCredentials, type PublishedCredential } from './published.ts';
export { DEMO_HISTORY, MAX_HISTORY_ORDERS, generateHistory, type HistoryOptions } from './history.ts';

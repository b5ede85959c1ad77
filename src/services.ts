import type { AccountsService } from './modules/accounts/index.ts';
import type { CatalogService } from './modules/catalog/index.ts';
import type { AppsService, DevelopersService, ReviewsService } from './modules/developers/index.ts';
import type { OperatorsService } from './modules/operators/index.ts';
import type { OAuthService } from './modules/oauth/index.ts';

/** The services of every module, built once by the composition root. */
export interface Services {
  accounts: AccountsService;
  developers: DevelopersService;
  apps: AppsService;
  reviews: ReviewsService;
  operators: OperatorsService;
  oauth: OAuthService;
  /** Products, offers and merchants; searches (the one instance of the process, so its caches are shared). */
  catalog: CatalogService;
}

import type { AccountsService } from './modules/accounts/accounts.service.ts';
import type { AppsService } from './modules/developers/apps.service.ts';
import type { DevelopersService } from './modules/developers/developers.service.ts';
import type { ReviewsService } from './modules/developers/reviews.service.ts';
import type { OperatorsService } from './modules/operators/operators.service.ts';
import type { OAuthService } from './modules/oauth/oauth.service.ts';

/** The services of every module, built once by the composition root. */
export interface Services {
  accounts: AccountsService;
  developers: DevelopersService;
  apps: AppsService;
  reviews: ReviewsService;
  operators: OperatorsService;
  oauth: OAuthService;
}

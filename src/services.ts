import type { AccountsService } from './modules/accounts/index.ts';
import type { CatalogService } from './modules/catalog/index.ts';
import type { AppsService, DevelopersService, ReviewsService } from './modules/developers/index.ts';
import type { OperatorsService } from './modules/operators/index.ts';
import type { OAuthService } from './modules/oauth/index.ts';
import type { TransitionService } from './modules/emulator/index.ts';
import type { PurchasingService } from './modules/purchasing/index.ts';
import type { CartsService } from './modules/carts/index.ts';
import type { DocumentsService } from './modules/documents/index.ts';

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
  /** The emulator's transition overrides of stateful resources (rows only: no cache). */
  transitions: TransitionService;
  /** Orders, the one source of truth the Ordering, tracking, reporting and reconciliation APIs read. */
  purchasing: PurchasingService;
  /** Buyers' carts, priced by the purchasing module's quote. */
  carts: CartsService;
  /** The Document API's report jobs and their documents (invoice PDFs, CSV reports), over the purchasing data. */
  documents: DocumentsService;
}

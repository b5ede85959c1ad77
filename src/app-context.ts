import type { Config } from './config/config.ts';
import type { Clock } from './kernel/clock.ts';
import type { Db } from './platform/db/database.ts';
import type { AuditService } from './modules/audit/audit.service.ts';
import type { EventBus } from './kernel/events.ts';

/** Everything the modules share, built once by the composition root (src/app.ts). */
export interface AppContext {
  readonly config: Config;
  readonly db: Db;
  readonly clock: Clock;
  readonly audit: AuditService;
  /** Cache invalidations (token revocations, usage plans, roles…), bridged across processes by Redis when configured. */
  readonly events: EventBus;
}

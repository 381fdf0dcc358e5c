import { type OperationalCounts, operationalCounts } from '../db/metrics-repo.ts';
import type { Actor } from './actor.ts';
import { authorize } from './authorize.ts';
import type { ServiceContext } from './context.ts';

export type { OperationalCounts };

/** The database's side of /metrics: deliveries by state, subscribers by standing, the backlog. */
export async function readOperationalCounts(ctx: ServiceContext, actor: Actor): Promise<OperationalCounts> {
  authorize(actor, 'read');
  return operationalCounts(ctx.db);
}

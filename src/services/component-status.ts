import { findComponent, insertStatusChange, updateComponentRow } from '../db/components-repo.ts';
import type { ComponentStatus } from '../domain/component-status.ts';
import { type Actor, actorId } from './actor.ts';
import type { Trx } from './context.ts';
import { NotFound } from './errors.ts';

export type StatusCause = { incidentId: string | null; updateId: string | null };

/**
 * The one way a component's status changes: the row and its history entry are written together,
 * and nothing is written when the status is already the requested one.
 */
export async function setComponentStatus(
  trx: Trx,
  componentId: string,
  to: ComponentStatus,
  actor: Actor,
  at: string,
  cause: StatusCause = { incidentId: null, updateId: null },
): Promise<{ from: ComponentStatus; to: ComponentStatus } | null> {
  const current = await findComponent(trx, componentId);
  if (!current) throw new NotFound(`Component ${componentId} does not exist`);
  if (current.status === to) return null;
  await updateComponentRow(trx, componentId, { status: to, updated_at: at });
  await insertStatusChange(trx, {
    componentId,
    from: current.status,
    to,
    at,
    actorId: actorId(actor),
    actorLabel: actor.label,
    incidentId: cause.incidentId,
    updateId: cause.updateId,
  });
  return { from: current.status, to };
}

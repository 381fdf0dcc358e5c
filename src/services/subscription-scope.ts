import { findComponents } from '../db/components-repo.ts';
import { findIncidentByCode } from '../db/incidents-repo.ts';
import * as repo from '../db/subscriptions-repo.ts';
import { isClosedStatus } from '../domain/incident.ts';
import type { Trx } from './context.ts';
import { Invalid } from './errors.ts';

export type ComponentChoice = { all: true } | { all: false; componentIds: string[] };

/** What a subscription follows: every update, some components' updates, or one incident's. */
export type SubscriptionScope = ComponentChoice | { incidentCode: string };

/** The stored form: the incident's id, or the component choice. */
export type ResolvedScope =
  { incidentId: string; incidentName: string } | { incidentId: null; choice: ComponentChoice };

export function isIncidentScope(scope: SubscriptionScope): scope is { incidentCode: string } {
  return 'incidentCode' in scope;
}

export async function resolveScope(trx: Trx, scope: SubscriptionScope): Promise<ResolvedScope> {
  if (isIncidentScope(scope)) {
    const incident = await findIncidentByCode(trx, scope.incidentCode);
    if (!incident || incident.cancelled_at)
      throw new Invalid('There is no such incident on this page', [{ field: 'incident', message: 'unknown' }]);
    if (isClosedStatus(incident.status) && (incident.postmortem_published_at || !incident.postmortem_body))
      throw new Invalid('This incident is over: there are no more updates to follow', [
        { field: 'incident', message: 'over' },
      ]);
    return { incidentId: incident.id, incidentName: incident.name };
  }
  await checkComponents(trx, scope);
  return { incidentId: null, choice: scope };
}

async function checkComponents(trx: Trx, choice: ComponentChoice): Promise<void> {
  if (choice.all) return;
  if (choice.componentIds.length === 0)
    throw new Invalid('Choose at least one component, or all of them', [
      { field: 'components', message: 'none chosen' },
    ]);
  const found = new Set(
    (await findComponents(trx, choice.componentIds)).filter((c) => c.hidden === 0).map((c) => c.id),
  );
  const unknown = choice.componentIds.filter((id) => !found.has(id));
  if (unknown.length)
    throw new Invalid(
      'Unknown component',
      unknown.map((id) => ({ field: 'components', message: `no component ${id}` })),
    );
}

/** The columns and chosen components a scope is stored as. */
export function scopeColumns(scope: ResolvedScope): { all_components: 0 | 1; incident_id: string | null } {
  if (scope.incidentId !== null) return { all_components: 0, incident_id: scope.incidentId };
  return { all_components: scope.choice.all ? 1 : 0, incident_id: null };
}

export function storeChosenComponents(trx: Trx, subscriberId: number, scope: ResolvedScope): Promise<void> {
  const ids = scope.incidentId !== null || scope.choice.all ? [] : scope.choice.componentIds;
  return repo.setChosenComponents(trx, subscriberId, ids);
}

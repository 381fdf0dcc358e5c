import * as team from '../db/incident-team-repo.ts';
import { findUser } from '../db/users-repo.ts';
import { INCIDENT_ROLE_LABELS, INCIDENT_ROLES, type IncidentRoleName } from '../domain/incident-roles.ts';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize } from './authorize.ts';
import { iso, type ServiceContext, write } from './context.ts';
import { Invalid } from './errors.ts';
import { recordIncidentLog } from './incident-log.ts';
import { requireIncident } from './incidents.ts';

export type IncidentRoleView = {
  role: IncidentRoleName;
  user_id: string;
  name: string;
  email: string;
  assigned_at: string;
};

export async function rolesOfIncident(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
): Promise<IncidentRoleView[]> {
  authorize(actor, 'read');
  const rows = await team.rolesOf(ctx.db, incidentId);
  return INCIDENT_ROLES.flatMap((role) => {
    const row = rows.find((r) => r.role === role);
    return row ? [{ role, user_id: row.user_id, name: row.name, email: row.email, assigned_at: row.assigned_at }] : [];
  });
}

/**
 * Who holds which role on this incident. Roles left out are unchanged; null clears one. Each
 * change is written to the incident's log, so the timeline says who took command when.
 */
export async function assignRoles(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
  roles: Partial<Record<IncidentRoleName, string | null>>,
): Promise<IncidentRoleView[]> {
  authorize(actor, 'manage_incidents');
  await write(ctx, async (trx) => {
    await requireIncident(trx, incidentId);
    const at = iso(ctx.now());
    const before = new Map((await team.rolesOf(trx, incidentId)).map((r) => [r.role, r]));
    const changes: Record<string, { from: string | null; to: string | null }> = {};
    for (const role of INCIDENT_ROLES) {
      if (!(role in roles)) continue;
      const userId = roles[role] || null;
      if ((before.get(role)?.user_id ?? null) === userId) continue;
      const user = userId ? await findUser(trx, userId) : undefined;
      if (userId && !user)
        throw new Invalid('Choose a member of the team', [{ field: role, message: `no member ${userId}` }]);
      await team.setRole(trx, incidentId, role, userId, at);
      changes[role] = { from: before.get(role)?.name ?? null, to: user?.name ?? null };
      await recordIncidentLog(trx, actor, at, {
        incidentId,
        kind: 'role',
        body: user
          ? `${user.name} is ${INCIDENT_ROLE_LABELS[role].toLowerCase()}`
          : `No ${INCIDENT_ROLE_LABELS[role].toLowerCase()} any more`,
        details: { role, user_id: userId },
      });
    }
    if (Object.keys(changes).length > 0)
      await recordAudit(trx, actor, at, {
        action: 'incident.roles',
        targetType: 'incident',
        targetId: incidentId,
        details: changes,
      });
  });
  return rolesOfIncident(ctx, actor, incidentId);
}

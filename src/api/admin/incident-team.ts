import { z } from 'zod';
import { INCIDENT_ROLES } from '../../domain/incident-roles.ts';
import type { ServiceContext } from '../../services/context.ts';
import { incidentLogOf } from '../../services/incident-log.ts';
import { assignRoles, rolesOfIncident } from '../../services/incident-roles.ts';
import { acknowledgeUpdateDue } from '../../services/incidents.ts';
import { addInternalNote } from '../../services/internal-notes.ts';
import { approveUpdate, declineUpdate, pendingUpdatesOf } from '../../services/update-approval.ts';
import type { RouteTable } from '../routes.ts';

const note = z.strictObject({ body: z.string().max(20_000) });
const roles = z
  .strictObject(Object.fromEntries(INCIDENT_ROLES.map((role) => [role, z.string().max(64).nullable().optional()])))
  .refine((v) => Object.keys(v).length > 0, 'name at least one role');
const decline = z.strictObject({ reason: z.string().max(500).default('') });

/** The team's side of an incident: notes, roles, updates waiting for approval, "nothing new". */
export function incidentTeamRoutes(routes: RouteTable, ctx: ServiceContext): void {
  routes.add({
    method: 'get',
    path: '/incidents/:id/log',
    tag: 'Incident team',
    role: 'viewer',
    summary: "The team's side of an incident: internal notes, changes, roles and approvals, oldest first",
    handler: ({ actor, param }) => incidentLogOf(ctx, actor, param('id')),
  });
  routes.add({
    method: 'post',
    path: '/incidents/:id/notes',
    tag: 'Incident team',
    role: 'editor',
    summary: 'Add an internal note: the team and stakeholders read it; nothing public does',
    body: note,
    status: 201,
    handler: ({ actor, body, param }) => addInternalNote(ctx, actor, param('id'), body.body),
  });
  routes.add({
    method: 'get',
    path: '/incidents/:id/roles',
    tag: 'Incident team',
    role: 'viewer',
    summary: 'Who holds which response role',
    handler: ({ actor, param }) => rolesOfIncident(ctx, actor, param('id')),
  });
  routes.add({
    method: 'put',
    path: '/incidents/:id/roles',
    tag: 'Incident team',
    role: 'editor',
    summary: 'Assign response roles (user ids; null clears one, a role left out is unchanged)',
    body: roles,
    handler: ({ actor, body, param }) =>
      assignRoles(ctx, actor, param('id'), body as Partial<Record<(typeof INCIDENT_ROLES)[number], string | null>>),
  });
  routes.add({
    method: 'get',
    path: '/incidents/:id/pending-updates',
    tag: 'Incident team',
    role: 'viewer',
    summary: 'Updates held for approval, and how each was settled',
    handler: ({ actor, param }) => pendingUpdatesOf(ctx, actor, param('id')),
  });
  routes.add({
    method: 'post',
    path: '/incidents/:id/pending-updates/:pendingId/approve',
    tag: 'Incident team',
    role: 'editor',
    summary: 'Approve an update written by another member: it is posted and notifies as asked',
    handler: ({ actor, param }) => approveUpdate(ctx, actor, param('id'), param('pendingId')),
  });
  routes.add({
    method: 'post',
    path: '/incidents/:id/pending-updates/:pendingId/decline',
    tag: 'Incident team',
    role: 'editor',
    summary: 'Send an update back with a reason, or withdraw your own',
    body: decline,
    handler: ({ actor, body, param }) => declineUpdate(ctx, actor, param('id'), param('pendingId'), body.reason),
  });
  routes.add({
    method: 'post',
    path: '/incidents/:id/update-due/acknowledge',
    tag: 'Incident team',
    role: 'editor',
    summary: 'Nothing new to tell customers: restart the public update clock',
    status: 204,
    handler: ({ actor, param }) => acknowledgeUpdateDue(ctx, actor, param('id')),
  });
}

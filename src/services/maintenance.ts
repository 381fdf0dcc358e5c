import { findComponents } from '../db/components-repo.ts';
import * as repo from '../db/incidents-repo.ts';
import type { Incident } from '../db/schema.ts';
import { statusWhenMaintenanceStarts } from '../domain/component-release.ts';
import type { MaintenanceStatus } from '../domain/incident.ts';
import { rearmsReminder, reminderAtScheduling } from '../domain/maintenance-reminder.ts';
import { newCode, newId } from '../lib/ids.ts';
import { type Actor, actorId, SCHEDULER } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize } from './authorize.ts';
import { iso, type ServiceContext, type Trx, write } from './context.ts';
import { Conflict, Invalid } from './errors.ts';
import { sendDueReminders } from './maintenance-reminders.ts';
import { type IncidentView } from './incident-view.ts';
import { incidentRow } from './incident-row.ts';
import { appendUpdate, type ComponentStatusMap, incidentTags, requireIncident, viewOf } from './incidents.ts';
import type { z } from 'zod';
import type * as schemas from './schemas.ts';
import * as writes from '../db/incident-writes-repo.ts';

export type NewMaintenance = z.output<typeof schemas.maintenanceCreate>;
export type MaintenancePatch = z.output<typeof schemas.maintenancePatch>;
const DEFAULT_BODIES: Record<MaintenanceStatus, string> = {
  scheduled: 'This maintenance has been scheduled.',
  in_progress: 'Scheduled maintenance is currently in progress. We will provide updates as necessary.',
  verifying: 'Verification is currently underway for the maintenance items.',
  completed: 'The scheduled maintenance has been completed.',
};

function checkWindow(from: string, until: string): void {
  if (Date.parse(until) <= Date.parse(from)) {
    throw new Invalid('The maintenance window must end after it starts', [
      { field: 'scheduled_until', message: 'must be later than scheduled_for' },
    ]);
  }
}

async function requireComponentIds(trx: Trx, ids: readonly string[]): Promise<void> {
  const found = new Set((await findComponents(trx, ids)).map((c) => c.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length)
    throw new Invalid(
      'Unknown component in the maintenance',
      missing.map((id) => ({ field: 'components', message: `no component ${id}` })),
    );
}

export async function scheduleMaintenance(
  ctx: ServiceContext,
  actor: Actor,
  input: NewMaintenance,
): Promise<IncidentView> {
  authorize(actor, 'manage_incidents');
  checkWindow(input.scheduled_for, input.scheduled_until);
  return write(ctx, async (trx, touch) => {
    await requireComponentIds(trx, input.components);
    const now = ctx.now();
    const at = iso(now);
    const scheduledFor = new Date(input.scheduled_for).toISOString();
    const maintenance = incidentRow(
      {
        id: newId(),
        code: newCode(),
        kind: 'maintenance',
        name: input.name,
        impact: 'none',
        status: 'scheduled',
        started_at: scheduledFor,
        created_by: actorId(actor),
        created_at: at,
        updated_at: at,
      },
      {
        scheduled_for: scheduledFor,
        scheduled_until: new Date(input.scheduled_until).toISOString(),
        auto_start: input.auto_start ? 1 : 0,
        auto_complete: input.auto_complete ? 1 : 0,
        remind_minutes_before: input.remind_minutes_before,
        reminded_at: reminderAtScheduling(scheduledFor, input.remind_minutes_before, now),
      },
    );
    await writes.insertIncident(trx, maintenance);
    await repo.attachComponents(trx, maintenance.id, input.components);
    await appendUpdate(trx, actor, maintenance, { status: 'scheduled', body: input.body, notify: input.notify }, at);
    await recordAudit(trx, actor, at, {
      action: 'maintenance.schedule',
      targetType: 'maintenance',
      targetId: maintenance.id,
      details: { ...input },
    });
    touch(...incidentTags(maintenance));
    return viewOf(trx, maintenance);
  });
}

export async function editMaintenance(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  patch: MaintenancePatch,
): Promise<IncidentView> {
  authorize(actor, 'manage_incidents');
  return write(ctx, async (trx, touch) => {
    const m = await requireIncident(trx, id, 'maintenance');
    if (m.status === 'completed') throw new Conflict('This maintenance is over and can no longer be changed');
    const from = patch.scheduled_for ?? m.scheduled_for ?? m.started_at;
    const until = patch.scheduled_until ?? m.scheduled_until ?? from;
    checkWindow(from, until);
    const now = ctx.now();
    const at = iso(now);
    const { components, auto_start, auto_complete, scheduled_for, scheduled_until, remind_minutes_before, ...rest } =
      patch;
    // Calendars replace an event they hold only when its SEQUENCE grows (RFC 5545 §3.8.7.4).
    const changes = (next: string | undefined, current: string | null) =>
      Boolean(next) && new Date(next ?? '').toISOString() !== current;
    const moved = changes(scheduled_for, m.scheduled_for) || changes(scheduled_until, m.scheduled_until);
    const reminder = {
      scheduled_for: scheduled_for ? new Date(scheduled_for).toISOString() : m.scheduled_for,
      remind_minutes_before: remind_minutes_before === undefined ? m.remind_minutes_before : remind_minutes_before,
      reminded_at: m.reminded_at,
    };
    await writes.updateIncidentRow(
      trx,
      id,
      {
        ...rest,
        ...(scheduled_for
          ? {
              scheduled_for: new Date(scheduled_for).toISOString(),
              ...(m.status === 'scheduled' ? { started_at: new Date(scheduled_for).toISOString() } : {}),
            }
          : {}),
        ...(scheduled_until ? { scheduled_until: new Date(scheduled_until).toISOString() } : {}),
        ...(auto_start === undefined ? {} : { auto_start: auto_start ? 1 : 0 }),
        ...(auto_complete === undefined ? {} : { auto_complete: auto_complete ? 1 : 0 }),
        ...(remind_minutes_before === undefined ? {} : { remind_minutes_before }),
        ...(rearmsReminder(m, reminder, now) ? { reminded_at: null } : {}),
        updated_at: at,
      },
      { bumpSequence: moved },
    );
    if (components) {
      if (m.status !== 'scheduled')
        throw new Conflict('Components of a maintenance under way cannot change; post an update instead');
      await requireComponentIds(trx, components);
      await repo.replaceComponents(trx, id, components);
    }
    await recordAudit(trx, actor, at, {
      action: 'maintenance.edit',
      targetType: 'maintenance',
      targetId: id,
      details: { ...patch },
    });
    touch(...incidentTags(m));
    return viewOf(trx, await requireIncident(trx, id));
  });
}

async function moveMaintenance(
  trx: Trx,
  actor: Actor,
  m: Incident,
  status: MaintenanceStatus,
  body: string | undefined,
  notify: boolean,
  at: string,
): Promise<void> {
  let components: ComponentStatusMap | undefined;
  if (status === 'in_progress' && m.status === 'scheduled') {
    const ids = (await repo.componentIdsOf(trx, [m.id])).get(m.id) ?? [];
    components = Object.fromEntries(
      (await findComponents(trx, ids)).map((c) => [c.id, statusWhenMaintenanceStarts(c.status)]),
    );
  }
  const updateId = await appendUpdate(
    trx,
    actor,
    m,
    { status, body: body ?? DEFAULT_BODIES[status], notify, components },
    at,
  );
  await recordAudit(trx, actor, at, {
    action: `maintenance.${status}`,
    targetType: 'maintenance',
    targetId: m.id,
    details: { update_id: updateId, notify },
  });
}

export async function setMaintenanceStatus(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  status: 'in_progress' | 'verifying' | 'completed',
  input: { body?: string; notify: boolean },
): Promise<IncidentView> {
  authorize(actor, 'manage_incidents');
  return write(ctx, async (trx, touch) => {
    const m = await requireIncident(trx, id, 'maintenance');
    await moveMaintenance(trx, actor, m, status, input.body, input.notify, iso(ctx.now()));
    touch(...incidentTags(m));
    return viewOf(trx, await requireIncident(trx, id));
  });
}

/** Only a maintenance that has not started can be cancelled; one under way is completed. */
export async function cancelMaintenance(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  input: { body?: string; notify: boolean },
): Promise<IncidentView> {
  authorize(actor, 'manage_incidents');
  return write(ctx, async (trx, touch) => {
    const m = await requireIncident(trx, id, 'maintenance');
    if (m.status !== 'scheduled')
      throw new Conflict(`This maintenance is ${m.status}; only scheduled maintenance can be cancelled`);
    const at = iso(ctx.now());
    await appendUpdate(
      trx,
      actor,
      m,
      {
        status: 'completed',
        body: input.body ?? 'This scheduled maintenance has been cancelled.',
        notify: input.notify,
      },
      at,
    );
    await writes.updateIncidentRow(trx, id, { cancelled_at: at }, { bumpSequence: true });
    await recordAudit(trx, actor, at, {
      action: 'maintenance.cancel',
      targetType: 'maintenance',
      targetId: id,
      details: { notify: input.notify },
    });
    touch(...incidentTags(m));
    return viewOf(trx, await requireIncident(trx, id));
  });
}

/**
 * One scheduler pass: reminds subscribers of the windows about to start, then starts and
 * completes the windows that asked for it. Each window moves in its own transaction so one bad
 * row cannot hold the others back.
 */
export async function runMaintenanceSchedule(
  ctx: ServiceContext,
): Promise<{ reminded: string[]; started: string[]; completed: string[] }> {
  const now = iso(ctx.now());
  const reminded = await sendDueReminders(ctx, now);
  const started: string[] = [];
  const completed: string[] = [];
  for (const m of await repo.maintenanceDueToStart(ctx.db, now)) {
    await write(ctx, async (trx, touch) => {
      const fresh = await requireIncident(trx, m.id, 'maintenance');
      if (fresh.status !== 'scheduled') return;
      await moveMaintenance(
        trx,
        SCHEDULER,
        fresh,
        'in_progress',
        undefined,
        await notifiedAtScheduling(trx, fresh.id),
        now,
      );
      touch(...incidentTags(fresh));
      started.push(fresh.id);
    });
  }
  for (const m of await repo.maintenanceDueToComplete(ctx.db, now)) {
    await write(ctx, async (trx, touch) => {
      const fresh = await requireIncident(trx, m.id, 'maintenance');
      if (fresh.status !== 'in_progress' && fresh.status !== 'verifying') return;
      await moveMaintenance(
        trx,
        SCHEDULER,
        fresh,
        'completed',
        undefined,
        await notifiedAtScheduling(trx, fresh.id),
        now,
      );
      touch(...incidentTags(fresh));
      completed.push(fresh.id);
    });
  }
  return { reminded, started, completed };
}

/** Automatic steps notify subscribers exactly when the scheduling announcement did. */
async function notifiedAtScheduling(trx: Trx, id: string): Promise<boolean> {
  return writes.firstUpdateNotified(trx, id);
}

import { enqueueNotification } from '../db/notifications-repo.ts';
import * as repo from '../db/incidents-repo.ts';
import * as writes from '../db/incident-writes-repo.ts';
import { isReminderDue } from '../domain/maintenance-reminder.ts';
import { SCHEDULER } from './actor.ts';
import { recordAudit } from './audit.ts';
import { type ServiceContext, write } from './context.ts';

/**
 * The scheduler's reminders: one notification per window whose reminder time has come, queued in
 * the transaction that marks the window reminded. The mark is the claim, so passes that overlap
 * (a slow pass, a second process) queue it once. Returns the windows reminded.
 */
export async function sendDueReminders(ctx: ServiceContext, now: string): Promise<string[]> {
  const reminded: string[] = [];
  for (const m of await repo.maintenanceAwaitingReminder(ctx.db, now)) {
    if (!isReminderDue(m, new Date(now))) continue;
    await write(ctx, async (trx) => {
      if (!(await writes.claimReminder(trx, m, now))) return;
      // A window announced without notifying is settled silently, like its other automatic steps.
      if (!(await writes.firstUpdateNotified(trx, m.id))) return;
      await enqueueNotification(trx, { incidentId: m.id, updateId: null, event: 'maintenance.reminder', at: now });
      await recordAudit(trx, SCHEDULER, now, {
        action: 'maintenance.remind',
        targetType: 'maintenance',
        targetId: m.id,
        details: { scheduled_for: m.scheduled_for, remind_minutes_before: m.remind_minutes_before },
      });
      reminded.push(m.id);
    });
  }
  return reminded;
}

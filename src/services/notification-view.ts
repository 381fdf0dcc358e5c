import type { Notification, Settings } from '../db/schema.ts';
import type { ServiceContext } from './context.ts';
import { type IncidentView, incidentViews } from './incident-view.ts';
import { readSettings } from './settings.ts';
import { findIncident } from '../db/incidents-repo.ts';

/** What every channel needs to word a notification: the page settings and the incident now. */
export async function notificationView(
  ctx: ServiceContext,
  notification: Notification,
): Promise<{ settings: Settings; incident: IncidentView }> {
  const settings = await readSettings(ctx.db);
  const row = await findIncident(ctx.db, notification.incident_id);
  const [incident] = row ? await incidentViews(ctx.db, [row]) : [];
  if (!incident) throw new Error(`incident ${notification.incident_id} is gone`);
  return { settings, incident };
}

/**
 * Built once per notification and shared by all its deliveries (a fan-out sends the same words
 * to every subscriber); a failed build is forgotten so the next delivery tries again.
 */
export class PerNotification<T> {
  #entries = new Map<number, Promise<T>>();
  #build: (notification: Notification) => Promise<T>;

  constructor(build: (notification: Notification) => Promise<T>) {
    this.#build = build;
  }

  get(notification: Notification): Promise<T> {
    let entry = this.#entries.get(notification.id);
    if (!entry) {
      entry = this.#build(notification);
      this.#entries.set(notification.id, entry);
      entry.catch(() => this.#entries.delete(notification.id));
      if (this.#entries.size > 100) this.#entries.delete(this.#entries.keys().next().value ?? -1);
    }
    return entry;
  }
}

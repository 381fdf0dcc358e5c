import type { Component, ComponentStatusChange, Notification, Settings } from '../db/schema.ts';
import { statusChangesOfUpdates } from '../db/components-repo.ts';
import { getPublicStatus, type PublicStatus } from './public-status.ts';
import type { ServiceContext } from './context.ts';
import { type IncidentView, publicIncidentViews } from './incident-view.ts';
import { readSettings } from './settings.ts';
import { findIncident } from '../db/incidents-repo.ts';

/** What every channel needs to word a notification: the page settings and the incident now. */
export async function notificationView(
  ctx: ServiceContext,
  notification: Notification,
): Promise<{ settings: Settings; incident: IncidentView }> {
  const settings = await readSettings(ctx.db);
  const row = await findIncident(ctx.db, notification.incident_id);
  const [incident] = row ? await publicIncidentViews(ctx.db, [row]) : [];
  if (!incident) throw new Error(`incident ${notification.incident_id} is gone`);
  return { settings, incident };
}

/** What webhook, Slack and Teams messages add: the page's indicator and components, and for a
 * component's own notice, its change. */
export type ChannelNotificationView = {
  settings: Settings;
  incident: IncidentView;
  status: PublicStatus['status'];
  components: Map<string, Component>;
  change: ComponentStatusChange | null;
};

export async function channelNotificationView(
  ctx: ServiceContext,
  notification: Notification,
): Promise<ChannelNotificationView> {
  const [{ settings, incident }, status] = await Promise.all([
    notificationView(ctx, notification),
    getPublicStatus(ctx),
  ]);
  const components = new Map(
    [...status.ungrouped, ...status.groups.flatMap((g) => g.components)].map((c) => [c.id, c]),
  );
  let change: ComponentStatusChange | null = null;
  if (notification.event === 'component.updated' && notification.update_id) {
    const [componentId] = JSON.parse(notification.component_ids) as string[];
    const changes = await statusChangesOfUpdates(ctx.db, { updateIds: [notification.update_id] });
    change = changes.find((c) => c.component_id === componentId) ?? null;
  }
  return { settings, incident, status: status.status, components, change };
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

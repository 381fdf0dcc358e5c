import type { Component, ComponentStatusChange, Notification, Settings } from '../db/schema.ts';
import { statusChangesOfUpdates } from '../db/components-repo.ts';
import { getPublicStatus, type PublicStatus } from './public-status.ts';
import type { ServiceContext } from './context.ts';
import { type IncidentView, publicIncidentViews } from './incident-view.ts';
import { readSettings } from './settings.ts';
import { findIncident } from '../db/incidents-repo.ts';
import type { PageLanguages } from '../i18n/language-path.ts';
import { pageLanguagesOf } from '../i18n/reader-language.ts';

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

/**
 * The same, with the page's languages: a sender words a notification once per language its
 * audience reads (readerLanguage picks a subscriber's among them).
 */
export async function languagedView(
  ctx: ServiceContext,
  notification: Notification,
): Promise<{ settings: Settings; incident: IncidentView; page: PageLanguages }> {
  const view = await notificationView(ctx, notification);
  return { ...view, page: pageLanguagesOf(view.settings) };
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
 * to every subscriber); a failed build is forgotten so the next delivery tries again. With a key
 * (a language), once per notification and key: the words differ by language, not by subscriber.
 */
export class PerNotification<T> {
  #entries = new Map<string, Promise<T>>();
  #build: (notification: Notification, key: string) => Promise<T>;

  constructor(build: (notification: Notification, key: string) => Promise<T>) {
    this.#build = build;
  }

  get(notification: Notification, key = ''): Promise<T> {
    const id = `${notification.id}\u0000${key}`;
    let entry = this.#entries.get(id);
    if (!entry) {
      entry = this.#build(notification, key);
      this.#entries.set(id, entry);
      entry.catch(() => this.#entries.delete(id));
      // Room for a hundred notifications in every language Herald speaks.
      if (this.#entries.size > 800) this.#entries.delete(this.#entries.keys().next().value ?? '');
    }
    return entry;
  }
}

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OperationalCounts } from '../services/operational-metrics.ts';

/**
 * The process's Prometheus registry (prom-client): Node's default process metrics, event-loop
 * lag among them, plus what Herald itself counts. Served at /metrics (src/api/metrics.ts).
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

export type SendOutcome = 'sent' | 'retry' | 'failed' | 'gone' | 'disabled';

const sends = new Counter({
  name: 'herald_sends_total',
  help: 'Notification sends by channel and outcome (sent, retry, failed, gone).',
  labelNames: ['channel', 'outcome'] as const,
  registers: [registry],
});

const sendSeconds = new Histogram({
  name: 'herald_send_duration_seconds',
  help: 'Time one notification send took, by channel.',
  labelNames: ['channel'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** Called by the notification worker once per send, whatever its outcome. */
export function observeSend(channel: string, outcome: SendOutcome, seconds: number): void {
  sends.inc({ channel, outcome });
  sendSeconds.observe({ channel }, seconds);
}

const messageRenders = new Counter({
  name: 'herald_message_renders_total',
  help: 'Notification messages rendered, by channel and language: one per notification and language, not per subscriber.',
  labelNames: ['channel', 'language'] as const,
  registers: [registry],
});

/** Called by a sender each time it words a notification for one language. */
export function observeRender(channel: string, language: string): void {
  messageRenders.inc({ channel, language });
}

/** Renders counted so far of one channel, by language (tests and benchmarks). */
export async function rendersByLanguage(channel: string): Promise<Record<string, number>> {
  const { values } = await messageRenders.get();
  return Object.fromEntries(
    values.filter((v) => v.labels.channel === channel).map((v) => [String(v.labels.language), v.value]),
  );
}

/** What a scrape reads at that moment: the database's counts and the site cache's. */
export type Snapshot = { counts: OperationalCounts; siteCacheEntries: number; siteRenders: number };

/**
 * Set from the snapshot taken for each scrape (see `scrape`): one round of queries a scrape, and
 * the metric names Herald has always exported.
 */
const deliveries = new Gauge({
  name: 'herald_deliveries',
  help: 'Notification deliveries by channel and state.',
  labelNames: ['channel', 'state'] as const,
  registers: [registry],
});
const subscribers = new Gauge({
  name: 'herald_subscribers',
  help: 'Subscribers by channel and standing.',
  labelNames: ['channel', 'standing'] as const,
  registers: [registry],
});
const unexpanded = new Gauge({
  name: 'herald_notifications_unexpanded',
  help: 'Notifications not yet expanded into deliveries.',
  registers: [registry],
});
const cacheEntries = new Gauge({
  name: 'herald_site_cache_entries',
  help: 'Public pages held rendered in memory.',
  registers: [registry],
});
const renders = new Counter({
  name: 'herald_site_renders_total',
  help: 'Public page renders since start.',
  registers: [registry],
});
let rendersSeen = 0;

function apply(snapshot: Snapshot): void {
  deliveries.reset();
  for (const d of snapshot.counts.deliveries) deliveries.set({ channel: d.channel, state: d.state }, d.n);
  subscribers.reset();
  for (const s of snapshot.counts.subscribers) {
    subscribers.set({ channel: s.channel, standing: 'confirmed' }, s.confirmed - s.disabled);
    subscribers.set({ channel: s.channel, standing: 'unconfirmed' }, s.total - s.confirmed);
    subscribers.set({ channel: s.channel, standing: 'disabled' }, s.disabled);
  }
  unexpanded.set(snapshot.counts.unexpandedNotifications);
  cacheEntries.set(snapshot.siteCacheEntries);
  if (snapshot.siteRenders > rendersSeen) renders.inc(snapshot.siteRenders - rendersSeen);
  rendersSeen = snapshot.siteRenders;
}

/** The Prometheus text of every metric, with the database's counts as of now. */
export async function scrape(snapshot: Snapshot): Promise<{ body: string; contentType: string }> {
  apply(snapshot);
  return { body: await registry.metrics(), contentType: registry.contentType };
}

import type { Config } from './config.ts';
import { closeDatabase, type Db, migrateToLatest, openDatabase } from './db/database.ts';
import { createLucia, type HeraldLucia } from './auth/lucia.ts';
import type { ServiceContext } from './services/context.ts';
import { runMaintenanceSchedule } from './services/maintenance.ts';
import { settleHeldBackAlerts } from './services/alert-intake.ts';
import { ALWAYS_HOT, hotPaths } from './publishing/public-routes.ts';
import { languagePolicyOf } from './publishing/language-redirect.ts';
import { Publisher } from './services/publisher.ts';
import { SiteCache } from './publishing/site-cache.ts';
import type { ChannelSender } from './notify/channel.ts';
import { EmailSender } from './notify/email-sender.ts';
import { createMailer, type Mailer } from './notify/mailer.ts';
import { NotificationWorker } from './notify/worker.ts';
import { MailLoop } from './notify/mail-loop.ts';
import { MAIL_TAG } from './services/transactional-mail.ts';
import { StakeholderSender } from './notify/stakeholder-sender.ts';
import { STAKEHOLDER_TAG } from './services/stakeholder-messages.ts';
import { PushSender } from './notify/push-sender.ts';
import { PostedSender } from './notify/posted-sender.ts';
import { EndpointProbe } from './notify/endpoint-probe.ts';
import { POSTED_CHANNELS } from './domain/channels.ts';
import { type VapidKeys, vapidKeys } from './notify/vapid.ts';
import { readSettings } from './services/settings.ts';
import { localDay } from './render/format.ts';
import { createLogger, type Logger } from './logger.ts';

/** Everything one Herald process holds: built once at start, shared by the API and the pages. */
export type Runtime = {
  config: Config;
  logger: Logger;
  db: Db;
  ctx: ServiceContext;
  lucia: HeraldLucia;
  siteCache: SiteCache;
  mailer: Mailer;
  vapid: VapidKeys;
  notifier: NotificationWorker;
  /** Sends the mails use cases queue: confirmations, manage links, invitations. */
  mailLoop: MailLoop;
  /** Sends the messages queued for internal stakeholders (mail, Slack, Teams). */
  stakeholderSender: StakeholderSender;
  /** Set once a stop has begun: /readyz then sends traffic elsewhere. */
  readonly stopping: boolean;
  stop: () => Promise<void>;
};

export async function startRuntime(
  config: Config,
  options: {
    scheduler?: boolean;
    notifier?: boolean;
    now?: () => Date;
    senders?: (ctx: ServiceContext, vapid: VapidKeys) => ChannelSender[];
    /** A render worker's runtime (src/publishing/render-pool.ts): it only reads, for pages. */
    render?: boolean;
  } = {},
): Promise<Runtime> {
  const logger = createLogger(config.logLevel);
  const db = openDatabase(config.databasePath);
  // The serving thread migrated before it started any render worker.
  if (!options.render) await migrateToLatest(db);
  const ctx: ServiceContext = {
    db,
    now: options.now ?? (() => new Date()),
    publisher: new Publisher(),
    baseUrl: config.baseUrl.href,
  };
  ctx.probe = new EndpointProbe(ctx, { baseUrl: config.baseUrl.href, outbound: config.outbound });
  const lucia = createLucia(db, { secureCookies: config.secureCookies });
  const siteCache = new SiteCache({
    origin: config.baseUrl.origin,
    render: async () => new Response('Herald is still starting', { status: 503 }),
    log: (details, message) => logger.warn(details, message),
  });
  // The pages kept warm: ALWAYS_HOT and each offered language's home page (src/publishing/public-routes.ts).
  const startSettings = await readSettings(db);
  let hot: readonly string[] = options.render ? ALWAYS_HOT : hotPaths(startSettings);
  siteCache.languagePolicy = languagePolicyOf(startSettings);
  // A write marks its tags stale; the pages people read are rendered again, coalesced.
  ctx.publisher.subscribe((tags) => {
    // A queued mail changes no page: only page tags reach the cache (and its writers' barrier).
    const pageTags = [...tags].filter((tag) => tag !== MAIL_TAG && tag !== STAKEHOLDER_TAG);
    if (pageTags.length > 0) siteCache.invalidate(pageTags, hot);
    // Settings changed (they touch every permalink): a language offered now is warmed at once.
    if (tags.has('incident:*') && !options.render)
      void readSettings(db)
        .then((settings) => {
          siteCache.languagePolicy = languagePolicyOf(settings);
          const next = hotPaths(settings);
          const added = next.filter((key) => !hot.includes(key));
          hot = next;
          if (added.length > 0) siteCache.invalidate([], added);
        })
        .catch((error: unknown) => logger.warn({ error }, 'could not read the offered languages for warming'));
  });

  const mailer = createMailer(config.mail);
  const vapid = await vapidKeys(db, config.push);
  const senders = options.senders?.(ctx, vapid) ?? [
    new EmailSender(ctx, mailer, { baseUrl: config.baseUrl.href, concurrency: config.mail.connections * 2 }),
    new PushSender(ctx, {
      vapid: { ...vapid, subject: config.push.subject },
      baseUrl: config.baseUrl.href,
      concurrency: 50,
    }),
    ...POSTED_CHANNELS.map(
      (channel) =>
        new PostedSender(ctx, channel, { baseUrl: config.baseUrl.href, concurrency: 32, outbound: config.outbound }),
    ),
  ];
  const notifier = new NotificationWorker(ctx, senders, { retryBaseMs: config.mail.retryBaseMs });
  // Woken after a macrotask, so the answer to the write that notifies is sent first.
  ctx.publisher.subscribe(() => setImmediate(() => notifier.wake()));
  if (options.notifier !== false && !options.render) await notifier.start();
  const mailLoop = new MailLoop(ctx, mailer, { logger, retryBaseMs: config.mail.retryBaseMs });
  ctx.publisher.subscribe((tags) => {
    if (tags.has(MAIL_TAG)) setImmediate(() => mailLoop.wake());
  });
  if (!options.render) mailLoop.start();
  const stakeholderSender = new StakeholderSender(ctx, mailer, {
    logger,
    baseUrl: config.baseUrl.href,
    outbound: config.outbound,
    retryBaseMs: config.mail.retryBaseMs,
  });
  // Incident writes queue stakeholder messages in their transaction: any commit may have some.
  ctx.publisher.subscribe(() => setImmediate(() => stakeholderSender.wake()));
  if (!options.render) stakeholderSender.start();

  // Uptime bars move by a day at local midnight even when nothing is written.
  let day = localDay(ctx.now(), (await readSettings(db)).time_zone);
  const publishNewDay = async () => {
    const today = localDay(ctx.now(), (await readSettings(db)).time_zone);
    if (today !== day) {
      day = today;
      ctx.publisher.publish(['status']);
    }
  };

  let timer: NodeJS.Timeout | undefined;
  let tick: Promise<unknown> = Promise.resolve();
  if (options.scheduler !== false && config.scheduler && !options.render) {
    const run = () => {
      // One pass at a time: a slow pass is never overlapped by the next.
      // Each job of the pass on its own: one that fails does not stop the others.
      const job = (name: string, work: () => Promise<unknown>) => () =>
        work().catch((error: unknown) => logger.error({ err: error, job: name }, 'scheduler job failed'));
      tick = tick
        .then(job('maintenance', () => runMaintenanceSchedule(ctx)))
        .then(job('held-back alerts', () => settleHeldBackAlerts(ctx)))
        .then(job('new day', publishNewDay));
    };
    run();
    timer = setInterval(run, config.schedulerIntervalMs);
    timer.unref();
  }

  let stopping = false;
  return {
    config,
    logger,
    db,
    ctx,
    lucia,
    siteCache,
    mailer,
    vapid,
    notifier,
    mailLoop,
    stakeholderSender,
    get stopping() {
      return stopping;
    },
    stop: async () => {
      stopping = true;
      clearInterval(timer);
      await tick;
      await mailLoop.stop();
      await stakeholderSender.stop();
      await notifier.stop();
      await siteCache.close();
      await closeDatabase(db);
      logger.flush();
    },
  };
}

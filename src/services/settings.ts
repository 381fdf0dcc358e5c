import type { Kysely } from 'kysely';
import type { Database, Settings } from '../db/schema.ts';
import type { UpdateCadence } from '../domain/cadence.ts';
import { type HeaderLink, headerLinksOf } from '../domain/branding.ts';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize } from './authorize.ts';
import { iso, type ServiceContext, write } from './context.ts';
import type { z } from 'zod';
import type * as schemas from './schemas.ts';
import { settingsRow, updateSettingsRow } from '../db/settings-repo.ts';
import { languageList } from '../i18n/languages.ts';

export type SettingsPatch = z.output<typeof schemas.settingsPatch>;

export function readSettings(q: Kysely<Database>): Promise<Settings> {
  return settingsRow(q);
}

export function cadenceOf(
  settings: Pick<
    Settings,
    'cadence_critical_minutes' | 'cadence_major_minutes' | 'cadence_minor_minutes' | 'cadence_none_minutes'
  >,
): UpdateCadence {
  return {
    critical: settings.cadence_critical_minutes,
    major: settings.cadence_major_minutes,
    minor: settings.cadence_minor_minutes,
    none: settings.cadence_none_minutes,
  };
}

/** Settings as the admin API shows them: the link-signing secret never leaves the server. */
export type PublicSettings = Omit<
  Settings,
  'link_secret' | 'vapid_private_key' | 'slack_signing_secret' | 'slack_bot_token' | 'header_links'
> & {
  /** Whether the Slack secrets are set; the secrets themselves are never shown again. */
  slack_signing_secret_set: boolean;
  slack_bot_token_set: boolean;
  /** As the API takes them (the row keeps them as JSON). */
  header_links: HeaderLink[];
};

export function withoutSecret({
  link_secret: _secret,
  vapid_private_key: _vapid,
  slack_signing_secret: slack,
  slack_bot_token: bot,
  header_links,
  ...settings
}: Settings): PublicSettings {
  return {
    ...settings,
    slack_signing_secret_set: !!slack,
    slack_bot_token_set: !!bot,
    header_links: headerLinksOf(header_links),
  };
}

/**
 * The settings a page may show (name, zone, colours, links, cadence): never the link-signing
 * secret or the VAPID private key, which only the services that sign and send need.
 */
export async function pageSettings(ctx: ServiceContext): Promise<PublicSettings> {
  return withoutSecret(await readSettings(ctx.db));
}

export async function getSettings(ctx: ServiceContext, actor: Actor): Promise<PublicSettings> {
  authorize(actor, 'read');
  return withoutSecret(await readSettings(ctx.db));
}

/** The offered languages as stored: Herald's order, the default always among them. */
function offeredWith(languages: string, defaultLanguage: string): string {
  return languageList(`${languages},${defaultLanguage}`)
    .map((l) => l.code)
    .join(',');
}

export async function updateSettings(ctx: ServiceContext, actor: Actor, patch: SettingsPatch): Promise<PublicSettings> {
  authorize(actor, 'manage_page');
  return write(ctx, async (trx, touch) => {
    const at = iso(ctx.now());
    const before = await readSettings(trx);
    // The default language is always among the offered ones, whichever of the two changed.
    const languages =
      patch.languages === undefined && patch.default_language === undefined
        ? {}
        : {
            languages: offeredWith(
              patch.languages ?? before.languages,
              patch.default_language ?? before.default_language,
            ),
          };
    await updateSettingsRow(trx, { ...patch, ...languages, updated_at: at });
    // A secret is recorded as changed, never written into the audit log.
    const changed = Object.fromEntries(
      Object.entries(patch).map(([k, v]) =>
        k === 'slack_signing_secret' || k === 'slack_bot_token'
          ? [k, 'changed']
          : [k, { from: before[k as keyof Settings], to: v }],
      ),
    );
    await recordAudit(trx, actor, at, {
      action: 'settings.update',
      targetType: 'settings',
      targetId: null,
      details: changed,
    });
    // Name, zone, colours, links and the branding (logos, texts, /custom.css, tagged `status`)
    // appear on every public page.
    touch('status', 'history', 'feeds', 'incident:*');
    return withoutSecret(await readSettings(trx));
  });
}

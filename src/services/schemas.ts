import { z } from 'zod';
import { COMPONENT_STATUSES } from '../domain/component-status.ts';
import { INTEGRATION_KINDS, MATCH_OPERATORS, RESOLVE_ACTIONS, RULE_ACTIONS } from '../domain/alerts.ts';
import { brandColourProblem } from '../domain/contrast.ts';
import { isImageUrl, MAX_HEADER_LINKS, MAX_LINK_LABEL, MAX_PAGE_TEXT } from '../domain/branding.ts';
import { customCssProblem } from '../domain/custom-css.ts';
import { ACTION_ITEM_PRIORITIES, ACTION_ITEM_STATES } from '../domain/action-items.ts';
import { isCalendarDate } from '../domain/business-days.ts';
import { IMPACTS, INCIDENT_STATUSES, INCIDENT_KINDS, MAINTENANCE_STATUSES } from '../domain/incident.ts';
import { ROLES } from '../domain/roles.ts';
import { LANGUAGES, languageList, languageOf } from '../i18n/languages.ts';
import { MAX_PER_PAGE } from './paging.ts';

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const markdown = z.string().max(20_000, 'must be at most 20,000 characters');
const optionalText = (max: number) =>
  z.string().trim().max(max, `must be at most ${max} characters`).nullable().optional();
const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-11-23T10:00:00Z' });
const httpUrl = z
  .string()
  .max(2000)
  .refine((v) => /^https?:\/\//i.test(v) && URL.canParse(v), 'must be an absolute http(s) URL');

export const componentStatus = z.enum(COMPONENT_STATUSES);
export const componentStatusMap = z.record(z.string(), componentStatus, {
  error: 'must map component ids to component statuses',
});

export const pageQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  per_page: z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(25),
});

/** Lists that are usually read whole (components, groups, templates) default to a full page. */
export const listQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  per_page: z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(MAX_PER_PAGE),
});

export const componentCreate = z.strictObject({
  name: text(200),
  description: optionalText(1000),
  group_id: z.string().nullable().optional(),
  status: componentStatus.optional(),
  hidden: z.boolean().optional(),
});

export const componentPatch = z
  .strictObject({
    name: text(200),
    description: optionalText(1000),
    group_id: z.string().nullable(),
    status: componentStatus,
    hidden: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'name at least one field to change');

export const reorder = z.strictObject({ order: z.array(z.string()).max(1000) });

export const groupCreate = z.strictObject({ name: text(200), description: optionalText(1000) });
export const groupPatch = groupCreate
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'name at least one field to change');

export const incidentCreate = z.strictObject({
  name: text(300),
  status: z.enum(INCIDENT_STATUSES).default('investigating'),
  impact: z.enum(IMPACTS).optional(),
  body: markdown.trim().min(1, 'must not be empty'),
  components: componentStatusMap.default({}),
  notify: z.boolean().default(true),
  started_at: isoTime.optional(),
});

export const incidentQuery = pageQuery.extend({
  state: z.enum(['open', 'closed', 'all']).default('all'),
  q: z.string().trim().max(300, 'must be at most 300 characters').optional(),
});

export const incidentPatch = z
  .strictObject({ name: text(300), impact: z.enum(IMPACTS) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'name at least one field to change');

export const updateCreate = z.strictObject({
  status: z.enum([...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES]),
  body: markdown.trim().min(1, 'must not be empty'),
  components: componentStatusMap.optional(),
  notify: z.boolean().default(true),
  impact: z.enum(IMPACTS).optional(),
  /** When resolving: the post-incident review's date (default: the page's business days later). */
  review_on: z.string().refine(isCalendarDate, 'must be a date like 2026-12-04').optional(),
});

export const updateCorrect = z.strictObject({ body: markdown.trim().min(1, 'must not be empty') });

export const resolveBody = z.strictObject({
  body: markdown.trim().min(1).optional(),
  notify: z.boolean().default(true),
});

const remindMinutesBefore = z
  .number({ error: 'must be a whole number of minutes, or empty for no reminder' })
  .int('must be a whole number of minutes')
  .min(1, 'must be at least 1 minute')
  .max(10_080, 'must be at most a week (10080 minutes)')
  .nullable()
  .describe('Remind subscribers this many minutes before the window starts; null for no reminder.');

export const maintenanceCreate = z.strictObject({
  name: text(300),
  body: markdown.trim().min(1, 'must not be empty'),
  components: z.array(z.string()).max(1000).default([]),
  scheduled_for: isoTime,
  scheduled_until: isoTime,
  auto_start: z.boolean().default(true),
  auto_complete: z.boolean().default(true),
  notify: z.boolean().default(true),
  remind_minutes_before: remindMinutesBefore.default(60),
});

export const maintenancePatch = z
  .strictObject({
    name: text(300),
    components: z.array(z.string()).max(1000),
    scheduled_for: isoTime,
    scheduled_until: isoTime,
    auto_start: z.boolean(),
    auto_complete: z.boolean(),
    remind_minutes_before: remindMinutesBefore,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'name at least one field to change');

export const maintenanceStep = z.strictObject({
  body: markdown.trim().min(1).optional(),
  notify: z.boolean().default(true),
});

export const postmortemSave = z.strictObject({ body: markdown.max(100_000) });
export const postmortemPublish = z.strictObject({ notify: z.boolean().default(true) });

const email = z.email({ error: 'must be an email address' }).max(320);
const password = z.string().min(1, 'must not be empty').max(256);

export const signIn = z.strictObject({ email: z.string().max(320), password });
export const invitationCreate = z.strictObject({ email, role: z.enum(ROLES) });
export const userCreate = z.strictObject({
  email,
  name: optionalText(200).transform((v) => v ?? undefined),
  role: z.enum(ROLES),
  password,
});
export const userPatch = z
  .strictObject({ name: text(200), role: z.enum(ROLES) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'name at least one field to change');
export const passwordConfirm = z.strictObject({ password });
export const passwordChange = z.strictObject({ current_password: password, new_password: password });

export const tokenCreate = z.strictObject({ name: text(100), user_id: z.string().optional() });

export const templateCreate = z.strictObject({
  name: text(100),
  kind: z.enum(INCIDENT_KINDS),
  status: z.enum([...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES]),
  title: text(300),
  body: markdown.trim().min(1, 'must not be empty'),
});
export const templatePatch = templateCreate
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'name at least one field to change');

const minutes = z
  .number()
  .int()
  .min(5, 'must be at least 5 minutes')
  .max(10_080, 'must be at most a week (10080 minutes)');
const severityLabel = z
  .string()
  .trim()
  .max(40, 'must be at most 40 characters')
  .refine((v) => !/[<>{}]/.test(v), 'must not contain < > { or }');

// Logos and the favicon: https (the public page's CSP allows images from https only), or http on
// loopback, where tests and local previews serve them.
const imageUrl = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .refine(isImageUrl, 'must be an https:// address of the image (http only on localhost)');
// Markdown shown on every public page (footer) or on the home page (about); empty shows none.
const pageText = z
  .string()
  .trim()
  .max(MAX_PAGE_TEXT, `must be at most ${MAX_PAGE_TEXT.toLocaleString('en')} characters`)
  .transform((v) => (v === '' ? null : v));
const headerLink = z.strictObject({
  label: text(MAX_LINK_LABEL),
  url: httpUrl.refine((v) => !/\s/.test(v), 'must not contain spaces'),
});

// A language Herald speaks (src/i18n/languages.ts), in any letter case, stored in Herald's spelling ("pt-BR").
const languageCode = z
  .string()
  .refine((code) => !!languageOf(code), `must be one of ${LANGUAGES.map((l) => l.code).join(', ')}`)
  .transform((code) => languageOf(code)?.code ?? code);

export const settingsPatch = z
  .strictObject({
    page_name: text(100),
    base_url: httpUrl.nullable(),
    time_zone: z.string().refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Paris'),
    support_url: httpUrl.nullable(),
    logo_url: imageUrl.nullable(),
    // Shown instead of logo_url when the reader's system is in dark mode.
    logo_dark_url: imageUrl.nullable(),
    // Replaces the status favicons (green, red…) on every public page when set.
    favicon_url: imageUrl.nullable(),
    header_links: z
      .array(headerLink)
      .max(MAX_HEADER_LINKS, `must have at most ${MAX_HEADER_LINKS} links`)
      .transform((links) => JSON.stringify(links)),
    footer_markdown: pageText.nullable(),
    about_markdown: pageText.nullable(),
    // Served as /custom.css after the page's own stylesheet; what is refused: src/domain/custom-css.ts.
    custom_css: z
      .string()
      .superRefine((css, check) => {
        const problem = customCssProblem(css);
        if (problem) check.addIssue({ code: 'custom', message: problem });
      })
      .transform((css) => (css.trim() === '' ? null : css))
      .nullable(),
    brand_color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #2563eb')
      .superRefine((hex, check) => {
        const problem = /^#[0-9a-fA-F]{6}$/.test(hex) ? brandColourProblem(hex) : null;
        if (problem) check.addIssue({ code: 'custom', message: problem });
      }),
    cadence_critical_minutes: minutes,
    cadence_major_minutes: minutes,
    cadence_minor_minutes: minutes,
    cadence_none_minutes: minutes,
    // Minutes between internal updates to stakeholders; null keeps no internal clock at that impact
    // (P1 and P2 always keep one: migration 0015 made those two columns NOT NULL).
    internal_cadence_critical_minutes: minutes,
    internal_cadence_major_minutes: minutes,
    internal_cadence_minor_minutes: minutes.nullable(),
    internal_cadence_none_minutes: minutes.nullable(),
    // What the team calls each impact ("P1 · Critical"); an empty label shows none.
    severity_critical_label: severityLabel,
    severity_major_label: severityLabel,
    severity_minor_label: severityLabel,
    severity_none_label: severityLabel,
    severity_public: z.boolean().transform((b) => (b ? 1 : 0) as 0 | 1),
    // Impacts whose public updates wait for a second member's approval, comma-separated.
    approval_impacts: z
      .array(z.enum(IMPACTS))
      .max(4)
      .transform((list) => [...new Set(list)].join(',')),
    review_business_days: z.number().int().min(1, 'must be at least 1').max(60, 'must be at most 60'),
    // A ceiling on what strangers can make Herald send: subscribe requests mail a confirmation.
    confirmation_mails_per_hour: z.number().int().min(1, 'must be at least 1').max(100_000, 'must be at most 100000'),
    // From the Slack app's Basic Information page: verifies the slash command's requests.
    slack_signing_secret: z
      .string()
      .regex(/^[0-9A-Za-z]{20,64}$/, 'must be the signing secret from the Slack app’s Basic Information page')
      .nullable(),
    slack_bot_token: z
      .string()
      .regex(/^xoxb-[\w-]{10,250}$/, 'must be a bot token (xoxb-…) with the users:read.email scope')
      .nullable(),
    slack_command: z.string().regex(/^\/[a-z0-9_-]{1,31}$/, 'must be a slash command such as /status'),
    // The language of `/`; the others the page offers are under their prefix (/de/…).
    default_language: languageCode,
    // Whether `/` sends a reader to their Accept-Language's page (302, Vary: Accept-Language).
    language_redirect: z.boolean().transform((b) => (b ? 1 : 0) as 0 | 1),
    // The languages the page offers, stored comma-separated in Herald's order; the service adds the default.
    languages: z
      .array(languageCode)
      .min(1, 'must name at least one language')
      .max(LANGUAGES.length)
      .transform((codes) =>
        languageList(codes.join(','))
          .map((l) => l.code)
          .join(','),
      ),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'name at least one field to change');

export const auditQuery = pageQuery.extend({
  actor_id: z.string().optional(),
  action: z.string().max(100).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
});

// Integrations: monitoring tools posting alerts, and the rules that turn alerts into changes.
const matcher = z.strictObject({
  label: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_.]*$/, 'must be a label name such as service'),
  op: z.enum(MATCH_OPERATORS),
  value: z.string().max(200, 'must be at most 200 characters'),
});
const fieldPath = z.string().regex(/^[\w-]+(\.[\w-]+)*$/, 'must be a dotted path such as alert.labels.service');
export const fieldMapping = z.strictObject({
  name: fieldPath,
  state: fieldPath,
  resolvedValue: z.string().min(1).max(100),
  fingerprint: fieldPath.optional(),
  severity: fieldPath.optional(),
  component: fieldPath.optional(),
  summary: fieldPath.optional(),
  alerts: fieldPath.optional(),
});
export const integrationCreate = z.strictObject({
  name: text(100),
  kind: z.enum(INTEGRATION_KINDS),
  field_mapping: fieldMapping.optional(),
});
export type IntegrationInput = z.output<typeof integrationCreate>;
export const ruleInput = z.strictObject({
  matchers: z.array(matcher).max(20, 'must have at most 20 matchers').default([]),
  component_ids: z.array(z.string()).max(100).default([]),
  component_status: componentStatus.default('major_outage'),
  impact: z.enum(IMPACTS).default('major'),
  action: z.enum(RULE_ACTIONS).default('draft'),
  template_id: z.string().nullable().optional(),
  hold_down_seconds: z.number().int().min(0).max(86_400).default(300),
  resolve_action: z.enum(RESOLVE_ACTIONS).default('suggest'),
});
export type RuleInput = z.output<typeof ruleInput>;
export const draftDecision = z.strictObject({
  name: text(300).optional(),
  body: z.string().min(1, 'must not be empty').max(20_000).optional(),
  impact: z.enum(IMPACTS).optional(),
  components: componentStatusMap.optional(),
  notify: z.boolean().default(true),
});
export type DraftDecision = z.output<typeof draftDecision>;
export const draftDismissal = z.strictObject({ reason: text(500) });

// Internal stakeholders: told about incidents of the impacts they chose, by mail, Slack or Teams.
const stakeholderImpacts = z
  .array(z.enum(IMPACTS))
  .min(1, 'choose at least one severity')
  .max(IMPACTS.length)
  .transform((list) => IMPACTS.filter((i) => list.includes(i)));
// The URL's shape only: the outbound rules (https, public addresses, the allowlist) are checked
// by the use case against this server's settings, as every post is.
const incomingWebhook = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .refine((v) => /^https?:\/\//i.test(v) && URL.canParse(v), 'must be the incoming-webhook URL (https://…)');
const stakeholderName = text(200);
export const stakeholderCreate = z.discriminatedUnion('channel', [
  z.strictObject({ name: stakeholderName, channel: z.literal('email'), target: email, impacts: stakeholderImpacts }),
  z.strictObject({
    name: stakeholderName,
    channel: z.literal('slack'),
    target: incomingWebhook,
    impacts: stakeholderImpacts,
  }),
  z.strictObject({
    name: stakeholderName,
    channel: z.literal('teams'),
    target: incomingWebhook,
    impacts: stakeholderImpacts,
  }),
]);
export type StakeholderInput = z.output<typeof stakeholderCreate>;
export const stakeholderPatch = z
  .strictObject({ name: stakeholderName, target: z.string().trim().max(2000), impacts: stakeholderImpacts })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'name at least one field to change');
export type StakeholderPatch = z.output<typeof stakeholderPatch>;

// The post-incident review: its date, and the action items it leaves behind.
const calendarDate = z.string().refine(isCalendarDate, 'must be a date written YYYY-MM-DD, e.g. 2026-12-04');
export const reviewSchedule = z.strictObject({
  due_on: calendarDate.nullable().describe('The review date (YYYY-MM-DD); null: no review planned.'),
});
const ownerId = z.string().min(1, 'must not be empty').max(64).describe('A team member who owns the item.');
const ownerLabel = text(200).describe('Who owns the item when it is not a team member (a team, a person).');
const oneOwner = (v: { owner_id?: string; owner_label?: string }) =>
  v.owner_id === undefined || v.owner_label === undefined;
const ONE_OWNER = { message: 'name the owner once: owner_id (a team member) or owner_label', path: ['owner_label'] };
export const actionItemCreate = z
  .strictObject({
    description: text(1000),
    owner_id: ownerId.optional(),
    owner_label: ownerLabel.optional(),
    due_on: calendarDate.nullable().default(null),
    priority: z.enum(ACTION_ITEM_PRIORITIES).default('medium'),
  })
  .refine(oneOwner, ONE_OWNER)
  .refine((v) => v.owner_id !== undefined || v.owner_label !== undefined, {
    message: 'name the owner: owner_id (a team member) or owner_label',
    path: ['owner_label'],
  });
export type ActionItemInput = z.output<typeof actionItemCreate>;
export const actionItemPatch = z
  .strictObject({
    description: text(1000),
    owner_id: ownerId,
    owner_label: ownerLabel,
    due_on: calendarDate.nullable(),
    priority: z.enum(ACTION_ITEM_PRIORITIES),
    state: z.enum(ACTION_ITEM_STATES),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'name at least one field to change')
  .refine(oneOwner, ONE_OWNER);
export type ActionItemPatch = z.output<typeof actionItemPatch>;
export const actionItemFilter = z.strictObject({
  state: z.enum(ACTION_ITEM_STATES).optional(),
  overdue: z.stringbool({ error: 'must be true or false' }).optional(),
  incident_id: z.string().max(64).optional(),
});
export const actionItemQuery = pageQuery.extend(actionItemFilter.shape);

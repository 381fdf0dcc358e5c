import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ComponentStatus } from '../domain/component-status.ts';
import type { AnyIncidentStatus, Impact, IncidentKind } from '../domain/incident.ts';
import type { NotifyEvent } from '../domain/notify-event.ts';
import type { Role } from '../domain/roles.ts';
import type { IncidentRoleName } from '../domain/incident-roles.ts';
export type { IncidentRoleName };
import type { AlertState, IntegrationKind, ResolveAction, RuleAction } from '../domain/alerts.ts';

/** Times are UTC ISO-8601 strings with milliseconds ("2026-11-23T10:00:00.000Z") everywhere. */
export type IsoTime = string;

/** SQLite has no boolean: 0 or 1. */
export type Flag = 0 | 1;

export interface SettingsTable {
  id: 1;
  page_name: string;
  base_url: string | null;
  time_zone: string;
  support_url: string | null;
  logo_url: string | null;
  brand_color: string;
  cadence_critical_minutes: number;
  cadence_major_minutes: number;
  cadence_minor_minutes: number;
  cadence_none_minutes: number;
  link_secret: string;
  vapid_public_key: string | null;
  vapid_private_key: string | null;
  confirmation_mails_per_hour: Generated<number>;
  /** Verifies requests from the page's Slack app (its slash command). */
  slack_signing_secret: string | null;
  /** A bot token with users:read.email, to link Slack users to members by email. */
  slack_bot_token: string | null;
  slack_command: Generated<string>;
  /** What the team calls each impact ("P1 · Critical"); an empty label shows none. */
  severity_critical_label: Generated<string>;
  severity_major_label: Generated<string>;
  severity_minor_label: Generated<string>;
  severity_none_label: Generated<string>;
  /** Whether the public page shows the severity label beside the impact. */
  severity_public: Generated<Flag>;
  /** Minutes between internal updates to stakeholders, by impact; null: no internal clock. */
  internal_cadence_critical_minutes: Generated<number>;
  internal_cadence_major_minutes: Generated<number>;
  internal_cadence_minor_minutes: Generated<number | null>;
  internal_cadence_none_minutes: Generated<number | null>;
  /** Comma-separated impacts whose public updates need a second person's approval. */
  approval_impacts: Generated<string>;
  /** Business days from resolution to the post-incident review. */
  review_business_days: Generated<number>;
  /** The language of the page at `/` (a BCP 47 code of src/i18n/languages.ts). */
  default_language: Generated<string>;
  /** Comma-separated languages the page offers; each but the default lives under /<code>/. */
  languages: Generated<string>;
  /** Whether `/` redirects by Accept-Language (with Vary). */
  language_redirect: Generated<Flag>;
  logo_dark_url: Generated<string | null>;
  favicon_url: Generated<string | null>;
  /** JSON: [{ label, url }], shown in the public header. */
  header_links: Generated<string>;
  footer_markdown: Generated<string | null>;
  about_markdown: Generated<string | null>;
  /** The owner's CSS, served as /custom.css under the CSP (never inline). */
  custom_css: Generated<string | null>;
  updated_at: Generated<IsoTime>;
}

export interface RateLimitsTable {
  key: string;
  window_start: number;
  hits: number;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  /** The Slack user this member posts as through the slash command. */
  slack_user_id: Generated<string | null>;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  expires_at: number;
  created_at: IsoTime;
  user_agent: string | null;
  ip: string | null;
  /** Null until the password is confirmed again; the sign-in time counts until then. */
  verified_at: IsoTime | null;
}

export interface SetupTokensTable {
  token_hash: string;
  expires_at: IsoTime;
  created_at: IsoTime;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: IsoTime;
  last_used_at: IsoTime | null;
  revoked_at: IsoTime | null;
}

export interface ComponentGroupsTable {
  id: string;
  name: string;
  description: string | null;
  position: number;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export interface ComponentsTable {
  id: string;
  group_id: string | null;
  name: string;
  description: string | null;
  position: number;
  status: ComponentStatus;
  hidden: Generated<Flag>;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export interface ComponentStatusChangesTable {
  id: Generated<number>;
  component_id: string;
  from_status: ComponentStatus | null;
  to_status: ComponentStatus;
  changed_at: IsoTime;
  actor_id: string | null;
  actor_label: string;
  incident_id: string | null;
  update_id: string | null;
}

export interface IncidentsTable {
  id: string;
  code: string;
  kind: IncidentKind;
  name: string;
  impact: Impact;
  status: AnyIncidentStatus;
  started_at: IsoTime;
  resolved_at: IsoTime | null;
  scheduled_for: IsoTime | null;
  scheduled_until: IsoTime | null;
  auto_start: Generated<Flag>;
  auto_complete: Generated<Flag>;
  cancelled_at: IsoTime | null;
  /** RFC 5545 SEQUENCE of a maintenance window: raised when its times change or it is cancelled. */
  sequence: Generated<number>;
  postmortem_body: string | null;
  postmortem_published_at: IsoTime | null;
  /** How long before a maintenance window starts subscribers are reminded of it; null: never. */
  remind_minutes_before: number | null;
  /** When the reminder went out, or was settled without one; null while one is still due. */
  reminded_at: IsoTime | null;
  /** The post-incident review's date (YYYY-MM-DD), asked for when the incident is resolved. */
  review_due_on: Generated<string | null>;
  /** When the lead said "nothing new" to a due public update: the clock counts from here too. */
  update_acknowledged_at: Generated<IsoTime | null>;
  created_by: string | null;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export interface IncidentComponentsTable {
  incident_id: string;
  component_id: string;
}

export interface IncidentUpdatesTable {
  id: string;
  incident_id: string;
  status: AnyIncidentStatus;
  body: string;
  author_id: string | null;
  author_label: string;
  notify: Flag;
  created_at: IsoTime;
  edited_at: IsoTime | null;
}

export type IncidentLogKind =
  | 'note'
  | 'title'
  | 'impact'
  | 'role'
  | 'acknowledged'
  | 'approval_requested'
  | 'approved'
  | 'rejected'
  | 'withdrawn'
  | 'review';

/** The team's side of an incident's timeline; nothing public reads it. */
export interface IncidentLogTable {
  seq: Generated<number>;
  id: string;
  incident_id: string;
  kind: IncidentLogKind;
  body: string;
  /** JSON: what changed ({ from, to }), the pending update, the role. */
  details: Generated<string>;
  actor_id: string | null;
  actor_label: string;
  created_at: IsoTime;
}

export type PendingUpdateState = 'waiting' | 'approved' | 'rejected' | 'withdrawn';

/** A public update held for a second person's approval; written as an update only when approved. */
export interface PendingUpdatesTable {
  id: string;
  incident_id: string;
  /** JSON: the update as posted (schemas.updateCreate's output). */
  input: string;
  requested_by: string | null;
  requested_label: string;
  requested_at: IsoTime;
  state: Generated<PendingUpdateState>;
  decided_by: string | null;
  decided_label: string | null;
  decided_at: IsoTime | null;
  reason: string | null;
  update_id: string | null;
}

export interface IncidentRolesTable {
  incident_id: string;
  role: IncidentRoleName;
  user_id: string;
  assigned_at: IsoTime;
}

export type StakeholderChannel = 'email' | 'slack' | 'teams';

/** An internal recipient (a person, a list, a team channel) told about incidents of chosen impacts. */
export interface StakeholdersTable {
  id: Generated<number>;
  name: string;
  channel: StakeholderChannel;
  /** An email address, or a Slack or Teams incoming-webhook URL. */
  target: string;
  /** Comma-separated impacts. */
  impacts: string;
  created_at: IsoTime;
  updated_at: IsoTime;
  /** Set when removed: kept so the record of what they were told stays. */
  removed_at: Generated<IsoTime | null>;
}

export interface StakeholderMessagesTable {
  id: Generated<number>;
  stakeholder_id: number;
  incident_id: string;
  event: string;
  /** JSON: the message as rendered when the event happened. */
  payload: string;
  created_at: IsoTime;
  /** Null once sent or given up. */
  next_attempt_at: IsoTime | null;
  attempts: Generated<number>;
  last_error: string | null;
  sent_at: IsoTime | null;
  failed_at: IsoTime | null;
}

export type ActionItemPriority = 'high' | 'medium' | 'low';
export type ActionItemState = 'open' | 'in_progress' | 'done';

export interface ActionItemsTable {
  id: string;
  incident_id: string;
  description: string;
  owner_id: string | null;
  owner_label: string;
  due_on: string | null;
  priority: ActionItemPriority;
  state: ActionItemState;
  created_at: IsoTime;
  updated_at: IsoTime;
  done_at: IsoTime | null;
}

export interface TemplatesTable {
  id: string;
  name: string;
  kind: IncidentKind;
  status: AnyIncidentStatus;
  title: string;
  body: string;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: IsoTime;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string;
  target_id: string | null;
  details: string;
}

export type { SubscriberChannel } from '../domain/channels.ts';
import type { SubscriberChannel } from '../domain/channels.ts';

export interface SubscribersTable {
  id: Generated<number>;
  channel: SubscriberChannel;
  email: string | null;
  push_endpoint: string | null;
  push_p256dh: string | null;
  push_auth: string | null;
  /** Where a webhook, Slack or Teams delivery is posted. */
  target_url: string | null;
  /** A webhook's Standard Webhooks secret (whsec_…), kept as given: Herald signs with it. */
  signing_secret: string | null;
  /** Set for a subscription to one incident. */
  incident_id: string | null;
  /** The language their mails and pushes are written in. */
  language: Generated<string>;
  /** When a subscription to one incident ended (the incident is over). */
  ended_at: IsoTime | null;
  all_components: Flag;
  confirmed_at: IsoTime | null;
  confirm_token_hash: string | null;
  confirm_expires_at: IsoTime | null;
  confirm_sent_at: IsoTime | null;
  link_version: Generated<number>;
  bounce_count: Generated<number>;
  disabled_at: IsoTime | null;
  /** Why it stopped receiving, in words for the console and the manage page. */
  disabled_reason: string | null;
  /** Stopped by the page's team: only the team resumes it, not its manage link. */
  disabled_by_team: Generated<Flag>;
  source: Generated<'form' | 'import' | 'browser'>;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export interface SubscriberComponentsTable {
  subscriber_id: number;
  component_id: string;
}

export type { NotifyEvent } from '../domain/notify-event.ts';

export interface NotificationsTable {
  id: Generated<number>;
  incident_id: string;
  update_id: string | null;
  event: NotifyEvent;
  /** JSON array of the affected component ids at the time of the event. */
  component_ids: string;
  created_at: IsoTime;
  expand_cursor: Generated<number>;
  expanded_at: IsoTime | null;
}

export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed';

export interface DeliveriesTable {
  id: Generated<number>;
  notification_id: number;
  subscriber_id: number;
  channel: SubscriberChannel;
  state: DeliveryState;
  attempts: Generated<number>;
  next_attempt_at: IsoTime;
  last_error: string | null;
  sent_at: IsoTime | null;
}

/** A fan-out's progress: everyone in the audience up to `cursor` was sent it or has a delivery row. */
export interface FanoutsTable {
  notification_id: number;
  channel: SubscriberChannel;
  cursor: Generated<number>;
  sent: Generated<number>;
  started_at: IsoTime;
  finished_at: IsoTime | null;
}

export type MailKind = 'subscription-confirm' | 'subscription-manage' | 'invitation';

export interface MailOutboxTable {
  id: Generated<number>;
  kind: MailKind;
  to_address: string;
  /** JSON: what the mail needs besides the page's settings (a token, a role, who invited). */
  payload: string;
  created_at: IsoTime;
  next_attempt_at: IsoTime;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface IdempotentRequestsTable {
  scope_hash: string;
  status: number;
  content_type: string;
  body: string;
  created_at: IsoTime;
}

export interface InvitationsTable {
  id: string;
  token_hash: string;
  email: string;
  role: Role;
  invited_by: string | null;
  created_at: IsoTime;
  expires_at: IsoTime;
}

export interface IntegrationsTable {
  id: string;
  kind: IntegrationKind;
  name: string;
  secret_hash: string;
  /** JSON FieldMapping (generic kind). */
  field_mapping: string | null;
  created_by: string | null;
  created_at: IsoTime;
  revoked_at: IsoTime | null;
  last_delivery_at: IsoTime | null;
}

export interface IntegrationRulesTable {
  id: string;
  integration_id: string;
  position: number;
  /** JSON Matcher[] */
  matchers: string;
  /** JSON string[] */
  component_ids: string;
  component_status: ComponentStatus;
  impact: Impact;
  action: RuleAction;
  template_id: string | null;
  hold_down_seconds: number;
  resolve_action: ResolveAction;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export type DraftState = 'open' | 'approved' | 'dismissed';

export interface IncidentDraftsTable {
  id: string;
  integration_id: string | null;
  rule_id: string | null;
  name: string;
  impact: Impact;
  /** JSON { componentId: status } */
  components: string;
  body: string;
  state: DraftState;
  alert_count: Generated<number>;
  alerts_resolved_at: IsoTime | null;
  dismissed_reason: string | null;
  decided_by: string | null;
  decided_at: IsoTime | null;
  incident_id: string | null;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export interface AlertGroupsTable {
  id: Generated<number>;
  integration_id: string;
  fingerprint: string;
  rule_id: string | null;
  /** The state Herald acted on. */
  state: AlertState;
  /** The newest state received; differs from `state` while a hold-down holds it back. */
  received_state: AlertState;
  name: string;
  summary: string;
  /** JSON labels */
  labels: string;
  url: string | null;
  first_seen_at: IsoTime;
  last_seen_at: IsoTime;
  last_change_at: IsoTime;
  draft_id: string | null;
  incident_id: string | null;
}

export interface IntegrationDeliveriesTable {
  id: Generated<number>;
  integration_id: string;
  received_at: IsoTime;
  summary: string;
  outcome: string;
}

export interface Database {
  settings: SettingsTable;
  rate_limits: RateLimitsTable;
  users: UsersTable;
  sessions: SessionsTable;
  setup_tokens: SetupTokensTable;
  invitations: InvitationsTable;
  api_tokens: ApiTokensTable;
  component_groups: ComponentGroupsTable;
  components: ComponentsTable;
  component_status_changes: ComponentStatusChangesTable;
  incidents: IncidentsTable;
  incident_components: IncidentComponentsTable;
  incident_updates: IncidentUpdatesTable;
  templates: TemplatesTable;
  audit_log: AuditLogTable;
  subscribers: SubscribersTable;
  subscriber_components: SubscriberComponentsTable;
  notifications: NotificationsTable;
  deliveries: DeliveriesTable;
  fanouts: FanoutsTable;
  idempotent_requests: IdempotentRequestsTable;
  mail_outbox: MailOutboxTable;
  integrations: IntegrationsTable;
  integration_rules: IntegrationRulesTable;
  incident_drafts: IncidentDraftsTable;
  alert_groups: AlertGroupsTable;
  integration_deliveries: IntegrationDeliveriesTable;
  incident_log: IncidentLogTable;
  pending_updates: PendingUpdatesTable;
  incident_roles: IncidentRolesTable;
  stakeholders: StakeholdersTable;
  stakeholder_messages: StakeholderMessagesTable;
  action_items: ActionItemsTable;
}

export type Settings = Selectable<SettingsTable>;
export type SettingsPatch = Updateable<SettingsTable>;
export type User = Selectable<UsersTable>;
export type ApiToken = Selectable<ApiTokensTable>;
export type Invitation = Selectable<InvitationsTable>;
export type ComponentGroup = Selectable<ComponentGroupsTable>;
export type Component = Selectable<ComponentsTable>;
export type NewComponent = Insertable<ComponentsTable>;
export type ComponentStatusChange = Selectable<ComponentStatusChangesTable>;
export type Incident = Selectable<IncidentsTable>;
export type IncidentUpdate = Selectable<IncidentUpdatesTable>;
export type Template = Selectable<TemplatesTable>;
export type IncidentLogEntry = Selectable<IncidentLogTable>;
export type PendingUpdate = Selectable<PendingUpdatesTable>;
export type IncidentRole = Selectable<IncidentRolesTable>;
export type Stakeholder = Selectable<StakeholdersTable>;
export type StakeholderMessage = Selectable<StakeholderMessagesTable>;
export type ActionItem = Selectable<ActionItemsTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type Subscriber = Selectable<SubscribersTable>;
export type Notification = Selectable<NotificationsTable>;
export type Delivery = Selectable<DeliveriesTable>;
export type Fanout = Selectable<FanoutsTable>;
export type IdempotentRequest = Selectable<IdempotentRequestsTable>;
export type QueuedMail = Selectable<MailOutboxTable>;
export type Integration = Selectable<IntegrationsTable>;
export type IntegrationRule = Selectable<IntegrationRulesTable>;
export type IncidentDraft = Selectable<IncidentDraftsTable>;
export type AlertGroup = Selectable<AlertGroupsTable>;
export type IntegrationDelivery = Selectable<IntegrationDeliveriesTable>;

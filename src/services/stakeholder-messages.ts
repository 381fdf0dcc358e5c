import { findIncident } from '../db/incidents-repo.ts';
import * as repo from '../db/stakeholders-repo.ts';
import type { Incident, StakeholderChannel } from '../db/schema.ts';
import { type AnyIncidentStatus, isActive, STATUS_LABELS } from '../domain/incident.ts';
import { internalCadenceOf, internalClock, type InternalClock } from '../domain/internal-cadence.ts';
import { severityLabelsOf, severityName } from '../domain/severity.ts';
import { type StakeholderEvent, type StakeholderPayload, stakeholderSubject } from '../domain/stakeholder-message.ts';
import type { Actor } from './actor.ts';
import { authorize } from './authorize.ts';
import type { ServiceContext, Trx } from './context.ts';
import { NotFound } from './errors.ts';
import { readSettings } from './settings.ts';
import { maskedTarget } from './stakeholders.ts';

/**
 * Wakes the stakeholder sender after commit when a write queued messages and touched no incident
 * tag (the runtime wakes it on every publish, and polls besides). No page shows it.
 */
export const STAKEHOLDER_TAG = 'stakeholders';

/**
 * Queues one message per stakeholder who hears about the incident's impact, inside the
 * transaction of the event that causes it (opening, a public update, an internal note, the
 * resolution): the event is stored with its messages or not at all. Incidents only, never
 * maintenance. Answers how many were queued.
 */
export async function queueStakeholderMessages(
  trx: Trx,
  input: {
    incident: Incident;
    event: StakeholderEvent;
    status: AnyIncidentStatus;
    body: string;
    authorLabel: string;
    internal: boolean;
    at: string;
  },
): Promise<number> {
  const { incident } = input;
  if (incident.kind !== 'incident') return 0;
  const recipients = await repo.stakeholdersFor(trx, incident.impact);
  if (recipients.length === 0) return 0;
  const settings = await readSettings(trx);
  const severity = severityName(severityLabelsOf(settings), incident.impact);
  const message: StakeholderPayload = {
    event: input.event,
    subject: stakeholderSubject(input.event, severity, incident.name),
    pageName: settings.page_name,
    severity,
    title: incident.name,
    status: STATUS_LABELS[input.status],
    body: input.body,
    author: input.authorLabel,
    internal: input.internal,
    at: input.at,
    timeZone: settings.time_zone,
    path: `/admin/incidents/${encodeURIComponent(incident.id)}`,
  };
  const payload = JSON.stringify(message);
  await repo.insertStakeholderMessages(
    trx,
    recipients.map((r) => ({
      stakeholder_id: r.id,
      incident_id: incident.id,
      event: input.event,
      payload,
      at: input.at,
    })),
  );
  return recipients.length;
}

/** When the stakeholders last heard about the incident: what the internal clock counts from. */
export function lastStakeholderUpdateAt(db: ServiceContext['db'] | Trx, incidentId: string): Promise<string | null> {
  return repo.lastStakeholderEventAt(db, incidentId);
}

export type StakeholderMessageState = 'sent' | 'pending' | 'failed';

/** One message in the console's "who was told what" list. */
export type StakeholderMessageView = {
  id: number;
  stakeholder_id: number;
  stakeholder: string;
  channel: StakeholderChannel;
  target: string;
  event: string;
  subject: string;
  internal: boolean;
  created_at: string;
  state: StakeholderMessageState;
  sent_at: string | null;
  failed_at: string | null;
  next_attempt_at: string | null;
  attempts: number;
  last_error: string | null;
};

const MESSAGES_SHOWN = 200;

/** Who was told what about an incident, and when: sent, pending (with the last error) or failed. */
export async function stakeholderMessagesOf(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
): Promise<StakeholderMessageView[]> {
  authorize(actor, 'read');
  await requireKnownIncident(ctx, incidentId);
  const owner = actor.kind === 'system' || actor.role === 'owner';
  const rows = await repo.messagesOfIncident(ctx.db, incidentId, MESSAGES_SHOWN);
  return rows.map((row) => {
    const payload = JSON.parse(row.payload) as Partial<StakeholderPayload>;
    return {
      id: row.id,
      stakeholder_id: row.stakeholder_id,
      stakeholder: row.name,
      channel: row.channel,
      target: owner ? row.target : maskedTarget(row.channel, row.target),
      event: row.event,
      subject: payload.subject ?? row.event,
      internal: payload.internal ?? false,
      created_at: row.created_at,
      state: row.sent_at ? 'sent' : row.failed_at ? 'failed' : 'pending',
      sent_at: row.sent_at,
      failed_at: row.failed_at,
      next_attempt_at: row.next_attempt_at,
      attempts: row.attempts,
      last_error: row.last_error,
    };
  });
}

/** The internal clock of an open incident; null when closed, maintenance, or its impact keeps none. */
export async function internalClockOf(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
): Promise<InternalClock | null> {
  authorize(actor, 'read');
  const incident = await requireKnownIncident(ctx, incidentId);
  if (incident.kind !== 'incident' || !isActive('incident', incident.status)) return null;
  const settings = await readSettings(ctx.db);
  const lastInternalAt = await lastStakeholderUpdateAt(ctx.db, incidentId);
  return internalClock({ ...incident, lastInternalAt }, internalCadenceOf(settings), ctx.now());
}

async function requireKnownIncident(ctx: ServiceContext, incidentId: string): Promise<Incident> {
  const incident = await findIncident(ctx.db, incidentId);
  if (!incident) throw new NotFound(`Incident ${incidentId} does not exist`);
  return incident;
}

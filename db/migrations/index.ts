import type { Migration } from 'kysely/migration';
import * as init from './0001_init.ts';
import * as defaultTemplates from './0002_default_templates.ts';
import * as subscribersOutbox from './0003_subscribers_outbox.ts';
import * as push from './0004_push.ts';
import * as idempotency from './0005_idempotency.ts';
import * as invitationsFreshSignIn from './0006_invitations_fresh_sign_in.ts';
import * as abuseLimits from './0007_abuse_limits.ts';
import * as maintenanceSequence from './0008_maintenance_sequence.ts';
import * as fanoutProgress from './0009_fanout_progress.ts';
import * as publicReadIndexes from './0010_public_read_indexes.ts';
import * as mailOutbox from './0011_mail_outbox.ts';
import * as channels from './0012_channels.ts';
import * as maintenanceReminders from './0013_maintenance_reminders.ts';
import * as integrations from './0014_integrations.ts';
import * as commsWorkflow from './0015_comms_workflow.ts';
import * as languagesBranding from './0016_languages_branding.ts';

/**
 * Listed here rather than read from the folder so the migrations travel inside the server bundle;
 * the keys sort in the order they run.
 */
export const migrations: Record<string, Migration> = {
  '0001_init': init,
  '0002_default_templates': defaultTemplates,
  '0003_subscribers_outbox': subscribersOutbox,
  '0004_push': push,
  '0005_idempotency': idempotency,
  '0006_invitations_fresh_sign_in': invitationsFreshSignIn,
  '0007_abuse_limits': abuseLimits,
  '0008_maintenance_sequence': maintenanceSequence,
  '0009_fanout_progress': fanoutProgress,
  '0010_public_read_indexes': publicReadIndexes,
  '0011_mail_outbox': mailOutbox,
  '0012_channels': channels,
  '0013_maintenance_reminders': maintenanceReminders,
  '0014_integrations': integrations,
  '0015_comms_workflow': commsWorkflow,
  '0016_languages_branding': languagesBranding,
};

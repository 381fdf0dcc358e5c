import type { Template } from '../db/schema.ts';
import { type AnyIncidentStatus, INCIDENT_STATUSES, MAINTENANCE_STATUSES } from '../domain/incident.ts';
import type { ComponentStatus } from '../domain/component-status.ts';
import type { IncidentView } from '../services/incident-view.ts';
import { addInternalNote } from '../services/internal-notes.ts';
import * as schemas from '../services/schemas.ts';
import { submitUpdate } from '../services/update-approval.ts';
import { validate } from '../services/validate.ts';
import {
  applyTemplate,
  type ComposerState,
  emptyComposer,
  type FillContext,
  readComposer,
  refreshedBeforePosting,
  REFRESHED_NOTICE,
} from './composer-state.ts';
import type { ComposerInput } from './composer-state.ts';
import { oncePerForm } from './form-once.ts';

export type UpdateComposerInput = ComposerInput & { incident: IncidentView };

export function statusesOf(incident: Pick<IncidentView, 'kind'>): readonly AnyIncidentStatus[] {
  return incident.kind === 'incident' ? INCIDENT_STATUSES : MAINTENANCE_STATUSES;
}

/** The templates of this kind of event, in the order of the statuses they post. */
export function templatesFor(incident: Pick<IncidentView, 'kind'>, templates: readonly Template[]): Template[] {
  const order = statusesOf(incident) as readonly string[];
  return templates
    .filter((t) => t.kind === incident.kind)
    .sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
}

function fillContext(input: UpdateComposerInput, state: ComposerState): FillContext {
  const { incident, components, settings, cadence, ctx } = input;
  const ids = new Set([...incident.components.map((c) => c.id), ...Object.keys(state.chosen)]);
  return {
    settings,
    cadence,
    now: ctx.now(),
    componentNames: components.filter((c) => ids.has(c.id) && c.hidden !== 1).map((c) => c.name),
    impact: state.impact ?? incident.impact,
    windowEnd: incident.scheduled_until,
  };
}

/**
 * The update form as the page first shows it: the template of the step that usually comes next,
 * already filled in for the incident's components, ready to post or to edit.
 */
export function freshUpdateComposer(
  input: UpdateComposerInput,
  chosen: Record<string, ComponentStatus> = {},
): ComposerState {
  const { incident } = input;
  const order = statusesOf(incident) as readonly string[];
  const templates = templatesFor(incident, input.templates);
  const next = templates.find((t) => order.indexOf(t.status) > order.indexOf(incident.status)) ?? templates[0];
  const state = { ...emptyComposer(incident.status), chosen, template: next?.id ?? '' };
  return applyTemplate(state, next, fillContext(input, state), true);
}

export type ComposerOutcome =
  | { kind: 'shown'; state: ComposerState; previewing: boolean; notice?: string }
  | { kind: 'posted'; updateId: string }
  | { kind: 'pending'; pendingId: string }
  | { kind: 'noted'; stakeholders: number };

/**
 * One action of the update composer: preview and template re-render the form (nothing is
 * written), post makes one service call. A template the lead has not edited follows the
 * components; if they changed since it was last filled, the post stops to show the new text.
 */
export async function runUpdateComposer(
  input: UpdateComposerInput,
  form: FormData,
  action: string,
): Promise<ComposerOutcome> {
  const { incident, ctx, user } = input;
  let state = readComposer(
    form,
    input.components.map((c) => c.id),
    incident.status,
  );
  const template = templatesFor(incident, input.templates).find((t) => t.id === state.template);
  const reapply = action === 'template' || String(form.get('reapply') ?? '') === '1';
  if (action === 'preview' || action === 'template') {
    state = applyTemplate(state, template, fillContext(input, state), reapply);
    return { kind: 'shown', state, previewing: action === 'preview' };
  }
  if (state.internal) {
    const key = String(form.get('form_key') ?? '');
    const noted = await oncePerForm(ctx, user.userId, key, async () =>
      String((await addInternalNote(ctx, user, incident.id, state.body)).stakeholders),
    );
    return { kind: 'noted', stakeholders: Number(noted) };
  }
  const refreshed = refreshedBeforePosting(state, template, fillContext(input, state), { withName: false });
  if (refreshed)
    return {
      kind: 'shown',
      state: refreshed,
      previewing: true,
      notice: REFRESHED_NOTICE,
    };
  const update = validate(
    schemas.updateCreate,
    {
      status: state.status,
      body: state.body,
      notify: state.notify,
      components: state.chosen,
      ...(state.impact && state.impact !== incident.impact ? { impact: state.impact } : {}),
      ...(state.reviewOn && state.status === 'resolved' ? { review_on: state.reviewOn } : {}),
    },
    'update',
  );
  const answer = await oncePerForm(ctx, user.userId, String(form.get('form_key') ?? ''), async () => {
    const submitted = await submitUpdate(ctx, user, incident.id, update);
    return submitted.outcome === 'posted' ? `posted:${submitted.update_id}` : `pending:${submitted.pending_update.id}`;
  });
  const [kind, id = ''] = answer.split(':');
  return kind === 'pending' ? { kind: 'pending', pendingId: id } : { kind: 'posted', updateId: id };
}

import type { Template } from '../db/schema.ts';
import type { ComponentStatus } from '../domain/component-status.ts';
import { INCIDENT_STATUSES, type IncidentStatus } from '../domain/incident.ts';
import { createIncident } from '../services/incidents.ts';
import * as schemas from '../services/schemas.ts';
import { validate } from '../services/validate.ts';
import {
  applyTemplate,
  type ComposerState,
  emptyComposer,
  type FillContext,
  impactOfDraft,
  readComposer,
  refreshedBeforePosting,
  REFRESHED_NOTICE,
} from './composer-state.ts';
import type { ComposerInput } from './composer-state.ts';
import { oncePerForm } from './form-once.ts';

export type OpenComposerInput = ComposerInput;

function incidentTemplates(templates: readonly Template[]): Template[] {
  return templates
    .filter((t) => t.kind === 'incident')
    .sort(
      (a, b) =>
        INCIDENT_STATUSES.indexOf(a.status as IncidentStatus) - INCIDENT_STATUSES.indexOf(b.status as IncidentStatus),
    );
}

function fillContext(input: OpenComposerInput, state: ComposerState): FillContext {
  return {
    settings: input.settings,
    cadence: input.cadence,
    now: input.ctx.now(),
    componentNames: input.components.filter((c) => state.chosen[c.id] && c.hidden !== 1).map((c) => c.name),
    impact: impactOfDraft(state, input.components),
  };
}

/** The form as it first shows: the first template ("Investigating") filled in, for the components given. */
export function freshOpenComposer(input: OpenComposerInput, chosen: Record<string, ComponentStatus>): ComposerState {
  const first = incidentTemplates(input.templates)[0];
  const state = { ...emptyComposer('investigating'), chosen, template: first?.id ?? '' };
  return applyTemplate(state, first, fillContext(input, state), true);
}

export type OpenOutcome =
  | { kind: 'shown'; state: ComposerState; previewing: boolean; notice?: string }
  | { kind: 'created'; incidentId: string; updateId: string };

/** One action of the new-incident composer; posting makes one service call. */
export async function runOpenComposer(input: OpenComposerInput, form: FormData, action: string): Promise<OpenOutcome> {
  let state = readComposer(
    form,
    input.components.map((c) => c.id),
    'investigating',
  );
  if (state.status === 'resolved') state = { ...state, status: 'investigating' };
  const template = incidentTemplates(input.templates).find((t) => t.id === state.template);
  const reapply = action === 'template' || String(form.get('reapply') ?? '') === '1';
  if (action === 'preview' || action === 'template') {
    state = applyTemplate(state, template, fillContext(input, state), reapply);
    if (state.status === 'resolved') state = { ...state, status: 'investigating' };
    return { kind: 'shown', state, previewing: action === 'preview' };
  }
  const refreshed = refreshedBeforePosting(state, template, fillContext(input, state), { withName: true });
  if (refreshed)
    return {
      kind: 'shown',
      state: refreshed,
      previewing: true,
      notice: REFRESHED_NOTICE,
    };
  const incident = validate(
    schemas.incidentCreate,
    {
      name: state.name,
      status: state.status,
      body: state.body,
      components: state.chosen,
      notify: state.notify,
      ...(state.impact ? { impact: state.impact } : {}),
    },
    'incident',
  );
  const answer = await oncePerForm(input.ctx, input.user.userId, String(form.get('form_key') ?? ''), async () => {
    const created = await createIncident(input.ctx, input.user, incident);
    return `${created.id}:${created.incident_updates[0]?.id ?? ''}`;
  });
  const [incidentId = '', updateId = ''] = answer.split(':');
  return { kind: 'created', incidentId, updateId };
}

import type { Component, Settings, Template } from '../db/schema.ts';
import type { Actor } from '../services/actor.ts';
import type { ServiceContext } from '../services/context.ts';
import { type UpdateCadence } from '../domain/cadence.ts';
import type { ComponentStatus } from '../domain/component-status.ts';
import type { AnyIncidentStatus, Impact } from '../domain/incident.ts';
import { impactOfStatuses } from '../domain/indicator.ts';
import { severityLabelsOf, severityName } from '../domain/severity.ts';
import { fillTemplate } from '../domain/template-fill.ts';
import { formatClockTime } from '../render/format.ts';
import { componentStatusesFromForm, impactFromForm, statusFromForm } from './composer-form.ts';

/**
 * What the one composer holds between two renders: for opening an incident, updating one (public
 * update or internal note) and scheduling maintenance. The text last filled in from a template
 * travels with the form, so the page can tell whether the lead has edited it since.
 */
export type ComposerState = {
  template: string;
  name: string;
  appliedName: string;
  status: AnyIncidentStatus;
  impact: Impact | null;
  chosen: Record<string, ComponentStatus>;
  /** Maintenance: the components under maintenance. */
  picked: string[];
  body: string;
  appliedBody: string;
  /** What the template was last filled for (components, impact, ETA): the text is stale once it differs. */
  appliedFor: string;
  eta: string;
  internal: boolean;
  notify: boolean;
  reviewOn: string;
};

export function emptyComposer(status: AnyIncidentStatus): ComposerState {
  return {
    template: '',
    name: '',
    appliedName: '',
    status,
    impact: null,
    chosen: {},
    picked: [],
    body: '',
    appliedBody: '',
    appliedFor: '',
    eta: '',
    internal: false,
    notify: true,
    reviewOn: '',
  };
}

export function readComposer(
  form: FormData,
  componentIds: readonly string[],
  fallbackStatus: AnyIncidentStatus,
): ComposerState {
  const text = (name: string) => String(form.get(name) ?? '');
  const picked = form
    .getAll('component')
    .map(String)
    .filter((id) => componentIds.includes(id));
  return {
    template: text('template'),
    name: text('name').trim(),
    appliedName: text('applied_name'),
    status: statusFromForm(form) ?? fallbackStatus,
    impact: impactFromForm(form) ?? null,
    chosen: componentStatusesFromForm(form, componentIds),
    picked,
    body: text('body').replace(/\r\n/g, '\n'),
    appliedBody: text('applied_body').replace(/\r\n/g, '\n'),
    appliedFor: text('applied_for'),
    eta: text('eta').trim(),
    internal: text('visibility') === 'internal',
    notify: form.get('notify') === 'on',
    reviewOn: text('review_on').trim(),
  };
}

/** What every composer works with: the services, the member, the page's components, templates and words. */
export type ComposerInput = {
  ctx: ServiceContext;
  user: Actor & { kind: 'user' };
  components: readonly Component[];
  templates: readonly Template[];
  settings: FillContext['settings'];
  cadence: UpdateCadence;
};

/** What the placeholders are filled from, besides the components. */
export type FillContext = {
  settings: Pick<
    Settings,
    | 'page_name'
    | 'time_zone'
    | 'severity_critical_label'
    | 'severity_major_label'
    | 'severity_minor_label'
    | 'severity_none_label'
  >;
  cadence: UpdateCadence;
  now: Date;
  /** The components' names, including those the incident already has. */
  componentNames: readonly string[];
  /** The impact the event has once posted. */
  impact: Impact;
  /** A maintenance window's end, when there is one and no ETA was typed. */
  windowEnd?: string | null;
};

export function fillFor(text: string, state: ComposerState, context: FillContext): string {
  const { settings, cadence, now, impact } = context;
  const nextUpdate = new Date(now.getTime() + cadence[impact] * 60_000);
  return fillTemplate(text, context.componentNames, {
    severity: severityName(severityLabelsOf(settings), impact),
    nextUpdate: formatClockTime(nextUpdate, settings.time_zone, now),
    eta:
      state.eta ||
      (context.windowEnd ? formatClockTime(new Date(context.windowEnd), settings.time_zone, now) : undefined),
    pageName: settings.page_name,
  });
}

/**
 * What a filled template depends on besides the clock: the components, the impact, the ETA and a
 * window's end. `{{next_update}}` moves every minute and must not make a text count as stale.
 */
export function fillSignature(state: ComposerState, context: FillContext): string {
  return JSON.stringify([context.componentNames, context.impact, state.eta, context.windowEnd ?? null]);
}

/** Said when a post came back with its template's words refreshed instead of going out. */
export const REFRESHED_NOTICE = 'The template was filled in again for what you chose. Check the text, then post.';

/**
 * On posting without script: the template's text as it should read now, if the lead left it
 * untouched and what it depends on changed since it was filled; null when it can go as it is.
 */
export function refreshedBeforePosting(
  state: ComposerState,
  template: Template | undefined,
  context: FillContext,
  options: { withName: boolean },
): ComposerState | null {
  if (!template || fillSignature(state, context) === state.appliedFor) return null;
  const refilled = applyTemplate(state, template, context, false);
  const bodyChanged = refilled.body !== state.body;
  const nameChanged = options.withName && refilled.name !== state.name;
  return bodyChanged || nameChanged ? refilled : null;
}

/** Whether the lead has written over what the template filled in (an empty box counts as untouched). */
export function untouched(state: ComposerState): boolean {
  return state.body.trim() === '' || state.body === state.appliedBody;
}

/**
 * Fills the chosen template in: at once when the lead picks one (`force`), and again whenever what
 * it depends on changes (components, impact, ETA) for as long as the lead has not edited the text.
 */
export function applyTemplate(
  state: ComposerState,
  template: Template | undefined,
  context: FillContext,
  force: boolean,
): ComposerState {
  if (!template) return state;
  // The title and the message are the lead's separately: editing one leaves the other following.
  const bodyFollows = force || untouched(state);
  const nameFollows = force || state.name === '' || state.name === state.appliedName;
  const body = bodyFollows ? fillFor(template.body, state, context) : state.body;
  const name = nameFollows ? fillFor(template.title, state, context) : state.name;
  return {
    ...state,
    body,
    appliedBody: bodyFollows ? body : state.appliedBody,
    appliedFor: bodyFollows || nameFollows ? fillSignature(state, context) : state.appliedFor,
    name,
    appliedName: nameFollows ? name : state.appliedName,
    status: force ? template.status : state.status,
  };
}

/** The impact a new incident gets: the one chosen, or the worst of its visible components' statuses. */
export function impactOfDraft(state: ComposerState, components: readonly Component[]): Impact {
  if (state.impact) return state.impact;
  const visible = components.filter((c) => c.hidden !== 1 && state.chosen[c.id]).map((c) => state.chosen[c.id]);
  return impactOfStatuses(visible.filter((s): s is ComponentStatus => !!s));
}

import type { Template } from '../db/schema.ts';
import { isoToLocalInput, localInputToIso } from '../render/local-time.ts';
import { scheduleMaintenance } from '../services/maintenance.ts';
import * as schemas from '../services/schemas.ts';
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

export type ScheduleComposerInput = ComposerInput;

/** The window's own fields, as typed (wall time in the page's zone). */
export type WindowFields = { from: string; until: string; autoStart: boolean; autoComplete: boolean; remind: string };

export type ScheduleState = { composer: ComposerState; window: WindowFields };

function scheduledTemplate(templates: readonly Template[]): Template | undefined {
  return templates.find((t) => t.kind === 'maintenance' && t.status === 'scheduled');
}

function fillContext(input: ScheduleComposerInput, state: ScheduleState): FillContext {
  return {
    settings: input.settings,
    cadence: input.cadence,
    now: input.ctx.now(),
    componentNames: input.components.filter((c) => state.composer.picked.includes(c.id)).map((c) => c.name),
    impact: 'none',
    windowEnd: localInputToIso(state.window.until, input.settings.time_zone),
  };
}

/** A window tomorrow at 02:00–03:00 in the page's zone, with the "scheduled" template filled in. */
export function freshScheduleComposer(input: ScheduleComposerInput): ScheduleState {
  const zone = input.settings.time_zone;
  const tomorrow = isoToLocalInput(new Date(input.ctx.now().getTime() + 86_400_000).toISOString(), zone).slice(0, 10);
  const template = scheduledTemplate(input.templates);
  const state: ScheduleState = {
    composer: { ...emptyComposer('scheduled'), template: template?.id ?? '' },
    window: {
      from: `${tomorrow}T02:00`,
      until: `${tomorrow}T03:00`,
      autoStart: true,
      autoComplete: true,
      remind: '60',
    },
  };
  return { ...state, composer: applyTemplate(state.composer, template, fillContext(input, state), true) };
}

export function readSchedule(form: FormData, input: ScheduleComposerInput): ScheduleState {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  return {
    composer: {
      ...readComposer(
        form,
        input.components.map((c) => c.id),
        'scheduled',
      ),
      status: 'scheduled',
    },
    window: {
      from: text('scheduled_for'),
      until: text('scheduled_until'),
      autoStart: form.get('auto_start') === 'on',
      autoComplete: form.get('auto_complete') === 'on',
      remind: text('remind_minutes_before'),
    },
  };
}

export type ScheduleOutcome =
  | { kind: 'shown'; state: ScheduleState; previewing: boolean; notice?: string }
  | { kind: 'scheduled'; maintenanceId: string };

/** One action of the maintenance composer; scheduling makes one service call. */
export async function runScheduleComposer(
  input: ScheduleComposerInput,
  form: FormData,
  action: string,
): Promise<ScheduleOutcome> {
  let state = readSchedule(form, input);
  const template = input.templates.find((t) => t.kind === 'maintenance' && t.id === state.composer.template);
  const reapply = action === 'template' || String(form.get('reapply') ?? '') === '1';
  if (action === 'preview' || action === 'template') {
    const composer = applyTemplate(state.composer, template, fillContext(input, state), reapply);
    state = { ...state, composer: { ...composer, status: 'scheduled' } };
    return { kind: 'shown', state, previewing: action === 'preview' };
  }
  const refreshed = refreshedBeforePosting(state.composer, template, fillContext(input, state), { withName: true });
  if (refreshed)
    return {
      kind: 'shown',
      state: { ...state, composer: { ...refreshed, status: 'scheduled' } },
      previewing: true,
      notice: REFRESHED_NOTICE,
    };
  const zone = input.settings.time_zone;
  const maintenance = validate(
    schemas.maintenanceCreate,
    {
      name: state.composer.name,
      body: state.composer.body,
      components: state.composer.picked,
      scheduled_for: localInputToIso(state.window.from, zone) ?? state.window.from,
      scheduled_until: localInputToIso(state.window.until, zone) ?? state.window.until,
      auto_start: state.window.autoStart,
      auto_complete: state.window.autoComplete,
      notify: state.composer.notify,
      remind_minutes_before: state.window.remind === '' ? null : Number(state.window.remind),
    },
    'maintenance',
  );
  const id = await oncePerForm(
    input.ctx,
    input.user.userId,
    String(form.get('form_key') ?? ''),
    async () => (await scheduleMaintenance(input.ctx, input.user, maintenance)).id,
  );
  return { kind: 'scheduled', maintenanceId: id };
}

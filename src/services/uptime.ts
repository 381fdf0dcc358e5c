import { incidentSpans, statusTimelines } from '../db/uptime-repo.ts';
import { type DayUptime, dailyUptime, dayWindows } from '../domain/uptime.ts';
import type { ServiceContext } from './context.ts';
import { readSettings } from './settings.ts';

export type UptimeDay = DayUptime & { incidents: Array<{ name: string; code: string; impact: string }> };
export type ComponentUptime = { days: UptimeDay[]; uptime: number | null };

/** 90-day uptime per component from the status-change history, in the page's time zone. */
export async function componentUptime(
  ctx: ServiceContext,
  components: ReadonlyArray<{ id: string; created_at: string }>,
  days = 90,
): Promise<Map<string, ComponentUptime>> {
  const { time_zone: timeZone } = await readSettings(ctx.db);
  const now = ctx.now().getTime();
  const windows = dayWindows(timeZone, now, days);
  const since = new Date(windows[0]?.start ?? now).toISOString();
  const ids = components.map((c) => c.id);
  const [timelines, spans] = await Promise.all([
    statusTimelines(ctx.db, ids, since),
    incidentSpans(ctx.db, ids, since),
  ]);
  const result = new Map<string, ComponentUptime>();
  for (const component of components) {
    const timeline = (timelines.get(component.id) ?? []).map((r) => ({
      at: Date.parse(r.changed_at),
      status: r.to_status,
    }));
    const computed = dailyUptime({ timeline, createdAt: Date.parse(component.created_at), windows });
    const mine = spans.filter((s) => s.component_id === component.id);
    result.set(component.id, {
      uptime: computed.uptime,
      days: computed.days.map((d, i) => {
        const window = windows[i];
        const incidents = mine
          .filter(
            (s) =>
              window !== undefined &&
              Date.parse(s.started_at) < window.end &&
              (s.resolved_at ? Date.parse(s.resolved_at) : now) >= window.start,
          )
          .map(({ name, code, impact }) => ({ name, code, impact }));
        return { ...d, incidents };
      }),
    });
  }
  return result;
}

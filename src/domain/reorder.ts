/** The order with one item moved a place up or down; unchanged at either end or if absent. */
export function moveOnePlace(order: readonly string[], id: string, direction: 'up' | 'down'): string[] {
  const next = [...order];
  const at = next.indexOf(id);
  const to = direction === 'up' ? at - 1 : at + 1;
  if (at < 0 || to < 0 || to >= next.length) return next;
  [next[at], next[to]] = [next[to] ?? id, next[at] ?? id];
  return next;
}

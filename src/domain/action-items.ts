/** An action item moves open → in progress → done (and back to open when it was not). */
export const ACTION_ITEM_STATES = ['open', 'in_progress', 'done'] as const;
export type ActionItemState = (typeof ACTION_ITEM_STATES)[number];
export const ACTION_ITEM_PRIORITIES = ['high', 'medium', 'low'] as const;
export type ActionItemPriority = (typeof ACTION_ITEM_PRIORITIES)[number];

export const ACTION_ITEM_STATE_LABELS: Record<ActionItemState, string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
};

export const ACTION_ITEM_PRIORITY_LABELS: Record<ActionItemPriority, string> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/** Late: a due date before today (the page's calendar day) on an item not done. */
export function isOverdue(item: { due_on: string | null; state: ActionItemState }, today: string): boolean {
  return item.state !== 'done' && item.due_on !== null && item.due_on < today;
}

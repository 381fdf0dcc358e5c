import type { AdminUser } from './admin-auth.ts';
import { seeOther } from './admin-auth.ts';
import { oncePerForm } from './form-once.ts';
import { createActionItem, updateActionItem } from '../services/action-items.ts';
import type { ServiceContext } from '../services/context.ts';
import { Invalid } from '../services/errors.ts';
import { scheduleReview } from '../services/reviews.ts';
import * as schemas from '../services/schemas.ts';
import { validate } from '../services/validate.ts';

/**
 * Where a review form sends the browser back to: the incident page it was on, or the reviews
 * list with its filters. Anything else (a crafted field) is the reviews list.
 */
export function reviewFormBack(requested: string): string {
  return /^\/admin\/(reviews(\?[\w=&%.+-]{0,200})?|incidents\/[\w-]{1,64})$/.test(requested)
    ? requested
    : '/admin/reviews';
}

/** The owner as the form gives it: typed text wins over the member chosen in the list. */
function ownerFields(field: (name: string) => string): { owner_label: string } | { owner_id: string } | object {
  if (field('owner_label')) return { owner_label: field('owner_label') };
  if (field('owner_id')) return { owner_id: field('owner_id') };
  return {};
}

/**
 * The review forms of the incident page and the reviews list (review date, add an action item,
 * move one on): each checked with the API's schema, one service call, then back where it came from.
 */
export async function runReviewForm(
  ctx: ServiceContext,
  user: AdminUser,
  form: FormData,
  field: (name: string) => string,
): Promise<Response> {
  const back = reviewFormBack(field('back'));
  const onIncident = back.startsWith('/admin/incidents/');
  const action = field('action');
  if (action === 'review-date') {
    await scheduleReview(ctx, user, field('incident_id'), field('due_on') || null);
    return seeOther(onIncident ? `${back}#review` : back);
  }
  if (action === 'item-add') {
    const input = validate(
      schemas.actionItemCreate,
      {
        description: field('description'),
        ...ownerFields(field),
        due_on: field('due_on') || null,
        priority: field('priority') || 'medium',
      },
      'action item',
    );
    await oncePerForm(ctx, user.userId, field('form_key'), async () => {
      return (await createActionItem(ctx, user, field('incident_id'), input)).id;
    });
    return seeOther(onIncident ? `${back}#action-items` : back);
  }
  if (action === 'item-state') {
    const patch = validate(schemas.actionItemPatch, { state: String(form.get('state') ?? '') }, 'action item');
    const item = await updateActionItem(ctx, user, field('item_id'), patch);
    return seeOther(onIncident ? `${back}#action-item-${item.id}` : back);
  }
  throw new Invalid('Please use the forms of the incident page or the reviews list.');
}

import type { Template } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize } from './authorize.ts';
import { iso, type ServiceContext, write } from './context.ts';
import { NotFound } from './errors.ts';
import type { z } from 'zod';
import type * as schemas from './schemas.ts';
import * as repo from '../db/templates-repo.ts';

export type TemplateInput = z.output<typeof schemas.templateCreate>;

export async function listTemplates(ctx: ServiceContext, actor: Actor): Promise<Template[]> {
  authorize(actor, 'read');
  return repo.listTemplateRows(ctx.db);
}

export async function createTemplate(ctx: ServiceContext, actor: Actor, input: TemplateInput): Promise<Template> {
  authorize(actor, 'manage_incidents');
  return write(ctx, async (trx) => {
    const at = iso(ctx.now());
    const template: Template = { id: newId(), ...input, created_at: at, updated_at: at };
    await repo.insertTemplate(trx, template);
    await recordAudit(trx, actor, at, {
      action: 'template.create',
      targetType: 'template',
      targetId: template.id,
      details: { name: input.name },
    });
    return template;
  });
}

export async function updateTemplate(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  patch: Partial<TemplateInput>,
): Promise<Template> {
  authorize(actor, 'manage_incidents');
  return write(ctx, async (trx) => {
    const at = iso(ctx.now());
    const updated = await repo.updateTemplateRow(trx, id, { ...patch, updated_at: at });
    if (!updated) throw new NotFound(`Template ${id} does not exist`);
    await recordAudit(trx, actor, at, {
      action: 'template.update',
      targetType: 'template',
      targetId: id,
      details: patch,
    });
    return updated;
  });
}

export async function deleteTemplate(ctx: ServiceContext, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'manage_incidents');
  await write(ctx, async (trx) => {
    if (!(await repo.deleteTemplateRow(trx, id))) throw new NotFound(`Template ${id} does not exist`);
    await recordAudit(trx, actor, iso(ctx.now()), { action: 'template.delete', targetType: 'template', targetId: id });
  });
}

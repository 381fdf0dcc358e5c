import { Hono } from 'hono';
import { answerSlackCommand } from '../../integrations/slack-commands.ts';
import type { Runtime } from '../../runtime.ts';
import { onApiError, problemResponse } from '../problem.ts';

/** Slack's slash command requests: `/api/integrations/slack/commands` in the Slack app's settings. */
export function slackCommandRoutes(runtime: Runtime): Hono {
  const app = new Hono();
  app.onError(onApiError);
  app.post('/integrations/slack/commands', async (c) => {
    const answer = await answerSlackCommand(runtime, {
      rawBody: await c.req.text(),
      timestamp: c.req.header('x-slack-request-timestamp') ?? null,
      signature: c.req.header('x-slack-signature') ?? null,
    });
    if ('refused' in answer) return problemResponse(answer.refused.status, answer.refused.detail);
    return c.json(answer.reply);
  });
  return app;
}

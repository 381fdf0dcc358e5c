import { verifySlackRequest } from '../lib/slack-signature.ts';
import { parseStatusCommand } from '../domain/slack-command.ts';
import { postJson } from '../notify/outbound-post.ts';
import {
  errorReply,
  listReply,
  resultReply,
  type SlackCommandReply,
  usageReply,
} from '../render/slack-command-reply.ts';
import type { Runtime } from '../runtime.ts';
import { DomainError } from '../services/errors.ts';
import {
  actorForSlackUser,
  firstSightOfSlackRequest,
  linkSlackUserByEmail,
  runStatusCommand,
  slackCommandSettings,
  type SlackOutcome,
} from '../services/slack-commands.ts';

/** The Slack user's email, read with the page's bot token (users:read.email), links them to the member with it. */
async function linkByEmail(runtime: Runtime, botToken: string, slackUser: string) {
  try {
    const answer = await postJson(
      `${runtime.config.slackApiUrl}/users.info`,
      new URLSearchParams({ user: slackUser }).toString(),
      { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${botToken}` },
      // A user's profile is a few KB of JSON; the whole of it is read. Inside Slack's window.
      { ...runtime.config.outbound, keepBytes: 64 * 1024, timeoutMs: 2_000 },
    );
    if (answer.status !== 200) throw new Error(`users.info answered ${answer.status}`);
    const body = JSON.parse(answer.bodySnippet) as { ok?: boolean; user?: { profile?: { email?: string } } };
    const email = body.ok ? body.user?.profile?.email : undefined;
    return email ? await linkSlackUserByEmail(runtime.ctx, slackUser, email.toLowerCase()) : null;
  } catch (error) {
    runtime.logger.warn({ err: error }, 'could not read a Slack user for linking by email');
    return null;
  }
}

/** What the HTTP layer answers: a refusal (problem), or a reply Slack shows. */
export type SlackAnswer = { refused: { status: number; detail: string } } | { reply: SlackCommandReply };

function replyOf(outcome: SlackOutcome, command: string): SlackCommandReply {
  if (outcome.kind === 'help') return usageReply(command);
  if (outcome.kind === 'list') return listReply(outcome.incidents, outcome.drafts, { command });
  return resultReply({ action: outcome.action, incident: outcome.incident, message: outcome.message });
}

/**
 * A `/status` request from Slack: verified as Slack documents (signature over the raw body,
 * timestamp within five minutes, each request once), run as the linked member with that member's
 * role, answered within Slack's three seconds; work that takes longer is acknowledged at once and
 * its result posted to the request's response_url.
 */
export async function answerSlackCommand(
  runtime: Runtime,
  input: { rawBody: string; timestamp: string | null; signature: string | null },
): Promise<SlackAnswer> {
  const { ctx } = runtime;
  const settings = await slackCommandSettings(ctx);
  if (!settings.signingSecret)
    return {
      refused: { status: 404, detail: 'Slack commands are not set up: set the Slack signing secret in Settings' },
    };
  const verified = verifySlackRequest({
    signingSecret: settings.signingSecret,
    timestamp: input.timestamp ?? '',
    signature: input.signature ?? '',
    rawBody: input.rawBody,
    now: ctx.now().getTime(),
  });
  if (!verified.ok) {
    runtime.logger.warn({ reason: verified.reason }, 'refused a Slack command request');
    return { refused: { status: 401, detail: `The request is not signed by Slack (${verified.reason})` } };
  }
  if (!(await firstSightOfSlackRequest(ctx, input.signature ?? '')))
    return { refused: { status: 401, detail: 'This request was already received (a replay)' } };
  const form = new URLSearchParams(input.rawBody);
  const slackUser = form.get('user_id') ?? '';
  const parsed = parseStatusCommand(form.get('text') ?? '', settings.command);
  if (!parsed.ok) return { reply: errorReply(parsed.error.message, parsed.error.usage) };
  const actor =
    (await actorForSlackUser(ctx, slackUser)) ??
    (settings.botToken ? await linkByEmail(runtime, settings.botToken, slackUser) : null);
  if (!actor)
    return {
      reply: errorReply(
        `Your Slack user (${slackUser}) is not linked to a Herald member. In Herald: Account › Slack user id, and paste ${slackUser}.`,
      ),
    };
  const work = runStatusCommand(ctx, actor, parsed.command).then(
    (outcome) => replyOf(outcome, settings.command),
    (error: unknown) => {
      if (error instanceof DomainError) return errorReply(error.message);
      runtime.logger.error({ err: error }, 'a Slack command failed');
      return errorReply('Herald could not do that; the error is in its log.');
    },
  );
  const late = Symbol('late');
  const ackMs = runtime.config.slackAckMs;
  // 0: always acknowledge first and answer on response_url.
  const timer = new Promise<typeof late>((resolve) =>
    ackMs === 0 ? resolve(late) : setTimeout(() => resolve(late), ackMs),
  );
  const first = await Promise.race([timer, work]);
  if (first !== late) return { reply: first };
  const responseUrl = form.get('response_url');
  void work.then(async (reply) => {
    if (!responseUrl) return;
    try {
      await postJson(
        responseUrl,
        JSON.stringify(reply),
        { 'content-type': 'application/json' },
        runtime.config.outbound,
      );
    } catch (error) {
      runtime.logger.warn({ err: error }, 'could not post a Slack command result to its response_url');
    }
  });
  return { reply: { response_type: 'ephemeral', text: 'Working on it…', blocks: [] } };
}

import { describe, expect, it } from 'vitest';
import {
  parseStatusCommand,
  type StatusCommand,
  type StatusCommandErrorReason,
} from '../../../src/domain/slack-command.ts';

const parsed = (text: string) => {
  const result = parseStatusCommand(text);
  if (!result.ok) throw new Error(`expected a command from ${JSON.stringify(text)}: ${result.error.message}`);
  return result.command;
};
const refused = (text: string) => {
  const result = parseStatusCommand(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused, got ${JSON.stringify(result)}`);
  return result.error;
};

describe('/status command text', () => {
  it.each<[string, StatusCommand]>([
    ['', { kind: 'help' }],
    ['   ', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['list', { kind: 'list' }],
    [' List ', { kind: 'list' }],
    ['create major API Login fails', { kind: 'create', impact: 'major', components: ['API'], title: 'Login fails' }],
    [
      'create critical "Web app",API Login fails for some users',
      { kind: 'create', impact: 'critical', components: ['Web app', 'API'], title: 'Login fails for some users' },
    ],
    [
      'create minor "Web app", API, cmp123 Slow pages',
      { kind: 'create', impact: 'minor', components: ['Web app', 'API', 'cmp123'], title: 'Slow pages' },
    ],
    ['create major API "Login fails"', { kind: 'create', impact: 'major', components: ['API'], title: 'Login fails' }],
    [
      'create major API,API,api  Login   fails\nfor everyone',
      { kind: 'create', impact: 'major', components: ['API', 'api'], title: 'Login fails for everyone' },
    ],
    [
      'create major API "Login" fails for "some" users',
      { kind: 'create', impact: 'major', components: ['API'], title: '"Login" fails for "some" users' },
    ],
    [
      'create major API “Login fails 🔥”',
      { kind: 'create', impact: 'major', components: ['API'], title: 'Login fails 🔥' },
    ],
  ])('reads %j', (text, command) => {
    expect(parsed(text)).toEqual(command);
  });

  it.each([
    ['P1', 'critical'],
    ['p2', 'major'],
    ['P3', 'minor'],
    ['P4', 'none'],
    ['NONE', 'none'],
    ['Critical', 'critical'],
  ])('takes %s as the impact %s', (word, impact) => {
    expect(parsed(`create ${word} API Down`)).toMatchObject({ kind: 'create', impact });
  });

  it.each<[string, string[], string]>([
    // macOS and iOS turn typed quotes into curly ones.
    ['create major “Web app”,API Login fails', ['Web app', 'API'], 'Login fails'],
    ['create major “Web app”, ‘Payments API’ “Login fails”', ['Web app', 'Payments API'], 'Login fails'],
    ["create major 'Bob’s API' Can’t log in", ['Bob’s API'], 'Can’t log in'],
    ['create major API ‘Checkout’s slow’', ['API'], 'Checkout’s slow'],
    ['create major API We’re looking into it', ['API'], 'We’re looking into it'],
  ])('treats curly quotes as quotes and apostrophes as letters: %j', (text, components, title) => {
    expect(parsed(text)).toMatchObject({ components, title });
  });

  it("reads Slack's entities back as the characters typed, and leaves mentions and links as they are", () => {
    expect(parsed('create major &quot;Web &amp; mobile&quot; Errors &lt; 5% &gt; 1%')).toMatchObject({
      components: ['&quot;Web'],
    });
    expect(parsed('create major "Web &amp; mobile" Errors &lt; 5% &amp;&amp; latency &gt; 2s')).toMatchObject({
      components: ['Web & mobile'],
      title: 'Errors < 5% && latency > 2s',
    });
    // An escaped entity typed literally stays one: "&amp;lt;" is what "&lt;" arrives as.
    expect(parsed('update abc123 monitoring Shown as &amp;lt; in HTML')).toMatchObject({
      message: 'Shown as &lt; in HTML',
    });
    expect(
      parsed('update abc123 identified Paged <@U123ABC|alice>, see <#C1|ops> and <https://x.example/r|runbook>'),
    ).toMatchObject({ message: 'Paged <@U123ABC|alice>, see <#C1|ops> and <https://x.example/r|runbook>' });
  });

  it('reads updates with their status and message, which keeps its lines', () => {
    expect(parsed('update AbC123 Identified Rolling back.\n\n*Next* update in 30 min')).toEqual({
      kind: 'update',
      code: 'abc123',
      status: 'identified',
      message: 'Rolling back.\n\n*Next* update in 30 min',
    });
    expect(parsed('update abc123 monitoring “Fix deployed”')).toMatchObject({ message: 'Fix deployed' });
  });

  it('takes an incident by its code, a #code or its pasted permalink', () => {
    expect(parsed('resolve #k7m2p9qx')).toMatchObject({ code: 'k7m2p9qx' });
    expect(parsed('resolve <https://status.example.com/incidents/k7m2p9qx>')).toMatchObject({ code: 'k7m2p9qx' });
    expect(parsed('resolve https://status.example.com/incidents/K7M2P9QX?x=1 done')).toMatchObject({
      code: 'k7m2p9qx',
      message: 'done',
    });
    expect(
      parsed('update <https://status.example.com/incidents/k7m2p9qx#update-3|Login fails> resolved ok'),
    ).toMatchObject({ code: 'k7m2p9qx', status: 'resolved' });
  });

  it('resolves with or without a message, and approves a draft by its id', () => {
    expect(parsed('resolve abc123')).toEqual({ kind: 'resolve', code: 'abc123', message: null });
    expect(parsed('resolve abc123 "All good now"')).toEqual({
      kind: 'resolve',
      code: 'abc123',
      message: 'All good now',
    });
    expect(parsed('approve  dr4ft5id6789 ')).toEqual({ kind: 'approve', draftId: 'dr4ft5id6789' });
  });

  it.each<[string, StatusCommandErrorReason, RegExp]>([
    ['frobnicate now', 'unknown_subcommand', /Unknown subcommand "frobnicate"/],
    ['delete abc123', 'unknown_subcommand', /"delete"/],
    ['list everything', 'unexpected_argument', /no arguments/],
    ['create', 'missing_argument', /impact/],
    ['create major', 'missing_argument', /component/],
    ['create major API', 'missing_argument', /title/],
    ['create major API,', 'missing_argument', /title/],
    ['create P5 API Down', 'invalid_impact', /"P5" is not an impact/],
    ['create huge API Down', 'invalid_impact', /P1–P4/],
    ['create major "Web app,API Login fails', 'unclosed_quote', /never closed/],
    ['create major “Web app API Login fails', 'unclosed_quote', /never closed/],
    ['"create major API Down', 'unclosed_quote', /never closed/],
    ['update', 'missing_argument', /which incident/],
    ['update abc123', 'missing_argument', /status/],
    ['update abc123 fixed All good', 'invalid_status', /"fixed" is not a status: investigating, identified/],
    ['update abc123 resolved', 'missing_argument', /message/],
    ['update ab/c monitoring x', 'invalid_reference', /not an incident code/],
    ['resolve', 'missing_argument', /incident code/],
    ['resolve <https://status.example.com/history>', 'invalid_reference', /not a valid incident code/],
    ['approve', 'missing_argument', /draft id/],
    ['approve abc now please', 'unexpected_argument', /only the draft id/],
  ])('refuses %j (%s)', (text, reason, message) => {
    const error = refused(text);
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(message);
  });

  it('answers an error with the usage of the subcommand meant, or all of them', () => {
    expect(refused('update abc123').usage).toBe('/status update <code> <status> <message>');
    expect(refused('create x').subcommand).toBe('create');
    const unknown = refused('open incident');
    expect(unknown.subcommand).toBeNull();
    expect(unknown.usage.split('\n')).toHaveLength(5);
    const renamed = parseStatusCommand('resolve', '/herald');
    expect(!renamed.ok && renamed.error.usage).toBe('/herald resolve <code> [message]');
  });

  it('quotes back at most a line of what was typed', () => {
    const error = refused(`x${'y'.repeat(500)}`);
    expect(error.message.length).toBeLessThan(100);
  });
});

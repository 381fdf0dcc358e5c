import { describe, expect, it } from 'vitest';
import type { Block } from '../../../src/render/slack-message.ts';
import {
  type CommandDraft,
  type CommandIncident,
  errorReply,
  listReply,
  resultReply,
  type SlackCommandReply,
  usageReply,
} from '../../../src/render/slack-command-reply.ts';
import { parseStatusCommand } from '../../../src/domain/slack-command.ts';
import { blockKitViolations } from '../../helpers/block-kit-limits.ts';

/** The reply as Slack receives it: JSON, checked against Block Kit's limits. */
function sent(reply: SlackCommandReply): SlackCommandReply {
  const wire = JSON.parse(JSON.stringify(reply)) as SlackCommandReply;
  expect(blockKitViolations(wire)).toEqual([]);
  return wire;
}
const texts = (reply: SlackCommandReply) =>
  reply.blocks.flatMap((b: Block) =>
    b.type === 'section' && 'text' in b ? [b.text.text] : b.type === 'context' ? b.elements.map((e) => e.text) : [],
  );

const incident = (over: Partial<CommandIncident> = {}): CommandIncident => ({
  code: 'k7m2p9qx',
  name: 'Login fails',
  status: 'investigating',
  impact: 'major',
  url: 'https://status.example.com/incidents/k7m2p9qx',
  ...over,
});
const draft = (over: Partial<CommandDraft> = {}): CommandDraft => ({
  id: 'dr4ft5id6789',
  name: 'HighErrorRate on api',
  impact: 'minor',
  ...over,
});

describe('replies to /status', () => {
  it('tells the result in the channel with a link, the status and the impact', () => {
    const reply = sent(resultReply({ action: 'created', incident: incident() }));
    expect(reply.response_type).toBe('in_channel');
    expect(texts(reply)[0]).toBe(
      'Incident created: <https://status.example.com/incidents/k7m2p9qx|Login fails> — Investigating, Major',
    );
    expect(reply.text).toBe('Incident created: Login fails — Investigating, Major');
  });

  it("shows an update's message as mrkdwn, escaped, and cut with a link to the rest when long", () => {
    const update = resultReply({
      action: 'updated',
      incident: incident({ status: 'identified', name: 'Errors <5% & rising' }),
      message: 'Rolling back **the deploy** & watching <script>',
    });
    const [headline, body] = texts(sent(update));
    expect(headline).toContain('|Errors &lt;5% &amp; rising> — Identified, Major');
    expect(body).toBe('Rolling back *the deploy* &amp; watching &lt;script&gt;');

    const long = sent(resultReply({ action: 'resolved', incident: incident(), message: 'All & well. '.repeat(600) }));
    expect(texts(long)[1]).toMatch(/… <https:\/\/status\.example\.com\/incidents\/k7m2p9qx\|Read more>$/);
  });

  it('words every action and impact', () => {
    const approved = sent(resultReply({ action: 'approved', incident: incident({ impact: 'none' }) }));
    expect(approved.text).toBe('Draft approved and published: Login fails — Investigating, No impact');
    const resolved = sent(
      resultReply({ action: 'resolved', incident: incident({ status: 'resolved', impact: 'critical' }) }),
    );
    expect(resolved.text).toMatch(/^Incident resolved: .* — Resolved, Critical$/);
  });

  it('shows errors only to the person who typed the command, with the usage', () => {
    const parsed = parseStatusCommand('update abc123 fixed <@U1|bob> & co');
    if (parsed.ok) throw new Error('expected an error');
    const reply = sent(errorReply(parsed.error.message, parsed.error.usage));
    expect(reply.response_type).toBe('ephemeral');
    expect(texts(reply)[0]).toBe(':warning: "fixed" is not a status: investigating, identified, monitoring, resolved.');
    expect(texts(reply)[1]).toBe('Usage:\n`/status update &lt;code&gt; &lt;status&gt; &lt;message&gt;`');
    expect(sent(errorReply(`Unknown <component> & ${'x'.repeat(5000)}`)).blocks).toHaveLength(1);
  });

  it('lists every subcommand for help, under the configured command name', () => {
    const reply = sent(usageReply('/herald'));
    expect(reply.response_type).toBe('ephemeral');
    const all = texts(reply).join('\n');
    for (const sub of ['list', 'create', 'update', 'resolve', 'approve']) expect(all).toContain(`\`/herald ${sub}`);
    expect(all).toContain('P1–P4');
  });

  it('lists open incidents and drafts, a section each, with how to approve a draft', () => {
    const reply = sent(
      listReply(
        [incident(), incident({ code: 'b2', name: 'Slow pages', status: 'monitoring', impact: 'minor' })],
        [draft()],
      ),
    );
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toBe('2 open incidents, 1 draft');
    expect(texts(reply)).toEqual([
      '*Open incidents (2)*',
      '*<https://status.example.com/incidents/k7m2p9qx|Login fails>*\n`k7m2p9qx` · Investigating, Major',
      '*<https://status.example.com/incidents/k7m2p9qx|Slow pages>*\n`b2` · Monitoring, Minor',
      '*Drafts waiting for approval (1)*',
      '*HighErrorRate on api*\nDraft `dr4ft5id6789` · Minor · approve with `/status approve dr4ft5id6789`',
    ]);
  });

  it('says so when there is nothing open', () => {
    expect(texts(sent(listReply([], [])))).toEqual(['No open incidents and no drafts. All quiet.']);
  });

  it('cuts long lists within 50 blocks, saying how many more and where to see them', () => {
    const many = Array.from({ length: 120 }, (_, i) =>
      incident({ code: `c${i}`, name: `Incident ${i} ${'&'.repeat(3000)}` }),
    );
    const drafts = Array.from({ length: 40 }, (_, i) => draft({ id: `d${i}`, name: `<Draft> ${i}` }));
    const reply = sent(listReply(many, drafts, { command: '/herald', consoleUrl: 'https://status.example.com/admin' }));
    expect(reply.blocks).toHaveLength(50);
    const all = texts(reply);
    expect(all).toContain('…and 98 more open incidents');
    expect(all).toContain('…and 17 more drafts');
    expect(all.at(-1)).toBe('See them all in <https://status.example.com/admin|the console>.');
    expect(all).toContain('*Drafts waiting for approval (40)*');

    // One long list takes the room the other leaves.
    const onlyIncidents = sent(listReply(many, []));
    expect(texts(onlyIncidents)).toContain('…and 75 more open incidents');
    const fewIncidents = sent(listReply(many.slice(0, 3), drafts));
    expect(fewIncidents.blocks).toHaveLength(45);
    expect(texts(fewIncidents).some((t) => t.startsWith('…and'))).toBe(false);
  });
});

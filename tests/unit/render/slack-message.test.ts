import { describe, expect, it } from 'vitest';
import {
  type Block,
  slackConfirmationMessage,
  slackMessage,
  type SlackMessage,
  slackTestMessage,
} from '../../../src/render/slack-message.ts';
import { blockKitViolations } from '../../helpers/block-kit-limits.ts';
import { BASE, channelInput, component, EVENTS } from '../../helpers/channel-input.ts';

/** The message as Slack receives it: JSON, checked against Block Kit's limits. */
function sent(message: SlackMessage): SlackMessage {
  const wire = JSON.parse(JSON.stringify(message)) as SlackMessage;
  expect(blockKitViolations(wire)).toEqual([]);
  return wire;
}

const ofType = <T extends Block['type']>(message: SlackMessage, type: T) =>
  message.blocks.filter((b): b is Extract<Block, { type: T }> => b.type === type);
const sectionTexts = (message: SlackMessage) =>
  ofType(message, 'section').flatMap((b) => ('text' in b ? [b.text.text] : []));

describe('Slack message of a notification', () => {
  it('has a header with the title and status, impact, components, the update, a button and the links', () => {
    const message = sent(slackMessage(channelInput()));
    expect(ofType(message, 'header')[0]?.text.text).toBe('API errors — Identified');
    const fields = ofType(message, 'section').flatMap((b) => ('fields' in b ? b.fields.map((f) => f.text) : []));
    expect(fields).toEqual(['*Impact*\nMajor impact', '*Status*\nIdentified']);
    const texts = sectionTexts(message);
    expect(texts[0]).toBe('*Affected components*\n• API: Major Outage\n• Web: Operational');
    expect(texts[1]).toBe('The cause is *a bad deploy*; rolling back. See <https://example.com/run|the runbook>.');
    const button = ofType(message, 'actions')[0]?.elements[0];
    expect(button).toMatchObject({ url: `${BASE}/incidents/abc123#update-u2`, text: { text: 'View incident' } });
    const links = ofType(message, 'context').at(-1)?.elements[0]?.text ?? '';
    expect(links).toContain(`<${BASE}/subscriptions/manage?token=1.1.abc|Manage subscription>`);
    expect(links).toContain(`<${BASE}/subscriptions/unsubscribe?token=1.1.abc|Unsubscribe>`);
    expect(message.text).toBe('Incident update: API errors (Identified) · Acme Status');
  });

  it('shows a change the update made to a component', () => {
    const message = sent(slackMessage(channelInput({ updateId: 'u1', event: 'incident.created' })));
    expect(sectionTexts(message)[0]).toContain('• API: Operational → Major Outage');
    expect(message.text).toMatch(/^New incident: API errors \(Investigating\)/);
  });

  it('words every event, and one it does not know, within the limits', () => {
    const maintenance = {
      kind: 'maintenance' as const,
      status: 'scheduled' as const,
      scheduled_for: '2026-11-24T22:00:00.000Z',
      scheduled_until: '2026-11-25T01:00:00.000Z',
      postmortem_body: 'What went wrong & what we changed.',
      postmortem_published_at: '2026-11-26T09:00:00.000Z',
    };
    const headlines = EVENTS.map((event) => {
      const input = channelInput({ event, incident: event.startsWith('maintenance') ? maintenance : {} });
      const message = sent(slackMessage(event === 'maintenance.reminder' ? { ...input, updateId: null } : input));
      return message.text.split(':')[0];
    });
    expect(headlines).toEqual([
      'New incident',
      'Incident update',
      'Incident resolved',
      'Maintenance scheduled',
      'Maintenance started',
      'Maintenance update',
      'Maintenance completed',
      'Postmortem published',
      'Maintenance starts soon',
    ]);
    const unknown = sent(slackMessage(channelInput({ event: 'something.new' as never })));
    expect(unknown.text).toMatch(/^Incident update: /);
  });

  it('shows a maintenance window in each reader’s time zone, with a fallback', () => {
    const input = channelInput({
      event: 'maintenance.scheduled',
      incident: {
        kind: 'maintenance',
        scheduled_for: '2026-11-24T22:00:00.000Z',
        scheduled_until: '2026-11-25T01:00:00.000Z',
      },
    });
    const message = sent(slackMessage(input));
    const fields = ofType(message, 'section').flatMap((b) => ('fields' in b ? b.fields.map((f) => f.text) : []));
    expect(fields).toContain(
      '*Window*\n<!date^1795557600^{date_short_pretty} {time}|2026-11-24 22:00 UTC> – <!date^1795568400^{date_short_pretty} {time}|2026-11-25 01:00 UTC>',
    );
    expect(fields[0]).toBe('*Impact*\nScheduled maintenance');
  });

  it('says a cancelled maintenance was cancelled', () => {
    const input = channelInput({
      event: 'maintenance.completed',
      incident: { kind: 'maintenance', status: 'completed', cancelled_at: '2026-11-24T20:00:00.000Z' },
    });
    const message = sent(slackMessage(input));
    expect(message.text).toMatch(/^Maintenance cancelled: .*\(Cancelled\)/);
  });

  it('sends the postmortem as the text when it is the news', () => {
    const input = channelInput({
      event: 'postmortem.published',
      updateId: null,
      incident: {
        postmortem_body: '## Timeline\n\nAll **good** now.',
        postmortem_published_at: '2026-11-26T09:00:00.000Z',
      },
    });
    expect(sectionTexts(sent(slackMessage(input)))).toContain('*Timeline*\n\nAll *good* now.');
  });

  it('cuts a 10,000-character update between words within 3,000 characters and links to the rest', () => {
    const words = Array.from({ length: 2000 }, (_, i) => `w${i}&x`).join(' ');
    expect(words.length).toBeGreaterThan(10_000);
    const message = sent(slackMessage(channelInput({ body: words })));
    const body = sectionTexts(message)[1] ?? '';
    expect(body.length).toBeLessThanOrEqual(3000);
    expect(body.length).toBeGreaterThan(2800);
    expect(body).toMatch(/w\d+&amp;x… <https:\/\/status\.example\.com\/incidents\/abc123#update-u2\|Read more>$/);
  });

  it('never cuts inside a link when cutting a long update', () => {
    const link = '[the detailed report with many words](https://example.com/report?a=1&b=2)';
    const body = Array.from({ length: 300 }, () => `text ${link}`).join(' ');
    const text = sectionTexts(sent(slackMessage(channelInput({ body }))))[1] ?? '';
    expect(text.endsWith('|Read more>')).toBe(true);
    const links = text.match(/<[^>]*>/g) ?? [];
    for (const l of links.slice(0, -1))
      expect(l).toBe('<https://example.com/report?a=1&amp;b=2|the detailed report with many words>');
  });

  it('lists 60 components within one section, counting those that do not fit', () => {
    const components = Array.from({ length: 60 }, (_, i) =>
      component(
        `c${i}`,
        i % 2 ? 'partial_outage' : 'operational',
        `Service number ${i} with a rather long descriptive name`,
      ),
    );
    const message = sent(slackMessage(channelInput({ components })));
    const list = sectionTexts(message)[0] ?? '';
    expect(list.split('\n').filter((l) => l.startsWith('• ')).length).toBeGreaterThan(30);
    expect(list).toMatch(/\n…and \d+ more$/);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
  });

  it('lists all components when they fit', () => {
    const components = Array.from({ length: 60 }, (_, i) => component(`c${i}`, 'major_outage', `S${i}`));
    const list = sectionTexts(sent(slackMessage(channelInput({ components }))))[0] ?? '';
    expect(list.split('\n').length).toBe(61);
  });

  it('leaves hidden components out', () => {
    const input = channelInput();
    const visible = new Map([...input.components].filter(([id]) => id !== 'web'));
    const list = sectionTexts(sent(slackMessage({ ...input, components: visible })))[0];
    expect(list).toBe('*Affected components*\n• API: Major Outage');
  });

  it('keeps markdown edge cases valid: | and > in link text, code, HTML, mentions', () => {
    const body = [
      '[a | b > c](https://example.com/?q=a|b) and `a <b> & c` and <!here> and <b>bold</b>',
      '',
      '```\n<script>alert(1)</script>\n```',
      '',
      '- [x](javascript:alert(1))\n- ![img](https://example.com/i.png)',
    ].join('\n');
    const text = sectionTexts(sent(slackMessage(channelInput({ body }))))[1] ?? '';
    expect(text).toContain('<https://example.com/?q=a%7Cb|a | b &gt; c>');
    expect(text).toContain('`a &lt;b&gt; &amp; c`');
    expect(text).toContain('&lt;!here&gt;');
    // markdown-it refuses javascript: links, so it stays the literal text it was typed as.
    expect(text).toContain('• [x](javascript:alert(1))');
    expect(text).not.toContain('<javascript:');
  });

  it('keeps a very long title within the header limit', () => {
    const message = sent(slackMessage(channelInput({ incident: { name: 'Long '.repeat(100) } })));
    const header = ofType(message, 'header')[0]?.text.text ?? '';
    expect(header.length).toBeLessThanOrEqual(150);
    expect(header).toMatch(/… — Identified$/);
  });

  it('leaves the text section out when the update has no text', () => {
    const message = sent(slackMessage(channelInput({ body: '   ' })));
    expect(sectionTexts(message)).toHaveLength(1);
  });
});

describe('Slack confirmation and test messages', () => {
  it('posts the confirmation code with a link to where it is entered', () => {
    const message = sent(
      slackConfirmationMessage({
        pageName: 'Acme & Co',
        code: '482913',
        manageUrl: `${BASE}/subscriptions/confirm?s=1`,
      }),
    );
    expect(message.text).toBe('Your Acme &amp; Co confirmation code: 482913');
    expect(sectionTexts(message)[0]).toContain(`<${BASE}/subscriptions/confirm?s=1|the subscription page>:\n*482913*`);
  });

  it('says what a test message is, with the page status and the subscriber’s links', () => {
    const message = sent(
      slackTestMessage({
        pageName: 'Acme Status',
        baseUrl: BASE,
        pageStatus: { indicator: 'none', description: 'All Systems Operational' },
        links: { manage: `${BASE}/m`, unsubscribe: `${BASE}/u` },
      }),
    );
    expect(ofType(message, 'header')[0]?.text.text).toBe('Test message from Acme Status');
    expect(sectionTexts(message)[0]).toContain('Current status: *All Systems Operational*');
    expect(ofType(message, 'actions')[0]?.elements[0]?.url).toBe(`${BASE}/`);
    expect(ofType(message, 'context')[0]?.elements[0]?.text).toBe(
      `<${BASE}/m|Manage subscription> · <${BASE}/u|Unsubscribe>`,
    );
  });
});

describe('the Block Kit checker', () => {
  it('finds what Slack would refuse', () => {
    const button = {
      type: 'button',
      text: { type: 'plain_text', text: 'Open' },
      url: 'https://x.example',
      action_id: 'a',
    };
    const violations = blockKitViolations({
      text: 'a & b',
      blocks: [
        { type: 'header', text: { type: 'mrkdwn', text: 'x'.repeat(151) } },
        { type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) },
        { type: 'section', text: { type: 'mrkdwn', text: '<https://x.example|cut off' } },
        { type: 'section', text: { type: 'mrkdwn', text: '' } },
        { type: 'actions', elements: [button, button] },
        { type: 'image', image_url: 'https://x.example/i.png' },
      ],
    });
    expect(violations).toEqual([
      'text: unescaped & at 2',
      'blocks[0].text: must be plain_text',
      'blocks[0].text.text: length 151 not in 1..150',
      'blocks[1].fields: must hold 1..10 text objects',
      expect.stringMatching(/^blocks\[2\]\.text\.text: unescaped < or broken link/),
      'blocks[3].text.text: length 0 not in 1..3000',
      'blocks[4].elements[1]: duplicate action_id a',
      'blocks[5]: unexpected block image',
    ]);
  });
});

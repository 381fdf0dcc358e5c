/**
 * Block Kit's documented limits (https://api.slack.com/reference/block-kit/blocks, /block-elements,
 * /composition-objects) for the blocks Herald sends, and Slack's escaping rules for mrkdwn
 * (https://api.slack.com/reference/surfaces/formatting#escaping). Returns every violation found,
 * each naming where it is, so a test can assert the list is empty and show what broke.
 */
type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

const KEYS: Record<string, readonly string[]> = {
  header: ['type', 'text', 'block_id'],
  section: ['type', 'text', 'fields', 'accessory', 'block_id', 'expand'],
  actions: ['type', 'elements', 'block_id'],
  context: ['type', 'elements', 'block_id'],
  divider: ['type', 'block_id'],
  button: ['type', 'text', 'action_id', 'url', 'value', 'style', 'confirm', 'accessibility_label'],
  plain_text: ['type', 'text', 'emoji'],
  mrkdwn: ['type', 'text', 'verbatim'],
};

// What Slack parses between < and >: a link (text after the first |) or a date with its fallback.
const LINK = /<(?:https?:\/\/|mailto:)[^\s|<>]+(?:\|[^<>]*)?>/g;
const DATE = /<!date\^\d+\^[^|<>^]+(?:\^[^|<>]+)?\|[^<>]+>/g;

/** What in a mrkdwn string Slack would read as markup it was not meant to be. */
export function mrkdwnProblems(text: string): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(/&(?!amp;|lt;|gt;)/g)) problems.push(`unescaped & at ${m.index}`);
  const rest = text.replace(LINK, '').replace(DATE, '');
  for (const m of rest.matchAll(/</g))
    problems.push(`unescaped < or broken link at ${m.index}: ${rest.slice(m.index, m.index + 40)}`);
  // A > is markup only as a quote marker at the start of a line.
  for (const line of rest.split('\n'))
    if (line.replace(/^>/, '').includes('>')) problems.push(`unescaped > in line: ${line.slice(0, 60)}`);
  return problems;
}

export function blockKitViolations(message: Json): string[] {
  const out: string[] = [];
  const actionIds = new Set<string>();
  const blockIds = new Set<string>();
  const fail = (where: string, what: string) => out.push(`${where}: ${what}`);

  const keys = (where: string, value: Record<string, Json>, kind: string) => {
    for (const key of Object.keys(value))
      if (!(KEYS[kind] ?? []).includes(key)) fail(where, `unknown field "${key}" for ${kind}`);
  };
  const length = (where: string, value: Json, min: number, max: number) => {
    if (typeof value !== 'string') return fail(where, 'must be a string');
    if (value.length < min || value.length > max) fail(where, `length ${value.length} not in ${min}..${max}`);
  };
  const textObject = (where: string, value: Json, max: number, only?: 'plain_text') => {
    if (!isObject(value)) return fail(where, 'text object missing');
    if (value.type !== 'plain_text' && value.type !== 'mrkdwn')
      return fail(where, `bad text type ${String(value.type)}`);
    if (only && value.type !== only) fail(where, `must be ${only}`);
    keys(where, value, value.type);
    length(`${where}.text`, value.text, 1, max);
    if (value.type === 'mrkdwn' && typeof value.text === 'string')
      for (const p of mrkdwnProblems(value.text)) fail(`${where}.text`, p);
  };
  const button = (where: string, value: Json) => {
    if (!isObject(value) || value.type !== 'button') return fail(where, 'only buttons are sent');
    keys(where, value, 'button');
    textObject(`${where}.text`, value.text, 75, 'plain_text');
    if (value.action_id !== undefined) {
      length(`${where}.action_id`, value.action_id, 1, 255);
      if (actionIds.has(String(value.action_id))) fail(where, `duplicate action_id ${String(value.action_id)}`);
      actionIds.add(String(value.action_id));
    }
    if (value.url !== undefined) {
      length(`${where}.url`, value.url, 1, 3000);
      if (typeof value.url === 'string' && !/^https?:\/\/\S+$/.test(value.url))
        fail(`${where}.url`, 'not an http(s) URL');
    }
    if (value.value !== undefined) length(`${where}.value`, value.value, 1, 2000);
    if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') fail(where, 'bad style');
  };

  if (!isObject(message)) return ['message: not an object'];
  if (message.text !== undefined) length('text', message.text, 1, 40_000);
  if (typeof message.text === 'string') for (const p of mrkdwnProblems(message.text)) fail('text', p);
  const blocks = message.blocks;
  if (!Array.isArray(blocks)) return [...out, 'blocks: not an array'];
  if (blocks.length < 1 || blocks.length > 50) fail('blocks', `${blocks.length} blocks, 1..50 allowed`);

  blocks.forEach((block: Json, i) => {
    const where = `blocks[${i}]`;
    if (!isObject(block)) return fail(where, 'not an object');
    const type = String(block.type);
    if (!KEYS[type] || ['button', 'plain_text', 'mrkdwn'].includes(type))
      return fail(where, `unexpected block ${type}`);
    keys(where, block, type);
    if (block.block_id !== undefined) {
      length(`${where}.block_id`, block.block_id, 1, 255);
      if (blockIds.has(String(block.block_id))) fail(where, 'duplicate block_id');
      blockIds.add(String(block.block_id));
    }
    if (type === 'header') textObject(`${where}.text`, block.text, 150, 'plain_text');
    if (type === 'section') {
      if (block.text === undefined && block.fields === undefined) fail(where, 'needs text or fields');
      if (block.text !== undefined) textObject(`${where}.text`, block.text, 3000);
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields) || block.fields.length < 1 || block.fields.length > 10)
          fail(`${where}.fields`, 'must hold 1..10 text objects');
        else block.fields.forEach((f: Json, j) => textObject(`${where}.fields[${j}]`, f, 2000));
      }
      if (block.accessory !== undefined) button(`${where}.accessory`, block.accessory);
    }
    if (type === 'actions') {
      if (!Array.isArray(block.elements) || block.elements.length < 1 || block.elements.length > 25)
        fail(`${where}.elements`, 'must hold 1..25 elements');
      else block.elements.forEach((e: Json, j) => button(`${where}.elements[${j}]`, e));
    }
    if (type === 'context') {
      if (!Array.isArray(block.elements) || block.elements.length < 1 || block.elements.length > 10)
        fail(`${where}.elements`, 'must hold 1..10 elements');
      else block.elements.forEach((e: Json, j) => textObject(`${where}.elements[${j}]`, e, 3000));
    }
  });
  return out;
}

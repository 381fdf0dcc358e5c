import MarkdownIt from 'markdown-it';

// Raw HTML is escaped and javascript:/data: links are refused by markdown-it's validateLink, so
// whatever an editor (or a stolen token) writes cannot run script on the public page.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });

const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  token?.attrSet('rel', 'nofollow noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// A table column's alignment becomes the cell's `align` attribute rather than markdown-it's inline
// `style`, which the Content-Security-Policy refuses; mail clients and browsers both honour it.
for (const rule of ['th_open', 'td_open'] as const) {
  md.renderer.rules[rule] = (tokens, idx, options, _env, self) => {
    const token = tokens[idx];
    const align = /^text-align:(left|center|right)$/.exec(String(token?.attrGet('style') ?? ''))?.[1];
    if (token && align) {
      token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
      token.attrSet('align', align);
    }
    return self.renderToken(tokens, idx, options);
  };
}

export function renderMarkdown(source: string): string {
  return md.render(source);
}

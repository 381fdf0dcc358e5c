import MarkdownIt from 'markdown-it';

// Raw HTML is escaped and javascript:/data: links are refused by markdown-it's validateLink, so
// whatever an editor (or a stolen token) writes cannot run script on the public page.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  token?.attrSet('rel', 'nofollow noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string): string {
  return md.render(source);
}

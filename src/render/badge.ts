import type { Indicator } from '../domain/indicator.ts';

const COLOURS: Record<Indicator, string> = {
  none: '#15803d',
  minor: '#a16207',
  major: '#c2410c',
  critical: '#b91c1c',
  maintenance: '#1d4ed8',
};

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Verdana 11px averages about 6.5 px a character, and a full-width (CJK) one about 11: close
// enough without measuring fonts.
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
const width = (text: string) => Math.round([...text].reduce((w, c) => w + (WIDE.test(c) ? 11 : 6.5), 12));

/**
 * A shields-style badge: "<label> | <description>", coloured by the indicator, with a title for
 * screen readers. `description` is the indicator in the reader's words, `language` its BCP 47 code.
 */
export function statusBadge(
  label: string,
  status: { indicator: Indicator; description: string },
  language = 'en',
): string {
  const left = label.slice(0, 40);
  const right = status.description;
  const lw = width(left);
  const rw = width(right);
  const total = lw + rw;
  return `<svg xmlns="http://www.w3.org/2000/svg" xml:lang="${escapeXml(language)}" width="${total}" height="20" role="img" aria-label="${escapeXml(`${left}: ${right}`)}">
<title>${escapeXml(`${left}: ${right}`)}</title>
<rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${rw}" height="20" fill="${COLOURS[status.indicator]}"/>
<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
<text x="${lw / 2}" y="14">${escapeXml(left)}</text><text x="${lw + rw / 2}" y="14">${escapeXml(right)}</text>
</g></svg>`;
}

/**
 * WCAG 2 contrast between two #rrggbb colours. The page puts white text on the brand colour and
 * uses it for links on white, so a brand colour under 4.5:1 against white makes both unreadable.
 */
export const MIN_TEXT_CONTRAST = 4.5;

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Why a brand colour cannot carry white text and links, or null when it can. */
export function brandColourProblem(hex: string): string | null {
  const ratio = contrastRatio(hex, '#ffffff');
  if (ratio >= MIN_TEXT_CONTRAST) return null;
  // Rounded down, so a colour that just fails never reads as meeting the bar.
  const shown = Math.floor(ratio * 100) / 100;
  return `is too light: white text on it and links in it have a contrast of ${shown}:1 where at least ${MIN_TEXT_CONTRAST}:1 is needed; choose a darker shade`;
}

/**
 * The lightest surface links sit on in the dark scheme (src/styles/site.css: --card, the incident
 * cards; the page's --bg #111827 is darker still).
 */
export const DARK_BACKGROUND = '#1f2937';

/**
 * The brand colour as link text in the dark scheme: the same hue mixed with white, in steps of 5%,
 * until it reads at 4.5:1 on the dark surfaces. A brand colour dark enough for white text is often
 * too dark to read on a dark page, so the dark scheme's links take this shade instead.
 */
export function brandOnDark(hex: string, background = DARK_BACKGROUND): string {
  const channels = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  for (let step = 0; step <= 20; step++) {
    const mixed = `#${channels
      .map((c) => Math.round(c + ((255 - c) * step) / 20))
      .map((c) => c.toString(16).padStart(2, '0'))
      .join('')}`;
    if (contrastRatio(mixed, background) >= MIN_TEXT_CONTRAST) return mixed;
  }
  return '#ffffff';
}

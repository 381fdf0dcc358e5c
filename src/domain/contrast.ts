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

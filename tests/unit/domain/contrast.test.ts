import { describe, expect, it } from 'vitest';
import { brandColourProblem, contrastRatio } from '../../../src/domain/contrast.ts';

describe('contrast of the brand colour', () => {
  it('follows WCAG 2: black on white is 21:1, a colour on itself 1:1, in either order', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#2563eb', '#2563eb')).toBe(1);
    // The default brand colour against white, as contrast checkers report it.
    expect(contrastRatio('#2563eb', '#ffffff')).toBeCloseTo(5.17, 2);
  });

  it('accepts shades that carry white text, refuses light ones with the figures', () => {
    expect(brandColourProblem('#2563eb')).toBeNull();
    expect(brandColourProblem('#767676')).toBeNull(); // 4.54:1, just enough
    expect(brandColourProblem('#777777')).toMatch(/ 4\.47:1 where at least 4\.5:1/); // 4.48:1 rounded down, not up to a passing 4.5
    expect(brandColourProblem('#ffd700')).toMatch(/^is too light: .* 1\.4\d?:1/);
  });
});

import { describe, expect, it } from 'vitest';
import { headerLinksOf, isImageUrl } from '../../../src/domain/branding.ts';
import { brandOnDark, contrastRatio, DARK_BACKGROUND } from '../../../src/domain/contrast.ts';

describe('branding rules', () => {
  it('takes logos over https anywhere, over http only on loopback', () => {
    expect(isImageUrl('https://cdn.example.com/logo.svg')).toBe(true);
    expect(isImageUrl('http://127.0.0.1:4321/favicon.svg')).toBe(true);
    expect(isImageUrl('http://localhost/logo.png')).toBe(true);
    expect(isImageUrl('http://[::1]:8080/logo.png')).toBe(true);
    expect(isImageUrl('http://cdn.example.com/logo.svg')).toBe(false);
    expect(isImageUrl('data:image/svg+xml,<svg/>')).toBe(false);
    expect(isImageUrl('javascript:alert(1)')).toBe(false);
    expect(isImageUrl('/logo.svg')).toBe(false);
    // A space would split the address in the dark logo's srcset.
    expect(isImageUrl('https://cdn.example.com/my logo.svg')).toBe(false);
  });

  it('reads the header links kept as JSON, and shows none for anything else', () => {
    expect(headerLinksOf('[{"label":"Docs","url":"https://docs.example.com"}]')).toEqual([
      { label: 'Docs', url: 'https://docs.example.com' },
    ]);
    expect(headerLinksOf('not json')).toEqual([]);
    expect(headerLinksOf('{"label":"x"}')).toEqual([]);
    expect(headerLinksOf('[{"label":1,"url":"x"},{"label":"A","url":"https://a.example","extra":1}]')).toEqual([
      { label: 'A', url: 'https://a.example' },
    ]);
    expect(headerLinksOf(null)).toEqual([]);
  });

  it('lightens a brand colour until it reads as link text on the dark background', () => {
    for (const brand of ['#0b5394', '#2563eb', '#b91c1c', '#000000', '#166534']) {
      expect([brand, contrastRatio(brandOnDark(brand), DARK_BACKGROUND) >= 4.5]).toEqual([brand, true]);
    }
    // A colour that already reads keeps its shade.
    expect(brandOnDark('#fbbf24')).toBe('#fbbf24');
    expect(brandOnDark('#0b5394')).not.toBe('#0b5394');
  });
});

import type { Catalogue } from './catalogues/en.ts';
import { ar } from './catalogues/ar.ts';
import { de } from './catalogues/de.ts';
import { en } from './catalogues/en.ts';
import { es } from './catalogues/es.ts';
import { fr } from './catalogues/fr.ts';
import { ja } from './catalogues/ja.ts';
import { ptBR } from './catalogues/pt-BR.ts';

export type Language = {
  /** BCP 47, as `Intl` and `<html lang>` take it. */
  code: string;
  /** Its own name for itself, as the language switcher shows it. */
  name: string;
  dir: 'ltr' | 'rtl';
  catalogue: Catalogue;
};

/**
 * The languages Herald speaks. Adding one is its catalogue (src/i18n/catalogues/<code>.ts, typed
 * against English so no key can be missing) and one line here; docs/translating.md says how.
 */
export const LANGUAGES: readonly Language[] = [
  { code: 'en', name: 'English', dir: 'ltr', catalogue: en },
  { code: 'de', name: 'Deutsch', dir: 'ltr', catalogue: de },
  { code: 'fr', name: 'Français', dir: 'ltr', catalogue: fr },
  { code: 'es', name: 'Español', dir: 'ltr', catalogue: es },
  { code: 'pt-BR', name: 'Português (Brasil)', dir: 'ltr', catalogue: ptBR },
  { code: 'ja', name: '日本語', dir: 'ltr', catalogue: ja },
  { code: 'ar', name: 'العربية', dir: 'rtl', catalogue: ar },
];

const BY_CODE = new Map(LANGUAGES.map((l) => [l.code.toLowerCase(), l]));
export const ENGLISH = LANGUAGES[0] as Language;

/** A language by its code, in any letter case ("pt-br" is "pt-BR"); undefined when Herald has none. */
export function languageOf(code: string | null | undefined): Language | undefined {
  return code ? BY_CODE.get(code.toLowerCase()) : undefined;
}

/** The comma-separated codes a setting stores, as known languages, in Herald's order. */
export function languageList(value: string): Language[] {
  const wanted = new Set(value.split(',').map((c) => c.trim().toLowerCase()));
  return LANGUAGES.filter((l) => wanted.has(l.code.toLowerCase()));
}

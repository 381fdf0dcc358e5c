import type { Catalogue } from './en.ts';

export const de: Catalogue = {
  // — chrome —
  'chrome.skip': 'Zum Inhalt springen',
  'chrome.support': 'Support kontaktieren',
  'chrome.history': 'Störungsverlauf',
  'chrome.calendar': 'Wartungskalender',
  'chrome.json': 'JSON',
  'chrome.timesNote':
    'Zeiten in der Zeitzone der Seite; für UTC mit der Maus über eine Zeit fahren. Betrieben mit Herald.',
  'chrome.language': 'Sprache',
  'chrome.moreLinks': 'Mehr',
  // — statuses —
  'status.investigating': 'Wird untersucht',
  'status.identified': 'Ursache erkannt',
  'status.monitoring': 'Wird beobachtet',
  'status.resolved': 'Behoben',
  'status.scheduled': 'Geplant',
  'status.in_progress': 'Läuft',
  'status.verifying': 'Wird geprüft',
  'status.completed': 'Abgeschlossen',
  'component.operational': 'Betriebsbereit',
  'component.degraded_performance': 'Eingeschränkte Leistung',
  'component.partial_outage': 'Teilausfall',
  'component.major_outage': 'Schwerer Ausfall',
  'component.under_maintenance': 'In Wartung',
  'indicator.none': 'Alle Systeme betriebsbereit',
  'indicator.minor': 'Leichte Dienststörung',
  'indicator.major': 'Teilweiser Systemausfall',
  'indicator.critical': 'Schwerer Dienstausfall',
  'indicator.maintenance': 'Dienst in Wartung',
  'impact.none': 'Keine Auswirkung',
  'impact.minor': 'Gering',
  'impact.major': 'Erheblich',
  'impact.critical': 'Kritisch',
  // — pages —
  // — notifications —
};

import type { Catalogue } from './en.ts';

export const fr: Catalogue = {
  // — chrome —
  'chrome.skip': 'Aller au contenu',
  'chrome.support': 'Contacter le support',
  'chrome.history': 'Historique des incidents',
  'chrome.calendar': 'Calendrier de maintenance',
  'chrome.json': 'JSON',
  'chrome.timesNote':
    'Les heures sont celles du fuseau de la page ; survolez une heure pour l’UTC. Propulsé par Herald.',
  'chrome.language': 'Langue',
  'chrome.moreLinks': 'Plus',
  // — statuses —
  'status.investigating': 'En cours d’analyse',
  'status.identified': 'Cause identifiée',
  'status.monitoring': 'Sous surveillance',
  'status.resolved': 'Résolu',
  'status.scheduled': 'Planifiée',
  'status.in_progress': 'En cours',
  'status.verifying': 'En vérification',
  'status.completed': 'Terminée',
  'component.operational': 'Opérationnel',
  'component.degraded_performance': 'Performances dégradées',
  'component.partial_outage': 'Panne partielle',
  'component.major_outage': 'Panne majeure',
  'component.under_maintenance': 'En maintenance',
  'indicator.none': 'Tous les systèmes sont opérationnels',
  'indicator.minor': 'Perturbation mineure',
  'indicator.major': 'Panne partielle des systèmes',
  'indicator.critical': 'Panne majeure du service',
  'indicator.maintenance': 'Service en maintenance',
  'impact.none': 'Aucun impact',
  'impact.minor': 'Mineur',
  'impact.major': 'Majeur',
  'impact.critical': 'Critique',
  // — pages —
  // — notifications —
};

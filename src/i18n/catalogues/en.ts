/**
 * English, the source catalogue: every other language is typed against its keys. Messages use
 * ICU MessageFormat (plural, select, {name} arguments); dates and times are formatted by Intl,
 * never written into a message. The incident text itself is never translated.
 */
export const en = {
  // — chrome —
  'chrome.skip': 'Skip to content',
  'chrome.support': 'Contact support',
  'chrome.history': 'Incident history',
  'chrome.calendar': 'Maintenance calendar',
  'chrome.json': 'JSON',
  'chrome.timesNote': "Times are shown in the page's time zone; hover a time for UTC. Powered by Herald.",
  'chrome.language': 'Language',
  'chrome.moreLinks': 'More',
  // — statuses —
  'status.investigating': 'Investigating',
  'status.identified': 'Identified',
  'status.monitoring': 'Monitoring',
  'status.resolved': 'Resolved',
  'status.scheduled': 'Scheduled',
  'status.in_progress': 'In progress',
  'status.verifying': 'Verifying',
  'status.completed': 'Completed',
  'component.operational': 'Operational',
  'component.degraded_performance': 'Degraded Performance',
  'component.partial_outage': 'Partial Outage',
  'component.major_outage': 'Major Outage',
  'component.under_maintenance': 'Under Maintenance',
  'indicator.none': 'All Systems Operational',
  'indicator.minor': 'Minor Service Outage',
  'indicator.major': 'Partial System Outage',
  'indicator.critical': 'Major Service Outage',
  'indicator.maintenance': 'Service Under Maintenance',
  'impact.none': 'No impact',
  'impact.minor': 'Minor',
  'impact.major': 'Major',
  'impact.critical': 'Critical',
  // — pages —
  // — notifications —
};

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

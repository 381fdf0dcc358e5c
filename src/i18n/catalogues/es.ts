import type { Catalogue } from './en.ts';

export const es: Catalogue = {
  // — chrome —
  'chrome.skip': 'Ir al contenido',
  'chrome.support': 'Contactar con soporte',
  'chrome.history': 'Historial de incidentes',
  'chrome.calendar': 'Calendario de mantenimiento',
  'chrome.json': 'JSON',
  'chrome.timesNote':
    'Las horas están en la zona horaria de la página; pasa el cursor sobre una hora para ver la UTC. Con tecnología de Herald.',
  'chrome.language': 'Idioma',
  'chrome.moreLinks': 'Más',
  // — statuses —
  'status.investigating': 'Investigando',
  'status.identified': 'Identificado',
  'status.monitoring': 'En observación',
  'status.resolved': 'Resuelto',
  'status.scheduled': 'Programado',
  'status.in_progress': 'En curso',
  'status.verifying': 'Verificando',
  'status.completed': 'Completado',
  'component.operational': 'Operativo',
  'component.degraded_performance': 'Rendimiento degradado',
  'component.partial_outage': 'Interrupción parcial',
  'component.major_outage': 'Interrupción grave',
  'component.under_maintenance': 'En mantenimiento',
  'indicator.none': 'Todos los sistemas operativos',
  'indicator.minor': 'Interrupción menor del servicio',
  'indicator.major': 'Interrupción parcial del sistema',
  'indicator.critical': 'Interrupción grave del servicio',
  'indicator.maintenance': 'Servicio en mantenimiento',
  'impact.none': 'Sin impacto',
  'impact.minor': 'Menor',
  'impact.major': 'Mayor',
  'impact.critical': 'Crítico',
  // — pages —
  // — notifications —
};

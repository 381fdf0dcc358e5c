import type { Catalogue } from './en.ts';

export const ptBR: Catalogue = {
  // — chrome —
  'chrome.skip': 'Pular para o conteúdo',
  'chrome.support': 'Falar com o suporte',
  'chrome.history': 'Histórico de incidentes',
  'chrome.calendar': 'Calendário de manutenção',
  'chrome.json': 'JSON',
  'chrome.timesNote':
    'Os horários estão no fuso da página; passe o mouse sobre um horário para ver em UTC. Desenvolvido com Herald.',
  'chrome.language': 'Idioma',
  'chrome.moreLinks': 'Mais',
  // — statuses —
  'status.investigating': 'Investigando',
  'status.identified': 'Identificado',
  'status.monitoring': 'Monitorando',
  'status.resolved': 'Resolvido',
  'status.scheduled': 'Agendada',
  'status.in_progress': 'Em andamento',
  'status.verifying': 'Verificando',
  'status.completed': 'Concluída',
  'component.operational': 'Operacional',
  'component.degraded_performance': 'Desempenho degradado',
  'component.partial_outage': 'Interrupção parcial',
  'component.major_outage': 'Interrupção grave',
  'component.under_maintenance': 'Em manutenção',
  'indicator.none': 'Todos os sistemas operacionais',
  'indicator.minor': 'Interrupção leve do serviço',
  'indicator.major': 'Interrupção parcial do sistema',
  'indicator.critical': 'Interrupção grave do serviço',
  'indicator.maintenance': 'Serviço em manutenção',
  'impact.none': 'Sem impacto',
  'impact.minor': 'Leve',
  'impact.major': 'Grave',
  'impact.critical': 'Crítico',
  // — pages —
  // — notifications —
};

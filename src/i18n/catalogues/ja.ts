import type { Catalogue } from './en.ts';

export const ja: Catalogue = {
  // — chrome —
  'chrome.skip': '本文へ移動',
  'chrome.support': 'サポートに問い合わせる',
  'chrome.history': '障害履歴',
  'chrome.calendar': 'メンテナンスカレンダー',
  'chrome.json': 'JSON',
  'chrome.timesNote':
    '時刻はこのページのタイムゾーンで表示しています。UTC は時刻にカーソルを合わせると表示されます。Herald で運営。',
  'chrome.language': '言語',
  'chrome.moreLinks': 'その他',
  // — statuses —
  'status.investigating': '調査中',
  'status.identified': '原因特定',
  'status.monitoring': '経過観察中',
  'status.resolved': '解決済み',
  'status.scheduled': '予定',
  'status.in_progress': '実施中',
  'status.verifying': '確認中',
  'status.completed': '完了',
  'component.operational': '正常稼働',
  'component.degraded_performance': 'パフォーマンス低下',
  'component.partial_outage': '一部停止',
  'component.major_outage': '大規模停止',
  'component.under_maintenance': 'メンテナンス中',
  'indicator.none': 'すべてのシステムが正常に稼働しています',
  'indicator.minor': '軽微なサービス障害',
  'indicator.major': '一部システム障害',
  'indicator.critical': '大規模なサービス障害',
  'indicator.maintenance': 'メンテナンス中',
  'impact.none': '影響なし',
  'impact.minor': '軽微',
  'impact.major': '重大',
  'impact.critical': '致命的',
  // — pages —
  // — notifications —
};

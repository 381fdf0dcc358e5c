import type { Catalogue } from './en.ts';

export const ar: Catalogue = {
  // — chrome —
  'chrome.skip': 'الانتقال إلى المحتوى',
  'chrome.support': 'التواصل مع الدعم',
  'chrome.history': 'سجل الأعطال',
  'chrome.calendar': 'تقويم الصيانة',
  'chrome.json': 'JSON',
  'chrome.timesNote':
    'الأوقات معروضة بالمنطقة الزمنية للصفحة؛ مرّر المؤشر فوق الوقت لرؤيته بالتوقيت العالمي. مدعوم بواسطة Herald.',
  'chrome.language': 'اللغة',
  'chrome.moreLinks': 'المزيد',
  // — statuses —
  'status.investigating': 'قيد التحقيق',
  'status.identified': 'تم تحديد السبب',
  'status.monitoring': 'قيد المراقبة',
  'status.resolved': 'تم الحل',
  'status.scheduled': 'مجدولة',
  'status.in_progress': 'قيد التنفيذ',
  'status.verifying': 'قيد التحقق',
  'status.completed': 'مكتملة',
  'component.operational': 'يعمل',
  'component.degraded_performance': 'أداء منخفض',
  'component.partial_outage': 'انقطاع جزئي',
  'component.major_outage': 'انقطاع كبير',
  'component.under_maintenance': 'قيد الصيانة',
  'indicator.none': 'جميع الأنظمة تعمل',
  'indicator.minor': 'خلل طفيف في الخدمة',
  'indicator.major': 'انقطاع جزئي في الأنظمة',
  'indicator.critical': 'انقطاع كبير في الخدمة',
  'indicator.maintenance': 'الخدمة قيد الصيانة',
  'impact.none': 'لا تأثير',
  'impact.minor': 'طفيف',
  'impact.major': 'كبير',
  'impact.critical': 'حرج',
  // — pages —
  // — notifications —
};

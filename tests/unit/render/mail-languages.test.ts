import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from '../../../src/i18n/catalogues/en.ts';
import { LANGUAGES } from '../../../src/i18n/languages.ts';
import { translator } from '../../../src/i18n/translate.ts';
import { emailTemplate, finishedEmail } from '../../../src/render/email-message.ts';
import { readerFor } from '../../../src/render/reader.ts';
import { wordMail } from '../../../src/render/transactional-mail.ts';
import { incidentRow } from '../../../src/services/incident-row.ts';
import type { IncidentView } from '../../../src/services/incident-view.ts';

const ALL = { default_language: 'en', languages: LANGUAGES.map((l) => l.code).join(',') };
const NOTIFY_KEYS = (Object.keys(en) as MessageKey[]).filter((k) => k.startsWith('notify.'));
const VALUES = {
  page: 'Acme',
  name: 'API',
  status: 'X',
  time: 'T',
  lead: 'L',
  from: 'F',
  until: 'U',
  link: 'https://x',
  kind: 'incident',
  text: 'body',
  action: 'A',
  language: 'Deutsch',
};

const incident: IncidentView = {
  ...incidentRow({
    id: 'i1',
    code: 'abc',
    kind: 'incident',
    name: 'Base de données lente',
    impact: 'major',
    status: 'identified',
    started_at: '2026-11-23T10:00:00.000Z',
    created_by: null,
    created_at: '2026-11-23T10:00:00.000Z',
    updated_at: '2026-11-23T10:00:00.000Z',
  }),
  components: [{ id: 'c1', name: 'API', status: 'partial_outage' }],
  incident_updates: [
    {
      id: 'u1',
      incident_id: 'i1',
      status: 'identified',
      body: 'Nous avons trouvé la cause.',
      author: 'Ann',
      notify: true,
      created_at: '2026-11-23T10:05:00.000Z',
      edited_at: null,
      affected_components: [],
    },
  ],
};

describe('the notification messages of every language', () => {
  it('compile and fill in, with every plural category the language has', () => {
    for (const language of LANGUAGES) {
      const t = translator(language);
      for (const key of NOTIFY_KEYS) {
        for (const count of [0, 1, 2, 3, 11, 100, 1.5]) {
          const text = t(key, { ...VALUES, count });
          expect(text, `${language.code} ${key}`).not.toMatch(/[{}]/);
          expect(text.trim(), `${language.code} ${key}`).not.toBe('');
        }
      }
    }
  });

  it('word a French reader’s mail in French, with their links and the incident as written', () => {
    const template = emailTemplate({
      pageName: 'Acme',
      baseUrl: 'https://status.acme.com',
      timeZone: 'Europe/Paris',
      incident,
      updateId: 'u1',
      event: 'incident.updated',
      reader: readerFor('fr', ALL),
    });
    expect(template.subject).toBe('[Acme] Base de données lente : Cause identifiée');
    expect(template.text).toContain('Nous avons trouvé la cause.');
    expect(template.text).toContain('23 nov. 2026, 11:05 UTC+1');
    expect(template.text).toContain('État actuel :\n  API : Panne partielle');
    expect(template.text).toContain('Suivre cet incident : https://status.acme.com/fr/incidents/abc#update-u1');
    const mail = finishedEmail(template);
    expect(mail.text).toContain('Se désabonner tout de suite : #unsubscribe');
    expect(mail.html).toContain('<html lang="fr" dir="ltr">');
  });

  it('write Arabic right to left, and the default language at unprefixed addresses', () => {
    const arabic = emailTemplate({
      pageName: 'Acme',
      baseUrl: 'https://status.acme.com',
      timeZone: 'UTC',
      incident,
      updateId: 'u1',
      event: 'incident.updated',
      reader: readerFor('ar', { ...ALL, default_language: 'ar' }),
    });
    expect(arabic.html).toContain('<html lang="ar" dir="rtl">');
    expect(arabic.subject).toBe('[Acme] Base de données lente: تم تحديد السبب');
    expect(arabic.text).toContain('https://status.acme.com/incidents/abc#update-u1');
  });

  it('word a subscriber’s confirmation in their language, and an invitation to the team in English', () => {
    const page = readerFor('ja', ALL).page;
    const confirm = wordMail({
      kind: 'subscription-confirm',
      to: 'a@example.com',
      pageName: 'Acme',
      link: 'https://status.acme.com/ja/subscriptions/confirm/t',
      language: 'ja',
      page,
    });
    expect(confirm.subject).toBe('[Acme] 購読の確認');
    expect(confirm.text).toContain('購読を確認する：https://status.acme.com/ja/subscriptions/confirm/t');
    expect(confirm.html).toContain('<html lang="ja" dir="ltr">');
    const invitation = wordMail({
      kind: 'invitation',
      to: 'b@example.com',
      pageName: 'Acme',
      link: 'https://status.acme.com/invite?token=t',
      role: 'editor',
      invitedBy: 'Ann',
    });
    expect(invitation.subject).toBe('[Acme] You are invited to the status page console');
  });
});

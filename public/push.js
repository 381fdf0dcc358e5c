// "Notify me in this browser": shown only where the browser supports push. No framework, ~2 KB.
(() => {
  const box = document.getElementById('push-box');
  if (!box || !('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return;
  const button = box.querySelector('button');
  const status = box.querySelector('[role=status]');
  const form = box.closest('form') || document;
  // On an incident's own page the browser follows that incident alone.
  const incident = box.dataset.incident || undefined;
  // Notifications come in the language of the page the browser subscribed on.
  const language = box.dataset.language || document.documentElement.lang || undefined;
  box.hidden = false;
  // The page's words, in its reader's language (src/pages/subscribe.astro); English without them.
  const say = (name, english) => box.dataset[name] || english;

  const toKey = (base64) => {
    const raw = atob((base64 + '='.repeat((4 - (base64.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  };
  const b64 = (buffer) =>
    btoa(String.fromCharCode(...new Uint8Array(buffer)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  const chosen = () => {
    const scope = form.querySelector('input[name=scope]:checked');
    if (!scope || scope.value === 'all') return 'all';
    const ids = [...form.querySelectorAll('input[name=component]:checked')].map((i) => i.value);
    return ids.length ? ids : 'all';
  };
  const post = (path, body) =>
    fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
      (r) => {
        if (!r.ok)
          return r.json().then((p) => Promise.reject(new Error(p.detail || say('refused', 'The server refused'))));
        return r.status === 204 ? null : r.json();
      },
    );

  let current = null;
  const show = (subscribed, message) => {
    button.textContent = subscribed
      ? say('stop', 'Stop notifications in this browser')
      : say('start', 'Notify me in this browser');
    button.dataset.subscribed = subscribed ? '1' : '';
    if (message) status.textContent = message;
  };

  navigator.serviceWorker.register('/sw.js').then(async (registration) => {
    current = await registration.pushManager.getSubscription();
    if (current) {
      const json = current.toJSON();
      post('/api/public/push/subscriptions/lookup', { endpoint: json.endpoint, auth: json.keys.auth, incident })
        .then((s) =>
          show(
            true,
            s.components === 'all'
              ? say('onAll', 'This browser gets notifications for all components.')
              : say('onSome', 'This browser gets notifications for the components you chose.'),
          ),
        )
        .catch(() => show(false));
    } else show(false);

    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        if (button.dataset.subscribed) {
          const json = current.toJSON();
          await post('/api/public/push/subscriptions/delete', {
            endpoint: json.endpoint,
            auth: json.keys.auth,
            incident,
          });
          // The browser's subscription may still serve the page-wide one; only the page-wide stop ends it.
          if (!incident) {
            await current.unsubscribe();
            current = null;
          }
          show(false, say('off', 'Notifications in this browser are off.'));
          return;
        }
        if ((await Notification.requestPermission()) !== 'granted') {
          show(false, say('blocked', 'Notifications are blocked for this site in your browser settings.'));
          return;
        }
        const { publicKey } = await fetch('/api/public/push/key').then((r) => r.json());
        current = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: toKey(publicKey),
        });
        const json = current.toJSON();
        await post('/api/public/push/subscriptions', {
          subscription: {
            endpoint: json.endpoint,
            keys: {
              p256dh: json.keys.p256dh || b64(current.getKey('p256dh')),
              auth: json.keys.auth || b64(current.getKey('auth')),
            },
          },
          components: incident ? 'all' : chosen(),
          incident,
          language,
        });
        show(true, say('done', 'Done: this browser will show a notification for every update.'));
      } catch (error) {
        show(!!current, `${say('failed', 'Could not change notifications:')} ${error.message}`);
      } finally {
        button.disabled = false;
      }
    });
  });
})();

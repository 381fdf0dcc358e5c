// Herald's service worker: turns a push message into a system notification, even with the
// status page closed, and opens the incident's permalink on click.
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: 'Status update', body: event.data ? event.data.text() : '' };
  }
  const title = data.title || 'Status update';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || '',
      icon: data.icon || '/favicon.svg',
      // One notification per incident: a newer update replaces the earlier one.
      tag: data.tag || 'herald',
      renotify: true,
      timestamp: data.timestamp || Date.now(),
      data: { url: data.url || '/' },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || '/';
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === url && 'focus' in client) return client.focus();
      }
      return self.clients.openWindow(url);
    }),
  );
});

// Small enhancements of the console; every page works without this file.
// Delegated, so copy buttons in parts swapped in later work too.
const showCopyButtons = (root) => {
  for (const button of root.querySelectorAll('button[data-copy]')) button.hidden = false;
};
showCopyButtons(document);
document.addEventListener('click', async (event) => {
  const button = event.target instanceof Element ? event.target.closest('button[data-copy]') : null;
  if (!button) return;
  try {
    await navigator.clipboard.writeText(button.dataset.copy);
    button.textContent = 'Copied';
  } catch {
    button.previousElementSibling?.select?.();
    button.textContent = 'Press Ctrl+C';
  }
  setTimeout(() => {
    button.textContent = 'Copy link';
  }, 2000);
});

// A dashboard left open in a background tab must still say when an update is due: parts marked
// data-refresh-seconds are fetched again on that beat and when the tab comes back, and the title
// (which the tab strip shows) follows. Only those parts are replaced, so half-typed forms stay.
const liveParts = document.querySelectorAll('[data-live-part][data-refresh-seconds]');
if (liveParts.length > 0) {
  let inFlight = false;
  const refreshLiveParts = async () => {
    if (inFlight) return;
    inFlight = true;
    try {
      const answer = await fetch(location.href, { credentials: 'same-origin', cache: 'no-store' });
      if (!answer.ok || answer.redirected) return;
      const fresh = new DOMParser().parseFromString(await answer.text(), 'text/html');
      for (const part of document.querySelectorAll('[data-live-part]')) {
        const next = fresh.querySelector(`[data-live-part="${part.dataset.livePart}"]`);
        if (!next) continue;
        const adopted = document.importNode(next, true);
        part.replaceWith(adopted);
        showCopyButtons(adopted);
      }
      document.title = fresh.title;
    } finally {
      inFlight = false;
    }
  };
  const seconds = Math.max(5, Math.min(...[...liveParts].map((p) => Number(p.dataset.refreshSeconds) || 30)));
  setInterval(() => refreshLiveParts().catch(() => {}), seconds * 1000);
  window.addEventListener('focus', () => refreshLiveParts().catch(() => {}));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refreshLiveParts().catch(() => {});
  });
}

// The composer's preview follows the form: the page renders it for a "preview" post, and the
// parts marked data-preview-part are swapped in from that answer. In the composer, a template
// applies as soon as it is picked, and is filled in again while the text is as the template left
// it (the server decides the words; the form only carries them over).
const untouched = (form) => {
  const body = form.elements.namedItem('body');
  const applied = form.elements.namedItem('applied_body');
  return !!body && !!applied && (body.value.trim() === '' || body.value.replace(/\r\n/g, '\n') === applied.value);
};
const carryOver = (form, fresh, reapplied) => {
  const next = fresh.querySelector('form[data-composer]');
  if (!next) return;
  const field = (root, name) => root.elements.namedItem(name);
  const take = (name) => {
    const mine = field(form, name);
    const theirs = field(next, name);
    if (mine && theirs) mine.value = theirs.value;
  };
  const name = field(form, 'name');
  const appliedName = field(form, 'applied_name');
  if (name && appliedName && (reapplied || name.value === '' || name.value === appliedName.value)) {
    take('name');
    take('applied_name');
    take('applied_for');
  }
  if (reapplied || untouched(form)) {
    take('body');
    take('applied_body');
    take('applied_for');
  }
  if (reapplied) take('status');
};
for (const form of document.querySelectorAll('form[data-live-preview]')) {
  let timer = 0;
  let sequence = 0;
  const composer = form.hasAttribute('data-composer');
  if (composer) {
    for (const button of form.querySelectorAll('[data-no-script]')) button.hidden = true;
  }
  const refresh = async (reapply) => {
    const mine = ++sequence;
    const data = new FormData(form);
    data.set('action', 'preview');
    if (reapply) data.set('reapply', '1');
    const answer = await fetch(location.href, { method: 'POST', body: data, credentials: 'same-origin' });
    if (!answer.ok || mine !== sequence) return;
    const fresh = new DOMParser().parseFromString(await answer.text(), 'text/html');
    if (composer) carryOver(form, fresh, reapply);
    for (const part of document.querySelectorAll('[data-preview-part]')) {
      const next = fresh.querySelector(`[data-preview-part="${part.dataset.previewPart}"]`);
      if (next && part.isConnected) part.replaceWith(document.importNode(next, true));
    }
  };
  const soon = (reapply) => {
    clearTimeout(timer);
    timer = setTimeout(() => refresh(reapply).catch(() => {}), reapply ? 0 : 400);
  };
  form.addEventListener('input', (event) => {
    if (event.target instanceof HTMLSelectElement) return;
    soon(false);
  });
  form.addEventListener('change', (event) => {
    soon(event.target instanceof HTMLSelectElement && event.target.name === 'template');
  });
}

// Small enhancements of the console; every page works without this file.
for (const button of document.querySelectorAll('button[data-copy]')) {
  button.hidden = false;
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      button.textContent = 'Copied';
    } catch {
      button.previousElementSibling?.select?.();
      button.textContent = 'Press Ctrl+C';
    }
    setTimeout(() => { button.textContent = 'Copy link'; }, 2000);
  });
}

// The composer's preview follows the form: the page renders it for a "preview" post, and the
// parts marked data-preview-part are swapped in from that answer.
for (const form of document.querySelectorAll('form[data-live-preview]')) {
  let timer = 0;
  let sequence = 0;
  const refresh = async () => {
    const mine = ++sequence;
    const data = new FormData(form);
    data.set('action', 'preview');
    const answer = await fetch(location.href, { method: 'POST', body: data, credentials: 'same-origin' });
    if (!answer.ok || mine !== sequence) return;
    const fresh = new DOMParser().parseFromString(await answer.text(), 'text/html');
    for (const part of document.querySelectorAll('[data-preview-part]')) {
      const next = fresh.querySelector(`[data-preview-part="${part.dataset.previewPart}"]`);
      if (next) part.replaceWith(document.importNode(next, true));
    }
  };
  const soon = () => { clearTimeout(timer); timer = setTimeout(() => refresh().catch(() => {}), 400); };
  form.addEventListener('input', soon);
  form.addEventListener('change', soon);
}

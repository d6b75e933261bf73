// The call-flood banner (src/web/routes/alert-banner.ts renders it hidden or shown): kept
// current from the /events stream, so a flood that starts or ends shows without a reload.
// No inline script (CSP): this file is loaded by the banner itself on every signed-in page.

(() => {
  const banner = document.getElementById('flood-alert');
  if (!banner || typeof EventSource !== 'function') return;

  const field = (name) => banner.querySelector(`[data-field="${name}"]`);

  function show(guard) {
    if (guard?.state !== 'flood') {
      banner.hidden = true;
      return;
    }
    for (const name of ['challenged', 'refused', 'blockedNumbers']) {
      const el = field(name);
      if (el) el.textContent = String(guard[name] ?? 0);
    }
    const since = field('since');
    if (since && guard.floodSince) {
      since.dateTime = guard.floodSince;
      since.textContent = new Date(guard.floodSince).toLocaleTimeString(
        document.documentElement.lang || undefined,
        { hour: '2-digit', minute: '2-digit' },
      );
    }
    banner.hidden = false;
  }

  async function refresh() {
    const res = await fetch('/api/status', { headers: { accept: 'application/json' } });
    if (res.ok) show((await res.json()).guard);
  }

  const source = new EventSource('/events');
  source.addEventListener('status', (event) => {
    try {
      show(JSON.parse(event.data).guard);
    } catch {
      // A malformed message changes nothing; the next status or alert will.
    }
  });
  source.addEventListener('alert', () => refresh().catch(() => {}));
  // Closing before the page goes keeps a half-open stream from holding a connection slot.
  window.addEventListener('pagehide', () => source.close());
})();

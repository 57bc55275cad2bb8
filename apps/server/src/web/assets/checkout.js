// The hosted checkout page's script (served as a file: the page's CSP allows no inline script).
// It keeps the server-rendered page live: the status over Server-Sent Events (polling
// /checkout/:id/status when EventSource is missing or the stream fails), the countdown, "copy
// amount", the sandbox "Simulate payment" control, and the redirect to back_url once paid.
// The page works without it: a <noscript> meta refresh reloads a pending page.
(() => {
  const body = document.body;
  const data = body.dataset;
  if (!data.payment) return;
  const byId = (id) => document.getElementById(id);
  const base = `/checkout/${encodeURIComponent(data.payment)}`;
  const query = `?lang=${encodeURIComponent(data.lang || 'id')}`;
  // The server's clock when it rendered the page, against ours: the countdown follows the server.
  const skewMs = Number(data.now) - Date.now();
  const expiresAt = Date.parse(data.expiresAt || '');
  const redirectMs = Number(data.redirectMs) || 5000;
  const pollMs = Number(data.pollMs) || 3000;
  const backUrl = /^https?:\/\//i.test(data.backUrl || '') ? data.backUrl : '';
  let status = data.status;
  let final = data.final === 'true';
  let source = null;
  let pollTimer = 0;
  let redirectTimer = 0;

  const pad = (n) => String(n).padStart(2, '0');
  /** "01:59:32", or "04:05" under an hour (as format.ts formatCountdown). */
  function countdownText(msLeft) {
    const total = Math.max(0, Math.floor(msLeft / 1000));
    const hours = Math.floor(total / 3600);
    const rest = `${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
    return hours > 0 ? `${pad(hours)}:${rest}` : rest;
  }

  function startRedirect() {
    if (!backUrl || redirectTimer) return;
    const deadline = Date.now() + redirectMs;
    const seconds = byId('redirect-seconds');
    const step = () => {
      const left = deadline - Date.now();
      if (left <= 0) {
        window.location.assign(backUrl);
        return;
      }
      if (seconds) seconds.textContent = String(Math.ceil(left / 1000));
      redirectTimer = window.setTimeout(step, Math.min(250, left));
    };
    step();
  }

  /** Shows `next` (pending, paid, expired, cancelled); `info` may carry the payment time. */
  function show(next, info) {
    if (info?.paid_at_text) {
      const text = byId('paid-at-text');
      if (text) text.textContent = info.paid_at_text;
      const line = byId('paid-at');
      if (line) line.hidden = false;
    }
    if (next === status) return;
    status = next;
    body.dataset.status = next;
    if (next === 'paid') startRedirect();
  }

  function stopListening() {
    final = true;
    body.dataset.final = 'true';
    if (source) source.close();
    source = null;
    window.clearInterval(pollTimer);
  }

  /** A status answer of the server (SSE event, status poll or simulate). */
  function receive(info) {
    if (!info || typeof info.status !== 'string') return;
    show(info.status, info);
    if (info.final) stopListening();
  }

  function poll() {
    if (pollTimer || final) return;
    const once = async () => {
      try {
        const response = await fetch(`${base}/status${query}`, {
          headers: { accept: 'application/json' },
          cache: 'no-store',
        });
        if (response.ok) receive(await response.json());
      } catch {
        // Offline for a moment: the next tick tries again.
      }
    };
    pollTimer = window.setInterval(once, pollMs);
    void once();
  }

  function listen() {
    if (typeof window.EventSource !== 'function') {
      poll();
      return;
    }
    let errors = 0;
    source = new EventSource(`${base}/events${query}`);
    source.addEventListener('status', (event) => {
      errors = 0;
      receive(JSON.parse(event.data));
    });
    source.addEventListener('error', () => {
      if (final || !source) return;
      errors += 1;
      // Refused (a non-200 answer closes it for good) or failing again and again: poll instead.
      if (source.readyState === EventSource.CLOSED || errors >= 3) {
        source.close();
        source = null;
        poll();
      }
    });
  }

  function tick() {
    const left = expiresAt - (Date.now() + skewMs);
    const countdown = byId('countdown');
    if (countdown) countdown.textContent = countdownText(left);
    // Expired here and now; the server may still report a late payment, so keep listening.
    if (left <= 0 && status === 'pending') show('expired');
  }

  const copy = byId('copy-amount');
  if (copy) {
    const label = copy.textContent;
    copy.hidden = false;
    copy.addEventListener('click', async () => {
      const text = copy.dataset.copy || '';
      try {
        await navigator.clipboard.writeText(text);
      } catch {
        const area = document.createElement('textarea');
        area.value = text;
        area.setAttribute('readonly', '');
        area.className = 'offscreen';
        document.body.append(area);
        area.select();
        document.execCommand('copy');
        area.remove();
      }
      copy.textContent = copy.dataset.copied || label;
      window.setTimeout(() => {
        copy.textContent = label;
      }, 2000);
    });
  }

  const form = byId('simulate-form');
  if (form) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const button = byId('simulate');
      const error = byId('simulate-error');
      if (button) button.disabled = true;
      if (error) error.hidden = true;
      try {
        const response = await fetch(form.action, {
          method: 'POST',
          headers: { accept: 'application/json' },
        });
        const answer = await response.json().catch(() => null);
        if (!response.ok) throw new Error(answer?.error || `HTTP ${response.status}`);
        receive(answer);
      } catch {
        if (error) error.hidden = false;
        if (button) button.disabled = false;
      }
    });
  }

  if (status === 'pending') {
    tick();
    window.setInterval(tick, 1000);
  }
  if (status === 'paid') startRedirect();
  if (!final) listen();
})();

// The host portal loads the SDK; the tags in index.html do the rest. The portal also plays the part
// of the host for the actions service: its server (scripts/serve.mjs) signs a short-lived token for
// the role picked in the header, and the tab gets an ActionsClient that asks for it.
import { ActionsClient } from '@usage-analytics/actions';
// The one-script embed's entry: the tab at once, each chart from a lazy chunk (first paint within the
// 150 kB gzip budget); DuckDB's files from index.html's bundle-base.
import '../../../packages/elements/src/embed.js';

const ROLE_KEY = 'usage-demo-role';
const picker = document.querySelector<HTMLSelectElement>('#demo-role');
const tab = document.querySelector('usage-analytics') as (HTMLElement & { actions?: ActionsClient }) | null;
// `?threads`: DuckDB-WASM's threaded build when the server isolates the page (`serve.mjs --coi`); set
// before the tab's first update, so the engine starts once.
if (new URLSearchParams(location.search).has('threads')) tab?.setAttribute('threads', '');

async function session(): Promise<string> {
  const role = picker?.value ?? 'director_ai_ml';
  const res = await fetch(`/demo/session?role=${encodeURIComponent(role)}&departments=*`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`the demo portal signed no token (${res.status})`);
  return ((await res.json()) as { token: string }).token;
}

void (async () => {
  // The demo server answers /demo/session only when it started the actions service.
  const probe = await fetch('/demo/session', { cache: 'no-store' }).catch(() => undefined);
  if (!tab || !probe?.ok) {
    picker?.closest('label')?.setAttribute('hidden', '');
    return;
  }
  if (picker) {
    picker.value = localStorage.getItem(ROLE_KEY) ?? picker.value;
    // A new role is a new user session: a new client, so the dialogs ask the service what it may do.
    picker.addEventListener('change', () => {
      localStorage.setItem(ROLE_KEY, picker.value);
      tab.actions = new ActionsClient({ baseUrl: '/actions', token: session });
    });
  }
  tab.actions = new ActionsClient({ baseUrl: '/actions', token: session });
})();

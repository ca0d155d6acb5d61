/** The real actions service in browser tests: a session from the test server (scripts/wtr-actions.mjs), a client, raw calls. */
import { ActionsClient } from '@usage-analytics/actions';

export interface Session {
  /** The service's URL (another origin than the page). */
  url: string;
  token: string;
  /** A same-origin proxy to the service (can lose an answer, logs what went through). */
  proxy: string;
}

/** A real token for `query` (`roles=…&departments=…&user=…`) and the running service's URL. */
export async function actionsSession(query: string): Promise<Session> {
  const res = await fetch(`/__actions/session?${query}`);
  if (!res.ok) throw new Error(`no actions session: ${res.status} ${await res.text()}`);
  const s = (await res.json()) as Session;
  return { ...s, proxy: new URL(s.proxy, location.href).href };
}

export const clientFor = (s: Session, base = s.url) => new ActionsClient({ baseUrl: base, token: () => s.token });

/** A call straight to the service with the session's token. */
export async function api<T>(s: Session, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${s.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as T };
}

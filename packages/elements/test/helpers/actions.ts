/** The real actions service in browser tests: a session from the test server (scripts/wtr-actions.mjs), a client, raw calls. */
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { ActionsClient } from '@usage-analytics/actions';
import { activeElementDeep, type ActionPhase, type UsageActionDialog } from '../../src/components/action-dialog/action-dialog.component.js';
import type { UsageActionCancelEvent } from '../../src/events/usage-action.js';
import { sendKeys } from './commands.js';

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

// ---- driving a dialog (every `<usage-action-*>` test)

/** Waits for the service: up to a minute, polling every 50 ms. */
export const LONG = { timeout: 60_000, interval: 50 };

/** An element's text with runs of white space as one space. */
export const text = (n: Element | null | undefined) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** The first match of `sel` in the dialog's shadow root. */
export const $ = <T extends Element = HTMLElement>(el: UsageActionDialog, sel: string) => el.shadowRoot!.querySelector<T & Element>(sel) as T | null;

/** The element with `part` `name` in the dialog. */
export const part = (el: UsageActionDialog, name: string) => $(el, `[part~="${name}"]`);

/** Clicks the button with `part` `name` and waits for the update. */
export async function click(el: UsageActionDialog, name: string): Promise<void> {
  const b = part(el, name) as HTMLButtonElement | null;
  if (!b) throw new Error(`no ${name}`);
  b.click();
  await el.updateComplete;
}

/** Whether `node` is inside `el`, crossing shadow roots. */
export function insideEl(el: Element, node: Element | null): boolean {
  for (let n: Node | null = node; n; n = n instanceof ShadowRoot ? n.host : n.parentNode) if (n === el) return true;
  return false;
}

/** Waits until the dialog reaches `phase`. */
export async function waitPhase(el: UsageActionDialog, phase: ActionPhase): Promise<void> {
  await waitUntil(() => el.phase === phase, `phase is ${el.phase}, not ${phase}`, LONG);
  await el.updateComplete;
}

/** Escape closes the open dialog without acting: a `usage-action-cancel` naming the action, the dialog shut, focus back on `trigger`. */
export async function expectEscapeCloses(el: UsageActionDialog, trigger: Element): Promise<void> {
  const cancelled = oneEvent(el, 'usage-action-cancel') as Promise<UsageActionCancelEvent>;
  await sendKeys({ press: 'Escape' });
  expect((await cancelled).detail).to.deep.equal({ action: el.action });
  await el.updateComplete;
  expect(el.open).to.equal(false);
  expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(false);
  expect(activeElementDeep()).to.equal(trigger);
}

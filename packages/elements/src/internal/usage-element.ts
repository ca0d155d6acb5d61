/**
 * The small base shared by every `<usage-*>` element: a typed {@link UsageElement.emit} and a
 * {@link define} that tolerates the SDK being loaded twice. Behaviour lives in reactive
 * controllers (`@lit/task`, `@lit/context`), not here.
 */
import { TaskStatus, type Task } from '@lit/task';
import { LitElement } from 'lit';
import { lazyPartsLoaded } from './lazy.js';

/** Names in `HTMLElementEventMap` whose event type is a `CustomEvent` (ours: `usage-*`). */
export type CustomEventName = {
  [K in keyof HTMLElementEventMap]: HTMLElementEventMap[K] extends CustomEvent<unknown> ? K : never;
}[keyof HTMLElementEventMap];

/** The `detail` type declared for event `K`. */
export type EventDetail<K extends CustomEventName> = HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never;

/** Event options for `emit()`: `detail` is required and typed; `bubbles`/`composed` default to true. */
export type UsageEventInit<K extends CustomEventName> = Omit<CustomEventInit<EventDetail<K>>, 'detail'> & { detail: EventDetail<K> };

/** Events a host may veto with `preventDefault()`. */
const VETOABLE = new Set<string>(['usage-drilldown']);

export class UsageElement extends LitElement {
  /**
   * Dispatches a typed custom event from this element. Defaults: `bubbles: true`, `composed: true`
   * (crosses shadow roots); `cancelable` only for vetoable events (`usage-drilldown`: a host's
   * `preventDefault()` stops the tab's own drill-down). Returns the event so callers can read
   * `defaultPrevented`.
   */
  emit<K extends CustomEventName>(name: K, options: UsageEventInit<K>): HTMLElementEventMap[K] {
    const event = new CustomEvent<EventDetail<K>>(name, { bubbles: true, composed: true, cancelable: VETOABLE.has(name), ...options });
    this.dispatchEvent(event);
    return event as unknown as HTMLElementEventMap[K];
  }

  /**
   * The data tasks whose results the element shows; {@link settled} waits for them. Elements
   * that query override this (a getter, so tasks that are off right now can be left out).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected get dataTasks(): readonly Task<any, any>[] {
    return [];
  }

  /** True while a data task is running or an update is queued. */
  isPending(): boolean {
    return !this.hasUpdated || this.isUpdatePending || this.dataTasks.some((t) => t.status === TaskStatus.PENDING);
  }

  /**
   * Resolves once the element shows the answer for its current inputs: no data task is pending,
   * the parts loaded on demand (internal/lazy.ts) have loaded, the last update has rendered, and
   * two animation frames have passed (charts draw in the next frame). Failed tasks count as
   * settled (the element shows its error state). Used by hosts that screenshot or print, by tests,
   * and by `pnpm bench` to time a repaint after a filter change.
   */
  async settled(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      await this.updateComplete;
      const pending = this.dataTasks.filter((t) => t.status === TaskStatus.PENDING);
      if (pending.length === 0) break;
      await Promise.allSettled(pending.map((t) => t.taskComplete));
    }
    await lazyPartsLoaded();
    await this.updateComplete;
    await nextFrame();
    await nextFrame();
  }
}

const nextFrame = (): Promise<void> =>
  new Promise((resolve) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => resolve()) : setTimeout(resolve, 0)));

/**
 * Registers `tag` once. When the SDK is loaded twice (two bundles on one page), the second
 * registration is skipped instead of throwing `NotSupportedError`; a different class for an
 * existing tag is reported once on the console, and the first definition stays in force.
 */
export function define(tag: string, ctor: CustomElementConstructor, registry: CustomElementRegistry = globalThis.customElements): void {
  if (!registry) return; // no DOM (SSR or Node): nothing to register
  const existing = registry.get(tag);
  if (!existing) {
    registry.define(tag, ctor);
    return;
  }
  if (existing !== ctor && !warned.has(tag)) {
    warned.add(tag);
    console.warn(`[usage-analytics] <${tag}> is already defined by another copy of the SDK; keeping the first definition.`);
  }
}

const warned = new Set<string>();

/**
 * Marks `name` on the page's performance timeline the first time only (`pnpm bench` reads them:
 * `usage:data-ready` when every table is loaded, `usage:tab-painted` when the whole tab first shows numbers).
 */
export function markOnce(name: string): void {
  if (typeof performance === 'undefined' || performance.getEntriesByName(name).length > 0) return;
  performance.mark(name);
}

/**
 * The small base shared by every `<usage-*>` element: a typed {@link UsageElement.emit} and a
 * {@link define} that tolerates the SDK being loaded twice. Behaviour lives in reactive
 * controllers (`@lit/task`, `@lit/context`), not here.
 */
import { LitElement } from 'lit';

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
}

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

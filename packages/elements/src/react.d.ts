/**
 * JSX typings for React 19 (`@usage-analytics/elements/react`, types only): every `<usage-*>` tag
 * with its element's properties and its `usage-*` events. React 19 sets a prop as a property when
 * the element has one (objects and arrays too) and listens for `on<event-name>` props, so the tags
 * need no wrapper:
 *
 * ```tsx
 * import '@usage-analytics/elements/provider.js';
 * import '@usage-analytics/elements/api-calls.js';
 * import type {} from '@usage-analytics/elements/react';
 *
 * <usage-provider src="/snapshot/manifest.json" bundle-base="/duckdb/">
 *   <usage-api-calls onusage-drilldown={(e) => console.log(e.detail.kind)} />
 * </usage-provider>
 * ```
 *
 * Derived from `HTMLElementTagNameMap` and `HTMLElementEventMap` (which each element declares), so
 * a new element or event is typed here with no change. Attributes written in kebab-case
 * (`bundle-base`) are not checked by TypeScript; camelCase names are the element's properties.
 */
import type { HTMLAttributes, RefAttributes } from 'react';
import type {} from './index.js';

/** The tag names of the library's elements. */
export type UsageTagName = Extract<keyof HTMLElementTagNameMap, `usage-${string}`>;
/** The library's custom event names. */
export type UsageEventName = Extract<keyof HTMLElementEventMap, `usage-${string}`>;

/** An element's own properties (not HTMLElement's, not methods), all optional. */
export type UsageElementProperties<E> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [K in Exclude<keyof E, keyof HTMLElement> as E[K] extends (...args: any[]) => any ? never : K]?: E[K];
};

/** `on<event-name>` handlers for the library's events (React 19 adds them as listeners). */
export type UsageEventHandlers = {
  [K in UsageEventName as `on${K}`]?: (event: HTMLElementEventMap[K]) => void;
};

/** The props of one `<usage-*>` tag in JSX. */
export type UsageElementProps<E extends HTMLElement> = UsageElementProperties<E> &
  UsageEventHandlers &
  Omit<HTMLAttributes<E>, keyof UsageElementProperties<E>> &
  RefAttributes<E> & { class?: string };

/** Every `<usage-*>` tag as a JSX intrinsic element. */
export type UsageIntrinsicElements = { [K in UsageTagName]: UsageElementProps<HTMLElementTagNameMap[K]> };

declare module 'react' {
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface IntrinsicElements extends UsageIntrinsicElements {}
  }
}

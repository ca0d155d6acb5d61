/**
 * Locale and time zone resolution for the elements. A locale is a BCP 47 tag checked with
 * `Intl.getCanonicalLocales`; a time zone an IANA name checked with `Intl.DateTimeFormat` (through
 * `timeZoneParam` of the queries package, so SQL and display agree), or `local` for the browser's.
 * Invalid values are reported once per value with `console.warn` and replaced by the fallback
 * (`en` / `UTC`), so a typo never blanks a chart.
 */
import { timeZoneParam } from '@usage-analytics/queries';

const warned = new Set<string>();
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}

/** The canonical spelling of a BCP 47 locale, or `undefined` (with a warning) when it is not one. Empty → `undefined`. */
export function canonicalLocale(value: string | null | undefined, source = 'locale'): string | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  try {
    const [tag] = Intl.getCanonicalLocales(value.trim());
    // Intl accepts the tag only if it can format with it (every well-formed tag falls back to a supported one).
    new Intl.NumberFormat(tag);
    return tag;
  } catch {
    warnOnce(`usage-analytics: ${source} ${JSON.stringify(value)} is not a BCP 47 locale (such as "de-DE"); using "en" instead.`);
    return 'en';
  }
}

/** The browser's own time zone (IANA), or UTC when it does not say. */
export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/**
 * The canonical IANA time zone of an attribute value: `local` is the browser's zone, anything
 * `Intl` does not know gives a warning and UTC. Empty → `undefined` (not set).
 */
export function canonicalTimeZone(value: string | null | undefined, source = 'time-zone'): string | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const v = value.trim();
  if (v.toLowerCase() === 'local') return browserZone();
  try {
    return timeZoneParam(source, v);
  } catch {
    warnOnce(`usage-analytics: ${source} ${JSON.stringify(value)} is not an IANA time zone (such as "Europe/Berlin", "UTC" or "local"); using "UTC" instead.`);
    return 'UTC';
  }
}

/**
 * The nearest `lang` above `el`, walking out through shadow roots (`closest('[lang]')` in each
 * tree, then the host's tree), up to `<html lang>`; `undefined` when no ancestor sets one.
 */
export function inheritedLang(el: Element): string | undefined {
  let node: Element | null = el;
  while (node) {
    const found = node.closest('[lang]');
    if (found) {
      const lang = found.getAttribute('lang');
      if (lang) return lang;
    }
    const root = node.getRootNode();
    node = root instanceof ShadowRoot ? root.host : null;
  }
  const top = typeof document !== 'undefined' ? document.documentElement.lang : '';
  return top || undefined;
}

/** The locale an element formats with: its own, else the provider's, else the nearest `lang`, else the browser's, else `en-US`. */
export function resolveLocale(el: Element, own: string | undefined, inherited: string | undefined): string {
  return (
    canonicalLocale(own) ??
    inherited ??
    canonicalLocale(inheritedLang(el), 'lang') ??
    canonicalLocale(typeof navigator !== 'undefined' ? navigator.language : undefined, 'navigator.language') ??
    'en-US'
  );
}

const langListeners = new Set<() => void>();
let langObserver: MutationObserver | undefined;

/**
 * Calls `onChange` when a `lang` attribute changes anywhere in the document's light DOM (a host
 * switching the page's language at runtime); one MutationObserver serves every subscriber.
 * Returns the unsubscribe.
 */
export function watchLang(onChange: () => void): () => void {
  if (typeof MutationObserver === 'undefined' || typeof document === 'undefined') return () => undefined;
  langListeners.add(onChange);
  if (!langObserver) {
    langObserver = new MutationObserver(() => {
      for (const listener of [...langListeners]) listener();
    });
    langObserver.observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ['lang'] });
  }
  return () => {
    langListeners.delete(onChange);
    if (langListeners.size === 0) {
      langObserver?.disconnect();
      langObserver = undefined;
    }
  };
}

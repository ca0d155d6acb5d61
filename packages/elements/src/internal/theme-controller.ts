/**
 * The chart's categorical palette, kept current when the theme changes at runtime (issue 11): a
 * per-element cache of {@link paletteFromStyles}, re-read when
 *
 * - the OS colour scheme flips (`prefers-color-scheme` `change`),
 * - an attribute that themes pages changes on `<html>` or another ancestor of the chart, across
 *   shadow roots, or on the chart itself (`class`, `style`,
 *   `theme`, `data-theme`, …: `class="dark"`, `wa-dark`, `sl-theme-dark`, `<usage-provider theme>`,
 *   or `--usage-cat-*` set through an inline style),
 * - the host calls `refreshTheme()` (a stylesheet that changed the tokens cannot be observed).
 *
 * One media listener and one `MutationObserver` serve every chart on the page; a change is checked
 * once, in the next animation frame (after styles settle), and only hosts whose palette actually
 * changed update. Reading the palette is free between changes (the same array), so memos keyed on
 * it stay valid. No timers.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { paletteFromStyles } from './palette.js';
import { OKABE_ITO } from '../theme/tokens.js';

type Host = ReactiveControllerHost & HTMLElement;

/** Attributes themes are switched with (on `<html>`, `<body>` or any wrapper). */
export const THEME_ATTRIBUTES = ['class', 'style', 'theme', 'data-theme', 'data-bs-theme', 'data-color-scheme', 'data-mode'] as const;

const live = new Set<ThemeController>();
let media: MediaQueryList | undefined;
let observer: MutationObserver | undefined;
let frame = 0;

function schedule(): void {
  if (frame) return;
  const run = (): void => {
    frame = 0;
    for (const c of [...live]) c.refresh();
  };
  frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(run) : (queueMicrotask(run), 1);
}

/** Whether `ancestor` is `node` or one of its ancestors, across shadow roots. */
function composedContains(ancestor: Node, node: Node): boolean {
  for (let n: Node | null = node; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) if (n === ancestor) return true;
  return false;
}

/** Attribute changes on elements that are no chart's ancestor (hover classes and the like) are ignored. */
function onMutations(records: MutationRecord[]): void {
  const targets = new Set(records.map((r) => r.target));
  for (const target of targets) for (const c of live) if (composedContains(target, c.element)) return schedule();
}

function watch(): void {
  if (typeof window === 'undefined') return;
  if (!media && typeof matchMedia === 'function') {
    media = matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', schedule);
  }
  if (!observer && typeof MutationObserver === 'function') {
    observer = new MutationObserver(onMutations);
    observer.observe(document.documentElement, { attributes: true, subtree: true, attributeFilter: [...THEME_ATTRIBUTES] });
  }
}

function unwatch(): void {
  if (live.size > 0) return;
  media?.removeEventListener('change', schedule);
  media = undefined;
  observer?.disconnect();
  observer = undefined;
}

/**
 * What a theme change is judged by: the palette plus the surface and text tokens, so a switch that
 * keeps a host's own `--usage-cat-*` still redraws what charts read from other tokens (the graph's
 * edges and labels on canvas).
 */
function themeKey(el: Element, palette: readonly string[]): string {
  const cs = getComputedStyle(el);
  return [...palette, cs.getPropertyValue('--usage-color-surface').trim(), cs.getPropertyValue('--usage-color-text').trim(), cs.colorScheme].join();
}

export class ThemeController implements ReactiveController {
  private cached?: string[];
  private key = '';
  /** Bumped each time the palette changes (after the first read). */
  version = 0;

  constructor(
    private readonly host: Host,
    /** Called when the palette changed, before the host's update (e.g. to drop drawn caches). */
    private readonly onChange?: () => void,
  ) {
    host.addController(this);
  }

  /** The host element (what the theme is read on). */
  get element(): HTMLElement {
    return this.host;
  }

  hostConnected(): void {
    live.add(this);
    watch();
    // Styles may differ where the element is now: read again on first use.
    this.refresh();
  }

  hostDisconnected(): void {
    live.delete(this);
    unwatch();
  }

  /** The categorical palette (`--usage-cat-1…8` as resolved on the host); the same array until the theme changes. */
  get palette(): string[] {
    if (!this.cached) {
      if (!this.host.isConnected) return [...OKABE_ITO];
      this.cached = paletteFromStyles(this.host);
      this.key = themeKey(this.host, this.cached);
    }
    return this.cached;
  }

  /**
   * Reads the theme again; when the palette (or the surface / text tokens, or `color-scheme`)
   * changed, makes a new palette array, notifies and re-renders the host (once per change: an
   * unchanged theme does nothing). Returns whether it changed.
   */
  refresh(update = true): boolean {
    if (!this.cached || !this.host.isConnected) return false;
    const next = paletteFromStyles(this.host);
    const key = themeKey(this.host, next);
    if (key === this.key) return false;
    this.cached = next;
    this.key = key;
    this.version++;
    this.onChange?.();
    if (update) this.host.requestUpdate();
    return true;
  }
}

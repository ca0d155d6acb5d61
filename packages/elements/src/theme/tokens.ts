/**
 * Design tokens: CSS custom properties `--usage-*`, a light and a dark theme, and a
 * colour-blind-safe categorical palette (Okabe & Ito, "Color Universal Design", 2008).
 *
 * Two levers, as in Shoelace: global tokens (set on `:root`, on a `.usage-theme-light|dark`
 * wrapper, or by `<usage-provider theme="…">`), and per-component custom properties and `part`s.
 * Components read tokens through {@link token}, which carries the light value as a fallback so an
 * element works with no theme loaded at all.
 */
import { css, unsafeCSS, type CSSResult } from 'lit';

/** Okabe–Ito: distinguishable under protanopia, deuteranopia and tritanopia. Black is last. */
export const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#000000'] as const;

/**
 * Okabe–Ito for dark surfaces: black (unreadable on dark) becomes a light grey; every hue is at
 * least 3:1 against the dark theme's surface and background (WCAG non-text contrast).
 */
export const OKABE_ITO_DARK = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#BBBBBB'] as const;

const light = {
  'font-family': "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  'font-family-mono': 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  'color-background': '#f6f7f9',
  'color-surface': '#ffffff',
  'color-surface-raised': '#f0f1f3',
  'color-border': '#d4d7dd',
  'color-text': '#1a1c20',
  'color-text-muted': '#4a4f57',
  'color-accent': '#005a8c',
  'color-focus-ring': '#005a8c',
  /** Increase (text-safe Okabe–Ito blue, 7.4:1 on white). */
  'color-positive': '#005a8c',
  /** Decrease (text-safe Okabe–Ito vermillion, 6.0:1 on white). */
  'color-negative': '#a84400',
  'color-neutral': '#4a4f57',
  'color-danger': '#a84400',
  'color-danger-surface': '#fff4ec',
  'color-skeleton': '#e4e6ea',
  'color-skeleton-highlight': '#f3f4f6',
  radius: '8px',
  'space-xs': '0.25rem',
  'space-s': '0.5rem',
  'space-m': '1rem',
  'space-l': '1.5rem',
  shadow: '0 1px 2px rgb(0 0 0 / 0.08), 0 1px 3px rgb(0 0 0 / 0.06)',
  'cat-1': OKABE_ITO[0],
  'cat-2': OKABE_ITO[1],
  'cat-3': OKABE_ITO[2],
  'cat-4': OKABE_ITO[3],
  'cat-5': OKABE_ITO[4],
  'cat-6': OKABE_ITO[5],
  'cat-7': OKABE_ITO[6],
  'cat-8': OKABE_ITO[7],
} as const;

export type TokenName = keyof typeof light;

/** Dark theme: same names; the contrast of every text colour is at least 7:1 on its surface. */
const dark: Record<TokenName, string> = {
  ...light,
  'color-background': '#121316',
  'color-surface': '#1e1f24',
  'color-surface-raised': '#26282e',
  'color-border': '#3a3d45',
  'color-text': '#f0f1f3',
  'color-text-muted': '#b8bcc4',
  'color-accent': '#56b4e9',
  'color-focus-ring': '#56b4e9',
  'color-positive': '#56b4e9',
  'color-negative': '#e69f00',
  'color-neutral': '#b8bcc4',
  'color-danger': '#f5a623',
  'color-danger-surface': '#2e2218',
  'color-skeleton': '#2c2e35',
  'color-skeleton-highlight': '#373a42',
  shadow: '0 1px 2px rgb(0 0 0 / 0.5)',
  'cat-8': OKABE_ITO_DARK[7],
};

export const lightTokens: Readonly<Record<TokenName, string>> = light;
export const darkTokens: Readonly<Record<TokenName, string>> = dark;

/** The categorical palette as custom properties, in order (for charts). */
export const categorical: readonly CSSResult[] = OKABE_ITO.map((_, i) => token(`cat-${i + 1}` as TokenName));

const declarations = (tokens: Readonly<Record<TokenName, string>>): string =>
  Object.entries(tokens)
    .map(([k, v]) => `--usage-${k}: ${v};`)
    .join('\n');

/** `var(--usage-NAME, <light value>)` for use inside component styles. */
export function token(name: TokenName): CSSResult {
  return unsafeCSS(`var(--usage-${name}, ${light[name]})`);
}

/** Light and dark declarations (no selector), e.g. for `:host`. */
export const lightDeclarations: CSSResult = unsafeCSS(declarations(light));
export const darkDeclarations: CSSResult = unsafeCSS(declarations(dark));

/**
 * A document-level theme sheet: light on `:root` and `.usage-theme-light`, dark on
 * `.usage-theme-dark`, and `.usage-theme-auto` following `prefers-color-scheme`.
 * Apply it with {@link applyTheme} or put `themeStyles.cssText` in a `<style>`.
 */
export const themeStyles: CSSResult = css`
  :root,
  .usage-theme-light {
    ${lightDeclarations}
  }
  .usage-theme-dark {
    ${darkDeclarations}
    color-scheme: dark;
  }
  @media (prefers-color-scheme: dark) {
    .usage-theme-auto {
      ${darkDeclarations}
      color-scheme: dark;
    }
  }
`;

/** Text for assistive technology only (`class="visually-hidden"`), one rule for every element. */
export const visuallyHidden: CSSResult = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;

/** The plain button of panels and messages (Retry, View all): themed, with a visible keyboard focus ring. */
export const buttonStyles: CSSResult = css`
  button {
    font: inherit;
    padding: ${token('space-xs')} ${token('space-m')};
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius')};
    background: ${token('color-surface')};
    color: ${token('color-text')};
    cursor: pointer;
  }
  button:focus-visible {
    outline: 2px solid ${token('color-focus-ring')};
    outline-offset: 2px;
  }
`;

/** The loading skeleton's `shimmer` animation on `.bone`, still for people who ask for reduced motion. */
export const shimmerKeyframes: CSSResult = css`
  @keyframes shimmer {
    from {
      background-position: 100% 0;
    }
    to {
      background-position: -100% 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .bone {
      animation: none;
    }
  }
`;

/** Host-level theme for elements that take a `theme` attribute (`light`, `dark`, `auto`; none = inherit). */
export const hostThemeStyles: CSSResult = css`
  :host([theme='light']) {
    ${lightDeclarations}
  }
  :host([theme='dark']) {
    ${darkDeclarations}
    color-scheme: dark;
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${darkDeclarations}
      color-scheme: dark;
    }
  }
  @media (prefers-color-scheme: light) {
    :host([theme='auto']) {
      ${lightDeclarations}
    }
  }
`;

/** Adopts {@link themeStyles} into a document once (idempotent). */
export function applyTheme(doc: Document = document): void {
  const sheet = themeStyles.styleSheet;
  if (!sheet || doc.adoptedStyleSheets.includes(sheet)) return;
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
}

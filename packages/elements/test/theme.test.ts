/**
 * Issue 11 (theme half): charts follow a runtime theme switch and token overrides set after the
 * first render — real charts on the test snapshot inside one <usage-provider>, in headless Chromium.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement, html as litHtml, render } from 'lit';
import { defaultFilters } from '@usage-analytics/queries';
import '../src/index.js';
import type UsageAnalytics from '../src/components/analytics/analytics.component.js';
import type UsageApiCalls from '../src/components/api-calls/api-calls.component.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type UsageDependencyGraph from '../src/components/dependency-graph/dependency-graph.component.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import type UsageUniqueUsers from '../src/components/unique-users/unique-users.component.js';
import type { UsageChartElement } from '../src/internal/chart-element.js';
import { ThemeController } from '../src/internal/theme-controller.js';
import { contrast, isDarkPalette, paletteFromStyles, parseColour, swatchFor } from '../src/internal/palette.js';
import { OKABE_ITO, OKABE_ITO_DARK, applyTheme, darkTokens } from '../src/theme/tokens.js';
import { emulateMedia } from './helpers/commands.js';
import { BUNDLES, SNAPSHOT } from './helpers/snapshot.js';

const LONG = { timeout: 60_000, interval: 50 };
const SHORT = { timeout: 10_000, interval: 50 };
const MAGENTA = '#ff00ff';
/** A host's own categorical palette (distinct from both Okabe–Ito variants). */
const CUSTOM = ['#ff00ff', '#00ffff', '#ff8080', '#80ff80', '#8080ff', '#ffff80', '#c08040', '#40c080'];
const customStyle = CUSTOM.map((c, i) => `--usage-cat-${i + 1}: ${c};`).join(' ');
const frameOf = (el: UsageChartElement) => el.shadowRoot!.querySelector('usage-chart-frame') as UsageChartFrame;
const ready = (el: UsageChartElement) => frameOf(el)?.state === 'ready' && !frameOf(el).busy && !el.isPending();
const hexOf = (c: string) =>
  `#${parseColour(c)
    .map((v) => v.toString(16).padStart(2, '0'))
    .join('')}`;
const frames = (n: number) =>
  new Promise<void>((resolve) => {
    const step = (k: number) => (k <= 0 ? resolve() : requestAnimationFrame(() => step(k - 1)));
    step(n);
  });

/** Series colours each chart shows: api-calls' area strokes, unique-users' segment fills, the graph's node fills (canvas). */
const apiStrokes = (el: UsageApiCalls) =>
  [...el.shadowRoot!.querySelectorAll<SVGPathElement>('svg path.area')].map((p) => p.getAttribute('stroke')!.toLowerCase());
const segmentFills = (el: UsageUniqueUsers) =>
  [...el.shadowRoot!.querySelectorAll<HTMLElement>('button.segment')].map((b) => hexOf(getComputedStyle(b).backgroundColor));
const graphFills = (el: UsageDependencyGraph) => (el.scene?.scene.fill ?? []).map((c) => c.toLowerCase());

/** Pixels of the graph's canvas that are exactly `colour`. */
function canvasPixels(el: UsageDependencyGraph, colour: string): number {
  const canvas = el.shadowRoot!.querySelector('canvas');
  if (!canvas) return -1;
  const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  const [r, g, b] = parseColour(colour);
  let n = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255) n++;
  return n;
}

/** Counts the element's updates (Lit's `update`), to show a theme change re-renders a bounded number of times. */
function countUpdates(el: UsageChartElement): { n: number } {
  const counter = { n: 0 };
  const proto = Object.getPrototypeOf(el) as { update(this: UsageChartElement, c: unknown): void };
  (el as unknown as { update(c: unknown): void }).update = function (this: UsageChartElement, c: unknown) {
    counter.n++;
    proto.update.call(this, c);
  };
  return counter;
}

/** The chart's background: the frame's (surface) colour. */
const background = (el: UsageChartElement) => {
  const frame = frameOf(el);
  const inner = frame.shadowRoot!.querySelector<HTMLElement>('[part="base"]') ?? frame;
  for (const node of [inner, frame, el]) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && !/rgba\(.*,\s*0\)$/.test(bg) && bg !== 'transparent') return hexOf(bg);
  }
  return '#ffffff';
};

describe('theme: charts follow runtime theme switches and token overrides (issue 11)', () => {
  let container: HTMLDivElement;
  let provider: UsageProvider;
  let api: UsageApiCalls;
  let users: UsageUniqueUsers;
  let graph: UsageDependencyGraph;
  const charts = () => [api, users, graph] as UsageChartElement[];

  before(async () => {
    await emulateMedia({ colorScheme: 'light' });
    // Mounted once for the whole file (a fixture would be removed after each test).
    container = document.body.appendChild(document.createElement('div'));
    render(
      html` <usage-provider theme="auto" src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()}>
        <div style="width: 900px">
          <usage-api-calls></usage-api-calls>
          <usage-unique-users></usage-unique-users>
          <usage-dependency-graph renderer="canvas" style="height: 420px"></usage-dependency-graph>
        </div>
      </usage-provider>`,
      container,
    );
    provider = container.querySelector('usage-provider')!;
    api = provider.querySelector('usage-api-calls')!;
    users = provider.querySelector('usage-unique-users')!;
    graph = provider.querySelector('usage-dependency-graph')!;
    await waitUntil(() => charts().every(ready), 'charts did not render', LONG);
    await waitUntil(() => apiStrokes(api).length > 0 && segmentFills(users).length > 0 && graphFills(graph).length > 0, 'charts did not paint', LONG);
    // The charts paint from the snapshot's precomputed rows first; the tests count updates, so the
    // engine's load (ready re-renders each chart once) is done before they start.
    await waitUntil(() => provider.loadStatus.state === 'ready', 'the provider did not load the snapshot', LONG);
    await Promise.all(charts().map((c) => c.settled()));
  });

  after(async () => {
    container.remove();
    await emulateMedia({ colorScheme: 'light' });
  });

  it('starts on the light Okabe–Ito palette', () => {
    for (const c of charts()) expect(c.themePalette).to.deep.equal([...OKABE_ITO]);
    const light = new Set(OKABE_ITO.map((c) => c.toLowerCase()));
    expect(
      apiStrokes(api).some((c) => light.has(c)),
      'api-calls strokes',
    ).to.equal(true);
    expect(
      segmentFills(users).some((c) => light.has(c)),
      'unique-users fills',
    ).to.equal(true);
  });

  it('--usage-cat-1 set on a chart after its first render: an inline style is picked up by itself, a stylesheet by refreshTheme()', async () => {
    const counts = charts().map(countUpdates);
    // Inline style on the host: observed (no call needed).
    api.setAttribute('style', customStyle);
    await waitUntil(() => api.themePalette[0] === MAGENTA, 'api-calls did not re-read its palette', SHORT);
    const custom = new Set(CUSTOM);
    await waitUntil(() => apiStrokes(api).some((c) => custom.has(c)), 'api-calls did not redraw with the new palette', SHORT);
    expect(
      apiStrokes(api).filter((c) => OKABE_ITO.some((o) => o.toLowerCase() === c)),
      'no stroke keeps an old hue',
    ).to.deep.equal([]);
    // A stylesheet rule: not observable, so the host calls refreshTheme().
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`usage-unique-users, usage-dependency-graph { ${customStyle} }`);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    try {
      await frames(3);
      expect(users.themePalette[0], 'no change without refreshTheme()').to.equal(OKABE_ITO[0]);
      expect(users.refreshTheme()).to.equal(true);
      expect(graph.refreshTheme()).to.equal(true);
      expect(users.refreshTheme(), 'a second refresh changes nothing').to.equal(false);
      await waitUntil(() => segmentFills(users).some((c) => custom.has(c)), 'unique-users did not redraw', SHORT);
      await waitUntil(() => graphFills(graph).some((c) => custom.has(c)), 'the graph did not rebuild its scene', SHORT);
      const shownColour = graphFills(graph).find((c) => custom.has(c))!;
      await waitUntil(() => canvasPixels(graph, shownColour) > 0, `the graph canvas has no pixel of ${shownColour}`, SHORT);
      await frames(5);
      const settled = counts.map((c) => c.n);
      expect(Math.max(...settled), `updates per chart ${settled.join(', ')}`).to.be.at.most(4);
      await frames(10);
      expect(
        counts.map((c) => c.n),
        'no re-render loop',
      ).to.deep.equal(settled);
    } finally {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
      api.removeAttribute('style');
      for (const c of charts()) c.refreshTheme();
    }
    await waitUntil(() => charts().every((c) => c.themePalette[0] === OKABE_ITO[0]), 'the override did not go away', SHORT);
  });

  it('an OS switch to dark (prefers-color-scheme) moves every chart to the dark palette, readable (≥ 3:1) on its background', async () => {
    const counts = charts().map(countUpdates);
    await emulateMedia({ colorScheme: 'dark' });
    await waitUntil(() => charts().every((c) => c.themePalette[7] === OKABE_ITO_DARK[7]), 'charts kept the light palette', SHORT);
    await waitUntil(() => !apiStrokes(api).includes('#000000') && graphFills(graph).length > 0, 'api-calls kept black', SHORT);
    await frames(3);
    for (const c of charts()) {
      expect([...c.themePalette], c.localName).to.deep.equal([...OKABE_ITO_DARK]);
      const bg = background(c);
      expect(contrast(bg, '#ffffff'), `${c.localName} background ${bg} is dark`).to.be.greaterThan(10);
      for (const colour of c.themePalette) expect(contrast(colour, bg), `${c.localName}: ${colour} on ${bg}`).to.be.at.least(3);
    }
    const bgApi = background(api);
    for (const s of apiStrokes(api)) {
      expect(contrast(s, bgApi), `api-calls stroke ${s} on ${bgApi}`).to.be.at.least(3);
    }
    for (const s of segmentFills(users)) expect(contrast(s, background(users)), `unique-users ${s}`).to.be.at.least(3);
    for (const s of graphFills(graph)) expect(contrast(s, background(graph)), `graph node ${s}`).to.be.at.least(3);
    await frames(10);
    const settled = counts.map((c) => c.n);
    expect(Math.max(...settled), `updates per chart ${settled.join(', ')}`).to.be.at.most(4);
    await frames(10);
    expect(
      counts.map((c) => c.n),
      'no re-render loop',
    ).to.deep.equal(settled);
    // And back.
    await emulateMedia({ colorScheme: 'light' });
    await waitUntil(() => charts().every((c) => c.themePalette[7] === OKABE_ITO[7]), 'charts did not return to light', SHORT);
  });

  it('a theme class on <html> (document theme sheet, no provider theme) switches the palette both ways', async () => {
    provider.removeAttribute('theme');
    provider.theme = undefined;
    applyTheme(document);
    await waitUntil(() => charts().every((c) => c.themePalette[7] === OKABE_ITO[7]), 'light first', SHORT);
    document.documentElement.classList.add('usage-theme-dark');
    try {
      await waitUntil(() => charts().every((c) => c.themePalette[7] === OKABE_ITO_DARK[7]), 'class="usage-theme-dark" not followed', SHORT);
      await waitUntil(() => graphFills(graph).every((f) => f !== '#000000') && !apiStrokes(api).includes('#000000'), 'redraw', SHORT);
    } finally {
      document.documentElement.classList.remove('usage-theme-dark');
    }
    await waitUntil(() => charts().every((c) => c.themePalette[7] === OKABE_ITO[7]), 'class removed: back to light', SHORT);
  });

  it('attribute changes elsewhere on the page (not a chart ancestor) cause no theme change and no theme re-render', async () => {
    // The theme re-renders a chart only through its ThemeController, which bumps `version` and makes
    // a new palette array first. Counting every update instead measured unrelated repaints on a
    // loaded machine (8 per chart in two of three full runs, none alone).
    const controllers = charts().map((c) => (c as unknown as { theme: { version: number } }).theme);
    const versions = controllers.map((t) => t.version);
    const palettes = charts().map((c) => c.themePalette);
    const other = document.body.appendChild(document.createElement('div'));
    try {
      for (let i = 0; i < 20; i++) {
        other.classList.toggle('dark');
        other.style.setProperty('--usage-cat-1', i % 2 ? MAGENTA : '#00ffff');
        await frames(1);
      }
      await frames(3);
      expect(controllers.map((t) => t.version)).to.deep.equal(versions);
      charts().forEach((c, k) => expect(c.themePalette, c.localName).to.equal(palettes[k]));
    } finally {
      other.remove();
    }
  });

  it('a host palette that is the same in both themes still redraws the graph on a switch (its edges and labels follow the surface)', async () => {
    graph.setAttribute('style', `height: 420px; ${customStyle}`);
    try {
      await waitUntil(() => graph.themePalette[0] === MAGENTA, 'inline palette not read', SHORT);
      await waitUntil(() => graphFills(graph).some((c) => CUSTOM.includes(c)), 'graph not redrawn with the host palette', SHORT);
      const palette = graph.themePalette;
      const scene = graph.scene!.scene;
      document.documentElement.classList.add('usage-theme-dark');
      await waitUntil(() => graph.themePalette !== palette, 'the switch was not noticed', SHORT);
      expect([...graph.themePalette]).to.deep.equal(CUSTOM);
      await waitUntil(() => graph.scene!.scene !== scene, 'the graph scene was not rebuilt', SHORT);
    } finally {
      document.documentElement.classList.remove('usage-theme-dark');
      graph.setAttribute('style', 'height: 420px');
    }
  });
});

describe('theme: the dark palette (issue 11)', () => {
  const DOMAIN = Array.from({ length: 24 }, (_, i) => `k${String(i).padStart(2, '0')}`);

  it('every dark-theme hue, and every one of 24 swatches, is at least 3:1 on the dark surface and background', () => {
    for (const bg of [darkTokens['color-surface'], darkTokens['color-background']]) {
      for (const c of OKABE_ITO_DARK) expect(contrast(c, bg), `${c} on ${bg}`).to.be.at.least(3);
      for (const k of DOMAIN) {
        const { colour } = swatchFor(k, DOMAIN, OKABE_ITO_DARK);
        expect(contrast(colour, bg), `${k} ${colour} on ${bg}`).to.be.at.least(3);
      }
    }
    expect(darkTokens['cat-8']).to.equal(OKABE_ITO_DARK[7]);
    expect(OKABE_ITO_DARK).not.to.include('#000000');
  });

  it('paletteFromStyles: no tokens on a dark surface (or color-scheme: dark) → OKABE_ITO_DARK; a light one → Okabe–Ito', () => {
    const div = document.body.appendChild(document.createElement('div'));
    // No categorical tokens here, whatever theme sheet the page has (`initial`: unset).
    for (let i = 1; i <= 8; i++) div.style.setProperty(`--usage-cat-${i}`, 'initial');
    try {
      div.style.setProperty('--usage-color-surface', '#1e1f24');
      const dark = paletteFromStyles(div);
      expect(dark).to.deep.equal([...OKABE_ITO_DARK]);
      expect(isDarkPalette(dark)).to.equal(true);
      div.style.setProperty('--usage-color-surface', '#ffffff');
      const light = paletteFromStyles(div);
      expect(light).to.deep.equal([...OKABE_ITO]);
      expect(isDarkPalette(light)).to.equal(false);
      div.style.setProperty('--usage-color-surface', 'initial');
      div.style.colorScheme = 'dark';
      expect(paletteFromStyles(div)).to.deep.equal([...OKABE_ITO_DARK]);
      // Tokens win over the fallback.
      div.style.setProperty('--usage-cat-8', '#123456');
      expect(paletteFromStyles(div)[7]).to.equal('#123456');
    } finally {
      div.remove();
    }
  });
});

describe('theme: <usage-analytics> refreshTheme() reaches the charts of the tab', () => {
  it('a stylesheet override of --usage-cat-* reaches every chart of the tab after analytics.refreshTheme()', async () => {
    const el = await fixture<UsageAnalytics>(html`<usage-analytics src=${SNAPSHOT} bundle-base=${BUNDLES} no-url-state></usage-analytics>`);
    await el.settled();
    const inner = () =>
      [...el.shadowRoot!.querySelectorAll('*')].filter((c): c is UsageChartElement => typeof (c as UsageChartElement).refreshTheme === 'function');
    expect(inner().length, 'charts in the tab').to.be.greaterThan(2);
    for (const c of inner()) void c.themePalette;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`usage-analytics { ${customStyle} }`);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    try {
      expect(el.refreshTheme()).to.equal(true);
      for (const c of inner()) expect(c.themePalette[0], c.localName).to.equal(MAGENTA);
      expect(el.refreshTheme(), 'nothing changed since').to.equal(false);
    } finally {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    }
  });
});

describe('theme: the ThemeController re-reads only for changes on a chart or its ancestors', () => {
  /** A bare host with a ThemeController: no data, no chart, so nothing else re-reads or repaints. */
  class ThemeProbe extends LitElement {
    readonly theme = new ThemeController(this);
    override render() {
      return litHtml`${this.theme.palette[0]}`;
    }
  }
  if (!customElements.get('usage-theme-probe')) customElements.define('usage-theme-probe', ThemeProbe);

  it('an attribute change off its ancestors is filtered out (no re-read); one on an ancestor is re-read', async () => {
    const wrap = await fixture<HTMLDivElement>(
      html`<div>
        <section id="anc"><usage-theme-probe></usage-theme-probe></section>
        <p id="other"></p>
      </div>`,
    );
    const probe = wrap.querySelector('usage-theme-probe') as ThemeProbe;
    await probe.updateComplete;
    await frames(3);
    // Count this controller's re-reads (ThemeController.refresh, what the observer schedules), not chart updates.
    const proto = ThemeController.prototype;
    const original = proto.refresh;
    let reads = 0;
    proto.refresh = function (this: ThemeController, ...args: Parameters<typeof original>) {
      if (this === probe.theme) reads++;
      return original.apply(this, args);
    };
    try {
      const other = wrap.querySelector<HTMLElement>('#other')!;
      const outside = document.body.appendChild(document.createElement('div'));
      for (let i = 0; i < 5; i++) {
        other.classList.toggle('dark');
        other.setAttribute('data-theme', i % 2 ? 'dark' : 'light');
        outside.style.setProperty('--usage-cat-1', i % 2 ? MAGENTA : '#00ffff');
        await frames(1);
      }
      await frames(3);
      outside.remove();
      expect(reads, 'attribute changes on a sibling and elsewhere on the page').to.equal(0);
      // The same attribute on an ancestor of the probe (and on the probe itself) gets through the filter.
      wrap.querySelector('#anc')!.setAttribute('data-theme', 'dark');
      await frames(3);
      expect(reads, 'a change on an ancestor').to.equal(1);
      probe.setAttribute('class', 'x');
      await frames(3);
      expect(reads, 'a change on the host').to.equal(2);
    } finally {
      proto.refresh = original;
    }
  });
});

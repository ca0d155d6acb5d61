/**
 * Runs every story of the given Storybook stories files the way Storybook renders it (the story's
 * `render`, else the meta's, with the meta's args under the story's), lets it settle, then checks
 * it with axe (through @open-wc/testing's `accessible()`, chai-a11y-axe). A violation fails the
 * test named after the story. The live stories read the real test snapshot through DuckDB-WASM
 * from the test runner's paths (stories/support/data.ts, set here before any story is imported),
 * and the action stories talk to the real actions service the test runner starts
 * (scripts/wtr-actions.mjs). Used by the stories-a11y*.test.ts files (one per group of stories
 * files, each within the runner's time limit per file).
 */
import { expect, fixture, html } from '@open-wc/testing';
import { render as litRender, type TemplateResult } from 'lit';
import { useDataPaths } from '../../../../stories/support/data.js';
import { UsageElement } from '../../src/internal/usage-element.js';
import { actionsSession } from './actions.js';
import { BUNDLES, SNAPSHOT } from './snapshot.js';

// Before any story module is imported: their args read these paths once.
useDataPaths({ snapshotBase: SNAPSHOT.replace(/manifest\.json$/, ''), bundleBase: BUNDLES });

/** stories file name (without .stories.ts) → its dynamic import. */
export type StoryFiles = Record<string, () => Promise<Record<string, unknown>>>;

type Args = Record<string, unknown>;
type RenderFn = (args: Args, context: unknown) => unknown;
interface StoryMeta {
  title?: string;
  component?: string;
  args?: Args;
  render?: RenderFn;
  excludeStories?: string[] | RegExp;
}
interface StoryObject {
  args?: Args;
  render?: RenderFn;
  name?: string;
}

/** Every element under `root`, looking into open shadow roots. */
function deepElements(root: Element | ShadowRoot): Element[] {
  const out: Element[] = [];
  const visit = (node: Element | ShadowRoot) => {
    for (const child of node.children) {
      out.push(child);
      visit(child);
      if (child.shadowRoot) visit(child.shadowRoot);
    }
  };
  visit(root);
  return out;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const within = <T>(p: Promise<T>, ms: number) => Promise.race([p.then(() => true), sleep(ms).then(() => false)]);

/**
 * Waits until every `<usage-*>` element in the story has settled (`settled()`: no data task
 * pending, rendered, charts drawn) and no new one appears. Stories on the real snapshot get up to
 * 45 s (DuckDB-WASM starts, the tables load); the others answer from stand-ins within a second or
 * two, so one still pending after 5 s is a loading-state story (a client that never answers) and
 * is checked as it is. Returns whether everything settled.
 */
async function settle(host: HTMLElement): Promise<boolean> {
  const live = () => deepElements(host).some((e) => e.localName === 'usage-provider' || e.localName === 'usage-analytics');
  const deadline = performance.now() + (live() ? 45_000 : 5_000);
  let seen = -1;
  while (performance.now() < deadline) {
    const elements = deepElements(host).filter((e): e is UsageElement => e instanceof UsageElement);
    const left = deadline - performance.now();
    const ok = await within(Promise.all(elements.map((e) => e.settled())), left);
    if (!ok) return false;
    const providers = elements.filter((e) => e.localName === 'usage-provider') as (UsageElement & { loadStatus: { state: string }; src?: string })[];
    const loading = providers.some((p) => p.src && (p.loadStatus.state === 'loading' || p.loadStatus.state === 'idle'));
    const now = deepElements(host).filter((e) => e instanceof UsageElement).length;
    if (!loading && now === seen && !elements.some((e) => e.isPending())) return true;
    seen = now;
    await sleep(loading ? 100 : 50);
  }
  return false;
}

let actionsService: Promise<{ url: string }> | undefined;

/** The action stories sign their own token with `tokenSecret`: point them at the test runner's service and secret. */
async function serviceArgs(args: Args): Promise<Args> {
  if (!('serviceUrl' in args)) return {};
  actionsService ??= actionsSession('roles=director_ai_ml&departments=*');
  const { url } = await actionsService;
  return { serviceUrl: url, tokenSecret: 'wtr-actions-test-secret-0123456789-abcdef' };
}

const isStoryExport = (name: string, meta: StoryMeta) =>
  name !== 'default' &&
  name !== '__namedExportsOrder' &&
  !(Array.isArray(meta.excludeStories) ? meta.excludeStories.includes(name) : meta.excludeStories?.test(name));

/** Imports the stories files, then declares one test per story (call it with top-level await). */
export async function axeEveryStory(group: string, files: StoryFiles): Promise<void> {
  const modules = await Promise.all(Object.entries(files).map(async ([file, load]) => [file, await load()] as const));
  describe(`every Storybook story is axe-clean: ${group}`, () => {
    for (const [file, mod] of modules) {
      const meta = mod.default as StoryMeta;
      describe(`${file}.stories.ts (${meta.title})`, () => {
        it('names its element (docs page)', () => {
          expect(meta.component, `${file}: meta.component`).to.match(/^usage-[a-z-]+$/);
          expect(customElements.get(meta.component!), `${meta.component} is registered`).to.not.equal(undefined);
        });
        for (const [name, exported] of Object.entries(mod)) {
          if (!isStoryExport(name, meta)) continue;
          it(name, async function () {
            this.timeout(180_000);
            const story: StoryObject = typeof exported === 'function' ? { render: exported as RenderFn } : (exported as StoryObject);
            const render = story.render ?? meta.render;
            if (!render) throw new Error(`${file} › ${name}: neither the story nor the meta has a render function`);
            let args: Args = { ...meta.args, ...story.args };
            args = { ...args, ...(await serviceArgs(args)) };
            const host = await fixture<HTMLElement>(html`<div class="story" style="width: 1100px"></div>`);
            const out = render(args, { args, id: `${file}--${name}`, name, title: meta.title });
            if (out instanceof Node) host.append(out);
            else litRender(out as TemplateResult, host);
            const settled = await settle(host);
            if (!settled) console.info(`${file} › ${name}: still loading after the wait; checked in its loading state`);
            await expect(host, `${file} › ${name}`).to.be.accessible();
          });
        }
      });
    }
  });
}

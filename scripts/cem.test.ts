// The Custom Elements Manifest (packages/elements/custom-elements.json, `pnpm cem`) against the
// elements' sources: every registered tag is documented, every public property and attribute has
// a description, and the documented events, parts, slots and CSS custom properties are the ones
// the sources dispatch and render. A missing JSDoc tag fails here (and would leave a hole in the
// Storybook docs pages, which are built from this manifest).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = join(root, 'packages/elements');
const src = join(pkg, 'src');

interface Described {
  name: string;
  description?: string;
  kind?: string;
  privacy?: string;
  static?: boolean;
  fieldName?: string;
  inheritedFrom?: { name: string };
}
interface Declaration extends Described {
  tagName?: string;
  customElement?: boolean;
  summary?: string;
  superclass?: { name: string };
  members?: Described[];
  attributes?: Described[];
  events?: Described[];
  cssParts?: Described[];
  cssProperties?: Described[];
  slots?: Described[];
}
interface Manifest {
  modules: { path: string; declarations?: Declaration[]; exports?: { kind: string; name: string; declaration: { name: string; module?: string } }[] }[];
}

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

/** `define('usage-x', Class)` calls in the sources: tag → [registering file, class name]. */
function registeredTags(): Map<string, { file: string; cls: string }> {
  const tags = new Map<string, { file: string; cls: string }>();
  for (const file of walk(src)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/^\s*(?:customElements\.)?define\(\s*'(usage-[a-z-]+)'\s*,\s*(\w+)/gm)) {
      tags.set(m[1], { file, cls: m[2] });
    }
  }
  return tags;
}

/** Relative `import … from './x.js'` targets of a file that exist as .ts sources. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'|(?:^|\n)\s*import\s+'(\.[^']+)'/g)]
    .map((m) => resolve(dirname(file), (m[1] ?? m[2]).replace(/\.js$/, '.ts')))
    .filter((f) => existsSync(f));
}

/**
 * Source files behind an element. `own`: its component file plus what it imports from its own
 * folder and src/internal (transitively) — what it renders and dispatches itself. `all`: also
 * the child elements it imports (their composed events bubble out of it, their parts are theirs).
 */
function sourcesOf(componentFile: string): { own: string[]; all: string[] } {
  const folder = dirname(componentFile);
  const isOwn = (f: string) => dirname(f) === folder;
  const collect = (own: boolean) => {
    const seen = new Set<string>();
    const queue = [componentFile];
    while (queue.length) {
      const f = queue.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      for (const next of imports(f)) {
        if (!next.startsWith(src)) continue;
        // Another element in the same folder (analytics/ holds two) is a child, not "own".
        if (own && (!isOwn(next) || (next.endsWith('.component.ts') && next !== componentFile && dirname(next) === folder))) continue;
        queue.push(next);
      }
    }
    return [...seen];
  };
  const own = collect(true);
  const all = new Set(collect(false));
  // Elements it renders by tag name (the tab's charts are created from a list of tags).
  for (const m of read(own).matchAll(/\busage-[a-z-]+\b/g)) {
    const registered = tags.get(m[0]);
    if (!registered) continue;
    const component = imports(registered.file).find((f) => f.endsWith('.component.ts'));
    if (component) all.add(component);
  }
  return { own, all: [...all] };
}

const read = (files: string[]) => files.map((f) => readFileSync(f, 'utf8')).join('\n');
/** Code without comments (so a JSDoc example is not taken for a dispatch or a part). */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

const dispatched = (text: string) =>
  new Set([...code(text).matchAll(/(?:emit(?:<[^>]*>)?|new (?:Custom)?Event(?:<[^>]*>)?)\(\s*'([a-z][a-z-]*)'/g)].map((m) => m[1]));
const parts = (text: string) => new Set([...code(text).matchAll(/\bpart="([^"$]+)"/g)].flatMap((m) => m[1].trim().split(/\s+/)));
const slots = (text: string) => new Set([...code(text).matchAll(/<slot(?:\s+name="([^"]+)")?[\s>]/g)].map((m) => m[1] ?? ''));
const cssVars = (text: string) => new Set([...code(text).matchAll(/var\(\s*(--usage-[a-z0-9-]+)/g)].map((m) => m[1]));

/** Theme tokens (set on the document by the theme, documented in the theming guide, not per element). */
function themeTokens(): Set<string> {
  const text = walk(join(src, 'theme'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  // Keys of the light/dark token tables (`'color-text': '#1a1c20'` is --usage-color-text) and literal declarations.
  return new Set(
    [...text.matchAll(/^\s*'([a-z][a-z0-9-]*)'\s*:/gm)].map((m) => `--usage-${m[1]}`).concat([...text.matchAll(/(--usage-[a-z0-9-]+)\s*:/g)].map((m) => m[1])),
  );
}

let manifest: Manifest;
let byTag: Map<string, { declaration: Declaration; file: string }>;
const tags = registeredTags();

beforeAll(() => {
  // Generate it the way `pnpm cem` does, so the test checks what ships.
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js'), 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet'],
    {
      cwd: pkg,
      stdio: 'pipe',
    },
  );
  manifest = JSON.parse(readFileSync(join(pkg, 'custom-elements.json'), 'utf8')) as Manifest;
  byTag = new Map();
  for (const mod of manifest.modules) {
    for (const d of mod.declarations ?? []) if (d.tagName) byTag.set(d.tagName, { declaration: d, file: join(pkg, mod.path) });
  }
}, 120_000);

describe('custom elements manifest', () => {
  it('finds the registrations it checks against', () => {
    expect(tags.size).toBeGreaterThanOrEqual(31);
    expect(tags.has('usage-analytics') && tags.has('usage-provider') && tags.has('usage-agent-detail')).toBe(true);
  });

  it('declares exactly the registered tags, each with its class and a description', () => {
    expect([...byTag.keys()].sort()).toEqual([...tags.keys()].sort());
    const problems: string[] = [];
    for (const [tag, { cls }] of tags) {
      const d = byTag.get(tag)!.declaration;
      if (d.name !== cls) problems.push(`<${tag}>: class ${d.name}, registered as ${cls}`);
      if (!d.customElement) problems.push(`<${tag}>: not marked customElement`);
      if (!d.description?.trim()) problems.push(`<${tag}>: no description (@summary)`);
    }
    expect(problems).toEqual([]);
  });

  it('describes every public property, method and attribute (inherited ones included)', () => {
    const problems: string[] = [];
    for (const [tag, { declaration: d }] of byTag) {
      for (const m of d.members ?? []) {
        if (m.privacy && m.privacy !== 'public') problems.push(`<${tag}>.${m.name}: ${m.privacy} member in the manifest`);
        else if (!m.static && !m.description?.trim())
          problems.push(`<${tag}>.${m.name}${m.inheritedFrom ? ` (from ${m.inheritedFrom.name})` : ''}: no description`);
      }
      for (const a of d.attributes ?? []) if (!a.description?.trim()) problems.push(`<${tag}> [${a.name}]: no description`);
      for (const key of ['events', 'cssParts', 'cssProperties', 'slots'] as const) {
        for (const x of d[key] ?? []) if (!x.description?.trim()) problems.push(`<${tag}> ${key} ${x.name || '(default)'}: no description`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has the Lit attributes with their names and types', () => {
    const table = byTag.get('usage-data-table')!.declaration;
    const attr = table.attributes!.find((a) => a.name === 'page-size') as Described & { type?: { text: string } };
    expect(attr.fieldName).toBe('pageSize');
    expect(attr.type?.text).toBe('number');
    // Inherited from UsageChartElement.
    const top = byTag.get('usage-top-users')!.declaration;
    expect(top.attributes!.find((a) => a.name === 'filters-override')?.inheritedFrom?.name).toBe('UsageChartElement');
    expect(top.members!.find((m) => m.name === 'settled')?.inheritedFrom?.name).toBe('UsageElement');
  });

  it('documents with @fires exactly the events each element dispatches', () => {
    const problems: string[] = [];
    for (const [tag, { declaration: d, file }] of byTag) {
      const { own, all } = sourcesOf(file);
      const documented = new Set((d.events ?? []).map((e) => e.name));
      const mine = dispatched(read(own));
      const reachable = dispatched(read(all));
      for (const e of mine) if (!documented.has(e)) problems.push(`<${tag}> dispatches ${e} (${own.map((f) => relative(src, f)).join(', ')}) without @fires`);
      for (const e of documented) if (!reachable.has(e)) problems.push(`<${tag}> documents @fires ${e}, which nothing it runs dispatches`);
    }
    expect(problems).toEqual([]);
  });

  it('documents with @csspart and @slot exactly the parts and slots each element renders', () => {
    const problems: string[] = [];
    for (const [tag, { declaration: d, file }] of byTag) {
      const { own, all } = sourcesOf(file);
      const documentedParts = new Set((d.cssParts ?? []).map((p) => p.name));
      for (const p of parts(read(own))) if (!documentedParts.has(p)) problems.push(`<${tag}> renders part="${p}" without @csspart`);
      const reachable = parts(read(all));
      const text = read(all);
      for (const p of documentedParts)
        if (!reachable.has(p) && !text.includes(`'${p}'`) && !text.includes(p)) problems.push(`<${tag}> documents @csspart ${p}, which it never renders`);
      const documentedSlots = new Set((d.slots ?? []).map((s) => s.name));
      for (const s of slots(read([file]))) if (!documentedSlots.has(s)) problems.push(`<${tag}> has <slot${s ? ` name="${s}"` : ''}> without @slot`);
      for (const s of documentedSlots) if (!slots(read([file])).has(s)) problems.push(`<${tag}> documents @slot ${s || '(default)'}, which it does not render`);
    }
    expect(problems).toEqual([]);
  });

  it('documents with @cssprop the element-specific custom properties its styles read', () => {
    const tokens = themeTokens();
    expect(tokens.size).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const [tag, { declaration: d, file }] of byTag) {
      const { own, all } = sourcesOf(file);
      const documented = new Set((d.cssProperties ?? []).map((p) => p.name));
      for (const v of cssVars(read(own))) if (!tokens.has(v) && !documented.has(v)) problems.push(`<${tag}> reads ${v} without @cssprop`);
      const reachable = read(all);
      for (const v of documented) if (!reachable.includes(v)) problems.push(`<${tag}> documents @cssprop ${v}, which its styles never read`);
    }
    expect(problems).toEqual([]);
  });
});

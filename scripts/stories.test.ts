// The Storybook gallery covers every element: each registered `<usage-*>` tag has a stories file
// whose meta names it in `component` (so it gets a docs page built from the Custom Elements
// Manifest), and the browser tests that run axe on every story (packages/elements/test/
// stories-a11y*.test.ts) import every stories file, each once.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'packages/elements/src');
const storiesDir = join(root, 'stories');

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

const tags = walk(src).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^\s*define\(\s*'(usage-[a-z-]+)'/gm)].map((m) => m[1]));
const storyFiles = readdirSync(storiesDir).filter((f) => f.endsWith('.stories.ts'));
/** stories file → the `component` of its default export (meta). */
const components = new Map(
  storyFiles.map((f) => {
    const text = readFileSync(join(storiesDir, f), 'utf8');
    const meta = text.slice(text.search(/const meta\b|export default \{/));
    return [f, /^\s*component:\s*'([^']+)'/m.exec(meta)?.[1]] as const;
  }),
);

describe('Storybook gallery', () => {
  it('finds the registered elements', () => {
    expect(tags.length).toBeGreaterThanOrEqual(31);
    expect(new Set(tags).size).toBe(tags.length);
  });

  it('every stories file names a registered element in its meta', () => {
    const problems = [...components].filter(([, c]) => !c || !tags.includes(c)).map(([f, c]) => `${f}: component ${c ?? '(none)'}`);
    expect(problems).toEqual([]);
  });

  it('every registered element has a stories file of its own (one docs page each)', () => {
    const byTag = new Map<string, string[]>();
    for (const [f, c] of components) if (c) byTag.set(c, [...(byTag.get(c) ?? []), f]);
    const missing = tags.filter((t) => !byTag.has(t));
    const shared = [...byTag].filter(([, fs]) => fs.length > 1).map(([t, fs]) => `${t}: ${fs.join(', ')}`);
    expect(missing).toEqual([]);
    expect(shared).toEqual([]);
  });

  it('the axe test of the stories imports every stories file', () => {
    const testDir = join(root, 'packages/elements/test');
    const tests = readdirSync(testDir).filter((f) => /^stories-a11y.*\.test\.ts$/.test(f));
    expect(tests).toContain('stories-a11y.test.ts');
    const imported = tests.flatMap((f) =>
      [...readFileSync(join(testDir, f), 'utf8').matchAll(/import\('\.\.\/\.\.\/\.\.\/stories\/([a-z0-9-]+)\.stories\.js'\)/g)].map(
        (m) => `${m[1]}.stories.ts`,
      ),
    );
    expect(imported.sort()).toEqual([...storyFiles].sort());
  });
});

#!/usr/bin/env node
// Checks a built Storybook (storybook-static/, `pnpm build-storybook` runs this last): every
// registered <usage-*> element has a docs page, and each page, opened in Chromium from a local
// static server, shows the Custom Elements Manifest's tables for that element — a section for each
// of attributes, properties, events, slots, CSS parts and CSS custom properties the manifest lists,
// with the element's own names in it. Exits 1 naming what is missing.
// Usage: node scripts/check-storybook.mjs [storybook-static]
import { createReadStream, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { CHROME_ARGS, CHROMIUM } from './chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = resolve(process.argv[2] ?? join(root, 'storybook-static'));
const problems = [];

// Registered tags (define('usage-…', Class) in the sources) and the stories file naming each.
const walk = (d) =>
  readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.ts') ? [join(d, e.name)] : []));
const tags = walk(join(root, 'packages/elements/src')).flatMap((f) =>
  [...readFileSync(f, 'utf8').matchAll(/^\s*define\(\s*'(usage-[a-z-]+)'/gm)].map((m) => m[1]),
);
const storyOf = new Map();
for (const f of readdirSync(join(root, 'stories')).filter((f) => f.endsWith('.stories.ts'))) {
  const text = readFileSync(join(root, 'stories', f), 'utf8');
  const c = /^\s*component:\s*'([^']+)'/m.exec(text.slice(text.search(/const meta\b|export default \{/)))?.[1];
  if (c) storyOf.set(c, `./stories/${f}`);
}

const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
const docs = Object.values(index.entries).filter((e) => e.type === 'docs');
const manifest = JSON.parse(readFileSync(join(root, 'packages/elements/custom-elements.json'), 'utf8'));
const declarations = new Map(manifest.modules.flatMap((m) => (m.declarations ?? []).filter((d) => d.tagName).map((d) => [d.tagName, d])));

const pages = [];
for (const tag of tags) {
  const importPath = storyOf.get(tag);
  const entry = importPath && docs.find((d) => d.importPath === importPath);
  if (!entry) problems.push(`<${tag}>: no docs page in index.json (stories file: ${importPath ?? 'none'})`);
  else if (!declarations.has(tag)) problems.push(`<${tag}>: not in custom-elements.json`);
  else pages.push([tag, entry.id, declarations.get(tag)]);
}

const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};
const server = createServer((req, res) => {
  let file = normalize(join(dir, decodeURIComponent(new URL(req.url, 'http://localhost').pathname)));
  if (file !== dir && !file.startsWith(dir + sep)) return void res.writeHead(403).end();
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
    statSync(file);
  } catch {
    return void res.writeHead(404).end();
  }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: CHROME_ARGS,
});
const SECTIONS = [
  ['attributes', (d) => d.attributes],
  ['properties', (d) => (d.members ?? []).filter((m) => m.kind === 'field' && !m.static)],
  ['events', (d) => d.events],
  ['slots', (d) => d.slots],
  ['css shadow parts', (d) => d.cssParts],
  ['css custom properties', (d) => d.cssProperties],
];
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  for (const [tag, id, d] of pages) {
    await page.goto(`${base}/iframe.html?viewMode=docs&id=${encodeURIComponent(id)}`);
    try {
      await page.waitForSelector('.docblock-argstable tbody tr', { timeout: 60_000 });
    } catch {
      problems.push(`<${tag}> (${id}): the docs page shows no args table`);
      continue;
    }
    // Section rows ("attributes", "css shadow parts", …) and the name cell of every row.
    const table = await page.evaluate(() => {
      const sections = {};
      let current = '';
      for (const row of document.querySelectorAll('.docblock-argstable tbody tr')) {
        const cells = row.querySelectorAll('td');
        if (cells.length === 1 || row.querySelector('td[colspan]')) {
          current = (row.textContent ?? '')
            .replace(/^(Hide|Show) .*? items/, '')
            .replace(/(Hide|Show) .*? items$/, '')
            .trim()
            .toLowerCase();
          sections[current] ??= [];
        } else if (current) sections[current].push((cells[0]?.textContent ?? '').trim());
      }
      return sections;
    });
    for (const [section, pick] of SECTIONS) {
      const expected = (pick(d) ?? []).map((x) => x.name || '(default)');
      if (expected.length === 0) continue;
      const shown = table[section];
      if (!shown) {
        problems.push(`<${tag}>: no "${section}" table (manifest lists ${expected.length})`);
        continue;
      }
      // Storybook keys its rows by name, so a part named like a property shows once: one of ours is enough to prove the table is the manifest's.
      if (!expected.some((n) => shown.some((s) => s.startsWith(n))))
        problems.push(`<${tag}>: the "${section}" table lists none of ${expected.slice(0, 5).join(', ')}…`);
    }
    console.log(
      `  <${tag}> ${id}: ${Object.entries(table)
        .map(([s, rows]) => `${s} ${rows.length}`)
        .join(', ')}`,
    );
  }
} finally {
  await browser.close();
  server.close();
}

if (problems.length) {
  console.error(`check-storybook: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-storybook: ${pages.length} elements, each with a docs page showing its manifest tables.`);

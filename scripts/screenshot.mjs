#!/usr/bin/env node
// Screenshot of a page in Debian chromium (headless), for looking at what the portal shows.
// Usage: node scripts/screenshot.mjs URL OUT.png [waitMs=6000] [width=1280]; prints performance marks and page errors.
import puppeteer from 'puppeteer-core';
import { CHROME_ARGS, CHROMIUM } from './chromium.mjs';
const [url, out, wait, width] = process.argv.slice(2);
const b = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: CHROME_ARGS,
});
const p = await b.newPage();
await p.setViewport({ width: Number(width ?? 1280), height: 900 });
p.on('pageerror', (e) => console.log('pageerror:', e.message));
p.on('console', (m) => m.type() === 'error' && console.log('console error:', m.text()));
await p.goto(url);
await new Promise((r) => setTimeout(r, Number(wait ?? 6000)));
console.log('marks', JSON.stringify(await p.evaluate(() => performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)]))));
await p.screenshot({ path: out, fullPage: true });
await b.close();

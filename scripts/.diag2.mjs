import puppeteer from 'puppeteer-core';
const port = process.argv[2] ?? '8393';
const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
await page.setViewport({ width: 1400, height: 900 });
await page.goto(`http://localhost:${port}/`);
await page.waitForFunction("performance.getEntriesByName('usage:data-ready').length > 0", { timeout: 600000 });
const out = await page.evaluate(async () => {
  const tab = document.querySelector('usage-analytics');
  await tab.settled();
  const client = tab.shadowRoot.querySelector('usage-provider').dataClient;
  const log = [];
  const q = client.connector.query.bind(client.connector);
  client.connector.query = async (sql, ...rest) => { const t = performance.now(); const r = await q(sql, ...rest); log.push([performance.now() - t, sql.replace(/\s+/g, ' ').slice(0, 90)]); return r; };
  const dims = await client.dimensions();
  const res = [];
  for (const d of dims.departments.slice(0, 3)) {
    log.length = 0;
    const t = performance.now();
    tab.filters = { ...tab.filters, departments: [d] };
    await tab.settled();
    res.push({ total: performance.now() - t, queries: log.map(([ms, s]) => `${ms.toFixed(0)}ms ${s}`) });
  }
  const charts = [...tab.shadowRoot.querySelectorAll('[part=chart], usage-kpi-cards')].map((c) => `${c.localName} near=${c.nearViewport} top=${c.getBoundingClientRect().top.toFixed(0)}`);
  return { res, charts };
});
console.log(JSON.stringify(out, null, 1));
await browser.close();

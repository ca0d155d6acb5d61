/**
 * What `pnpm bench` measures on the demo tab besides the performance marks (issue 12): the bytes
 * the browser downloads (CDP Network, page and worker targets), DuckDB's WebAssembly memory (read
 * in its worker through the worker target), DuckDB's own accounting
 * (`duckdb_memory()`), the renderer process' resident memory, and the filter changes run in the
 * page (charts in the viewport repainted, then every chart settled).
 */
import { readFileSync } from 'node:fs';
import type { Browser, CDPSession, Page, WebWorker } from 'puppeteer-core';
import type { FilterChange } from './filter-sets.js';

/** Bytes received over the network per request (encodedDataLength of finished requests: headers + body as sent). */
export class ByteCounter {
  private readonly done = new Map<string, { url: string; bytes: number }>();
  private frozen?: { total: number; byKind: Record<string, number>; requests: number };

  /** Starts counting on the page's target and on every worker it starts (workers' own fetches). */
  static async attach(page: Page): Promise<ByteCounter> {
    const c = new ByteCounter();
    const urls = new Map<string, string>();
    const listen = async (session: CDPSession) => {
      session.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
      session.on('Network.loadingFinished', (e) => c.done.set(e.requestId, { url: urls.get(e.requestId) ?? '?', bytes: e.encodedDataLength }));
      await session.send('Network.enable');
    };
    await listen(await page.createCDPSession());
    page.on('workercreated', (w: WebWorker) => void listen(w.client).catch(() => undefined));
    return c;
  }

  /** Total so far, and by kind (wasm, arrow tables, duckdb files, script, json, other). */
  snapshot(): { total: number; byKind: Record<string, number>; requests: number } {
    const byKind: Record<string, number> = {};
    let total = 0;
    for (const { url, bytes } of this.done.values()) {
      const path = url.split('?')[0];
      const kind = /\.wasm$/.test(path)
        ? 'wasm'
        : /\.arrows?$/.test(path)
          ? 'arrow'
          : /\.(duckdb|db)$/.test(path)
            ? 'duckdb'
            : /\.m?js$/.test(path)
              ? 'script'
              : /\.json$/.test(path)
                ? 'json'
                : 'other';
      byKind[kind] = (byKind[kind] ?? 0) + bytes;
      total += bytes;
    }
    return { total, byKind, requests: this.done.size };
  }

  /** Freezes the figure at this moment (e.g. when `usage:data-ready` is seen); later calls return it. */
  freeze(): { total: number; byKind: Record<string, number>; requests: number } {
    return (this.frozen ??= this.snapshot());
  }
}

export interface HeapFigures {
  /** DuckDB's WebAssembly linear memory (bytes) per worker, read in the worker (see WASM_MEMORY_IN_WORKER). */
  wasmMemory: { worker: string; bytes: number }[];
  /** DuckDB's buffer manager accounting: `sum(memory_usage_bytes) FROM duckdb_memory()`, and the biggest tags. */
  duckdbMemory?: { total: number; tags: Record<string, number> };
  /** Resident memory of the renderer process(es), bytes (/proc/PID/status VmRSS; workers live in the renderer). */
  rendererRss?: number;
  error?: string;
}

/**
 * The size of DuckDB's WebAssembly linear memory in a worker, bytes: DuckDB-WASM's worker keeps its
 * bindings in `globalThis.DUCKDB_BINDINGS` and their Emscripten module's `HEAPU8` views the whole
 * memory. Linear memory only grows, so this is the high-water mark since the worker started.
 * (CDP `Runtime.queryObjects` for every `WebAssembly.Memory` crashed the renderer at 1M requests.)
 */
const WASM_MEMORY_IN_WORKER = `(() => { const m = globalThis.DUCKDB_BINDINGS && globalThis.DUCKDB_BINDINGS.mod; return m && m.HEAPU8 ? m.HEAPU8.buffer.byteLength : 0; })()`;

/** The heap figures after load (see {@link HeapFigures}). */
export async function heapFigures(browser: Browser, page: Page): Promise<HeapFigures> {
  const out: HeapFigures = { wasmMemory: [] };
  try {
    for (const w of page.workers()) {
      const bytes = Number(await w.evaluate(WASM_MEMORY_IN_WORKER).catch(() => 0));
      if (bytes > 0) out.wasmMemory.push({ worker: w.url().split('/').pop()!.slice(0, 60), bytes });
    }
    out.duckdbMemory = (await page.evaluate(`(async () => {
      const client = document.querySelector('usage-analytics').shadowRoot.querySelector('usage-provider').dataClient;
      const rows = await client.connector.query('SELECT tag, memory_usage_bytes::DOUBLE AS b FROM duckdb_memory() WHERE memory_usage_bytes > 0 ORDER BY b DESC');
      const tags = {};
      let total = 0;
      for (const r of rows) { tags[r.tag] = Number(r.b); total += Number(r.b); }
      return { total, tags };
    })()`)) as HeapFigures['duckdbMemory'];
    const session = await browser.target().createCDPSession();
    const info = (await session.send('SystemInfo.getProcessInfo' as never)) as unknown as { processInfo: { type: string; id: number }[] };
    let rss = 0;
    for (const p of info.processInfo.filter((p) => p.type === 'renderer')) {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'));
      if (m) rss += Number(m[1]) * 1024;
    }
    out.rendererRss = rss || undefined;
    await session.detach();
  } catch (e) {
    out.error = (e as Error).message;
  }
  return out;
}

/** One change's figures, from the page. */
export interface ChangeTiming {
  /** `tab.filters = …` → every element intersecting the viewport settled (data + two frames). */
  viewMs: number;
  /** `tab.filters = …` → `tab.settled()` (every element of the tab; off-screen charts defer their query). */
  allMs: number;
  /** Elements in the viewport / in the tab / deferred (off screen, still showing the older filters) / in an error state. */
  inView: number;
  elements: number;
  deferred: number;
  errors: number;
  /** The queries the engine ran during the change (the coordinator's log): label, ms in the engine, whether a chart in view waited for it. */
  queries: { label: string; ms: number; inView: boolean }[];
}

/**
 * Runs in the page: for each change, sets `tab.filters`, waits for the elements in the viewport to
 * settle (the tab's own `settled()` loop, restricted to them), then for `tab.settled()`.
 */
export function runChangesInPage(changes: FilterChange[]): string {
  return `(async (changes) => {
  const tab = document.querySelector('usage-analytics');
  await tab.settled();
  const inner = () => [...tab.renderRoot.querySelectorAll('*')].filter((el) => typeof el.settled === 'function' && typeof el.isPending === 'function' && el.localName !== 'usage-provider');
  const inView = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  };
  const settledInView = async () => {
    for (let round = 0; round < 20; round++) {
      if (tab.link) await tab.link.checked;
      await tab.updateComplete;
      const els = inner().filter(inView);
      await Promise.all(els.map((el) => el.settled()));
      if (!els.some((el) => el.isPending()) && !tab.isPending()) return els.length;
    }
    return -1;
  };
  const coordinator = tab.renderRoot.querySelector('usage-provider').dataClient.coordinator;
  const out = [];
  for (const c of changes) {
    // A chart's channels are its queryChannel (tag-N) plus an optional suffix (':detail', …).
    const prefixes = inner().filter(inView).map((el) => el.queryChannel).filter(Boolean);
    const isInView = (ch) => prefixes.some((p) => ch === p || (ch.startsWith(p) && !/^[0-9]/.test(ch.slice(p.length))));
    const t = performance.now();
    tab.filters = c.filters;
    const n = await settledInView();
    const viewMs = performance.now() - t;
    await tab.settled();
    const allMs = performance.now() - t;
    const els = inner();
    const queries = coordinator.log
      .filter((q) => q.start >= t)
      .map((q) => ({ label: q.label, ms: q.ms, inView: q.channels.some(isInView) }));
    out.push({
      viewMs, allMs, inView: n, elements: els.length,
      deferred: els.filter((el) => el.deferred === true).length,
      errors: els.filter((el) => (el.dataTasks ?? []).some((task) => task.status === 3)).length,
      queries,
    });
  }
  return out;
})(${JSON.stringify(changes)})`;
}

/** Runs in the page after the timed changes: requests matching each WHERE condition (exact count, DuckDB-WASM). */
export function countRowsInPage(wheres: string[]): string {
  return `(async (wheres) => {
  const client = document.querySelector('usage-analytics').shadowRoot.querySelector('usage-provider').dataClient;
  const out = [];
  for (const w of wheres) out.push(Number((await client.connector.query('SELECT count(*)::DOUBLE AS n FROM requests WHERE ' + w))[0].n));
  return out;
})(${JSON.stringify(wheres)})`;
}

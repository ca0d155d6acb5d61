/**
 * A misbehaving HTTP file server for the Node tests, in its own thread (worker_threads): it keeps
 * answering while the test's thread is busy in DuckDB-WASM's blocking build, so a timeout the
 * client reports is the server's doing, not the shared event loop's.
 *
 * Serves `/snap/<name>` from the files it is given, each answered as told: `ok`, `404`, `hang`
 * (never answers), `stall` (headers and half the body, then silence), `steady` (10 slices 200 ms
 * apart) or `trickle` (1 byte every 50 ms). Logs requested paths and those whose client went away
 * before the body ended.
 */
import { Worker } from 'node:worker_threads';

export type Mode = 'ok' | '404' | 'hang' | 'stall' | 'steady' | 'trickle';

const SERVER = `
const { parentPort } = require('node:worker_threads');
const { createServer } = require('node:http');
let files = new Map();
let manifest;
let modes = new Map();
let requested = [];
let abandoned = [];
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  requested.push(path);
  const name = path.replace(/^\\/snap\\//, '');
  const body = name === 'manifest.json' ? manifest : files.get(name);
  const mode = modes.get(name) || 'ok';
  res.on('close', () => { if (!res.writableFinished) abandoned.push(path); });
  if (!path.startsWith('/snap/') || !body || mode === '404') return void res.writeHead(404).end('not found');
  if (mode === 'hang') return;
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
  if (mode === 'ok') return void res.end(body);
  if (mode === 'stall') return void res.write(body.subarray(0, body.length >> 1));
  const step = mode === 'steady' ? Math.ceil(body.length / 10) : 1;
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    res.write(body.subarray(sent, sent + step));
    sent += step;
    if (sent >= body.length) { clearInterval(timer); res.end(); }
  }, mode === 'steady' ? 200 : 50);
});
parentPort.on('message', ({ id, op, arg }) => {
  if (op === 'files') files = new Map(arg.map(([k, v]) => [k, Buffer.from(v)]));
  if (op === 'manifest') manifest = Buffer.from(arg);
  if (op === 'mode') modes.set(arg.file, arg.mode);
  if (op === 'reset') { modes = new Map(); requested = []; abandoned = []; }
  if (op === 'close') { server.closeAllConnections(); server.close(); }
  parentPort.postMessage({ id, log: { requested: [...requested], abandoned: [...abandoned] }, port: server.address()?.port });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ id: 0, port: server.address().port }));
`;

export interface FlakyServer {
  origin: string;
  setMode(file: string, mode: Mode): Promise<void>;
  /** The manifest served at /snap/manifest.json. */
  setManifest(manifest: unknown): Promise<void>;
  reset(): Promise<void>;
  log(): Promise<{ requested: string[]; abandoned: string[] }>;
  close(): Promise<void>;
}

export async function startFlakyServer(files: Map<string, Uint8Array>, manifest: unknown): Promise<FlakyServer> {
  const worker = new Worker(SERVER, { eval: true });
  let next = 0;
  const waiting = new Map<number, (reply: { log: { requested: string[]; abandoned: string[] }; port: number }) => void>();
  worker.on('message', (m: { id: number; log: { requested: string[]; abandoned: string[] }; port: number }) => {
    waiting.get(m.id)?.(m);
    waiting.delete(m.id);
  });
  const call = (op: string, arg?: unknown) =>
    new Promise<{ log: { requested: string[]; abandoned: string[] }; port: number }>((resolve) => {
      const id = ++next;
      waiting.set(id, resolve);
      worker.postMessage({ id, op, arg });
    });
  const { port } = await new Promise<{ port: number }>((resolve) => waiting.set(0, resolve as never));
  const enc = (m: unknown) => new TextEncoder().encode(JSON.stringify(m));
  await call('files', [...files]);
  await call('manifest', enc(manifest));
  return {
    origin: `http://127.0.0.1:${port}`,
    setMode: async (file, mode) => void (await call('mode', { file, mode })),
    setManifest: async (m) => void (await call('manifest', enc(m))),
    reset: async () => void (await call('reset')),
    log: async () => (await call('log')).log,
    close: async () => {
      await call('close');
      await worker.terminate();
    },
  };
}

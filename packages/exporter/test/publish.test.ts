/**
 * Issue 7 B7: what the snapshot folder publishes. PII columns are all-null in the published tables
 * unless opted in; the full tables, quarantined raw rows and full source paths stay in
 * DIR/<id>/private/; scripts/serve.mjs (started for real) serves only the published files, and
 * snapshot.duckdb as its brotli sidecar when the client accepts br.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo/index.js';
import { publishedPath, runLogsSnapshot } from '../src/logs-snapshot.js';
import { type PrivateManifest, verifySnapshot } from '../src/snapshot-writer.js';
import { readArrow } from '../src/redact.js';
import { col, readJson, readSnapshot, tmp, cleanupTmp } from './helpers.js';
import { zstdDecode } from './zstd-decode.js';

afterAll(cleanupTmp);

const END = Date.UTC(2026, 10, 1);
const nonNull = (values: unknown[]) => values.filter((v) => v !== null).length;

describe('published vs private snapshot files', () => {
  it('demo: names and emails are withheld by default, full in private/; --publish-pii user_name publishes names only', async () => {
    const dir = tmp('pii');
    const out = join(dir, 'default');
    const r = await runDemo({ requests: 3000, days: 20, seed: 3, end: END, outDir: out, keep: 3 });
    const published = readSnapshot(out).tables.users;
    expect(published.numRows).toBeGreaterThan(10);
    expect(nonNull(col(published, 'user_name'))).toBe(0);
    expect(nonNull(col(published, 'email'))).toBe(0);
    const full = readArrow(join(r.privateDir!, 'users.arrows'));
    expect(full.numRows).toBe(published.numRows);
    const emails = col<string | null>(full, 'email').filter((e): e is string => e !== null);
    expect(emails.length).toBeGreaterThan(10);
    // The rest of the table is identical.
    for (const c of ['user_id', 'department_id', 'first_seen_at']) expect(col(published, c)).toEqual(col(full, c));
    expect(r.privateManifest!.tables.users).toMatchObject({ file: 'users.arrows', withheld: ['user_name', 'email'], rows: full.numRows });
    expect(verifySnapshot(out, readSnapshot(out).manifest)).toEqual([]);
    expect(verifySnapshot(r.dir, r.manifest)).toEqual([]);
    // No published file mentions an email address.
    for (const f of readdirSync(r.dir).filter((f) => f !== 'private')) {
      const text = readFileSync(join(r.dir, f)).toString('latin1');
      for (const e of emails.slice(0, 50)) expect(text.includes(e), `${f} holds ${e}`).toBe(false);
    }

    const optIn = join(dir, 'names');
    await runDemo({ requests: 3000, days: 20, seed: 3, end: END, outDir: optIn, keep: 3, publishPii: ['user_name'] });
    const users = readSnapshot(optIn).tables.users;
    expect(col(users, 'user_name')).toEqual(col(full, 'user_name'));
    expect(nonNull(col(users, 'email'))).toBe(0);
    await expect(runDemo({ requests: 3000, days: 20, seed: 3, end: END, outDir: join(dir, 'x'), publishPii: ['department_id'] })).rejects.toThrow(
      '--publish-pii: not a PII column: "department_id" (PII columns: users.user_name, users.email)',
    );
  }, 120_000);

  it('logs: the manifest keeps quarantine counts, not a path to raw rows; inputs are relative unless full paths are asked for', async () => {
    const dir = tmp('private');
    const src = join(dir, 'logs.csv');
    writeFileSync(
      src,
      'ts,user_id,agent_id,status,latency_ms,input_tokens,output_tokens,cost_usd\n2026-03-01T00:00:00Z,u,a,success,1,1,1,0\n2026-03-01T00:01:00Z,u,a,oops,1,1,1,0\n',
    );
    const out = join(dir, 'out');
    const r = await runLogsSnapshot({ sources: [src], outDir: out });
    const top = readFileSync(join(out, 'manifest.json'), 'utf8');
    expect(top).not.toContain(dir); // no exporter-host path
    expect(r.manifest.quarantine).toEqual({ rows: 1, file: null, reasons: { unknown_status: 1 } });
    expect(r.manifest.source).toEqual({ kind: 'logs', inputs: ['logs.csv'] });
    const pm = readJson<PrivateManifest>(join(out, r.id, 'private', 'manifest.json'));
    expect(pm.source).toEqual({ kind: 'logs', inputs: [src] });
    expect(pm.quarantine).toMatchObject({ file: 'quarantine.ndjson', rows: 1, reasons: { unknown_status: 1 } });
    expect(readFileSync(join(out, r.id, 'private', 'quarantine.ndjson'), 'utf8')).toContain('"oops"');
    expect(readdirSync(join(out, r.id)).sort()).toEqual([
      'agents.arrows',
      'capacity.arrows',
      'forecast_history.arrows',
      'intent_rules.arrows',
      'maintenance_windows.arrows',
      'manifest.json',
      'private',
      'requests.arrows',
      'sessions.arrows',
      'snapshot.duckdb',
      'snapshot.duckdb.br',
      'snapshot.duckdb.zst',
      'users.arrows',
    ]);
    expect(verifySnapshot(out, readSnapshot(out).manifest)).toEqual([]);
    // verify covers the private files too.
    writeFileSync(join(out, r.id, 'private', 'quarantine.ndjson'), 'tampered\n');
    expect(verifySnapshot(out, readSnapshot(out).manifest)).toEqual([
      `${r.id}/private/quarantine.ndjson: 9 bytes, manifest says ${pm.quarantine!.bytes}`,
      `${r.id}/private/quarantine.ndjson: sha256 mismatch`,
    ]);

    const full = await runLogsSnapshot({ sources: [src], outDir: join(dir, 'full'), fullPaths: true, precompute: undefined });
    expect(full.manifest.source).toEqual({ kind: 'logs', inputs: [src] });
    expect(publishedPath(resolve('packages/exporter/x.csv'))).toBe(join('packages', 'exporter', 'x.csv'));
    expect(publishedPath('/elsewhere/logs/x.csv')).toBe('x.csv');
  }, 60_000);
});

describe('scripts/serve.mjs', () => {
  /** A raw request (no automatic decoding): status, headers, body bytes. */
  const rawGet = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((res, rej) => {
      request(url, { headers, method }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => res({ status: r.statusCode!, headers: r.headers, body: Buffer.concat(chunks) }));
      })
        .on('error', rej)
        .end();
    });

  async function start(dist: string, snapshots: string): Promise<{ child: ChildProcess; base: string }> {
    const child = spawn(process.execPath, [resolve('scripts/serve.mjs'), '--dist', dist, '--snapshots', snapshots, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const base = await new Promise<string>((res, rej) => {
      let text = '';
      child.stdout!.on('data', (d: Buffer) => {
        text += d.toString();
        const m = /http:\/\/localhost:(\d+)\//.exec(text);
        if (m) res(`http://127.0.0.1:${m[1]}`);
      });
      child.once('exit', (code) => rej(new Error(`server exited ${code}`)));
    });
    return { child, base };
  }

  it('serves only published files, 404s private and in-progress files, answers 400 to a malformed escape and keeps running', async () => {
    const dir = tmp('serve');
    const snapshots = join(dir, 'snap');
    const src = join(dir, 'logs.csv');
    writeFileSync(
      src,
      'ts,user_id,agent_id,status,latency_ms,input_tokens,output_tokens,cost_usd\n2026-03-01T00:00:00Z,u,a,success,1,1,1,0\n2026-03-01T00:01:00Z,u,a,oops,1,1,1,0\n',
    );
    const r = await runLogsSnapshot({ sources: [src], outDir: snapshots, precompute: undefined });
    // What an export in progress leaves around.
    writeFileSync(join(snapshots, '.lock'), '{"pid":1}');
    mkdirSync(join(snapshots, '.tmp-20990101T000000000Z-00000000'));
    writeFileSync(join(snapshots, '.tmp-20990101T000000000Z-00000000', 'requests.arrows'), 'partial');
    writeFileSync(join(snapshots, 'manifest.json.tmp'), '{}');
    const dist = join(dir, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(dist, '.env'), 'SECRET=1');
    const { child, base } = await start(dist, snapshots);
    const status = async (path: string) => (await fetch(base + path)).status;
    try {
      expect(await status('/')).toBe(200);
      expect(await status('/snapshots/manifest.json')).toBe(200);
      expect(await status(`/snapshots/${r.id}/manifest.json`)).toBe(200);
      expect(await status(`/snapshots/${r.id}/requests.arrows`)).toBe(200);
      expect(await status(`/snapshots/${r.id}/users.arrows`)).toBe(200);
      for (const p of [
        `/snapshots/${r.id}/private/quarantine.ndjson`,
        `/snapshots/${r.id}/private/manifest.json`,
        `/snapshots/${r.id}/private/`,
        `/snapshots/${r.id}/%70rivate/quarantine.ndjson`,
        '/snapshots/.lock',
        '/snapshots/manifest.json.tmp',
        '/snapshots/.tmp-20990101T000000000Z-00000000/requests.arrows',
        '/snapshots/',
        `/snapshots/${r.id}/`,
        '/snapshots/..%2f..%2fpackage.json',
        '/.env',
      ]) {
        expect(await status(p), p).toBe(404);
      }
      expect(await status('/snapshots/%E0%A4%A')).toBe(400);
      expect(await status('/%E0%A4%A')).toBe(400);
      expect(child.exitCode).toBeNull();
      expect(await status('/snapshots/manifest.json')).toBe(200); // still serving
    } finally {
      child.kill();
    }
  }, 60_000);

  it("sends snapshot.duckdb as the exporter's .zst (Content-Encoding: zstd) or .br (br), the first the client accepts; identity otherwise; the sidecars have no URL of their own", async () => {
    const dir = tmp('serve-br');
    const snapshots = join(dir, 'snap');
    const src = join(dir, 'logs.csv');
    const lines = ['ts,user_id,agent_id,status,latency_ms,input_tokens,output_tokens,cost_usd'];
    for (let i = 0; i < 500; i++) lines.push(`2026-03-01T00:${String(i % 60).padStart(2, '0')}:00Z,u${i % 37},a${i % 5},success,${i},1,1,0`);
    writeFileSync(src, lines.join('\n') + '\n');
    const r = await runLogsSnapshot({ sources: [src], outDir: snapshots, precompute: undefined });
    const entry = r.manifest.database as NonNullable<typeof r.manifest.database> & {
      br: { file: string; bytes: number };
      zst: { file: string; bytes: number };
    };
    const file = join(snapshots, r.id, 'snapshot.duckdb');
    const raw = readFileSync(file);
    const dist = join(dir, 'dist');
    mkdirSync(dist);
    const { child, base } = await start(dist, snapshots);
    const url = `${base}/snapshots/${r.id}/snapshot.duckdb`;
    try {
      // What Chromium sends: zstd first.
      const zst = await rawGet(url, { 'accept-encoding': 'gzip, deflate, br, zstd' });
      expect([zst.status, zst.headers['content-encoding'], Number(zst.headers['content-length'])]).toEqual([200, 'zstd', entry.zst.bytes]);
      expect(zst.headers.vary).toMatch(/accept-encoding/i);
      expect(zst.body.length).toBe(entry.zst.bytes);
      const unzst = (await zstdDecode(zst.body, raw.length)).bytes;
      expect(createHash('sha256').update(unzst).digest('hex')).toBe(entry.sha256);
      // zstd refused (q=0): br.
      expect((await rawGet(url, { 'accept-encoding': 'zstd;q=0, br' })).headers['content-encoding']).toBe('br');
      expect((await rawGet(`${url}.zst`, { 'accept-encoding': 'zstd' })).status).toBe(404);
      expect((await rawGet(`${base}/snapshots/${entry.zst.file}`)).status).toBe(404);

      const br = await rawGet(url, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.status).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers.vary).toMatch(/accept-encoding/i);
      expect(Number(br.headers['content-length'])).toBe(br.body.length);
      expect(br.body.length).toBe(entry.br.bytes);
      const decoded = brotliDecompressSync(br.body);
      expect(decoded.equals(raw)).toBe(true);
      expect(createHash('sha256').update(decoded).digest('hex')).toBe(entry.sha256);
      // fetch decodes like a browser: the decoded bytes are the manifest's.
      expect(
        createHash('sha256')
          .update(Buffer.from(await (await fetch(url)).arrayBuffer()))
          .digest('hex'),
      ).toBe(entry.sha256);
      const head = await rawGet(url, { 'accept-encoding': 'br' }, 'HEAD');
      expect([head.headers['content-encoding'], Number(head.headers['content-length'])]).toEqual(['br', entry.br.bytes]);

      for (const headers of [
        {},
        { 'accept-encoding': 'gzip' },
        { 'accept-encoding': 'br;q=0, gzip' },
        { 'accept-encoding': 'br', range: 'bytes=0-99' },
        { 'accept-encoding': 'zstd, br', range: 'bytes=0-99' },
      ] as Record<string, string>[]) {
        const plain = await rawGet(url, headers);
        expect(plain.headers['content-encoding'], JSON.stringify(headers)).toBeUndefined();
        expect(plain.headers.vary).toMatch(/accept-encoding/i);
        expect(plain.body.equals(raw)).toBe(true);
      }
      expect((await rawGet(`${url}.br`, { 'accept-encoding': 'br' })).status).toBe(404);
      expect((await rawGet(`${base}/snapshots/${entry.br.file}`)).status).toBe(404);

      // A sidecar older than the file (the file replaced, the .br not): the file itself.
      const later = new Date(Date.now() + 10_000);
      utimesSync(file, later, later);
      const stale = await rawGet(url, { 'accept-encoding': 'br, zstd' });
      expect(stale.headers['content-encoding']).toBeUndefined();
      expect(stale.body.equals(raw)).toBe(true);
    } finally {
      child.kill();
    }
  }, 60_000);
});

// scripts/serve.mjs --coi (issue 12): COOP/COEP on every response, CORP on its own files; none without the switch.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'serve-coi-'));
const dist = join(dir, 'dist');
mkdirSync(dist);
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>x</title>');
writeFileSync(join(dist, 'app.js'), 'console.log(1)');
const children: ChildProcess[] = [];

async function start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const child = spawn(process.execPath, [resolve('scripts/serve.mjs'), '--dist', dist, '--snapshots', dir, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, COI: '', ...env },
  });
  children.push(child);
  return new Promise<string>((res, rej) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /http:\/\/localhost:(\d+)\//.exec(text);
      if (m) res(`http://127.0.0.1:${m[1]}`);
    });
    child.once('exit', (code) => rej(new Error(`server exited ${code}`)));
  });
}

const coiHeaders = (r: Response) => ({
  coop: r.headers.get('cross-origin-opener-policy'),
  coep: r.headers.get('cross-origin-embedder-policy'),
  corp: r.headers.get('cross-origin-resource-policy'),
});

afterAll(() => {
  for (const c of children) c.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('scripts/serve.mjs --coi', () => {
  it('sends COOP same-origin, COEP require-corp and CORP same-origin on pages, scripts (compressed too) and 404s', async () => {
    const base = await start(['--coi']);
    const want = { coop: 'same-origin', coep: 'require-corp', corp: 'same-origin' };
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(coiHeaders(page)).toEqual(want);
    const js = await fetch(`${base}/app.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(await js.text()).toBe('console.log(1)');
    expect(coiHeaders(js)).toEqual(want);
    const missing = await fetch(`${base}/snapshots/nothing/private/x`);
    expect(missing.status).toBe(404);
    expect(coiHeaders(missing)).toEqual(want);
  });

  it('is on with COI=1 and off by default', async () => {
    expect(coiHeaders(await fetch(`${await start([], { COI: '1' })}/`)).coep).toBe('require-corp');
    expect(coiHeaders(await fetch(`${await start([])}/`))).toEqual({ coop: null, coep: null, corp: null });
  });
});

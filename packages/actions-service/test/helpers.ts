/**
 * Test helpers: a real demo snapshot (the exporter), a database per suite on each engine (PGlite,
 * and the PostgreSQL server of TEST_DATABASE_URL, which scripts/test.sh starts), tokens signed as
 * a portal would.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from '@usage-analytics/exporter';
import type { Manifest } from '@usage-analytics/queries';
import { tableFromIPC, type Table } from 'apache-arrow';
import pg from 'pg';
import { signToken } from '../src/auth.js';

export const SECRET = 'test-secret-that-is-at-least-32-bytes-long';
export const AUTH = { secret: SECRET, issuer: 'usage-portal', audience: 'usage-actions' };
/** The demo's data ends at this UTC midnight; the tests' clock is this day too. */
export const END = Date.UTC(2026, 10, 1);
export const NOW = new Date(END + 9 * 3_600_000);

export function token(
  actor: { userId?: string; roles: string[]; departments: string[]; name?: string },
  opts: { ttlSeconds?: number; now?: Date; secret?: string; issuer?: string; audience?: string } = {},
): Promise<string> {
  return signToken(
    { userId: actor.userId ?? 'u-test', roles: actor.roles, departments: actor.departments, name: actor.name },
    { secret: opts.secret ?? SECRET, issuer: opts.issuer ?? AUTH.issuer, audience: opts.audience ?? AUTH.audience, ttlSeconds: opts.ttlSeconds, now: opts.now },
  );
}

const dirs: string[] = [];
export function tmp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `actions-${prefix}-`));
  dirs.push(d);
  return d;
}
export function cleanupTmp(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A published demo snapshot (30,000 requests over 60 days; e-mails withheld from the published part, as by default). */
export async function demoSnapshot(requests = 30_000): Promise<string> {
  const out = tmp('snap');
  await runDemo({ requests, days: 60, seed: 11, end: END, outDir: out, batchRows: 10_000, precompute: undefined, publishPii: ['user_name'] });
  return out;
}

/** A table of the published snapshot (or of its private part), read with apache-arrow (independent of DuckDB). */
export function arrowTable(snapshotDir: string, name: string, part: 'published' | 'private' = 'published'): Table {
  const m = JSON.parse(readFileSync(join(snapshotDir, 'manifest.json'), 'utf8')) as Manifest;
  const file = m.tables[name as 'requests'].file;
  if (part === 'published') return tableFromIPC(readFileSync(join(snapshotDir, file)));
  const version = file.split('/')[0];
  const pm = JSON.parse(readFileSync(join(snapshotDir, version, 'private', 'manifest.json'), 'utf8')) as Manifest;
  return tableFromIPC(readFileSync(join(snapshotDir, version, 'private', pm.tables[name as 'users'].file)));
}

export interface Engine {
  name: 'pglite' | 'postgres';
  /** A fresh empty database: PGlite in memory (`url` undefined) or a new database on the server. */
  fresh(): Promise<{ url?: string; drop(): Promise<void> }>;
}

const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl && process.env.REQUIRE_POSTGRES === '1') {
  throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: scripts/test.sh starts a PostgreSQL server and sets it');
}

let n = 0;
/** PGlite always; the PostgreSQL server when TEST_DATABASE_URL is set (scripts/test.sh sets it). */
export const ENGINES: Engine[] = [
  { name: 'pglite', fresh: async () => ({ url: undefined, drop: async () => undefined }) },
  ...(serverUrl
    ? [
        {
          name: 'postgres' as const,
          async fresh() {
            const db = `actions_test_${process.pid}_${Date.now()}_${n++}`;
            const admin = new pg.Client({ connectionString: serverUrl });
            await admin.connect();
            await admin.query(`CREATE DATABASE ${db}`);
            await admin.end();
            const url = new URL(serverUrl);
            url.pathname = `/${db}`;
            return {
              url: url.toString(),
              async drop() {
                const c = new pg.Client({ connectionString: serverUrl });
                await c.connect();
                await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
                await c.end();
              },
            };
          },
        },
      ]
    : []),
];

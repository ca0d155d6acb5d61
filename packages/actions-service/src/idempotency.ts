/**
 * Idempotency keys: the first request with a key does the work and stores its answer in the same
 * transaction; a repeat (a double submit, a retry after a lost response) gets that answer and
 * changes nothing. Two concurrent requests with one key: the second waits on the first's row lock,
 * then reads its answer. The same key with another body is refused (409).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Queryable } from './db.js';
import { HttpError } from './errors.js';

export const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,200}$/;

/** The request headers every action's perform route declares (validated and published in OpenAPI). */
export const IDEMPOTENCY_HEADERS = z.object({ 'idempotency-key': z.string().regex(KEY_PATTERN, '8–200 characters: letters, digits, _ . : -') });

export function requestHash(action: string, body: unknown): string {
  return createHash('sha256').update(action).update('\u0000').update(JSON.stringify(body)).digest('hex');
}

/**
 * Claims `key` for this request inside `tx`. Returns the stored answer when the key was used for
 * the same request before, `undefined` when this request is the first (the caller then does the
 * work and calls {@link storeAnswer} in the same transaction).
 */
export async function claimKey(tx: Queryable, actor: string, key: string, action: string, hash: string): Promise<unknown | undefined> {
  const ins = await tx.query(
    `INSERT INTO idempotency_keys (actor, key, action, request_hash, response) VALUES ($1, $2, $3, $4, 'null'::jsonb)
     ON CONFLICT (actor, key) DO NOTHING RETURNING key`,
    [actor, key, action, hash],
  );
  if (ins.rows.length) return undefined;
  const { rows } = await tx.query<{ action: string; request_hash: string; response: unknown }>(
    'SELECT action, request_hash, response FROM idempotency_keys WHERE actor = $1 AND key = $2',
    [actor, key],
  );
  const row = rows[0];
  if (!row || row.action !== action || row.request_hash !== hash) {
    throw new HttpError(409, 'conflict', 'this Idempotency-Key was already used for another request: make a new key for a new submission', 'Idempotency-Key');
  }
  return typeof row.response === 'string' ? JSON.parse(row.response) : row.response;
}

export async function storeAnswer(tx: Queryable, actor: string, key: string, answer: unknown): Promise<void> {
  await tx.query('UPDATE idempotency_keys SET response = $3 WHERE actor = $1 AND key = $2', [actor, key, JSON.stringify(answer)]);
}

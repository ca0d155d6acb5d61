/**
 * ActionsClient: the SDK's way to the actions service. The host portal gives it the service's base
 * URL and a function that returns the user's current token (the portal signs it; see the README);
 * every call sends `Authorization: Bearer <token>`, every action an `Idempotency-Key`.
 */
import type { z } from 'zod';
import { ErrorBody, Me, type ErrorCode } from './schemas.js';

export interface ActionsClientOptions {
  /** The service's base URL, e.g. `https://portal.example/usage-actions` (no trailing `/v1`). */
  baseUrl: string;
  /** The current token (called before every request, so a host can refresh it). */
  token: () => string | Promise<string>;
  /** fetch to use (tests, proxies); default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Give up on a request after this many ms (default 30,000). */
  timeoutMs?: number;
}

/** A refused or failed call, with the service's code, message and the field to blame. */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: ErrorCode | 'network',
    readonly field?: string,
    readonly issues: { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ActionError';
  }
}

/** A new idempotency key for one submission (reuse it when retrying the same submission). */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

export class ActionsClient {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ActionsClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Who the token names, their roles, departments and the actions they may perform. */
  me(signal?: AbortSignal): Promise<Me> {
    return this.request('GET', '/v1/me', undefined, Me, { signal });
  }

  /** An action's impact preview (nothing changes). */
  preview<T>(action: string, input: unknown, result: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
    return this.request('POST', `/v1/actions/${encodeURIComponent(action)}/preview`, input, result, { signal });
  }

  /** Performs an action once: a retry with the same `idempotencyKey` returns the first answer and does nothing again. */
  perform<T>(action: string, input: unknown, result: z.ZodType<T>, options: { idempotencyKey: string; signal?: AbortSignal }): Promise<T> {
    return this.request('POST', `/v1/actions/${encodeURIComponent(action)}`, input, result, options);
  }

  /** A GET on the service (registry, audit), checked against `result`. */
  get<T>(path: string, result: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
    return this.request('GET', path, undefined, result, { signal });
  }

  /**
   * A GET whose body is not JSON (an export's file): the Response as it arrives, so the caller can
   * stream `body` and count bytes. No timeout (a large file takes long): abort with `signal`. A
   * refusal throws ActionError like the other calls.
   */
  async download(path: string, signal?: AbortSignal): Promise<Response> {
    const headers = { authorization: `Bearer ${await this.options.token()}` };
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.base}${path}`, { method: 'GET', headers, signal });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new ActionError(`The actions service at ${this.base} could not be reached (${(e as Error).message}).`, 0, 'network');
    }
    if (res.ok) return res;
    let json: unknown;
    try {
      json = JSON.parse(await res.text());
    } catch {
      json = undefined;
    }
    const parsed = ErrorBody.safeParse(json);
    if (parsed.success) {
      const { code, message, field, issues } = parsed.data.error;
      throw new ActionError(message, res.status, code, field, issues ?? []);
    }
    throw new ActionError(`The actions service answered ${res.status} ${res.statusText}.`, res.status, res.status >= 500 ? 'internal' : 'validation');
  }

  /** A POST that performs nothing (a live count such as `/v1/actions/create-segment/count`), checked against `result`. */
  post<T>(path: string, body: unknown, result: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
    return this.request('POST', path, body, result, { signal });
  }

  /** A DELETE on the service (cancel an export), checked against `result`. */
  delete<T>(path: string, result: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
    return this.request('DELETE', path, undefined, result, { signal });
  }

  private async request<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body: unknown,
    result: z.ZodType<T>,
    opts: { idempotencyKey?: string; signal?: AbortSignal },
  ): Promise<T> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const headers: Record<string, string> = { authorization: `Bearer ${await this.options.token()}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      const why = timeout.aborted ? `no answer within ${(this.options.timeoutMs ?? 30_000) / 1000} s` : (e as Error).message;
      throw new ActionError(`The actions service at ${this.base} could not be reached (${why}).`, 0, 'network');
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const parsed = ErrorBody.safeParse(json);
      if (parsed.success) {
        const { code, message, field, issues } = parsed.data.error;
        throw new ActionError(message, res.status, code, field, issues ?? []);
      }
      throw new ActionError(`The actions service answered ${res.status} ${res.statusText}.`, res.status, res.status >= 500 ? 'internal' : 'validation');
    }
    const parsed = result.safeParse(json);
    if (!parsed.success) throw new ActionError(`The actions service sent an answer this client does not understand (${path}).`, res.status, 'internal');
    return parsed.data;
  }
}

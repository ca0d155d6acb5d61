/**
 * One error family for everything a user can meet: a filter the data cannot satisfy, a bad module
 * parameter, a snapshot that cannot be read, an export input that cannot be used. Each carries a
 * stable `code` (for programs and tests), the offending `field` when there is one (for forms and
 * notices), and a message written for people. Elements display every `UsageError` the same way.
 *
 * `instanceof` fails when two copies of the SDK share a page, so {@link isUsageError} also
 * recognises the brand `Symbol.for('usage-analytics/error')`.
 */

const BRAND = Symbol.for('usage-analytics/error');

export interface UsageErrorOptions {
  /** The offending field: a filter key, a parameter name, a manifest path, a file, a column. */
  field?: string;
  /** The offending value, as given (kept out of `message` when it may be long). */
  value?: unknown;
  cause?: unknown;
}

export class UsageError extends Error {
  override name = 'UsageError';
  readonly field?: string;
  readonly value?: unknown;
  declare readonly [BRAND]: true;

  constructor(
    readonly code: string,
    message: string,
    options: UsageErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.field = options.field;
    this.value = options.value;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True for a {@link UsageError} from this or another copy of the SDK. */
export function isUsageError(e: unknown): e is UsageError {
  return e instanceof UsageError || (typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true);
}

/** A parameter out of its domain: a query-module parameter (`limit: -1`, `bucket: 'week'`, a malformed month) or an option of an SDK object (a timeout of -1 s). */
export class ParamError extends UsageError {
  override name = 'ParamError';
  constructor(field: string, message: string, value?: unknown) {
    super('invalid_param', message, { field, value });
  }
}

/** Shortens a value for a message: long user text (a 10,000-character id) is clipped with an ellipsis. */
export function describeValue(value: unknown, max = 80): string {
  let s: string;
  try {
    s = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    s = String(value);
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

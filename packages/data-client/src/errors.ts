/** Typed failures of the data path, so an element can say exactly what went wrong. */
export type SnapshotErrorCode =
  | 'fetch_failed'
  | 'invalid_manifest'
  | 'unsupported_format'
  | 'unsupported_version'
  | 'checksum_mismatch'
  | 'load_failed'
  | 'query_failed';

export class SnapshotError extends Error {
  override name = 'SnapshotError';
  constructor(
    readonly code: SnapshotErrorCode,
    message: string,
    readonly detail?: { file?: string; table?: string; expected?: string; actual?: string; sql?: string; cause?: unknown },
  ) {
    super(message);
  }
}

/** Rejection reason when a query's result is no longer wanted (a newer filter state superseded it). */
export class StaleQueryError extends Error {
  override name = 'AbortError';
  constructor(message = 'query superseded by a newer request') {
    super(message);
  }
}

export const isStale = (e: unknown): boolean => e instanceof Error && e.name === 'AbortError';

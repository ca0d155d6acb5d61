/** Typed failures of the data path, so an element can say exactly what went wrong. */
import { UsageError } from '@usage-analytics/queries';

export type SnapshotErrorCode =
  | 'fetch_failed'
  | 'invalid_manifest'
  | 'unsupported_format'
  | 'unsupported_version'
  | 'checksum_mismatch'
  | 'load_failed'
  | 'query_failed';

export interface SnapshotErrorDetail {
  file?: string;
  table?: string;
  expected?: string;
  actual?: string;
  sql?: string;
  cause?: unknown;
}

/** A snapshot that cannot be read, checked or loaded; `field` names the file or table at fault. */
export class SnapshotError extends UsageError {
  override name = 'SnapshotError';
  declare readonly code: SnapshotErrorCode;
  constructor(
    code: SnapshotErrorCode,
    message: string,
    readonly detail?: SnapshotErrorDetail,
  ) {
    super(code, message, { field: detail?.table ?? detail?.file, cause: detail?.cause });
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

/** Typed failures of the data path, so an element can say exactly what went wrong. */
import { UsageError } from '@usage-analytics/queries';

export type SnapshotErrorCode =
  | 'fetch_failed'
  | 'fetch_timeout'
  | 'invalid_manifest'
  | 'unsupported_format'
  | 'unsupported_version'
  | 'checksum_mismatch'
  | 'invalid_arrow'
  | 'schema_mismatch'
  | 'engine_failed'
  | 'load_failed'
  | 'query_failed';

export interface SnapshotErrorDetail {
  /** The offending field when it is neither the table nor the file, e.g. a manifest path (`tables.users.file`). */
  field?: string;
  file?: string;
  table?: string;
  expected?: string;
  actual?: string;
  sql?: string;
  cause?: unknown;
}

/**
 * A snapshot that cannot be read, checked or loaded. `field` names what is at fault: the manifest
 * path given in `detail.field`, else the table, else the file.
 */
export class SnapshotError extends UsageError {
  override name = 'SnapshotError';
  declare readonly code: SnapshotErrorCode;
  constructor(
    code: SnapshotErrorCode,
    message: string,
    readonly detail?: SnapshotErrorDetail,
  ) {
    super(code, message, { field: detail?.field ?? detail?.table ?? detail?.file, cause: detail?.cause });
  }
}

/** True for a {@link SnapshotError} (also from another copy of the SDK: by name and code). */
export function isSnapshotError(e: unknown): e is SnapshotError {
  return e instanceof SnapshotError || (e instanceof Error && e.name === 'SnapshotError' && typeof (e as { code?: unknown }).code === 'string');
}

/** Rejection reason when a query's result is no longer wanted (a newer filter state superseded it). */
export class StaleQueryError extends Error {
  override name = 'AbortError';
  constructor(message = 'query superseded by a newer request') {
    super(message);
  }
}

export const isStale = (e: unknown): boolean => e instanceof Error && e.name === 'AbortError';

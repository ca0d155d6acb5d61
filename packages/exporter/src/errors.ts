/**
 * The exporter's expected failures. Each is a {@link UsageError} (one family with the query and
 * client errors: a stable `code`, the offending `field`) and carries the process exit code the CLI
 * uses, so the CLI classifies errors by type, never by message text. Anything else is a bug or an
 * environment failure: the CLI prints its stack and exits 1.
 */
import { UsageError, type UsageErrorOptions } from '@usage-analytics/queries';

export abstract class ExporterError extends UsageError {
  /** Process exit code of the CLI for this kind of failure. */
  abstract readonly exitCode: number;
}

/** A command line the CLI cannot run: unknown command or option, missing or malformed value. Exit 2, usage shown. */
export class CliError extends ExporterError {
  override name = 'CliError';
  readonly exitCode = 2;
  constructor(message: string, options: UsageErrorOptions = {}) {
    super('invalid_usage', message, options);
  }
}

/** Input that cannot be used: a missing or unreadable file, no file matching a glob, a missing column. Exit 2; nothing is written. */
export class InputError extends ExporterError {
  override name = 'InputError';
  readonly exitCode = 2;
  constructor(message: string, options: UsageErrorOptions = {}) {
    super('invalid_input', message, options);
  }
}

/** The output folder is being written by another live exporter. Exit 3. */
export class LockedError extends ExporterError {
  override name = 'LockedError';
  readonly exitCode = 3;
  constructor(message: string, options: UsageErrorOptions = {}) {
    super('locked', message, options);
  }
}

/** `verify` found a snapshot that is incomplete or does not match its manifest. Exit 1. */
export class VerifyError extends ExporterError {
  override name = 'VerifyError';
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly problems: string[],
    options: UsageErrorOptions = {},
  ) {
    super('verify_failed', message, options);
  }
}

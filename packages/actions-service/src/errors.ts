import type { ErrorCode } from '@usage-analytics/actions';

/** A refusal with its HTTP status, the API's error code, a message in words and the field to blame. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly issues?: { field: string; message: string }[],
  ) {
    super(message);
    this.name = 'HttpError';
  }

  body() {
    return {
      error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}), ...(this.issues?.length ? { issues: this.issues } : {}) },
    };
  }
}

export const invalid = (issues: { field: string; message: string }[]) =>
  new HttpError(400, 'validation', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues[0]?.field, issues);

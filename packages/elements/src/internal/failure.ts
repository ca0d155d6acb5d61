/**
 * One way to show a failure. Every error a user can meet is a `UsageError` (code, field, message;
 * `@usage-analytics/queries` errors.ts): the provider, the KPI cards and every chart frame render it
 * with this template — what could not be loaded, the message (as text), the field at fault, the
 * code, and Retry only where trying again can help (bad input — a filter or a parameter the data
 * cannot satisfy — does not get better by retrying; the message says what to change instead).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { isUsageError } from '@usage-analytics/queries';

/** A failure in a form that can cross contexts and be rendered as text. */
export interface LoadFailure {
  /** The `UsageError` code (`fetch_timeout`, `unknown_value`, …), or 'unknown' for anything else. */
  code: string;
  message: string;
  /** The filter, parameter, file or table at fault, when known. */
  field?: string;
  /** False for bad input (FilterError, ParamError): Retry would fail the same way. */
  retryable: boolean;
}

/** Codes of input errors: the request itself is wrong, so the same request will fail again. */
const INPUT_CODES = new Set(['unknown_value', 'invalid_range', 'invalid_filter', 'invalid_param']);

/** Reads a failure from any thrown value (a `UsageError` from any copy of the SDK, or anything else). */
export function toFailure(e: unknown): LoadFailure {
  const err = e as { code?: unknown; message?: unknown; field?: unknown } | null | undefined;
  const code = typeof err?.code === 'string' ? err.code : 'unknown';
  const message = typeof err?.message === 'string' && err.message ? err.message : String(e);
  const field = isUsageError(e) && typeof err?.field === 'string' && err.field ? err.field : undefined;
  return { code, message, ...(field ? { field } : {}), retryable: !INPUT_CODES.has(code) };
}

/**
 * The failure panel. `what` says what could not be loaded ("The KPIs"); `onRetry` is offered when
 * the failure is retryable (pass undefined where the host owns retrying).
 */
export function failureTemplate(failure: LoadFailure, what: string, onRetry?: () => void): TemplateResult {
  return html`<div part="error" class="message error" role="alert">
    <p><strong>${what} could not be loaded.</strong></p>
    <p part="error-message" class="error-message">${failure.message}</p>
    <p class="error-detail">
      ${failure.field ? html`Field: <code part="error-field" class="error-field">${failure.field}</code> · ` : nothing}Error code:
      <code part="error-code" class="error-code">${failure.code}</code>
    </p>
    ${
      onRetry && failure.retryable
        ? html`<button part="retry-button" class="retry" type="button" @click=${onRetry}>Retry</button>`
        : failure.retryable
          ? nothing
          : html`<p class="error-hint">Change the filters or the link; trying again would fail the same way.</p>`
    }
  </div>`;
}

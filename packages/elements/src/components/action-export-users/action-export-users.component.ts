/**
 * A2.4 Export user list (P1) on the action dialog base: the current filters' users as CSV or JSON,
 * with the fields the user ticks. Personal fields (name, e-mail) are marked; for a role that may not
 * see them they are annotated, and the service leaves them empty (`redacted`). Confirm POSTs the
 * export, then downloads the file with the same token, showing rows written (polled from the job)
 * and bytes read, with a Cancel that aborts the download and cancels the job; the file is saved
 * through a Blob and an `<a download>`.
 */
import { consume } from '@lit/context';
import {
  ActionError,
  EXPORT_FIELDS,
  ExportProgress,
  ExportUsersInput,
  ExportUsersResult,
  PII_FIELDS,
  PII_ROLES,
  fieldIssues,
  type ActionsClient,
  type ExportField,
} from '@usage-analytics/actions';
import { DEFAULT_FILTERS, type UsageFilters } from '@usage-analytics/queries';
import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { filtersContext } from '../../internal/context.js';
import { UsageActionDialog, type FieldErrors } from '../action-dialog/action-dialog.component.js';

export type ExportFormat = 'csv' | 'json';

/** The result: the service's answer plus what the download did. */
export interface ExportUsersOutcome extends ExportUsersResult {
  /** `saved`: the whole file was downloaded and handed to the browser; `cancelled`: the user stopped it. */
  outcome: 'saved' | 'cancelled';
  fileName: string;
  bytes: number;
  /** Rows the service had written when the download ended. */
  rowsWritten: number;
  /** Cancelled, but the service could not be told (the download was stopped all the same). */
  cancelError?: string;
}

/** Where a running export is. */
export interface ExportRun {
  jobId?: string;
  totalRows?: number;
  rowsWritten: number;
  bytes: number;
}

const FIELD_LABELS: Record<ExportField, string> = {
  user_id: 'User id',
  department: 'Department',
  segment: 'Segment',
  requests: 'Requests',
  active_days: 'Active days',
  agents_used: 'Agents used',
  first_seen: 'First seen',
  last_seen: 'Last seen',
  name: 'Name',
  email: 'E-mail',
};
const POLL_MS = 300;
const nf = new Intl.NumberFormat('en-US');

/** Saves `blob` as `name` through a temporary `<a download>` (no markup from strings). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The file name from a Content-Disposition header (when the service exposes it), else `users-<UTC day>.<format>` like the service's. */
export function fileNameOf(res: Response, format: ExportFormat, now = new Date()): string {
  const m = /filename="?([^";/\\]+)"?/i.exec(res.headers.get('content-disposition') ?? '');
  return m ? m[1] : `users-${now.toISOString().slice(0, 10)}.${format}`;
}

/**
 * @summary A2.4 Export user list: the filters' users as CSV or JSON with chosen fields (personal
 * fields only for the roles that may see them), downloaded with progress and Cancel.
 *
 * @fires usage-action-complete - `{action: 'export-users', result: ExportUsersOutcome}` once the file was saved or the export cancelled.
 * @fires usage-action-cancel - `{action: 'export-users'}` when closed before Confirm.
 *
 * @csspart trigger - The "Export user list…" button (hidden for roles without the action).
 * @csspart dialog - The `<dialog>`; see `UsageActionDialog`'s parts for the rest (form, field, field-error, review, result, error, buttons).
 * @csspart fields - The fields checklist (`<fieldset>`).
 * @csspart pii-note - The note on a personal field.
 * @csspart export-progress - The rows / bytes progress while downloading.
 * @csspart stop-button - Cancel while downloading (aborts and cancels the job).
 *
 * @cssproperty --usage-action-dialog-width - The dialog's width.
 * @cssproperty --usage-action-invalid-colour - Invalid fields' border and message colour.
 */
export default class UsageActionExportUsers extends UsageActionDialog<ExportUsersInput, ExportUsersOutcome> {
  static override styles = [
    ...UsageActionDialog.styles,
    css`
      fieldset {
        display: grid;
        gap: 0.25rem;
      }
      legend {
        padding: 0 0 0.25rem;
      }
      .choice {
        flex-wrap: wrap;
        align-items: baseline;
      }
      .pii-note {
        font-size: 0.9em;
        color: var(--usage-color-text-muted, inherit);
      }
    `,
  ];

  readonly action = 'export-users';

  /** The filters to export (default: the provider's filters, else the PRD defaults). */
  @property({ attribute: false }) filters?: UsageFilters;

  /** The fields to export, in order (the checklist edits them). */
  @property({ attribute: false }) fields: ExportField[] = [...EXPORT_FIELDS];

  /** CSV or JSON. */
  @property() format: ExportFormat = 'csv';

  /** Hands the finished file to the browser (default: a Blob and an `<a download>`); hosts and tests may replace it. */
  @property({ attribute: false }) save: (blob: Blob, name: string) => void = saveBlob;

  /** The running export (read-only). */
  @state() run?: ExportRun;

  /** The last file downloaded (read-only; kept for the host and the tests). */
  file?: Blob;

  @consume({ context: filtersContext, subscribe: true })
  @state()
  private contextFilters?: UsageFilters;

  private abort?: AbortController;
  private cancelled = false;
  private cancelError?: string;

  /** The filters in use. */
  get effectiveFilters(): UsageFilters {
    return this.filters ?? this.contextFilters ?? (DEFAULT_FILTERS as UsageFilters);
  }

  /** Whether the caller's roles may see personal fields (undefined until `me()` loads). */
  get maySeePii(): boolean | undefined {
    const me = this.me;
    return me ? me.roles.some((r) => (PII_ROLES as readonly string[]).includes(r)) : undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('fields')) this.edited('fields');
    if (changed.has('format')) this.edited('format');
  }

  protected heading(): string {
    return 'Export user list';
  }

  protected summary(): string {
    return 'Downloads the users under the current filters, one row each, with the fields you choose.';
  }

  protected input(): ExportUsersInput {
    const f = this.effectiveFilters;
    return { filters: f as unknown as ExportUsersInput['filters'], format: this.format, fields: EXPORT_FIELDS.filter((k) => this.fields.includes(k)) };
  }

  protected validate(input: ExportUsersInput): FieldErrors {
    const errors: FieldErrors = {};
    const parsed = ExportUsersInput.safeParse(input);
    if (!parsed.success) for (const i of fieldIssues(parsed.error)) errors[i.field.startsWith('fields') ? 'fields' : i.field] ??= i.message;
    return errors;
  }

  /** Personal fields among `fields` that the service will leave empty for this role. */
  redactedOf(fields: readonly string[]): string[] {
    return this.maySeePii === false ? fields.filter((f) => (PII_FIELDS as readonly string[]).includes(f)) : [];
  }

  private cancelling?: Promise<void>;

  /** Stops a running export: aborts the download and cancels the job on the service. */
  cancelExport(): Promise<void> {
    if (this.phase !== 'submitting' || this.cancelled) return this.cancelling ?? Promise.resolve();
    this.cancelled = true;
    this.requestUpdate();
    this.cancelling = this.stop();
    return this.cancelling;
  }

  private async stop(): Promise<void> {
    this.abort?.abort();
    const id = this.run?.jobId;
    const client = this.client;
    if (id && client) {
      try {
        const p = await client.delete(`/v1/exports/${encodeURIComponent(id)}`, ExportProgress);
        if (this.run) this.run = { ...this.run, rowsWritten: p.rowsWritten };
      } catch (e) {
        // The download is stopped either way; the job expires on the service within the hour.
        this.cancelError = (e as Error).message;
      }
    }
  }

  protected async submit(client: ActionsClient, input: ExportUsersInput, idempotencyKey: string): Promise<ExportUsersOutcome> {
    this.cancelled = false;
    this.cancelError = undefined;
    this.file = undefined;
    const abort = (this.abort = new AbortController());
    this.run = { rowsWritten: 0, bytes: 0 };
    const job = await client.perform(this.action, input, ExportUsersResult, { idempotencyKey, signal: abort.signal }).catch((e: unknown) => {
      throw this.cancelled ? new ActionError('The export was cancelled before it started.', 0, 'network') : e;
    });
    this.run = { jobId: job.jobId, totalRows: job.totalRows, rowsWritten: 0, bytes: 0 };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part~="stop-button"]')?.focus());
    let polling = true;
    const poll = async () => {
      while (polling) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        if (!polling) break;
        try {
          const p = await client.get(job.progressUrl, ExportProgress, abort.signal);
          if (polling && this.run) this.run = { ...this.run, rowsWritten: p.rowsWritten, totalRows: p.totalRows };
        } catch {
          // Progress is a nicety: the download goes on.
        }
      }
    };
    const poller = poll();
    let fileName = `users.${job.format}`;
    const parts: BlobPart[] = [];
    let bytes = 0;
    try {
      if (this.cancelled) throw new DOMException('cancelled', 'AbortError');
      const res = await client.download(job.downloadUrl, abort.signal);
      fileName = fileNameOf(res, job.format);
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        bytes += value.byteLength;
        this.run = { ...this.run!, bytes };
      }
    } catch (e) {
      if (!this.cancelled) throw e;
    } finally {
      polling = false;
      await poller;
    }
    // Let a Cancel that is still telling the service finish first.
    await this.cancelling;
    // After a cancel the same form is a new export (the cancelled job cannot be downloaded again).
    if (this.cancelled) {
      this.forgetIdempotencyKey();
      return {
        ...job,
        outcome: 'cancelled',
        fileName,
        bytes,
        rowsWritten: this.run?.rowsWritten ?? 0,
        ...(this.cancelError ? { cancelError: this.cancelError } : {}),
      };
    }
    const blob = new Blob(parts, { type: job.format === 'csv' ? 'text/csv' : 'application/json' });
    this.file = blob;
    this.save(blob, fileName);
    return { ...job, outcome: 'saved', fileName, bytes, rowsWritten: job.totalRows };
  }

  private toggle(field: ExportField, on: boolean): void {
    this.fields = on ? [...this.fields.filter((f) => f !== field), field] : this.fields.filter((f) => f !== field);
  }

  private describeFilters(): string {
    const f = this.effectiveFilters;
    const range = f.timeRange.preset === 'custom' ? `${f.timeRange.start} to ${f.timeRange.end}` : `last ${f.timeRange.preset}`;
    const lists = (
      [
        ['departments', f.departments],
        ['agent statuses', f.agentStatuses],
        ['intents', f.intents],
        ['segments', f.userSegments],
        ['saved segments', (f.savedSegments ?? []).map((s) => s.name)],
        ['environments', f.environments],
        ['providers', f.providers],
        ['agents', f.agentIds],
        ['users', f.userIds],
        ['request statuses', f.requestStatuses],
        ['model families', f.modelFamilies],
      ] as const
    )
      .filter(([, v]) => v.length)
      .map(([k, v]) => `${k}: ${v.join(', ')}`);
    return [range, ...lists].join('; ');
  }

  protected renderForm(): TemplateResult {
    const pii = this.maySeePii;
    return html`
      <p class="hint"><strong>Filters:</strong> <span data-filters>${this.describeFilters()}</span></p>
      <fieldset
        part="field fields"
        class="field"
        id="f-fields"
        tabindex="-1"
        aria-invalid=${this.invalid('fields')}
        aria-describedby=${this.describedBy('fields', 'hint-fields')}
      >
        <legend>Fields</legend>
        ${EXPORT_FIELDS.map((f) => {
          const personal = (PII_FIELDS as readonly string[]).includes(f);
          return html`<label class="choice">
            <input
              type="checkbox"
              name="fields"
              value=${f}
              .checked=${this.fields.includes(f)}
              @change=${(e: Event) => this.toggle(f, (e.target as HTMLInputElement).checked)}
            />
            ${FIELD_LABELS[f]}
            ${
              personal
                ? html`<span part="pii-note" class="pii-note" data-pii=${f}
                    >(personal data${pii === false ? ': your role may not see it, the column will be empty' : ''})</span
                  >`
                : nothing
            }
          </label>`;
        })}
        <p id="hint-fields" class="hint">At least one field. ${pii === false ? 'Personal fields are exported empty for your role.' : ''}</p>
        ${this.fieldError('fields')}
      </fieldset>
      <fieldset part="field" class="field" id="f-format">
        <legend>Format</legend>
        ${(['csv', 'json'] as const).map(
          (f) =>
            html`<label class="choice"
              ><input type="radio" name="format" value=${f} .checked=${this.format === f} @change=${() => (this.format = f)} />
              ${f === 'csv' ? 'CSV' : 'JSON'}</label
            >`,
        )}
      </fieldset>
    `;
  }

  protected renderReview(input: ExportUsersInput): TemplateResult {
    const redacted = this.redactedOf(input.fields);
    return html`<dl>
      <dt>Filters</dt>
      <dd>${this.describeFilters()}</dd>
      <dt>Format</dt>
      <dd>${input.format.toUpperCase()}</dd>
      <dt>Fields</dt>
      <dd data-review="fields">${input.fields.map((f) => FIELD_LABELS[f]).join(', ')}</dd>
      ${
        redacted.length
          ? html`<dt>Empty for your role</dt>
              <dd data-review="redacted">${redacted.map((f) => FIELD_LABELS[f as ExportField]).join(', ')}</dd>`
          : nothing
      }
    </dl>`;
  }

  protected override renderSubmitting(): TemplateResult {
    const r = this.run;
    const total = r?.totalRows;
    const rows = r?.rowsWritten ?? 0;
    const label = !r?.jobId ? 'Preparing the export…' : `${nf.format(rows)} of ${nf.format(total ?? 0)} rows written, ${nf.format(r.bytes)} bytes downloaded`;
    return html`<div class="submitting" part="export-progress" role="status" aria-live="polite">
        <p data-progress>${this.cancelled ? 'Cancelling…' : label}</p>
        ${
          total
            ? html`<progress part="progress" aria-label="Rows written" max=${total} .value=${Math.min(rows, total)}></progress>`
            : html`<progress part="progress" aria-label="Exporting"></progress>`
        }
      </div>
      <div part="footer" class="footer">
        <button part="stop-button" type="button" ?disabled=${this.cancelled} @click=${() => void this.cancelExport()}>Cancel export</button>
      </div>`;
  }

  protected override resultTitle(r: ExportUsersOutcome): string {
    return r.outcome === 'cancelled' ? 'Export cancelled' : 'Exported';
  }

  protected renderResult(r: ExportUsersOutcome): TemplateResult {
    return html`<dl>
      <dt>Status</dt>
      <dd data-result="outcome">
        ${r.outcome === 'cancelled' ? `Cancelled after ${nf.format(r.rowsWritten)} of ${nf.format(r.totalRows)} rows; no file was saved.` : `Saved as ${r.fileName}`}
      </dd>
      ${
        r.cancelError
          ? html`<dt>Service</dt>
              <dd data-result="cancelError">The job could not be cancelled on the service (${r.cancelError}); it expires within the hour.</dd>`
          : nothing
      }
      <dt>Rows</dt>
      <dd data-result="totalRows">${nf.format(r.totalRows)}</dd>
      <dt>Size</dt>
      <dd data-result="bytes">${nf.format(r.bytes)} bytes</dd>
      <dt>Fields</dt>
      <dd>${r.fields.join(', ')}</dd>
      <dt>Empty for your role</dt>
      <dd data-result="redacted">${r.redacted.length ? r.redacted.join(', ') : 'none'}</dd>
      <dt>Audit id</dt>
      <dd>${r.auditId}${r.replayed ? ' (the first answer, sent again)' : nothing}</dd>
    </dl>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-action-export-users': UsageActionExportUsers;
  }
}

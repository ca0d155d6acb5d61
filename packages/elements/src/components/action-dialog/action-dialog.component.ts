/**
 * The base of every action modal (`<usage-action-*>`, PRD Table 3). A subclass supplies the
 * action's key, its form, its client-side checks, its preview and its result; this class owns the
 * rest, the same for all twelve:
 *
 * - a native `<dialog>` opened with `showModal()` (the page behind is inert), `role="dialog"`,
 *   `aria-modal`, `aria-labelledby` the title and `aria-describedby` the description; Tab and
 *   Shift+Tab cycle inside while it is open; Escape closes it (not while submitting); focus returns
 *   to the opener;
 * - the steps form → Review → Confirm → result, or an error panel: Retry sends the same input with
 *   the SAME idempotency key (a lost answer never performs the action twice); a changed form gets a
 *   new key;
 * - inline validation: `field → message`, `aria-invalid` and `aria-describedby` on the field; the
 *   service's `issues` land on the same fields;
 * - the impact preview, loaded on open, with progress and its own Retry;
 * - the agent registry (`GET /v1/registry/agents`) when the subclass sets `usesRegistry`: loaded
 *   on open, for names and choices, with its error kept for the form's hint;
 * - the actions client from the provider (`actionsClientContext`) unless `actions` is set, and
 *   `me().actions` to hide the trigger from roles that may not perform the action (the service
 *   still enforces it: a refusal is shown as text).
 *
 * Everything a user or the service wrote is rendered through Lit text bindings.
 */
import { consume } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import {
  ActionError,
  ACTION_BY_KEY,
  RegistryAgents,
  newIdempotencyKey,
  sortForChoice,
  type ActionsClient,
  type Me,
  type RegistryAgent,
} from '@usage-analytics/actions';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import '../../events/usage-action.js';
import { actionsClientContext } from '../../internal/context.js';
import { UsageElement } from '../../internal/usage-element.js';
import styles from './action-dialog.styles.js';

/** Where the dialog is: editing, reviewing before Confirm, waiting for the service, done, or failed. */
export type ActionPhase = 'form' | 'review' | 'submitting' | 'result' | 'error';

/** Field → message (the field's name is the input's dotted path, e.g. `notification.subject`). */
export type FieldErrors = Record<string, string>;

/** A failure as the dialog shows it. */
export interface ActionFailure {
  message: string;
  status: number;
  code: string;
  /** Trying again can help (no answer, 5xx, unavailable); a refusal or bad input cannot. */
  retryable: boolean;
}

export function toActionFailure(e: unknown): ActionFailure {
  if (e instanceof ActionError) {
    return { message: e.message, status: e.status, code: e.code, retryable: e.status === 0 || e.status >= 500 || e.code === 'unavailable' };
  }
  return { message: e instanceof Error ? e.message : String(e), status: 0, code: 'internal', retryable: true };
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Focusable elements under `root` in tree order (shadow roots included), visible only. */
export function focusablesIn(root: Element | ShadowRoot): HTMLElement[] {
  const out: HTMLElement[] = [];
  const visit = (node: Element | ShadowRoot) => {
    for (const el of Array.from(node.children)) {
      if (el instanceof HTMLElement && el.matches(FOCUSABLE) && el.getClientRects().length > 0) out.push(el);
      if (el.shadowRoot) visit(el.shadowRoot);
      visit(el);
    }
  };
  visit(root);
  return out;
}

/** The focused element, looking into shadow roots. */
export function activeElementDeep(doc: Document = document): HTMLElement | null {
  let a: Element | null = doc.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a instanceof HTMLElement ? a : null;
}

/**
 * @summary The shared base of the action modals: dialog, focus, validation, preview, confirm,
 * progress, result and error with an idempotent Retry. Subclass it for each action.
 *
 * @fires usage-action-complete - The service performed the action: `{action, result}`.
 * @fires usage-action-cancel - The dialog closed without performing it: `{action}`.
 *
 * @csspart trigger - The button that opens the dialog (absent when the role may not perform the action).
 * @csspart dialog - The `<dialog>`.
 * @csspart title - The dialog's heading.
 * @csspart description - The sentence under the title.
 * @csspart form - The form step.
 * @csspart field - Each label + control + message group.
 * @csspart field-error - A field's message (linked by `aria-describedby`).
 * @csspart preview - The impact-preview region (`aria-busy` while it loads).
 * @csspart preview-error - The preview's error with its Retry.
 * @csspart review - The confirm step's summary.
 * @csspart progress - The `<progress>` shown while loading or submitting (subclasses may replace the submitting panel: `renderSubmitting()`).
 * @csspart result - The result panel (`role="status"`).
 * @csspart error - The error panel (`role="alert"`).
 * @csspart footer - The row of buttons.
 * @csspart cancel-button - Cancel / Close.
 * @csspart back-button - Back to the form.
 * @csspart review-button - Review.
 * @csspart confirm-button - Confirm.
 * @csspart retry-button - Retry (same idempotency key).
 *
 * @cssproperty --usage-action-dialog-width - The dialog's width (default 44rem, at most the viewport less 2rem).
 * @cssproperty --usage-action-invalid-colour - The colour of an invalid field's border and message (default `--usage-color-danger`).
 */
export abstract class UsageActionDialog<TInput = unknown, TResult = unknown> extends UsageElement {
  static override styles = styles;

  /** The actions client; overrides the one the provider hands down. */
  @property({ attribute: false }) actions?: ActionsClient;

  /** Whether the dialog is open (`show()` / `close()` set it). */
  @property({ type: Boolean, reflect: true }) open = false;

  /** The label of the trigger button (default: the action's name). */
  @property({ attribute: 'trigger-label' }) triggerLabel?: string;

  /** Where the dialog is (read-only). */
  @state() phase: ActionPhase = 'form';

  /** Inline messages by field (read-only). */
  @state() errors: FieldErrors = {};

  /** The last failure of Confirm (read-only). */
  @state() failure?: ActionFailure;

  /** The service's answer once performed (read-only). */
  @state() result?: TResult;

  @consume({ context: actionsClientContext, subscribe: true })
  @state()
  private contextActions?: ActionsClient;

  @query('dialog') protected dialog?: HTMLDialogElement;

  /** The idempotency key of the current submission, and the input it was made for. */
  private key?: { key: string; input: string };
  /** Set synchronously on Confirm: a second click before the re-render does nothing. */
  private inFlight = false;
  private returnFocus?: HTMLElement | null;

  /** The catalogue key (`deprecate-agent`). */
  abstract readonly action: string;
  /** The dialog's heading. */
  protected abstract heading(): string;
  /** One sentence under the heading. */
  protected abstract summary(): string;
  /** The form's fields (use {@link fieldAttrs}-style helpers: {@link invalid}, {@link describedBy}, {@link fieldError}). */
  protected abstract renderForm(): TemplateResult;
  /** The input to send, from the form. */
  protected abstract input(): TInput;
  /** Client-side checks (the action's zod schema and its clock rules): field → message. */
  protected abstract validate(input: TInput): FieldErrors;
  /** Calls the service. */
  protected abstract submit(client: ActionsClient, input: TInput, idempotencyKey: string): Promise<TResult>;
  /** The confirm step: what will happen. */
  protected abstract renderReview(input: TInput): TemplateResult;
  /** The result panel's content. */
  protected abstract renderResult(result: TResult): TemplateResult;
  /** The impact preview (optional): loaded on open; `previewArgs` decides when it reloads. */
  protected loadPreview?(client: ActionsClient, signal: AbortSignal): Promise<unknown>;
  protected renderPreview?(preview: unknown): TemplateResult;
  /** What the preview depends on besides the client (a string; it reloads when it changes). */
  protected previewKey(): string {
    return '';
  }

  /** The panel shown while the service works (override to show progress and a way to stop). */
  protected renderSubmitting(): TemplateResult {
    return html`<div class="submitting" role="status">
        <p>Working…</p>
        <progress part="progress" aria-label="Performing the action"></progress>
      </div>
      <div part="footer" class="footer">
        <button part="confirm-button" class="primary danger" type="button" disabled>Confirm</button>
      </div>`;
  }

  /** The result panel's heading (override when a result is not a plain "Done", e.g. cancelled). */
  protected resultTitle(_result: TResult): string {
    return 'Done';
  }

  /** Forgets the idempotency key: the next Confirm is a new submission even with the same input (e.g. after the user cancelled a job). */
  protected forgetIdempotencyKey(): void {
    this.key = undefined;
  }

  /** The client in use: `actions` or the provider's. */
  get client(): ActionsClient | undefined {
    return this.actions ?? this.contextActions;
  }

  /** Who the token names and what they may do (loads when a client is there). */
  protected meTask = new Task(this, {
    task: ([client], { signal }) => (client ? client.me(signal) : Promise.resolve(undefined)),
    args: () => [this.client] as const,
  });

  /** The impact preview (loads when the dialog is open). */
  protected previewTask = new Task(this, {
    task: ([client, open], { signal }) => (client && open && this.loadPreview ? this.loadPreview(client, signal) : Promise.resolve(undefined)),
    args: () => [this.client, this.open, this.previewKey()] as const,
  });

  /** Subclasses that show agent names or choices set this: the registry then loads when the dialog opens. */
  protected usesRegistry = false;

  /** Why the registry could not be loaded (shown in the form's hint), if it failed. */
  @state() protected registryError?: string;

  /** The agent registry (loads on open when `usesRegistry`). */
  protected registryTask = new Task(this, {
    task: async ([client, open, uses], { signal }) => {
      if (!client || !open || !uses) return undefined;
      this.registryError = undefined;
      try {
        return await client.get('/v1/registry/agents', RegistryAgents, signal);
      } catch (e) {
        if (!signal.aborted) this.registryError = toActionFailure(e).message;
        throw e;
      }
    },
    args: () => [this.client, this.open, this.usesRegistry] as const,
  });

  /** The registry's agents, active first then by name (undefined until loaded). */
  get registry(): RegistryAgent[] | undefined {
    const v = this.registryTask.status === TaskStatus.COMPLETE ? this.registryTask.value : undefined;
    return v ? sortForChoice(v) : undefined;
  }

  /** An agent's name from the registry, or its id while the registry is not there. */
  protected agentName(id: string): string {
    return this.registryTask.value?.find((a) => a.agent_id === id)?.agent_name ?? id;
  }

  /** The caller as the service sees them (undefined until loaded). */
  get me(): Me | undefined {
    return this.meTask.status === TaskStatus.COMPLETE ? this.meTask.value : undefined;
  }

  /** False once the service says this role may not perform the action (the trigger is hidden; the service still refuses). */
  get allowed(): boolean | undefined {
    const me = this.me;
    return me ? me.actions.includes(this.action) : undefined;
  }

  /** The preview's answer (undefined while loading or after an error). */
  get preview(): unknown {
    return this.previewTask.status === TaskStatus.COMPLETE ? this.previewTask.value : undefined;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.meTask, this.previewTask, this.registryTask];
  }

  /** Opens the dialog at the form; focus returns to `returnFocus` (default: what has focus now) on close. */
  show(returnFocus: HTMLElement | null = activeElementDeep()): void {
    if (this.open) return;
    this.returnFocus = returnFocus;
    this.phase = 'form';
    this.errors = {};
    this.failure = undefined;
    this.result = undefined;
    this.open = true;
  }

  /** Closes the dialog (refused while submitting) and returns focus to the opener. */
  close(): void {
    if (!this.open || this.phase === 'submitting') return;
    const done = this.phase === 'result';
    this.open = false;
    this.dialog?.close();
    const target = this.returnFocus;
    this.returnFocus = undefined;
    if (target?.isConnected) target.focus();
    if (!done) this.emit('usage-action-cancel', { detail: { action: this.action } });
  }

  /** Validates the form and moves to the confirm step (or marks the fields at fault). */
  review(): boolean {
    const errors = this.validate(this.input());
    this.errors = errors;
    if (Object.keys(errors).length) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return false;
    }
    this.phase = 'review';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part~="confirm-button"]')?.focus());
    return true;
  }

  /** Sends the input: the same key as the last attempt when the input has not changed, else a new one. */
  async confirm(): Promise<void> {
    if (this.inFlight) return;
    const client = this.client;
    const input = this.input();
    const errors = this.validate(input);
    if (Object.keys(errors).length) {
      this.errors = errors;
      this.phase = 'form';
      return;
    }
    const signature = JSON.stringify(input);
    if (this.key?.input !== signature) this.key = { key: newIdempotencyKey(), input: signature };
    this.inFlight = true;
    this.phase = 'submitting';
    this.failure = undefined;
    try {
      if (!client) throw new ActionError('No actions service: set the provider’s or this element’s `actions` property.', 0, 'network');
      const result = await this.submit(client, input, this.key.key);
      this.result = result;
      this.phase = 'result';
      this.emit('usage-action-complete', { detail: { action: this.action, result } });
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part~="result"]')?.focus());
    } catch (e) {
      this.failure = toActionFailure(e);
      const issues = e instanceof ActionError ? e.issues : [];
      if (e instanceof ActionError && e.code === 'validation' && (issues.length || e.field)) {
        const mapped: FieldErrors = {};
        for (const i of issues.length ? issues : [{ field: e.field!, message: e.message }]) mapped[i.field] ??= i.message;
        this.errors = mapped;
      }
      this.phase = 'error';
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part~="error"]')?.focus());
    } finally {
      this.inFlight = false;
    }
  }

  /** Back to the form (from the confirm step or an error). */
  back(): void {
    if (this.phase === 'submitting') return;
    this.phase = 'form';
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"], [part~="form"] input, [part~="form"] select')?.focus(),
    );
  }

  // ---- helpers for subclasses' forms

  /** `aria-invalid` for a field: "true" when it has a message. */
  protected invalid(field: string): 'true' | 'false' {
    return this.errors[field] ? 'true' : 'false';
  }

  /** `aria-describedby` for a field: its hint (when given) and its message (when any). */
  protected describedBy(field: string, hint?: string): string | typeof nothing {
    return [hint, this.errors[field] ? `err-${field}` : undefined].filter(Boolean).join(' ') || nothing;
  }

  /** The field's message element (as text), or nothing. */
  protected fieldError(field: string): TemplateResult | typeof nothing {
    const m = this.errors[field];
    return m ? html`<p id=${`err-${field}`} part="field-error" class="field-error"><span aria-hidden="true">⚠ </span>${m}</p>` : nothing;
  }

  /** Clears a field's message once the user edits it (the next Review checks again). */
  protected edited(field: string): void {
    if (!this.errors[field]) return;
    const { [field]: _drop, ...rest } = this.errors;
    void _drop;
    this.errors = rest;
  }

  // ---- rendering

  override render() {
    const name = ACTION_BY_KEY.get(this.action)?.name ?? this.action;
    const busy = this.phase === 'submitting';
    return html`
      ${this.allowed === false ? nothing : html`<button part="trigger" class="trigger" type="button" @click=${(e: Event) => this.show(e.currentTarget as HTMLElement)}>${this.triggerLabel ?? `${name}…`}</button>`}
      <dialog
        part="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="title"
        aria-describedby="description"
        aria-busy=${busy ? 'true' : 'false'}
        @cancel=${this.onCancel}
        @keydown=${this.onKeydown}
      >
        ${
          this.open
            ? html`<div class="inner">
                <h2 id="title" part="title"><bdi>${this.heading()}</bdi></h2>
                <p id="description" part="description" class="muted">${this.summary()}</p>
                ${this.renderStep()}
              </div>`
            : nothing
        }
      </dialog>
    `;
  }

  private renderStep(): TemplateResult {
    switch (this.phase) {
      case 'form':
        return html`<form part="form" novalidate @submit=${this.onSubmit}>
            ${this.renderForm()}
            <div class="sr-only" role="status">${Object.keys(this.errors).length ? `${Object.keys(this.errors).length} fields need a change.` : ''}</div>
          </form>
          ${this.renderPreviewRegion()}
          <div part="footer" class="footer">
            <button part="cancel-button" type="button" @click=${() => this.close()}>Cancel</button>
            <button part="review-button" class="primary" type="button" @click=${() => this.review()}>Review</button>
          </div>`;
      case 'review':
        return html`<section part="review" class="review" aria-labelledby="review-title">
            <h3 id="review-title">Check and confirm</h3>
            ${this.renderReview(this.input())}
          </section>
          <div part="footer" class="footer">
            <button part="back-button" type="button" @click=${() => this.back()}>Back</button>
            <button part="confirm-button" class="primary danger" type="button" @click=${() => void this.confirm()}>Confirm</button>
          </div>`;
      case 'submitting':
        return this.renderSubmitting();
      case 'result':
        return html`<section part="result" class="result" role="status" tabindex="-1" aria-labelledby="result-title">
            <h3 id="result-title"><span aria-hidden="true">✓ </span>${this.resultTitle(this.result as TResult)}</h3>
            ${this.renderResult(this.result as TResult)}
          </section>
          <div part="footer" class="footer">
            <button part="cancel-button" class="primary" type="button" @click=${() => this.close()}>Close</button>
          </div>`;
      case 'error': {
        const f = this.failure!;
        const fields = Object.entries(this.errors);
        return html`<section part="error" class="error" role="alert" tabindex="-1" aria-labelledby="error-title">
            <h3 id="error-title"><span aria-hidden="true">⚠ </span>${f.status === 403 ? 'Not allowed' : 'The action was not performed'}</h3>
            <p class="message">${f.message}</p>
            ${
              fields.length
                ? html`<ul>
                    ${fields.map(([k, m]) => html`<li><code>${k}</code>: ${m}</li>`)}
                  </ul>`
                : nothing
            }
            <p class="muted">Code <code>${f.code}</code>${f.status ? html`, HTTP ${f.status}` : nothing}.</p>
          </section>
          <div part="footer" class="footer">
            <button part="cancel-button" type="button" @click=${() => this.close()}>Close</button>
            <button part="back-button" type="button" @click=${() => this.back()}>Back to the form</button>
            ${f.retryable ? html`<button part="retry-button" class="primary" type="button" @click=${() => void this.confirm()}>Retry</button>` : nothing}
          </div>`;
      }
    }
  }

  private renderPreviewRegion(): TemplateResult | typeof nothing {
    if (!this.loadPreview || !this.renderPreview) return nothing;
    const loading = this.previewTask.status === TaskStatus.PENDING || this.previewTask.status === TaskStatus.INITIAL;
    return html`<section part="preview" class="preview" aria-labelledby="preview-title" aria-busy=${loading ? 'true' : 'false'}>
      <h3 id="preview-title">Impact</h3>
      ${this.previewTask.render({
        initial: () => html`<progress part="progress" aria-label="Loading the impact preview"></progress>`,
        pending: () =>
          html`<p role="status">Loading the impact…</p>
            <progress part="progress" aria-label="Loading the impact preview"></progress>`,
        complete: (v) => (v === undefined ? html`<p class="muted">No actions service.</p>` : this.renderPreview!(v)),
        error: (e) => {
          const f = toActionFailure(e);
          return html`<div part="preview-error" class="error" role="alert">
            <p class="message">The impact could not be loaded: ${f.message}</p>
            <button part="retry-button" type="button" @click=${() => void this.previewTask.run()}>Retry preview</button>
          </div>`;
        },
      })}
    </section>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const dialog = this.dialog;
    if (!dialog) return;
    if (this.open && !dialog.open) {
      dialog.showModal();
      focusablesIn(dialog.querySelector('.inner') ?? dialog)[0]?.focus();
    } else if (!this.open && dialog.open) dialog.close();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.open = false;
  }

  private onSubmit = (e: Event): void => {
    e.preventDefault();
    this.review();
  };

  private onCancel = (e: Event): void => {
    e.preventDefault();
    this.close();
  };

  private onKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.close();
      return;
    }
    if (e.key !== 'Tab' || !this.dialog) return;
    // The trap: Tab past the last control goes to the first, Shift+Tab before the first to the last.
    const all = focusablesIn(this.dialog);
    if (!all.length) return;
    const active = activeElementDeep();
    const first = all[0];
    const last = all[all.length - 1];
    const outside = !active || !all.includes(active);
    if (e.shiftKey && (active === first || outside)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || outside)) {
      e.preventDefault();
      first.focus();
    }
  };
}

export default UsageActionDialog;

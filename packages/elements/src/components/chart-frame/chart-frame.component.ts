import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import '../../events/usage-retry.js';
import { downloadBlob, downloadCsv, safeFilename, toCsv, type ExportProgress } from '../../internal/export.js';
import { lazy } from '../../internal/lazy.js';
import { UsageElement } from '../../internal/usage-element.js';
import type { DataColumn } from '../../internal/data-column.js';
import type { FrameState } from '../../internal/frame.js';
import { failureTemplate } from '../../internal/failure.js';
import { rovingFocus } from '../../internal/roving-focus.js';
import { csvColumnsOf } from '../data-table/data-table.model.js';
import styles from './chart-frame.styles.js';

/** The data-table view and PNG export load on first use (their own chunks). */
const loadTable = lazy(() => import('../data-table/data-table.js'));
const loadPng = lazy(() => import('../../internal/png-export.js'));

export type { FrameState };

let instances = 0;

/** The toolbar's items for its roving tabindex: the chart's slotted actions (buttons in them), then the frame's own buttons. */
function toolbarItems(toolbar: HTMLElement): HTMLElement[] {
  const slot = toolbar.querySelector('slot');
  // A slotted element is a button, a group of buttons, or an element of ours whose top-level button is its trigger (chart filters).
  const slotted = (slot?.assignedElements({ flatten: true }) ?? []).flatMap((e) =>
    e.matches('button')
      ? [e as HTMLElement]
      : e.shadowRoot
        ? [...e.shadowRoot.children].filter((c): c is HTMLElement => c.localName === 'button')
        : [...e.querySelectorAll<HTMLElement>('button')],
  );
  return [...slotted, ...toolbar.querySelectorAll<HTMLElement>(':scope > button')];
}

/**
 * @summary The frame every chart sits in: a titled region with a one-line purpose, a toolbar
 * (Export CSV, Export PNG, Data table, Fullscreen, plus the chart's own actions), the loading
 * skeleton, the empty state, the error state with Retry, and the "last updated" time.
 *
 * The chart goes in the default slot and hands the frame what it shows: `rows` (and `columns`)
 * for CSV and the data-table view, `state`, `error`, `updated-at`. PNG export serialises the first
 * `<svg>` in the slotted content (or `pngTarget()`). Long exports show progress (UX2.4) and can be
 * cancelled. Fullscreen uses the Fullscreen API, else fills the window (Escape leaves).
 *
 * @slot - The chart.
 * @slot actions - Extra toolbar buttons (e.g. "Reset zoom"), placed before the frame's own.
 * @slot legend - The legend, under the chart.
 * @slot footer - Notes next to the "last updated" time.
 *
 * @fires usage-retry - Retry was pressed in the error state (after the `retry` callback ran): `{source}`.
 *
 * @csspart base - The region (`<section>` labelled by the title).
 * @csspart header - Title, purpose and toolbar.
 * @csspart title - The title (a heading of level `heading-level`).
 * @csspart description - The one-line purpose.
 * @csspart toolbar - The action buttons (a `toolbar`: one Tab stop, arrow keys between its buttons, Home / End).
 * @csspart button - Every toolbar button.
 * @csspart csv-button - Export CSV.
 * @csspart png-button - Export PNG.
 * @csspart table-button - Shows the data as a table instead of the chart (`aria-pressed`).
 * @csspart fullscreen-button - Enters and leaves fullscreen (`aria-pressed`).
 * @csspart status - Export progress and messages (`role="status"`).
 * @csspart progress - The export's `<progress>` bar.
 * @csspart body - Holds the chart, the table, or a state message.
 * @csspart skeleton - The loading placeholder.
 * @csspart empty - The empty-state message.
 * @csspart error - The error message (`role="alert"`).
 * @csspart retry-button - Retry in the error state.
 * @csspart table - The `<usage-data-table>` of the data-table view.
 * @csspart footer - The "last updated" line.
 * @csspart updated - The "Last updated …" time in the footer.
 *
 * @cssproperty --usage-chart-frame-background - Background of the frame.
 * @cssproperty --usage-chart-frame-border - Border of the frame.
 * @cssproperty --usage-chart-frame-radius - Corner radius.
 * @cssproperty --usage-chart-frame-padding - Inner padding.
 * @cssproperty --usage-chart-frame-min-height - Minimum height of the body (the chart area).
 * @cssproperty --usage-chart-frame-title-size - Font size of the title.
 */
export default class UsageChartFrame<R extends object = object> extends UsageElement {
  static override styles = styles;

  /** The chart's title. */
  @property() heading = '';

  /** One line on what the chart is for. */
  @property() description = '';

  /** Heading level of the title (2–6). */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 3;

  /** What the body shows: the chart (`ready`), the skeleton, the empty message or the error. */
  @property({ reflect: true }) state: FrameState = 'loading';

  /** Shown data is being refreshed (the chart stays, dimmed). */
  @property({ type: Boolean, reflect: true }) busy = false;

  /** The error of the `error` state. */
  @property({ attribute: false }) error?: { message: string; code?: string; field?: string; retryable?: boolean };

  /** Message of the `empty` state. */
  @property({ attribute: 'empty-message' }) emptyMessage = 'No data match these filters.';

  /** When the data were generated (ISO 8601; the snapshot's `generated_at`). */
  @property({ attribute: 'updated-at' }) updatedAt?: string;

  /** The rows the chart shows (CSV export and the data-table view). */
  @property({ attribute: false }) rows: readonly R[] = [];

  /** Columns of the CSV and the table (default: the keys of the first row, as text). */
  @property({ attribute: false }) columns?: readonly DataColumn<R>[];

  /** File name of exports, without extension (default the title). */
  @property() filename?: string;

  /** Called by Retry (before `usage-retry` is emitted). */
  @property({ attribute: false }) retry?: () => void;

  /** Returns the SVG to export as PNG (default: the first `<svg>` in the slotted chart). */
  @property({ attribute: false }) pngTarget?: () => SVGSVGElement | null | undefined;

  /** Hides Export PNG (charts that are not SVG). */
  @property({ type: Boolean, attribute: 'no-png' }) noPng = false;

  /** Locale of the "last updated" time. */
  @property() locale?: string;

  /** Fullscreen (API or window-filling fallback). */
  @property({ type: Boolean, reflect: true }) fullscreen = false;

  /** The data-table view is shown instead of the chart. */
  @property({ type: Boolean, reflect: true, attribute: 'table-view' }) tableView = false;

  @state() private progress?: ExportProgress;
  @state() private message = '';

  private readonly uid = `usage-frame-${++instances}`;
  private exportAbort?: AbortController;
  private fullscreenMode?: 'api' | 'fallback';
  private tableLoad?: Promise<void>;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('fullscreenchange', this.onFullscreenChange);
    this.exportAbort?.abort();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('fullscreenchange', this.onFullscreenChange);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('state') && this.state !== 'ready' && this.tableView && this.state !== 'loading') this.tableView = false;
    if (this.tableView && !customElements.get('usage-data-table')) {
      this.tableLoad = loadTable().then(
        () => undefined,
        (e: Error) => {
          this.tableView = false;
          this.message = `The table view could not load: ${e.message}`;
        },
      );
    }
  }

  /** The table view's first use waits for its element to load and render. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    while (this.tableLoad) {
      const load = this.tableLoad;
      await load;
      if (this.tableLoad === load) this.tableLoad = undefined;
      done = (await super.getUpdateComplete()) && done;
      const table = this.renderRoot.querySelector('usage-data-table') as (HTMLElement & { updateComplete?: Promise<boolean> }) | null;
      if (table?.updateComplete) await table.updateComplete;
    }
    return done;
  }

  override render() {
    const level = Math.min(6, Math.max(2, Math.round(this.headingLevel) || 3));
    const hasData = this.state === 'ready' && this.rows.length > 0;
    const exporting = this.progress !== undefined;
    return html`
      <section
        part="base"
        class="base"
        aria-labelledby=${`${this.uid}-title`}
        aria-describedby=${this.description ? `${this.uid}-desc` : nothing}
        aria-busy=${this.busy || this.state === 'loading' ? 'true' : 'false'}
      >
        <header part="header" class="header">
          <div class="titles">
            <div part="title" class="title" id=${`${this.uid}-title`} role="heading" aria-level=${level}>${this.heading}</div>
            ${this.description ? html`<p part="description" class="description" id=${`${this.uid}-desc`}>${this.description}</p>` : nothing}
          </div>
          <div part="toolbar" class="toolbar" role="toolbar" aria-label=${`${this.heading || 'Chart'} actions`} ${rovingFocus({ items: toolbarItems })}>
            <slot name="actions" @slotchange=${this.onActionsChange}></slot>
            <button part="button csv-button" type="button" ?disabled=${!hasData} @click=${this.exportCsv}>Export CSV</button>
            ${
              this.noPng
                ? nothing
                : html`<button part="button png-button" type="button" ?disabled=${!hasData || exporting || this.tableView} @click=${this.onPngClick}>
                    Export PNG
                  </button>`
            }
            <button part="button table-button" type="button" aria-pressed=${this.tableView ? 'true' : 'false'} ?disabled=${!hasData} @click=${this.toggleTable}>
              Data table
            </button>
            <button part="button fullscreen-button" type="button" aria-pressed=${this.fullscreen ? 'true' : 'false'} @click=${this.toggleFullscreen}>
              ${this.fullscreen ? 'Exit fullscreen' : 'Fullscreen'}
            </button>
          </div>
        </header>
        <div part="status" class="status" role="status">
          ${
            exporting
              ? html`<span>Exporting PNG… ${Math.round(this.progress!.fraction * 100)}%</span>
                  <progress part="progress" max="1" .value=${this.progress!.fraction} aria-label="Export progress"></progress>
                  <button part="button" type="button" @click=${this.cancelExport}>Cancel</button>`
              : this.message
          }
        </div>
        <div part="body" class="body">${this.renderBody()}</div>
        <slot name="legend" ?hidden=${this.state !== 'ready' || this.tableView}></slot>
        ${
          this.updatedAt || this.state === 'ready'
            ? html`<footer part="footer" class="footer">
                ${this.renderUpdated()}
                <slot name="footer"></slot>
              </footer>`
            : nothing
        }
      </section>
    `;
  }

  private renderBody() {
    switch (this.state) {
      case 'loading':
        return html`<div part="skeleton" class="skeleton" aria-hidden="true"><span class="bone"></span></div>
          <span class="visually-hidden">Loading ${this.heading}…</span>`;
      case 'empty':
        return html`<div part="empty" class="message empty"><p>${this.emptyMessage}</p></div>`;
      case 'error':
        return failureTemplate({ code: 'unknown', message: 'Unknown error', retryable: true, ...this.error }, this.heading || 'The chart', this.onRetry);
      default:
        return this.tableView
          ? html`<usage-data-table
              part="table"
              .rows=${this.rows}
              .columns=${this.tableColumns()}
              .label=${`${this.heading} data`}
              .filename=${this.filename || this.heading}
              .locale=${this.locale}
            ></usage-data-table>`
          : html`<div class="chart"><slot></slot></div>`;
    }
  }

  private renderUpdated() {
    if (!this.updatedAt) return nothing;
    const t = Date.parse(this.updatedAt);
    if (!Number.isFinite(t)) return nothing;
    const text = new Intl.DateTimeFormat(this.locale || 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(t);
    return html`<span part="updated" class="updated">Last updated <time datetime=${new Date(t).toISOString()}>${text} UTC</time></span>`;
  }

  private tableColumns(): DataColumn<R>[] {
    if (this.columns) return [...this.columns];
    return Object.keys(this.rows[0] ?? {}).map((key) => ({ key, label: key }));
  }

  /** CSV text of `rows` under `columns`. */
  csv(): string {
    return toCsv(this.rows, this.csvColumns());
  }

  /** Downloads the rows as CSV. */
  exportCsv = (): void => {
    downloadCsv(this.filename || this.heading || 'chart', this.rows, this.csvColumns());
    this.message = `Exported ${this.rows.length} rows as CSV.`;
  };

  /** Renders the chart's SVG to a PNG blob, showing progress; rejects when cancelled. */
  async exportPng(): Promise<Blob> {
    const svg = this.pngTarget ? this.pngTarget() : this.slottedSvg();
    if (!svg) throw new Error('There is no chart to export.');
    this.exportAbort?.abort();
    const abort = (this.exportAbort = new AbortController());
    this.message = '';
    this.progress = { phase: 'styles', fraction: 0 };
    try {
      const { svgToPng } = await loadPng();
      return await svgToPng(svg, { signal: abort.signal, onProgress: (p) => (this.progress = p) });
    } finally {
      if (this.exportAbort === abort) this.exportAbort = undefined;
      this.progress = undefined;
    }
  }

  /** Leaves fullscreen (API or fallback). */
  async exitFullscreen(): Promise<void> {
    const mode = this.fullscreenMode;
    this.fullscreenMode = undefined;
    this.fullscreen = false;
    this.removeEventListener('keydown', this.onFallbackKeydown);
    if (mode === 'api' && document.fullscreenElement === this) await document.exitFullscreen().catch(() => undefined);
  }

  private csvColumns() {
    return this.columns ? csvColumnsOf(this.columns) : undefined;
  }

  private slottedSvg(): SVGSVGElement | null {
    const slot = this.shadowRoot?.querySelector<HTMLSlotElement>('.chart slot');
    for (const el of slot?.assignedElements({ flatten: true }) ?? []) {
      const svg = el instanceof SVGSVGElement ? el : (el.querySelector('svg') ?? el.shadowRoot?.querySelector('svg'));
      if (svg) return svg;
    }
    return null;
  }

  private onPngClick = async (): Promise<void> => {
    try {
      const blob = await this.exportPng();
      downloadBlob(blob, safeFilename(this.filename || this.heading || 'chart', 'png'));
      this.message = 'Exported the chart as PNG.';
    } catch (e) {
      this.message = (e as Error).name === 'AbortError' ? 'PNG export cancelled.' : `PNG export failed: ${(e as Error).message}`;
    }
  };

  private cancelExport = (): void => {
    this.exportAbort?.abort();
  };

  private toggleTable = (): void => {
    this.tableView = !this.tableView;
  };

  private onRetry = (): void => {
    this.retry?.();
    this.emit('usage-retry', { detail: { source: this.heading } });
  };

  /** A chart's own actions came or went: re-render so the toolbar's roving tabindex takes them in. */
  private onActionsChange = (): void => this.requestUpdate();

  private toggleFullscreen = async (): Promise<void> => {
    if (this.fullscreen) {
      await this.exitFullscreen();
      return;
    }
    if (typeof this.requestFullscreen === 'function' && document.fullscreenEnabled) {
      try {
        await this.requestFullscreen();
        this.fullscreenMode = 'api';
        this.fullscreen = true;
        return;
      } catch {
        // no user activation, or blocked by a permissions policy: fill the window instead
      }
    }
    this.fullscreenMode = 'fallback';
    this.fullscreen = true;
    this.addEventListener('keydown', this.onFallbackKeydown);
  };

  private onFallbackKeydown = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || this.fullscreenMode !== 'fallback') return;
    e.stopPropagation();
    void this.exitFullscreen().then(() => this.shadowRoot?.querySelector<HTMLButtonElement>('[part~="fullscreen-button"]')?.focus());
  };

  /** The browser left fullscreen (Escape, or another element took it). */
  private onFullscreenChange = (): void => {
    if (this.fullscreenMode === 'api' && document.fullscreenElement !== this) {
      this.fullscreenMode = undefined;
      this.fullscreen = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-chart-frame': UsageChartFrame;
  }
}

import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import '../../events/usage-drilldown.js';
import { downloadCsv, toCsv, type CsvColumn } from '../../internal/export.js';
import { UsageElement } from '../../internal/usage-element.js';
import styles from './data-table.styles.js';
import { cellText, comparator, csvColumnsOf, searchIndex, searchRows, type DataColumn, type SortDirection } from './data-table.model.js';
import { rovingFocus } from '../../internal/roving-focus.js';

export type { DataColumn, SortDirection, ColumnType } from './data-table.model.js';

let instances = 0;

/**
 * @summary A table for any rows (UX2.5): sort on every column (click or Enter/Space on the header;
 * `aria-sort`), a search box, CSV export of the rows that match the search (in the shown order),
 * and paging so 10k rows stay fast. Every value is rendered as text.
 *
 * Set `rows` and `columns` (`{key, label, type?, value?, format?, sortable?, searchable?, drill?}`);
 * a column with `drill` turns its cells into buttons that emit `usage-drilldown`.
 *
 * @fires usage-drilldown - A drill cell was activated: the detail its column's `drill(row)` returned.
 *
 * @csspart base - The wrapper.
 * @csspart controls - The bar holding the search box, the row count and the export button.
 * @csspart search - The search `<input type="search">`.
 * @csspart count - The row count (`role="status"`).
 * @csspart button - Every button (export, pager).
 * @csspart csv-button - The Export CSV button.
 * @csspart scroller - The scrollable region around the table.
 * @csspart table - The `<table>`.
 * @csspart caption - The table's caption (its accessible name).
 * @csspart header-cell - A column header `<th>`.
 * @csspart sort-button - The button inside a sortable header.
 * @csspart row - A body row.
 * @csspart cell - A body cell.
 * @csspart drill-button - A drill cell's button.
 * @csspart empty - The message when no row matches.
 * @csspart pager - The paging controls.
 *
 * @cssproperty --usage-table-max-height - Height above which the table scrolls (default 32rem).
 * @cssproperty --usage-table-header-background - Header background.
 * @cssproperty --usage-table-stripe - Background of every other row.
 * @cssproperty --usage-table-font-size - Font size of the cells.
 * @cssproperty --usage-table-cell-padding - Padding of the cells.
 */
export default class UsageDataTable<R extends object = object> extends UsageElement {
  static override styles = styles;

  /** The rows (any objects). */
  @property({ attribute: false }) rows: readonly R[] = [];

  /** Column definitions, in display order. */
  @property({ attribute: false }) columns: readonly DataColumn<R>[] = [];

  /** The table's caption and accessible name. */
  @property() label = 'Data';

  /** Rows per page (at least 1). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 50;

  /** Column sorted by (a column key); none = the given row order. */
  @property({ attribute: 'sort-key', reflect: true }) sortKey?: string;

  /** Direction of the sort by `sort-key`: `ascending` or `descending` (clicking the sorted header flips it). */
  @property({ attribute: 'sort-direction', reflect: true }) sortDirection: SortDirection = 'ascending';

  /** The search text (the box's value). */
  @property() search = '';

  /** Hides the search box. */
  @property({ type: Boolean, attribute: 'hide-search' }) hideSearch = false;

  /** File name of the CSV export (without extension; default the label). */
  @property() filename?: string;

  /** BCP 47 locale for numbers and text sorting (default the page's `lang`, else `en-US`). */
  @property() locale?: string;

  /** Message shown when no row matches. */
  @property({ attribute: 'empty-message' }) emptyMessage = 'No rows match.';

  /** Zero-based page shown. */
  @state() page = 0;

  private readonly uid = `usage-table-${++instances}`;
  private index: string[] = [];
  private view: R[] = [];

  /** The rows that match the search, in the shown order (what CSV exports). */
  get visibleRows(): readonly R[] {
    return this.view;
  }

  /** Number of pages of the matching rows (at least 1). */
  get pageCount(): number {
    return Math.max(1, Math.ceil(this.view.length / this.size));
  }

  private get size(): number {
    return Math.max(1, Math.floor(this.pageSize) || 1);
  }

  private get activeLocale(): string {
    return this.locale || this.closest('[lang]')?.getAttribute('lang') || 'en-US';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const dataChanged = changed.has('rows') || changed.has('columns') || changed.has('locale');
    if (dataChanged) this.index = searchIndex(this.rows, this.columns, this.activeLocale);
    if (dataChanged || changed.has('search') || changed.has('sortKey') || changed.has('sortDirection')) {
      let view = searchRows(this.rows, this.index, this.search);
      const col = this.columns.find((c) => c.key === this.sortKey);
      if (col && col.sortable !== false) view = view.sort(comparator(col, this.sortDirection, this.activeLocale));
      this.view = view;
      if (!changed.has('page')) this.page = 0;
    }
    this.page = Math.min(Math.max(0, this.page), this.pageCount - 1);
  }

  override render() {
    const total = this.rows.length;
    const matched = this.view.length;
    const first = this.page * this.size;
    const pageRows = this.view.slice(first, first + this.size);
    const nf = new Intl.NumberFormat(this.activeLocale);
    const count =
      matched === 0
        ? `No rows${this.search ? ` match “${this.search}”` : ''}`
        : `Rows ${nf.format(first + 1)}–${nf.format(first + pageRows.length)} of ${nf.format(matched)}${matched < total ? ` (filtered from ${nf.format(total)})` : ''}`;
    return html`
      <div part="base" class="base">
        <div part="controls" class="controls">
          ${
            this.hideSearch
              ? nothing
              : html`<label class="search-label" for=${`${this.uid}-search`}>Search</label>
                  <input
                    id=${`${this.uid}-search`}
                    part="search"
                    class="search"
                    type="search"
                    autocomplete="off"
                    .value=${this.search}
                    aria-controls=${`${this.uid}-table`}
                    @input=${this.onSearch}
                  />`
          }
          <span part="count" class="count" role="status">${count}</span>
          <button part="button csv-button" type="button" class="csv" ?disabled=${matched === 0} @click=${this.exportCsv}>Export CSV</button>
        </div>
        <div part="scroller" class="scroller" tabindex="0" role="region" aria-labelledby=${`${this.uid}-caption`}>
          <table part="table" id=${`${this.uid}-table`}>
            <caption part="caption" id=${`${this.uid}-caption`}>
              ${this.label}
            </caption>
            <thead ${rovingFocus({ items: '.sort' })}>
              <tr>
                ${this.columns.map((c) => this.renderHeader(c))}
              </tr>
            </thead>
            <tbody ${rovingFocus({ items: '.drill' })}>
              ${pageRows.map(
                (row) =>
                  html`<tr part="row">
                    ${this.columns.map((c) => this.renderCell(c, row))}
                  </tr>`,
              )}
            </tbody>
          </table>
          ${matched === 0 ? html`<p part="empty" class="empty">${this.emptyMessage}</p>` : nothing}
        </div>
        ${this.pageCount > 1 ? this.renderPager() : nothing}
      </div>
    `;
  }

  private renderHeader(c: DataColumn<R>) {
    const sorted = this.sortKey === c.key;
    const numeric = c.type && c.type !== 'text' && c.type !== 'date' && c.type !== 'datetime';
    if (c.sortable === false) {
      return html`<th part="header-cell" scope="col" class=${numeric ? 'num' : ''}>${c.label}</th>`;
    }
    const glyph = sorted ? (this.sortDirection === 'ascending' ? '▲' : '▼') : '↕';
    return html`<th part="header-cell" scope="col" class=${numeric ? 'num' : ''} aria-sort=${sorted ? this.sortDirection : 'none'}>
      <button part="sort-button" type="button" class="sort" data-key=${c.key} @click=${() => this.sortBy(c.key)}>
        <span>${c.label}</span><span class="sort-glyph ${sorted ? 'active' : ''}" aria-hidden="true">${glyph}</span>
      </button>
    </th>`;
  }

  private renderCell(c: DataColumn<R>, row: R) {
    const text = cellText(c, row, this.activeLocale);
    const numeric = c.type && c.type !== 'text' && c.type !== 'date' && c.type !== 'datetime';
    const detail = c.drill?.(row);
    return html`<td part="cell" class=${numeric ? 'num' : ''} data-key=${c.key}>
      ${
        detail
          ? html`<button part="drill-button" type="button" class="drill" @click=${() => this.emit('usage-drilldown', { detail: structuredClone(detail) })}>
              <bdi>${text}</bdi>
            </button>`
          : html`<bdi title=${text.length > 40 ? text : nothing}>${text}</bdi>`
      }
    </td>`;
  }

  private renderPager() {
    const last = this.pageCount - 1;
    const nf = new Intl.NumberFormat(this.activeLocale);
    return html`<nav part="pager" class="pager" aria-label=${`${this.label}: pages`} ${rovingFocus()}>
      <button part="button" type="button" ?disabled=${this.page === 0} @click=${() => this.goTo(0)}>First</button>
      <button part="button" type="button" ?disabled=${this.page === 0} @click=${() => this.goTo(this.page - 1)}>Previous</button>
      <span class="page-of">Page ${nf.format(this.page + 1)} of ${nf.format(this.pageCount)}</span>
      <button part="button" type="button" ?disabled=${this.page === last} @click=${() => this.goTo(this.page + 1)}>Next</button>
      <button part="button" type="button" ?disabled=${this.page === last} @click=${() => this.goTo(last)}>Last</button>
    </nav>`;
  }

  /** Sorts by a column: ascending first, then toggles the direction. */
  sortBy(key: string): void {
    if (this.sortKey === key) this.sortDirection = this.sortDirection === 'ascending' ? 'descending' : 'ascending';
    else {
      this.sortKey = key;
      this.sortDirection = 'ascending';
    }
  }

  /** Shows page `page` (zero-based; clamped to the pages there are). */
  goTo(page: number): void {
    this.page = Math.min(Math.max(0, page), this.pageCount - 1);
  }

  /** CSV text of the matching rows in the shown order (raw values; headers = labels). */
  csv(): string {
    return toCsv(this.view, this.csvColumns());
  }

  /** Downloads {@link csv} as `<filename>.csv`. */
  exportCsv = (): void => {
    downloadCsv(this.filename || this.label, this.view, this.csvColumns());
  };

  private csvColumns(): CsvColumn<R>[] {
    return csvColumnsOf(this.columns);
  }

  private onSearch(e: Event): void {
    this.search = (e.target as HTMLInputElement).value;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-data-table': UsageDataTable;
  }
}

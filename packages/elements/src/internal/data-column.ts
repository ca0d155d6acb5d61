/**
 * What a column of a chart's data is (the CSV export, the frame's data-table view and
 * `<usage-data-table>` read the same definition). Types only: the base layer names them so that
 * the chart base and the frame agree without importing a component.
 */
import type { UsageDrilldownDetail } from '../events/usage-drilldown.js';

/** `percent` values are percentages 0–100 (the unit of every share and rate the query modules return). */
export type ColumnType = 'text' | 'number' | 'integer' | 'percent' | 'currency' | 'date' | 'datetime';
export type SortDirection = 'ascending' | 'descending';

export interface DataColumn<R = Record<string, unknown>> {
  /** Field of the row (and the column's id). */
  key: string;
  /** Header text. */
  label: string;
  /** How values sort and display (default `text`). `percent` takes fractions (0.25 = 25 %). */
  type?: ColumnType;
  /** Reads the value (default `row[key]`). */
  value?: (row: R) => unknown;
  /** Display text (default by type and locale). Always rendered as text. */
  format?: (value: unknown, row: R) => string;
  /** Default true. */
  sortable?: boolean;
  /** Whether search looks at this column (default true). */
  searchable?: boolean;
  /** Makes the cell a button that emits `usage-drilldown` with this detail (undefined = plain cell). */
  drill?: (row: R) => UsageDrilldownDetail | undefined;
}

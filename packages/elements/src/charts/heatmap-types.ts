/** The heatmap's data, options and layout (shared by the drawing in heatmap.ts and its input handling in heatmap-input.ts). */

/** What a pointer or the keyboard is on: a cell, a row header or a column header. */
export type HeatmapTarget = { kind: 'cell'; row: number; col: number } | { kind: 'row'; row: number } | { kind: 'column'; col: number };

export interface HeatmapData {
  /** Row names (shown as text). */
  rows: readonly string[];
  /** Column names (shown as text). */
  columns: readonly string[];
  /** values[r][c]: the value that sets the colour; `null` = no cell (e.g. a period not reached yet). */
  values: readonly (readonly (number | null)[])[];
  /** Text printed in a cell (default: none). */
  label?: (row: number, col: number) => string;
  /** Accessible name of a cell (required: says what the cell holds in words). */
  ariaLabel: (row: number, col: number) => string;
  /** Marks a cell as incomplete (hatched, `*`). */
  incomplete?: (row: number, col: number) => boolean;
  /** Marginal totals: one bar per row right of the grid, one per column under it. */
  rowTotals?: readonly number[];
  colTotals?: readonly number[];
  /** Text of a marginal total (default: the number). */
  totalLabel?: (value: number) => string;
  /** Accessible names of the headers (default: the name). */
  rowHeaderLabel?: (row: number) => string;
  columnHeaderLabel?: (col: number) => string;
}

export interface HeatmapOptions {
  /** Available width (px); the grid grows wider (the container scrolls) when cells would get narrower than `minCellWidth`. */
  width: number;
  /** Fill of a value. */
  colour: (value: number) => string;
  cellHeight?: number;
  minCellWidth?: number;
  maxCellWidth?: number;
  /** Width of the row headers (names longer than it are truncated). */
  rowHeaderWidth?: number;
  /** Space for the row-total bars (when `rowTotals`). */
  marginalSize?: number;
  /** Headers take part in keyboard navigation and are reported as targets. */
  headers?: boolean;
  /** Accessible name of the grid. */
  label?: string;
  /** Text of the top-left corner, naming the rows and columns (e.g. "Department \\ Intent"). */
  corner?: string;
  /** Column headers rotated −45° (default: when names do not fit the cell width). */
  rotateColumns?: boolean;
  /** Called with the target under the pointer or focus (`null`: left), and its rectangle in SVG pixels. */
  onHover?: (target: HeatmapTarget | null, rect: DOMRectReadOnly | null, source: 'pointer' | 'focus') => void;
  /** Called on click, Enter or Space. */
  onActivate?: (target: HeatmapTarget) => void;
}

export interface HeatmapLayout {
  width: number;
  height: number;
  cellWidth: number;
  cellHeight: number;
  /** Top-left of the grid. */
  left: number;
  top: number;
  /** The focusable node of a target (undefined when it does not exist). */
  node(target: HeatmapTarget): SVGElement | undefined;
  /** The rectangle of a target in SVG pixels. */
  rect(target: HeatmapTarget): DOMRectReadOnly;
  /** The target that holds the roving tabindex. */
  active: HeatmapTarget;
  /** Moves the roving tabindex (and DOM focus when `focus`). */
  setActive(target: HeatmapTarget, focus?: boolean): void;
}

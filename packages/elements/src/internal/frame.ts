/**
 * What a chart and its `<usage-chart-frame>` agree on, in the base layer so that the chart base
 * can render the frame without importing the component: the frame's states and the one list of
 * the frame's parts that every chart re-exports as `frame-*` (`::part(frame-progress)` then styles
 * every chart, not one). The frame's test checks that this list is exactly what the frame renders.
 */

import type { LoadFailure } from './failure.js';

/** What the frame's body shows: the chart (`ready`), the skeleton, the empty message or the error. */
export type FrameState = 'loading' | 'ready' | 'empty' | 'error';

/** The frame's state from a chart's main query, and whether newer data are on the way. */
export interface FrameStatus {
  state: FrameState;
  error?: LoadFailure;
  busy: boolean;
}

/** Every part of `<usage-chart-frame>` (see its `@csspart` list). */
export const FRAME_PARTS = [
  'base',
  'header',
  'title',
  'description',
  'toolbar',
  'button',
  'csv-button',
  'png-button',
  'table-button',
  'fullscreen-button',
  'status',
  'progress',
  'body',
  'skeleton',
  'empty',
  'error',
  'error-message',
  'error-field',
  'error-code',
  'retry-button',
  'table',
  'footer',
  'updated',
] as const;

export type FramePart = (typeof FRAME_PARTS)[number];

/** The `exportparts` of a chart's frame: each part as `frame-<part>`. */
export const FRAME_EXPORTPARTS: string = FRAME_PARTS.map((p) => `${p}:frame-${p}`).join(',');

/**
 * The two gauge drawings of chart 2.13 as Lit `svg` templates over a {@link GaugeView} (pure: no
 * state, no events; the element wraps each in its button). Text is bound as text, never markup.
 *
 * - Radial: a 240° dial; the outer band holds the zones (OK plain, Warning hatched, Critical
 *   cross-hatched — texture and position as well as colour), threshold ticks labelled with their
 *   %, the current value as an inner arc with a needle in the text colour, the period's peak as a
 *   triangle outside the band, the value in words in the centre.
 * - Bullet: the same zones as a horizontal band, the current value as a dark bar, the peak as a
 *   tall tick with a triangle, thresholds ticked and labelled below.
 *
 * Both are `aria-hidden`: the button around them carries the gauge's accessible name.
 */
import { html, nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import { dialAngle, polar, sectorPath, type GaugeView } from './capacity-gauges.data.js';

const pct = (v: number) => String(Math.round(v));

/** An A2.5 alert rule's thresholds in % of the gauge's capacity (null: not drawable), drawn apart from the gauge's own. */
export interface AlertTicks {
  warning: number | null;
  critical: number | null;
}

const alertTickList = (t: AlertTicks | undefined) =>
  t
    ? (
        [
          ['warning', t.warning],
          ['critical', t.critical],
        ] as const
      ).filter((e): e is readonly ['warning' | 'critical', number] => e[1] !== null && Number.isFinite(e[1]))
    : [];

/** Hatching (warning) and cross-hatching (critical) for the zones, with ids unique to `uid`. */
function patterns(uid: string): SVGTemplateResult {
  return svg`<defs>
    <pattern id=${`${uid}-warning`} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
      <line class="texture-line" x1="0" y1="0" x2="0" y2="6" stroke-width="1.6"></line>
    </pattern>
    <pattern id=${`${uid}-critical`} patternUnits="userSpaceOnUse" width="5" height="5">
      <path class="texture-line" d="M0,0L5,5M5,0L0,5" stroke-width="1.1" fill="none"></path>
    </pattern>
  </defs>`;
}

const texture = (uid: string, status: string) => (status === 'ok' ? 'none' : `url(#${uid}-${status})`);

/** Size and geometry of the radial gauge (the `<svg>`'s viewBox is 0 0 180 132). */
export const RADIAL = { width: 180, height: 132, cx: 90, cy: 80, r0: 48, r1: 62 } as const;

export function radialGauge(v: GaugeView, uid: string, alert?: AlertTicks): TemplateResult {
  const { cx, cy, r0, r1 } = RADIAL;
  const a = (p: number) => dialAngle(p, v.max);
  const zones = v.zones.map((z) => {
    const d = sectorPath(cx, cy, r0, r1, a(z.from), a(z.to));
    return svg`<path class=${`zone zone-${z.status}`} d=${d}></path><path class="zone-texture" d=${d} fill=${texture(uid, z.status)}></path>`;
  });
  const ticks = [v.gauge.warningThreshold, v.gauge.criticalThreshold].map((t, i) => {
    const [x0, y0] = polar(cx, cy, r0 - 2, a(t));
    const [x1, y1] = polar(cx, cy, r1 + 3, a(t));
    const [lx, ly] = polar(cx, cy, r1 + 12, a(t));
    return svg`<line class=${`threshold threshold-${i ? 'critical' : 'warning'}`} x1=${x0} y1=${y0} x2=${x1} y2=${y1}></line>
      <text class="tick-label" x=${lx} y=${ly} text-anchor="middle" dominant-baseline="middle">${pct(t)}</text>`;
  });
  const ends = [0, v.max].map((t) => {
    if ([v.gauge.warningThreshold, v.gauge.criticalThreshold].some((th) => Math.abs(a(th) - a(t)) < 9)) return nothing;
    const [lx, ly] = polar(cx, cy, r1 + 4, a(t));
    return svg`<text class="tick-label end-label" x=${lx} y=${ly + 10} text-anchor="middle">${pct(t)}</text>`;
  });
  let value: SVGTemplateResult | typeof nothing = nothing;
  if (v.value !== null) {
    const [nx, ny] = polar(cx, cy, r1, a(v.value));
    value = svg`<path class="value-arc" d=${sectorPath(cx, cy, r0 - 12, r0 - 4, a(0), Math.max(a(0) + 0.5, a(v.value)))}></path>
      <line class="needle" x1=${cx} y1=${cy} x2=${nx} y2=${ny}></line><circle class="needle-hub" cx=${cx} cy=${cy} r="3.5"></circle>`;
  }
  let peak: SVGTemplateResult | typeof nothing = nothing;
  if (v.peak !== null) {
    const ang = a(v.peak);
    const [tx, ty] = polar(cx, cy, r1 + 1, ang);
    const [bx, by] = polar(cx, cy, r1 + 9, ang - 4);
    const [ex, ey] = polar(cx, cy, r1 + 9, ang + 4);
    peak = svg`<path class="peak-marker" d=${`M${tx},${ty}L${bx},${by}L${ex},${ey}Z`}></path>`;
  }
  // The alert rule's thresholds: dashed marks across the inner edge of the band, with a dot inside (not the gauge's own ticks).
  const alertMarks = alertTickList(alert).map(([k, t]) => {
    const [x0, y0] = polar(cx, cy, r0 - 13, a(t));
    const [x1, y1] = polar(cx, cy, r0 + 6, a(t));
    return svg`<g class=${`alert-tick alert-tick-${k}`} data-pct=${String(Math.round(t * 100) / 100)}><line x1=${x0} y1=${y0} x2=${x1} y2=${y1}></line><circle cx=${x0} cy=${y0} r="2"></circle></g>`;
  });
  return html`<svg class="gauge-svg radial" part="gauge-svg" viewBox="0 0 180 132" width="180" height="132" aria-hidden="true" focusable="false">
    ${patterns(uid)}
    <g class="zones">${zones}</g>
    ${ticks}${ends}${value}${peak}${alertMarks}
    <text class="value-text" x=${cx} y=${cy + 30} text-anchor="middle">${v.valueText}</text>
  </svg>`;
}

/** Size and geometry of the bullet gauge (viewBox 0 0 260 62). */
export const BULLET = { width: 260, height: 62, left: 10, right: 250, top: 14, band: 24 } as const;

export function bulletGauge(v: GaugeView, uid: string, alert?: AlertTicks): TemplateResult {
  const { left, right, top, band } = BULLET;
  const x = (p: number) => Math.round((left + ((right - left) * Math.max(0, Math.min(v.max, p))) / v.max) * 100) / 100;
  const bottom = top + band;
  const zones = v.zones.map(
    (z) => svg`<rect class=${`zone zone-${z.status}`} x=${x(z.from)} y=${top} width=${x(z.to) - x(z.from)} height=${band}></rect>
      <rect class="zone-texture" x=${x(z.from)} y=${top} width=${x(z.to) - x(z.from)} height=${band} fill=${texture(uid, z.status)}></rect>`,
  );
  const ticks = [v.gauge.warningThreshold, v.gauge.criticalThreshold].map(
    (t, i) => svg`<line class=${`threshold threshold-${i ? 'critical' : 'warning'}`} x1=${x(t)} y1=${top} x2=${x(t)} y2=${bottom + 5}></line>
      <text class="tick-label" x=${x(t)} y=${bottom + 16} text-anchor="middle">${pct(t)}</text>`,
  );
  // The end labels give way to a threshold label they would touch.
  const near = (p: number) => [v.gauge.warningThreshold, v.gauge.criticalThreshold].some((t) => Math.abs(x(t) - x(p)) < 28);
  const ends = svg`${near(0) ? nothing : svg`<text class="tick-label end-label" x=${left} y=${bottom + 16} text-anchor="start">0</text>`}
    ${near(v.max) ? nothing : svg`<text class="tick-label end-label" x=${right} y=${bottom + 16} text-anchor="end">${pct(v.max)}</text>`}`;
  const value =
    v.value === null ? nothing : svg`<rect class="value-bar" x=${left} y=${top + 8} width=${Math.max(1, x(v.value) - left)} height=${band - 16}></rect>`;
  const peak =
    v.peak === null
      ? nothing
      : svg`<line class="peak-line" x1=${x(v.peak)} y1=${top - 4} x2=${x(v.peak)} y2=${bottom + 2}></line>
        <path class="peak-marker" d=${`M${x(v.peak)},${top - 2}L${x(v.peak) - 5},${top - 10}L${x(v.peak) + 5},${top - 10}Z`}></path>`;
  const alertMarks = alertTickList(alert).map(
    ([k, t]) =>
      svg`<g class=${`alert-tick alert-tick-${k}`} data-pct=${String(Math.round(t * 100) / 100)}><line x1=${x(t)} y1=${top + 2} x2=${x(t)} y2=${bottom - 2}></line><circle cx=${x(t)} cy=${top + band / 2} r="2"></circle></g>`,
  );
  return html`<svg class="gauge-svg bullet" part="gauge-svg" viewBox="0 0 260 62" width="260" height="62" aria-hidden="true" focusable="false">
    ${patterns(uid)}
    <g class="zones">${zones}</g>
    ${ticks}${ends}${value}${peak}${alertMarks}
  </svg>`;
}

/** The status as a shape (not hue alone): ✓ in a circle, ! in a triangle, ✕ in an octagon, ? in a square. */
export function statusIcon(status: string): TemplateResult {
  const shape =
    status === 'ok'
      ? svg`<circle cx="8" cy="8" r="7"></circle><path class="glyph" d="M4.5,8.2L7,10.6L11.5,5.6"></path>`
      : status === 'warning'
        ? svg`<path d="M8,1L15.2,14.5H0.8Z"></path><path class="glyph" d="M8,5.5V9.6M8,11.6V12.2"></path>`
        : status === 'critical'
          ? svg`<path d="M5.1,1H10.9L15,5.1V10.9L10.9,15H5.1L1,10.9V5.1Z"></path><path class="glyph" d="M5.5,5.5L10.5,10.5M10.5,5.5L5.5,10.5"></path>`
          : svg`<rect x="1.5" y="1.5" width="13" height="13" rx="2"></rect><path class="glyph" d="M6,6.2C6,4.4 10,4.4 10,6.4C10,7.8 8,7.9 8,9.6M8,11.6V12.2"></path>`;
  return html`<svg class=${`status-icon status-${status}`} viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">${shape}</svg>`;
}

/** A forecast period (a day of chart 2.12's forecast) was opened: its assumptions and model details are shown. */
export interface UsageForecastPeriodDetail {
  /** The forecast day, YYYY-MM-DD (UTC). */
  date: string;
  /** Whose forecast: the fleet, a department or an agent (`key` names which; '' for the fleet). */
  scope: 'fleet' | 'department' | 'agent';
  key: string;
}

/** Emitted by `<usage-forecast>` when a forecast day's details open (click or Enter). Bubbles and is composed. */
export type UsageForecastPeriodEvent = CustomEvent<UsageForecastPeriodDetail>;

declare global {
  interface HTMLElementEventMap {
    'usage-forecast-period': UsageForecastPeriodEvent;
  }
}

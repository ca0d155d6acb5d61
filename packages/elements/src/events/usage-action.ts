/**
 * An action dialog (`<usage-action-*>`) finished: `usage-action-complete` after the service
 * performed the action (detail: the action's key and the service's result, e.g.
 * `DeprecateAgentResult`), `usage-action-cancel` when the dialog closed without performing it.
 * Both bubble and are composed; neither is cancelable.
 */
export interface UsageActionCompleteDetail<R = unknown> {
  /** The catalogue key, e.g. `deprecate-agent`. */
  action: string;
  result: R;
}

export interface UsageActionCancelDetail {
  action: string;
}

export type UsageActionCompleteEvent<R = unknown> = CustomEvent<UsageActionCompleteDetail<R>>;
export type UsageActionCancelEvent = CustomEvent<UsageActionCancelDetail>;

declare global {
  interface HTMLElementEventMap {
    'usage-action-complete': UsageActionCompleteEvent;
    'usage-action-cancel': UsageActionCancelEvent;
  }
}

/**
 * A live preview's input: the form's state as a JSON key, taken once the form has been still for a
 * moment and only while it is valid (an invalid form keeps the last key, so the preview on screen
 * stays what the last valid state gave). The dialogs feed `key` to their preview task's arguments.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How long a form must be still before its live preview follows it (ms). */
export const LIVE_PREVIEW_DEBOUNCE_MS = 400;

export class FollowForm<T> implements ReactiveController {
  /** The JSON of the last valid state the preview follows ('' before the first). */
  key = '';
  private timer?: ReturnType<typeof setTimeout>;

  /**
   * @param current the state to preview now, or undefined while the form is invalid or incomplete.
   * @param delayMs how long the form must be still.
   */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly current: () => T | undefined,
    private readonly delayMs = LIVE_PREVIEW_DEBOUNCE_MS,
  ) {
    host.addController(this);
  }

  /** The state the preview follows (undefined before the first valid one). */
  get value(): T | undefined {
    return this.key ? (JSON.parse(this.key) as T) : undefined;
  }

  /** Whether the preview answers the form as it is now. */
  get fresh(): boolean {
    const now = this.current();
    return now !== undefined && JSON.stringify(now) === this.key;
  }

  /** The form changed: follow it after the delay, or at once (on open, or before the first key). */
  schedule(now = !this.key): void {
    clearTimeout(this.timer);
    const apply = () => {
      const state = this.current();
      if (state === undefined) return;
      const key = JSON.stringify(state);
      if (key === this.key) return;
      this.key = key;
      this.host.requestUpdate();
    };
    if (now) apply();
    else this.timer = setTimeout(apply, this.delayMs);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }
}

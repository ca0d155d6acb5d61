/**
 * Observes an element's content box and re-renders the host when it changes (the size a chart
 * draws at). A reactive controller, after `@lit-labs/observers`' ResizeController.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class ResizeController implements ReactiveController {
  width = 0;
  height = 0;
  private observer?: ResizeObserver;
  private target?: Element;
  private frame?: number;

  constructor(private readonly host: ReactiveControllerHost & Element) {
    host.addController(this);
  }

  /** Starts observing `target` (call from `firstUpdated` or whenever the element changes). */
  observe(target: Element | null | undefined): void {
    if (!target || target === this.target) return;
    this.observer?.disconnect();
    this.target = target;
    this.observer ??= new ResizeObserver((entries) => {
      const box = entries[entries.length - 1].contentRect;
      const [w, h] = [Math.floor(box.width), Math.floor(box.height)];
      if (w === this.width && h === this.height) return;
      this.width = w;
      this.height = h;
      // Re-render in the next frame, not inside the observer's delivery: a render that changes
      // the observed size would otherwise raise "ResizeObserver loop completed with undelivered
      // notifications".
      if (this.frame === undefined) {
        this.frame = requestAnimationFrame(() => {
          this.frame = undefined;
          this.host.requestUpdate();
        });
      }
    });
    this.observer.observe(target);
  }

  hostConnected(): void {
    if (this.target) this.observer?.observe(this.target);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }
}

/**
 * Department colours that stay the same across charts and filter changes: a department's swatch is
 * picked by its place in the snapshot's sorted department list (`client.dimensions()`, a data task
 * of the chart), or — until that list is known, or without one — among every department the chart
 * has seen so far.
 */
import { Task, TaskStatus, initialState } from '@lit/task';
import type { ReactiveControllerHost } from 'lit';
import type { ChartClient } from './context.js';
import { sortDomain } from './palette.js';

export class DepartmentColours {
  /** The snapshot's departments (a data task: Retry re-runs it, `settled()` waits for it). */
  readonly task: Task<readonly [ChartClient | undefined], string[]>;
  private readonly seen = new Set<string>();
  private memo?: { source: Iterable<string>; size: number; value: string[] };

  constructor(host: ReactiveControllerHost, client: () => ChartClient | undefined) {
    this.task = new Task(host, {
      args: () => [client()] as const,
      task: async ([c]) => (c?.dimensions ? (await c.dimensions()).departments : initialState),
    });
  }

  /** Remembers departments on screen (the domain until the snapshot's list is known). */
  see(keys: Iterable<string>): void {
    for (const k of keys) this.seen.add(k);
  }

  /** The colour domain, sorted (the same array while it does not change). */
  get domain(): string[] {
    const all = this.task.status === TaskStatus.COMPLETE ? this.task.value : undefined;
    const source = all ?? this.seen;
    const size = all ? all.length : this.seen.size;
    if (this.memo?.source !== source || this.memo.size !== size) this.memo = { source, size, value: sortDomain(source) };
    return this.memo.value;
  }
}

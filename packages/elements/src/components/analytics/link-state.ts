/**
 * The tab's state in the URL, held to the snapshot it is shown on. A controller around the reactive
 * {@link UrlStateController} (which follows the host's lifecycle), with three jobs:
 *
 * 1. **Check a link once, up front.** A link naming values only the snapshot can confirm (filter
 *    values, an agent, compared values, a custom range) is held back (`pending`) until the client's
 *    first-paint facts are known, then cleaned (`url-check.ts`) and shown; the URL is rewritten
 *    in place. Nothing that queries is rendered meanwhile, so no chart sees an invalid filter.
 * 2. **Keep it clean afterwards.** Back/Forward is checked at once with the known facts; a newer
 *    snapshot swapped in, or host-set filters once the tables are in, are checked again; compared
 *    agent versions (not enumerated at first paint) once the period's versions are known.
 * 3. **Collect what was dropped** (`problems`) for the one notice the tab shows.
 */
import type { UsageDataClient } from '@usage-analytics/data-client';
import type { ReactiveControllerHost } from 'lit';
import type { UsageLevel } from '../../events/usage-level-change.js';
import { checkAgainstSnapshot, needsSnapshotCheck, type SnapshotFacts } from '../../internal/url-check.js';
import type { UrlProblem } from '../../internal/url-problems.js';
import { UrlStateController, type ParsedQuery, type UrlState } from '../../internal/url-state.js';

export interface LinkStateOptions {
  /** Checked on every read and write (the tab's `no-url-state`). */
  enabled: () => boolean;
  /** The state shown now. */
  current: () => UrlState;
  /** Shows a clean state: `load` (a link, once checked) or `history` (Back/Forward, or a re-check). */
  show: (state: UrlState, cause: 'load' | 'history') => void;
  /** A state read from the URL names these saved segments (by id), before it is shown; `[]` when none. */
  savedSegmentIds?: (ids: string[], cause: 'load' | 'history') => void;
  /** Saved-segment ids of a link not resolved yet, kept in the URL meanwhile. */
  pendingSavedIds?: () => readonly string[];
}

export class LinkStateController {
  /** What of the link was dropped or adjusted, for the notice (cleared on Back/Forward and by `dismiss()`). */
  problems: UrlProblem[] = [];
  /** A link's state waiting for the snapshot's facts; the host shows nothing that queries meanwhile. */
  pending?: UrlState;
  /** Resolves once the pending link was checked (at once when nothing waits). */
  checked: Promise<void> = Promise.resolve();

  private readonly url: UrlStateController;
  private client?: UsageDataClient;
  private facts?: SnapshotFacts;
  private factsClient?: UsageDataClient;
  /** A version comparison from a link: its versions are checked once the period's versions are known. */
  private versionsToCheck = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: LinkStateOptions,
  ) {
    this.url = new UrlStateController(host, {
      enabled: options.enabled,
      current: options.current,
      apply: (parsed, cause) => this.apply(parsed, cause),
      pendingSavedIds: options.pendingSavedIds,
    });
  }

  /** Records a user change as a new history entry. */
  push(state: UrlState): void {
    this.url.push(state);
  }

  /** Rewrites the current history entry. */
  replace(state: UrlState): void {
    this.url.replace(state);
  }

  dismiss(): void {
    this.problems = [];
    this.host.requestUpdate();
  }

  /** The provider's client appeared or changed (`ready`: its tables are in, or it was swapped in as a newer snapshot). */
  clientChanged(client: UsageDataClient | undefined, ready: boolean): void {
    this.client = client;
    if (!client) return;
    if (this.pending) this.checked = this.checkPending(client);
    else if (ready) void this.recheck(client);
  }

  /**
   * The versions with calls in the period, for a version comparison: a link's compared versions
   * that are not among them are dropped (once). Returns the level to go to, or `undefined`.
   */
  versionsKnown(level: UsageLevel, keys: readonly string[]): UsageLevel | undefined {
    if (!this.versionsToCheck || level.kind !== 'compare' || level.by !== 'agent_version') return undefined;
    this.versionsToCheck = false;
    const values = level.values ?? [];
    const kept = values.filter((v) => keys.includes(v));
    if (kept.length === values.length) return undefined;
    this.report(
      values.filter((v) => !keys.includes(v)).map((value) => ({ what: ['compared version', 'compared versions'], value, why: 'no calls in this period' })),
    );
    return kept.length ? { ...level, values: kept } : { kind: 'compare', by: level.by };
  }

  /** A state read from the URL: shown at once, after a check with the known facts, or held until they are known. */
  private apply(parsed: ParsedQuery, cause: 'load' | 'history'): void {
    this.problems = cause === 'load' ? parsed.problems : [];
    this.options.savedSegmentIds?.(parsed.savedSegmentIds, cause);
    const state: UrlState = { filters: parsed.filters, level: parsed.level };
    if (!needsSnapshotCheck(state)) return this.show(state, cause);
    if (this.facts) return this.show(this.clean(state), cause);
    this.pending = state;
    this.host.requestUpdate();
    if (this.client) this.checked = this.checkPending(this.client);
  }

  private show(state: UrlState, cause: 'load' | 'history'): void {
    this.pending = undefined;
    this.versionsToCheck = cause === 'load' && state.level.kind === 'compare' && state.level.by === 'agent_version' && !!state.level.values?.length;
    this.options.show(state, cause);
    this.host.requestUpdate();
  }

  /** `state` held to the known facts; what was dropped joins the notice and the URL is rewritten when something changed. */
  private clean(state: UrlState): UrlState {
    const { state: clean, problems } = checkAgainstSnapshot(state, this.facts!);
    this.report(problems);
    if (clean !== state) this.url.replace(clean);
    return clean;
  }

  private report(problems: UrlProblem[]): void {
    if (!problems.length) return;
    this.problems = [...this.problems, ...problems];
    this.host.requestUpdate();
  }

  private async checkPending(client: UsageDataClient): Promise<void> {
    const link = this.pending;
    // Without facts the snapshot did not load: the provider shows why (with Retry), and the link
    // waits for the next client rather than reaching charts unchecked.
    if (!link || !(await this.factsOf(client)) || this.pending !== link) return; // failed, or superseded (Back, a newer client)
    this.show(this.clean(link), 'load');
  }

  /** The facts of `client`: the dimensions it shipped for first paint (else read from the engine) and its time bounds. */
  private async factsOf(client: UsageDataClient): Promise<SnapshotFacts | undefined> {
    if (this.facts && this.factsClient === client) return this.facts;
    try {
      const dims = await client.dimensions();
      this.facts = { dims, dataStart: client.dataStart, anchor: client.anchor };
      this.factsClient = client;
      return this.facts;
    } catch {
      return undefined; // the provider shows load errors
    }
  }

  /** The shown state held to `client`'s facts (a newer snapshot, or host-set filters). */
  private async recheck(client: UsageDataClient): Promise<void> {
    if (!(await this.factsOf(client)) || this.pending || client !== this.client) return;
    const state = this.options.current();
    const clean = this.clean(state);
    if (clean !== state) this.show(clean, 'history');
  }
}

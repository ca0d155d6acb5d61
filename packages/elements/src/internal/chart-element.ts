/**
 * The inputs every chart element shares, written once: the data client and filters from
 * `<usage-provider>` (context) or set directly, per-chart `filters-override`, the locale, and the
 * provider's load status. Charts keep their own queries, drawing and events.
 */
import { consume } from '@lit/context';
import type { UsageDataClient } from '@usage-analytics/data-client';
import { DEFAULT_FILTERS, type UsageFilters } from '@usage-analytics/queries';
import { property, state } from 'lit/decorators.js';
import { dataClientContext, filtersContext, loadStatusContext, type LoadStatus, type QueryClient } from './context.js';
import { UsageElement } from './usage-element.js';

/** The `filters-override` attribute converter (JSON object); anything else is ignored. */
export const jsonObject = {
  fromAttribute(value: string | null): Partial<UsageFilters> | undefined {
    if (!value) return undefined;
    try {
      const v = JSON.parse(value) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Partial<UsageFilters>) : undefined;
    } catch {
      return undefined;
    }
  },
  toAttribute(value: Partial<UsageFilters> | undefined): string | null {
    return value ? JSON.stringify(value) : null;
  },
};

export class UsageChartElement extends UsageElement {
  /** The data client; overrides the one from `<usage-provider>`. */
  @property({ attribute: false }) client?: QueryClient;

  /** The filters; override the provider's. Default: the PRD defaults. */
  @property({ attribute: false }) filters?: UsageFilters;

  /** Per-chart filters merged over the shared ones (attribute: JSON, e.g. `{"departments":["sales"]}`). */
  @property({ attribute: 'filters-override', converter: jsonObject }) filtersOverride?: Partial<UsageFilters>;

  /** BCP 47 locale of the numbers (default the page's `lang`, else `en-US`). */
  @property() locale?: string;

  @consume({ context: dataClientContext, subscribe: true })
  @state()
  protected contextClient?: UsageDataClient;

  @consume({ context: filtersContext, subscribe: true })
  @state()
  protected contextFilters?: UsageFilters;

  @consume({ context: loadStatusContext, subscribe: true })
  @state()
  protected loadStatus?: LoadStatus;

  private merged?: { base: UsageFilters; override?: Partial<UsageFilters>; value: UsageFilters };

  protected get activeClient(): QueryClient | undefined {
    return this.client ?? this.contextClient;
  }

  /** The shared filters with `filtersOverride` merged over them (a stable object while inputs stay). */
  get activeFilters(): UsageFilters {
    const base = this.filters ?? this.contextFilters ?? DEFAULT_FILTERS;
    const override = this.filtersOverride;
    if (this.merged?.base !== base || this.merged.override !== override) {
      this.merged = { base, override, value: override ? { ...base, ...override } : base };
    }
    return this.merged.value;
  }

  protected get activeLocale(): string {
    return this.locale || this.closest('[lang]')?.getAttribute('lang') || 'en-US';
  }
}

// A React 19 host portal: the elements are plain JSX tags (React 19 sets props as properties and
// `on<event>` props as listeners; `@usage-analytics/elements/react` types them), filters live in
// React state and go down as a property, drill-downs come back up as typed events.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { defaultFilters, type UsageFilters } from '@usage-analytics/queries';
import '@usage-analytics/elements/provider.js';
import '@usage-analytics/elements/kpi-cards.js';
import '@usage-analytics/elements/api-calls.js';
import type {} from '@usage-analytics/elements/react';

const RANGES = ['7d', '30d', '90d'] as const;

function App() {
  const [filters, setFilters] = useState<UsageFilters>(defaultFilters);
  const [drilldown, setDrilldown] = useState('');
  const range = filters.timeRange.preset;
  return (
    <main>
      <h1>Agent usage</h1>
      <label>
        Period{' '}
        <select value={range} onChange={(e) => setFilters({ ...filters, timeRange: { preset: e.target.value as (typeof RANGES)[number] } })}>
          {range === 'custom' && <option value="custom">Custom</option>}
          {RANGES.map((r) => (
            <option key={r} value={r}>
              Last {r}
            </option>
          ))}
        </select>
      </label>
      <usage-provider
        src="/snapshot/manifest.json"
        bundle-base="/duckdb/"
        filters={filters}
        onusage-filter-change={(e) => setFilters(e.detail.replace ? { ...defaultFilters(), ...e.detail.filters } : { ...filters, ...e.detail.filters })}
      >
        <usage-kpi-cards></usage-kpi-cards>
        <usage-api-calls onusage-drilldown={(e) => setDrilldown(e.detail.kind)}></usage-api-calls>
      </usage-provider>
      <output aria-live="polite">{drilldown}</output>
    </main>
  );
}

createRoot(document.querySelector('#app')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

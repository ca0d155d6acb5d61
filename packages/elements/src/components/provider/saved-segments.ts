/**
 * Saved user segments (A2.3) for the filter bar: loaded from the actions service, made into
 * filters (`UsageFilters.savedSegments`), and announced with `usage-saved-segments-change`.
 */
import { SavedSegment, type ActionsClient } from '@usage-analytics/actions';
import { normaliseSegmentCriteria, type SavedSegmentFilter } from '@usage-analytics/queries';
import { z } from 'zod';

/** The provider's saved segments changed (loaded, refreshed, or failed to load). Bubbles and is composed. */
export interface UsageSavedSegmentsChangeDetail {
  state: 'ready' | 'error';
  segments: SavedSegmentFilter[];
  error?: string;
}
export type UsageSavedSegmentsChangeEvent = CustomEvent<UsageSavedSegmentsChangeDetail>;

declare global {
  interface HTMLElementEventMap {
    'usage-saved-segments-change': UsageSavedSegmentsChangeEvent;
  }
}

const SegmentList = z.array(SavedSegment);

/** Each segment as a filter; one whose criteria this SDK cannot read is skipped with a console warning. */
export function toSegmentFilters(list: readonly SavedSegment[]): SavedSegmentFilter[] {
  const out: SavedSegmentFilter[] = [];
  for (const s of list) {
    try {
      out.push({ id: s.id, name: s.name, criteria: normaliseSegmentCriteria(s.criteria) });
    } catch (e) {
      console.warn(`usage-analytics: saved segment ${JSON.stringify(s.id)} is not offered as a filter: ${(e as Error).message}`);
    }
  }
  return out;
}

/** `GET /v1/segments`: the saved segments the caller may see, as filters. */
export async function loadSavedSegments(actions: ActionsClient, signal?: AbortSignal): Promise<SavedSegmentFilter[]> {
  return toSegmentFilters(await actions.get('/v1/segments', SegmentList, signal));
}

/** The provider switched to a newer snapshot version (exporter `--watch` wrote one). */
export interface UsageSnapshotUpdateDetail {
  previousSnapshotId: string;
  snapshotId: string;
  generatedAt: string;
}

/** Emitted by `<usage-provider>` after a newer snapshot is loaded and handed to the elements. */
export type UsageSnapshotUpdateEvent = CustomEvent<UsageSnapshotUpdateDetail>;

declare global {
  interface HTMLElementEventMap {
    'usage-snapshot-update': UsageSnapshotUpdateEvent;
  }
}

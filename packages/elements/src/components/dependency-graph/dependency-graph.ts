import { define } from '../../internal/usage-element.js';
import UsageDependencyGraph from './dependency-graph.component.js';

export * from './dependency-graph.component.js';
export { graphModel, syntheticGraph, edgeRows, type GraphModel, type EdgeRow } from './dependency-graph.data.js';
export { graphKernel, type GraphLayoutKind, type LayoutRequest, type LayoutResult } from './graph-layout.js';
export { LayoutRunner } from './graph-layout-worker.js';
export { drawCanvas, drawSvg, fitPositions, hitEdge, hitNode, nodeTree, type Scene } from './graph-draw.js';
export default UsageDependencyGraph;

define('usage-dependency-graph', UsageDependencyGraph);

export interface Frame {
  functionName: string;
  url: string;
}
/** The group name of a call frame. */
export function groupOf(frame: Frame): string;
/** Self time per request in µs by group, from a V8 CPU profile, idle excluded. */
export function cpuPerRequest(
  profile: { nodes: { id: number; callFrame: Frame; children?: number[] }[]; samples: number[]; timeDeltas: number[] },
  requests: number,
): Map<string, number>;
export interface HeapNode {
  callFrame: Frame;
  selfSize: number;
  children?: HeapNode[];
}
/** Bytes allocated per request, by group, from a sampling heap profile. */
export function allocationPerRequest(heapProfile: { head: HeapNode }, requests: number): Map<string, number>;
/** A markdown table of per-request figures: rows = groups, columns = servers. */
export function formatComparison(columns: Record<string, Map<string, number>>, unit: string, digits?: number): string;

export interface CallTreeNode {
  name: string;
  frame: { functionName: string; url: string; lineNumber: number };
  /** Microseconds of samples in this frame and below it. */
  value: number;
  children: Map<string, CallTreeNode>;
}
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}
export function callTree(profile: CpuProfile): CallTreeNode;
export function flameGraphSvg(
  profile: CpuProfile,
  options?: { title?: string; minShare?: number; maxDepth?: number },
): string;

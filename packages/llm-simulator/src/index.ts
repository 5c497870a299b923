export {
  type LlmSimulator,
  type LlmSimulatorOptions,
  type ScriptedAnswer,
  type SimulatedRequest,
  startLlmSimulator,
} from './llm-simulator.js';
export type { SimulatedMessage, WireFormatName } from './wire-formats.js';

export {
  type LlmSimulator,
  type LlmSimulatorOptions,
  type ScriptedAnswer,
  type SimulatedRequest,
  type SimulatedTranscription,
  startLlmSimulator,
} from './llm-simulator.js';
export type { SimulatedAttachment, SimulatedMessage, WireFormatName } from './wire-formats.js';

export {
  type ErrorFaultKind,
  faultErrors,
  type GraphErrorAnswer,
  type GraphErrorBody,
  toGraphError,
} from './graph-errors.js';
export {
  type FaultKind,
  type FaultSpec,
  type GraphSimulator,
  type GraphSimulatorOptions,
  type PhoneNumberInfo,
  type RecordedGraphRequest,
  startGraphSimulator,
} from './graph-simulator.js';
export { type GraphRequestKind, toRecipient, validateSend } from './send-validation.js';

export {
  type AddressGuard,
  type AddressGuardOptions,
  createAddressGuard,
  type GuardVerdict,
  type ResolvedAddress,
  type Resolver,
  systemResolver,
} from './address-guard.js';
export { embeddedIpv4, forbiddenAddressReason } from './forbidden-addresses.js';
export {
  createHttpToolRunner,
  type HttpToolRunner,
  type HttpToolRunnerOptions,
  type ToolCallOutcome,
  type ToolResult,
  toToolOutput,
} from './http-tool-runner.js';
export {
  type HttpToolSpec,
  MAX_TOOL_HEADERS,
  MAX_TOOLS_PER_BOT,
  type StoredToolHeaders,
  storedToolHeadersSchema,
  TOOL_MAX_RESPONSE_BYTES,
  TOOL_NAME_PATTERN,
  TOOL_TIMEOUT_MS,
  type ToolMethod,
  toolDescriptionSchema,
  toolHeaderChangesSchema,
  toolHeaderNameSchema,
  toolHeadersSchema,
  toolHeaderValueSchema,
  toolMaxResponseBytesSchema,
  toolMethodSchema,
  toolNameSchema,
  toolParametersSchema,
  toolTimeoutMsSchema,
  toolUrlSchema,
} from './tool-definition.js';
export { compileToolParameters, MAX_PARAMETERS_SCHEMA_BYTES, type ToolParameters } from './tool-parameters.js';

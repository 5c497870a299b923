export type { Env, Exit } from './child.js';
export { freePort } from './ports.js';
export {
  PORT_VARIABLES,
  type ServiceName,
  type ServiceSpec,
  type Stack,
  type StackOptions,
  type StackService,
  startStack,
} from './start-stack.js';

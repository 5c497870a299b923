export {
  type OidcClient,
  type OidcSimulator,
  type OidcSimulatorOptions,
  type SimulatedUser,
  startOidcSimulator,
} from './oidc-simulator.js';
